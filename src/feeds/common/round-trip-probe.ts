/**
 * Keeps a connection's round trip no older than about one interval while it is up, even when
 * the market is quiet and nothing else is asked: a few checks per interval, and one cheap
 * request (the venue's own test or ping) only when nothing else was timed lately. A busy
 * connection is never probed at all.
 */
import type { RoundTripMeter } from './round-trip-meter.js';

export interface RoundTripProbeOptions {
  readonly meter: RoundTripMeter;
  /** Measurements at most about this far apart while ready (default 5000). */
  readonly intervalMs?: number;
  /** Whether a probe may go now: connected, and not held back by a rate limit. */
  readonly ready: () => boolean;
  /** Sends one probe whose reply the meter times; must not throw. */
  readonly send: () => void;
}

export const DEFAULT_ROUND_TRIP_INTERVAL_MS = 5_000;
/**
 * A probe goes once the figure is a fifth of the interval short of its age limit, so the
 * check that finds it due still leaves the reply time to arrive within the interval.
 */
const CHECKS_PER_INTERVAL = 5;

export class RoundTripProbe {
  readonly #options: RoundTripProbeOptions;
  readonly #checkMs: number;
  readonly #quietMs: number;
  #timer: NodeJS.Timeout | null = null;

  constructor(options: RoundTripProbeOptions) {
    const intervalMs = options.intervalMs ?? DEFAULT_ROUND_TRIP_INTERVAL_MS;
    if (!(intervalMs > 0)) throw new RangeError('intervalMs must be positive');
    this.#options = options;
    this.#checkMs = Math.max(1, Math.floor(intervalMs / CHECKS_PER_INTERVAL));
    this.#quietMs = intervalMs - this.#checkMs;
  }

  start(): void {
    if (this.#timer !== null) return;
    this.#timer = setInterval(() => this.check(), this.#checkMs);
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** One check: probes if the connection is ready and its figure is due. */
  check(): void {
    const { meter, ready, send } = this.#options;
    if (!ready() || !meter.probeDue(this.#quietMs)) return;
    meter.probed();
    send();
  }
}
