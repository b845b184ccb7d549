/**
 * Reconnect delays: exponential growth up to a cap, with jitter so that many clients dropped
 * at once (a venue restart) do not all come back in the same instant.
 */

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** Fraction of the delay that is random: 0.5 draws uniformly from [d·0.5, d]. */
  jitter: number;
  /** Uniform in [0, 1); injectable so tests can pin the draw. */
  random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = Object.freeze({
  initialMs: 500,
  maxMs: 30_000,
  factor: 2,
  jitter: 0.5,
});

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly random: () => number;
  private attempts = 0;

  constructor(options: Partial<BackoffOptions> = {}) {
    const merged = { ...DEFAULT_BACKOFF, ...options };
    if (!(merged.initialMs >= 0) || !(merged.maxMs >= merged.initialMs)) {
      throw new RangeError('backoff needs 0 <= initialMs <= maxMs');
    }
    if (!(merged.factor >= 1)) throw new RangeError('backoff factor must be >= 1');
    if (!(merged.jitter >= 0 && merged.jitter <= 1)) {
      throw new RangeError('backoff jitter must be within [0, 1]');
    }
    this.initialMs = merged.initialMs;
    this.maxMs = merged.maxMs;
    this.factor = merged.factor;
    this.jitter = merged.jitter;
    this.random = merged.random ?? Math.random;
  }

  /** The delay before the next attempt; counts that attempt. */
  next(): number {
    // Exponent is bounded so a retry loop running for days cannot overflow to Infinity·0.
    const exponent = Math.min(this.attempts, 64);
    this.attempts += 1;
    const ceiling = Math.min(this.maxMs, this.initialMs * this.factor ** exponent);
    const draw = Math.min(Math.max(this.random(), 0), 1);
    return Math.round(ceiling * (1 - this.jitter * draw));
  }

  reset(): void {
    this.attempts = 0;
  }

  /** Attempts since the last reset. */
  get attempt(): number {
    return this.attempts;
  }
}
