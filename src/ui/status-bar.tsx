import { Text } from 'ink';
import { memo } from 'react';
import { fmtClock } from '../view/format.js';
import type { StatusLineView } from '../view/types.js';

const COLORS = { info: {}, warn: { color: 'yellow' }, error: { color: 'red' } } as const;

// Where a message does not fit, its end gives way to this: the messages list has it whole.
const CUT = '… (Ctrl-L: messages)';

/** The status line's text in `width`: whole, or cut with the key that shows it whole. */
export function statusText(status: StatusLineView, width: number): string {
  const text = `${fmtClock(status.ts)} ${status.text}`;
  const room = Math.max(0, width - 1);
  if (text.length <= room) return text;
  return room > CUT.length + 10 ? `${text.slice(0, room - CUT.length)}${CUT}` : text.slice(0, room);
}

/** The trader's latest answer while recent, else the latest event (see the read model). */
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
      {statusText(status, width)}
    </Text>
  );
});
