import type { StatusEvent } from '../book/events.js';
import { fmtDuration } from './format.js';
import type { StatusLevel, StatusLineView } from './types.js';

const LEVELS: Partial<Record<StatusEvent['status'], StatusLevel>> = {
  live: 'info',
  resynced: 'info',
  fresh: 'info',
  instruments: 'info',
  reconnecting: 'warn',
  stale: 'warn',
  gap: 'warn',
  'rate-limited': 'warn',
  closed: 'warn',
  malformed: 'error',
  error: 'error',
};

/**
 * The status-line sentence for a feed status, or null for one not worth the trader's eye
 * (`connecting` is the header's business).
 */
export function statusLine(event: StatusEvent): StatusLineView | null {
  const level = LEVELS[event.status];
  if (level === undefined) return null;
  const parts = [`${event.venue} ${event.stream}: ${event.status}`];
  if (event.status === 'reconnecting' && event.delayMs !== undefined) {
    parts.push(`retry in ${fmtDuration(event.delayMs)} (attempt ${event.attempt ?? 1})`);
  }
  if (event.instruments !== undefined && event.instruments.length > 0) {
    const shown = event.instruments.slice(0, 3).join(', ');
    const more = event.instruments.length > 3 ? ` +${event.instruments.length - 3}` : '';
    parts.push(`${shown}${more}`);
  }
  if (event.detail !== undefined) parts.push(event.detail);
  return { text: parts.join(' — '), level, ts: event.ts };
}
