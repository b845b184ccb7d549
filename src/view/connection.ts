import type { StatusEvent } from '../book/events.js';
import type { ConnectionState, ConnectionView } from './types.js';

/** The last connection-level word each of a venue's sockets said. */
export interface StreamStates {
  readonly [stream: string]: StatusEvent;
}

const CONNECTION_STATUSES = new Set(['connecting', 'live', 'reconnecting', 'closed']);

/** The subscription families a venue's sockets reported quiet and not yet fresh again. */
export interface QuietFamilies {
  readonly [streamFamily: string]: StatusEvent;
}

/** Folds a `stale` or `fresh` status naming its family; other statuses leave them as they were. */
export function trackQuiet(quiet: QuietFamilies, event: StatusEvent): QuietFamilies {
  if (event.family === undefined) return quiet;
  const key = `${event.stream} ${event.family}`;
  if (event.status === 'stale') return { ...quiet, [key]: event };
  if (event.status !== 'fresh' || !(key in quiet)) return quiet;
  const rest: Record<string, StatusEvent> = { ...quiet };
  delete rest[key];
  return rest;
}

/** Folds one status event into the per-socket states; other statuses leave them as they were. */
export function trackStream(states: StreamStates, event: StatusEvent): StreamStates {
  if (!CONNECTION_STATUSES.has(event.status)) return states;
  return { ...states, [event.stream]: event };
}

/**
 * One verdict for the venue from all its sockets: the worst wins, because a trader needs to
 * know that the private stream (their orders) is down even while prices still flow. Sockets
 * that are open but whose steady streams went quiet (a stalled feed still answers pings)
 * make it `stale`, never `live`.
 */
export function connectionOf(
  states: StreamStates,
  rttMs: number | null,
  quiet: QuietFamilies = {},
): ConnectionView {
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
      quietSince: null,
    };
  }
  const connecting = pick('connecting');
  const closed = pick('closed');
  let state: ConnectionState = 'connecting';
  if (connecting === undefined && events.length > 0)
    state = closed === undefined ? 'live' : 'closed';
  const silent = Object.values(quiet);
  if (state === 'live' && silent.length > 0) {
    return {
      state: 'stale',
      retryAt: null,
      attempt: null,
      rttMs,
      detail: `quiet: ${silent.map((event) => `${event.stream} ${event.family ?? ''}`.trim()).join(', ')}`,
      quietSince: Math.min(...silent.map((event) => event.lastDataTs ?? event.ts)),
    };
  }
  return {
    state,
    retryAt: null,
    attempt: connecting?.attempt ?? null,
    rttMs: state === 'live' ? rttMs : null,
    detail: state === 'closed' && closed !== undefined ? describe(closed) : null,
    quietSince: null,
  };
}

/** The first connection could not be made; the app retries at `retryAt`. */
export function downConnection(detail: string, retryAt: number, attempt: number): ConnectionView {
  return { state: 'down', retryAt, attempt, rttMs: null, detail, quietSince: null };
}

function describe(event: StatusEvent): string {
  return event.detail === undefined ? event.stream : `${event.stream}: ${event.detail}`;
}
