/**
 * Outbound request pacing: a token bucket so a burst of subscribes or orders stays under the
 * venue's rate limit, and a penalty box for when the venue says too many requests anyway.
 */

export interface RequestPacerOptions {
  /** Sustained requests per second. */
  ratePerSec: number;
  /** Requests that may go at once after a quiet period. */
  burst: number;
  now?: () => number;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export class RequestPacer {
  private readonly ratePerMs: number;
  private readonly burst: number;
  private readonly now: () => number;
  private tokens: number;
  private lastRefill: number;
  private blockedUntil = -Infinity;
  private readonly waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(options: RequestPacerOptions) {
    if (!(options.ratePerSec > 0)) throw new RangeError('ratePerSec must be positive');
    if (!(options.burst >= 1)) throw new RangeError('burst must be at least 1');
    this.ratePerMs = options.ratePerSec / 1000;
    this.burst = options.burst;
    this.now = options.now ?? Date.now;
    this.tokens = options.burst;
    this.lastRefill = this.now();
  }

  /** Resolves when a token is available, first come first served. Rejects once stopped. */
  take(): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('request pacer stopped'));
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.pump();
    });
  }

  /**
   * No token for `ms`, and the bucket restarts empty: releasing a full burst the moment the
   * penalty ends is what would trip the limit again.
   */
  penalize(ms: number): void {
    if (this.stopped) return;
    const now = this.now();
    this.refill(now);
    this.tokens = 0;
    this.blockedUntil = Math.max(this.blockedUntil, now + ms);
    this.clearTimer();
    this.pump();
  }

  /** Requests waiting for a token. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** Rejects every waiter and clears the timer; later take() calls reject too. */
  stop(): void {
    this.stopped = true;
    this.clearTimer();
    const waiters = this.waiters.splice(0);
    for (const waiter of waiters) waiter.reject(new Error('request pacer stopped'));
  }

  private pump(): void {
    if (this.stopped) return;
    const now = this.now();
    this.refill(now);
    while (this.waiters.length > 0 && this.tokens >= 1) {
      this.tokens -= 1;
      this.waiters.shift()?.resolve();
    }
    if (this.waiters.length === 0 || this.timer !== null) return;
    const blockedMs = Math.max(0, this.blockedUntil - now);
    const refillMs = blockedMs > 0 ? 1 / this.ratePerMs : (1 - this.tokens) / this.ratePerMs;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.pump();
      },
      Math.max(1, Math.ceil(blockedMs + refillMs)),
    );
  }

  private refill(now: number): void {
    // Nothing accrues while penalized: the bucket fills only from the end of the penalty.
    const from = Math.max(this.lastRefill, this.blockedUntil);
    if (now > from) {
      this.tokens = Math.min(this.burst, this.tokens + (now - from) * this.ratePerMs);
    }
    this.lastRefill = Math.max(this.lastRefill, now);
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}
