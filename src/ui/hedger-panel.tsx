import { Box, Text } from 'ink';
import { memo } from 'react';
import type { HedgerView } from '../view/types.js';
import { usePaint } from './palette.js';

const MODE_COLOR = { on: 'green', paused: 'yellow', off: undefined } as const;

/** The hedger's summary line and its latest decisions, newest first, as many as fit. */
export const HedgerPanel = memo(function HedgerPanel({
  view,
  width,
  height,
}: {
  readonly view: HedgerView;
  readonly width: number;
  readonly height: number;
}) {
  const paint = usePaint();
  if (height <= 0 || width <= 0) return null;
  const [summary = '', ...recent] = view.lines;
  const tone = paint(view.level === 'error' ? 'red' : MODE_COLOR[view.mode]);
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0}>
      <Text wrap="truncate-end" bold {...tone}>
        {`hedger ${summary}`}
      </Text>
      {recent.slice(0, height - 1).map((line, i) => (
        <Text key={i} wrap="truncate-end" dimColor>
          {line}
        </Text>
      ))}
    </Box>
  );
});
