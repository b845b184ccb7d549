import type { StatusEvent } from '../book/events.js';
import type { ConnectionState, ConnectionView } from './types.js';

/** The last connection-level word each of a venue's sockets said. */
export interface StreamStates {
  readonly [stream: string]: StatusEvent;
}

const CONNECTION_STATUSES = new Set(['connecting', 'live', 'reconnecting', 'closed']);

/** Folds one status event into the per-socket states; other statuses leave them as they were. */
export function trackStream(states: StreamStates, event: StatusEvent): StreamStates {
  if (!CONNECTION_STATUSES.has(event.status)) return states;
  return { ...states, [event.stream]: event };
}

/**
 * One verdict for the venue from all its sockets: the worst wins, because a trader needs to
 * know that the private stream (their orders) is down even while prices still flow.
 */
export function connectionOf(states: StreamStates, rttMs: number | null): ConnectionView {
  const events = Object.values(states);
  const pick = (status: string): StatusEvent | undefined =>
    events.find((event) => event.status === status);
  const reconnecting = pick('reconnecting');
  if (reconnecting !== undefined) {
    return {
      state: 'reconnecting',
      retryAt: reconnecting.ts + (reconnecting.delayMs ?? 0),
      attempt: reconnecting.attempt ?? null,
      rttMs: null,
      detail: describe(reconnecting),
    };
  }
  const connecting = pick('connecting');
  const closed = pick('closed');
  let state: ConnectionState = 'connecting';
  if (connecting === undefined && events.length > 0)
    state = closed === undefined ? 'live' : 'closed';
  return {
    state,
    retryAt: null,
    attempt: connecting?.attempt ?? null,
    rttMs: state === 'live' ? rttMs : null,
    detail: state === 'closed' && closed !== undefined ? describe(closed) : null,
  };
}

/** The first connection could not be made; the app retries at `retryAt`. */
export function downConnection(detail: string, retryAt: number, attempt: number): ConnectionView {
  return { state: 'down', retryAt, attempt, rttMs: null, detail };
}

function describe(event: StatusEvent): string {
  return event.detail === undefined ? event.stream : `${event.stream}: ${event.detail}`;
}
