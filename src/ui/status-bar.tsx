import { Text } from 'ink';
import { memo } from 'react';
import { fmtClock } from '../view/format.js';
import type { StatusLineView } from '../view/types.js';

const COLORS = { info: {}, warn: { color: 'yellow' }, error: { color: 'red' } } as const;

/** The latest event or error, one line, newest wins. */
export const StatusBar = memo(function StatusBar({
  status,
  width,
}: {
  readonly status: StatusLineView | null;
  readonly width: number;
}) {
  if (status === null) return <Text dimColor>{' '.repeat(Math.max(0, width - 1))}</Text>;
  return (
    <Text wrap="truncate-end" {...COLORS[status.level]}>
      {`${fmtClock(status.ts)} ${status.text}`}
    </Text>
  );
});
