/**
 * Orders per rolling second. A batch takes its slots all at once or not at all, so a ladder
 * is never cut in half by the cap.
 */
export class RateLimiter {
  /** When each slot still inside the window was taken, oldest first. */
  readonly #taken: number[] = [];

  constructor(
    readonly maxPerWindow: number,
    readonly windowMs = 1000,
  ) {
    if (!(Number.isInteger(maxPerWindow) && maxPerWindow >= 0)) {
      throw new RangeError(`maxPerWindow must be a whole number >= 0, got ${maxPerWindow}`);
    }
  }

  /** Slots taken within the window ending at `now`. */
  used(now: number): number {
    this.#expire(now);
    return this.#taken.length;
  }

  /** Takes `n` slots at `now` if all of them fit in the window; returns whether it did. */
  tryTake(n: number, now: number): boolean {
    this.#expire(now);
    if (n < 0 || this.#taken.length + n > this.maxPerWindow) return false;
    for (let i = 0; i < n; i += 1) this.#taken.push(now);
    return true;
  }

  /** Ms from `now` until `n` slots are free; 0 when they are now, Infinity when they never are. */
  waitMs(n: number, now: number): number {
    this.#expire(now);
    if (n > this.maxPerWindow) return Infinity;
    const mustExpire = this.#taken.length + n - this.maxPerWindow;
    if (mustExpire <= 0) return 0;
    return this.#taken[mustExpire - 1]! + this.windowMs - now;
  }

  // A slot taken at t counts for times in [t, t + window).
  #expire(now: number): void {
    let gone = 0;
    while (gone < this.#taken.length && this.#taken[gone]! + this.windowMs <= now) gone += 1;
    if (gone > 0) this.#taken.splice(0, gone);
  }
}
