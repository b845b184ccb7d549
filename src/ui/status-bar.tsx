import { Text } from 'ink';
import { memo } from 'react';
import { fmtClock } from '../view/format.js';
import type { StatusLineView } from '../view/types.js';
import { usePaint } from './palette.js';

const STATUS_COLOR = { info: undefined, warn: 'yellow', error: 'red' } as const;

// Where a message does not fit, its end gives way to this: the messages list has it whole.
const CUT = '… (Ctrl-L: messages)';

/** The status line's text in `width`: whole, or cut with the key that shows it whole. */
export function statusText(status: StatusLineView, width: number): string {
  const text = `${fmtClock(status.ts)} ${status.text}`;
  const room = Math.max(0, width - 1);
  if (text.length <= room) return text;
  return room > CUT.length + 10 ? `${text.slice(0, room - CUT.length)}${CUT}` : text.slice(0, room);
}

/**
 * The trader's latest answer while recent, else the latest event (see the read model).
 * Warnings and errors are bold, so they keep their weight without colour.
 */
export const StatusBar = memo(function StatusBar({
  status,
  width,
}: {
  readonly status: StatusLineView | null;
  readonly width: number;
}) {
  const paint = usePaint();
  if (status === null) return <Text dimColor>{' '.repeat(Math.max(0, width - 1))}</Text>;
  return (
    <Text wrap="truncate-end" bold={status.level !== 'info'} {...paint(STATUS_COLOR[status.level])}>
      {statusText(status, width)}
    </Text>
  );
});
