/**
 * The latest request→reply round trip on one connection, for the latency a user sees beside
 * the connection state. Requests are stamped as they leave and measured when their reply
 * comes in. A reset (the connection gone) voids the stamps still out, so a reply that
 * straggles in afterwards never passes for the next connection's figure.
 *
 * It also knows when it last sent a probe of its own, so a connection that times nothing else
 * can be kept measured without sending more than one probe per interval.
 */
import { performance } from 'node:perf_hooks';

/** When a request left, on which connection (the meter's era). */
export interface RoundTripStamp {
  readonly sentAt: number;
  readonly era: number;
}

export class RoundTripMeter {
  readonly #clock: () => number;
  #latestMs: number | null = null;
  #measuredAt = -Infinity;
  #probedAt = -Infinity;
  #era = 0;

  /** `clock`: monotonic ms (default performance.now): a wall clock step is no latency. */
  constructor(clock: () => number = () => performance.now()) {
    this.#clock = clock;
  }

  /** The latest measurement in ms (fractional); null before the first one and after a reset. */
  get latestMs(): number | null {
    return this.#latestMs;
  }

  /** Stamps a request leaving now; hand the stamp to replied() when its reply arrives. */
  sent(): RoundTripStamp {
    return { sentAt: this.#clock(), era: this.#era };
  }

  /** Measures a reply; returns its round trip, or null for a stamp from before a reset. */
  replied(stamp: RoundTripStamp): number | null {
    if (stamp.era !== this.#era) return null;
    const now = this.#clock();
    const ms = Math.max(0, now - stamp.sentAt);
    this.#latestMs = ms;
    this.#measuredAt = now;
    return ms;
  }

  /** The connection is gone: no figure until the next one measures. */
  reset(): void {
    this.#latestMs = null;
    this.#measuredAt = -Infinity;
    this.#probedAt = -Infinity;
    this.#era += 1;
  }

  /**
   * Whether a probe should go now: nothing was measured, and no probe sent, within `quietMs`.
   * A probe whose answer is lost thus waits `quietMs` before the next, rather than piling up.
   */
  probeDue(quietMs: number): boolean {
    const now = this.#clock();
    return now - this.#measuredAt >= quietMs && now - this.#probedAt >= quietMs;
  }

  /** A probe of ours is leaving now (it is stamped with sent() like any request). */
  probed(): void {
    this.#probedAt = this.#clock();
  }
}
