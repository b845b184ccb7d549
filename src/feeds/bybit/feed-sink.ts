/**
 * What the feed's parts (market sockets, the private socket, the listing) report into: events
 * in arrival order, status lines, counters, and the venue's clock as its messages tell it.
 */
import type { FeedEvent, FeedStatus, StatusEvent } from '../../book/events.js';
import type { FeedCounters } from '../feed.js';

export type CounterName = keyof FeedCounters;

export interface StatusExtra {
  readonly attempt?: number;
  readonly delayMs?: number;
  readonly instruments?: readonly string[];
  readonly detail?: string;
  readonly family?: string;
  readonly lastDataTs?: number;
}

export interface FeedSink {
  emit(event: FeedEvent): void;
  status(stream: string, status: FeedStatus, extra?: StatusExtra): void;
  /** A status event a socket built itself (connecting, live, reconnecting, closed). */
  socketStatus(event: StatusEvent): void;
  raw(frame: string, stream: string, localTs: number): void;
  count(counter: CounterName, by?: number): void;
  /** Counted, one log line, a throttled `malformed` status; `detail` must hold no secret. */
  malformed(stream: string, detail: string): void;
  rateLimited(stream: string, delayMs: number, detail: string): void;
  /** A venue timestamp seen in a message: the venue's clock moves on. */
  venueTime(ts: number): void;
  log(line: string): void;
  /** Local wall clock. */
  now(): number;
}

/** At most one `malformed` status per interval per stream; the others are counted into it. */
export class MalformedThrottle {
  readonly #intervalMs: number;
  readonly #last = new Map<string, { at: number; suppressed: number }>();

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  /** How many frames the status should report, or null to stay quiet this time. */
  admit(stream: string, now: number): number | null {
    const last = this.#last.get(stream);
    if (last !== undefined && now - last.at < this.#intervalMs) {
      last.suppressed += 1;
      return null;
    }
    const count = 1 + (last?.suppressed ?? 0);
    this.#last.set(stream, { at: now, suppressed: 0 });
    return count;
  }
}
