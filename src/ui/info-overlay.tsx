import { Box, Text } from 'ink';
import { memo } from 'react';
import { fmtClock } from '../view/format.js';
import type { InfoView } from '../view/types.js';
import { usePaint } from './palette.js';

/** A command's listing (funds, orders, positions, connection) in place of the panels. */
export const InfoOverlay = memo(function InfoOverlay({
  info,
  width,
  height,
}: {
  readonly info: InfoView;
  readonly width: number;
  readonly height: number;
}) {
  const paint = usePaint();
  const rows = Math.max(1, height - 2);
  const overflow = info.lines.length > rows;
  const shown = overflow ? info.lines.slice(0, rows - 1) : info.lines;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold {...paint('cyan')} wrap="truncate-end">
        {`${info.title} at ${fmtClock(info.ts)} UTC`}
      </Text>
      {shown.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line === '' ? ' ' : line}
        </Text>
      ))}
      {overflow ? <Text dimColor>{`… ${info.lines.length - shown.length} more`}</Text> : null}
      <Text dimColor>Esc closes</Text>
    </Box>
  );
});
