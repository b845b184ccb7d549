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
  top = 0,
}: {
  readonly info: InfoView;
  readonly width: number;
  readonly height: number;
  /** First line shown (↑/↓ PgUp/PgDn scroll); clamped so the last page is full. */
  readonly top?: number;
}) {
  const paint = usePaint();
  const rows = Math.max(1, height - 2);
  const overflow = info.lines.length > rows;
  const first = overflow ? Math.min(Math.max(0, top), info.lines.length - (rows - 1)) : 0;
  const shown = overflow ? info.lines.slice(first, first + rows - 1) : info.lines;
  const below = info.lines.length - first - shown.length;
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
      {overflow ? (
        <Text dimColor wrap="truncate-end">
          {`lines ${first + 1}–${first + shown.length} of ${info.lines.length}` +
            (below > 0 ? `, ${below} more (↓ / PgDn)` : '')}
        </Text>
      ) : null}
      <Text dimColor>Esc closes</Text>
    </Box>
  );
});
