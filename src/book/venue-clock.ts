/**
 * A venue's time as its own messages tell it: the latest venue timestamp seen, carried
 * forward at the rate of `wall` until the next one. Time to expiry, the front expiry and
 * settlement are read off this clock, never the machine's: the embedded exchange runs its
 * market faster than real time (`--speed`), and a real venue's clock is not ours either.
 * Between messages a sped-up market runs ahead of it by at most one message gap; it catches
 * up with the next message. Never runs backwards. The wall clock comes in as a function, so
 * the book stays free of timers and tests are deterministic.
 */
export class VenueClock {
  #venueTs = -Infinity;
  #wallAt = 0;
  #last = -Infinity;

  constructor(private readonly wall: () => number = Date.now) {}

  /** True once any venue timestamp was seen. */
  get known(): boolean {
    return Number.isFinite(this.#venueTs);
  }

  /** A message stamped `ts` by the venue arrived now. */
  observe(ts: number): void {
    if (!Number.isFinite(ts) || ts <= this.#venueTs) return;
    this.#venueTs = ts;
    this.#wallAt = this.wall();
  }

  /** The venue's time now; the wall clock until the venue has said anything. */
  now(): number {
    const wall = this.wall();
    if (!this.known) return wall;
    this.#last = Math.max(this.#last, this.#venueTs + Math.max(0, wall - this.#wallAt));
    return this.#last;
  }
}
