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

/** "⚠ 2 alerts (Ctrl-L): " before the line while alerts are unseen. */
export function alertPrefix(alerts: { readonly count: number } | null): string {
  if (alerts === null || alerts.count === 0) return '';
  return `⚠ ${alerts.count} alert${alerts.count === 1 ? '' : 's'} (Ctrl-L): `;
}

/**
 * The trader's latest answer while recent, else the latest event (see the read model).
 * Warnings and errors are bold, so they keep their weight without colour. While alerts are
 * unseen (a refused or rejected order, a lost connection) their count leads the line, until
 * the messages list (Ctrl-L) is opened.
 */
export const StatusBar = memo(function StatusBar({
  status,
  alerts = null,
  width,
  quote = null,
}: {
  readonly status: StatusLineView | null;
  readonly alerts?: { readonly count: number; readonly latest: StatusLineView } | null;
  readonly width: number;
  /** A package being typed: its price and greeks take the line until it is sent or cleared. */
  readonly quote?: string | null;
}) {
  const paint = usePaint();
  if (quote !== null) {
    const prefix = alertPrefix(alerts);
    const room = Math.max(0, width - 1 - prefix.length);
    return (
      <Text wrap="truncate-end">
        {prefix === '' ? null : (
          <Text bold inverse {...paint('red')}>
            {prefix}
          </Text>
        )}
        <Text {...paint('cyan')}>
          {quote.length > room ? `${quote.slice(0, room - 1)}…` : quote}
        </Text>
      </Text>
    );
  }
  if (alerts !== null && alerts.count > 0) {
    // The count stays until the messages are opened; the line after it goes on as usual.
    const prefix = alertPrefix(alerts);
    const shown = status ?? alerts.latest;
    return (
      <Text wrap="truncate-end">
        <Text bold inverse {...paint('red')}>
          {prefix}
        </Text>
        <Text bold={shown.level !== 'info'} {...paint(STATUS_COLOR[shown.level])}>
          {statusText(shown, width - prefix.length)}
        </Text>
      </Text>
    );
  }
  if (status === null) return <Text dimColor>{' '.repeat(Math.max(0, width - 1))}</Text>;
  return (
    <Text wrap="truncate-end" bold={status.level !== 'info'} {...paint(STATUS_COLOR[status.level])}>
      {statusText(status, width)}
    </Text>
  );
});
