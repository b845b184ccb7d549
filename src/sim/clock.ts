// Sim time: starts at a chosen instant and runs `speed` times faster than the wall clock,
// or only when told to (tests and deterministic runs drive it with advance()).

export interface SimClockOptions {
  /** Sim time at start, ms since the epoch. */
  readonly start: number;
  /** Sim ms per wall ms; 1 is real time. */
  readonly speed: number;
  /** Manual clocks move only through advance(). */
  readonly manual: boolean;
  /** Wall clock source, replaceable in tests. */
  readonly wallNow?: () => number;
}

export class SimClock {
  private readonly wallNow: () => number;
  private anchorSim: number;
  private anchorWall: number;
  private speedFactor: number;
  readonly manual: boolean;

  constructor(options: SimClockOptions) {
    if (!(options.speed > 0) || !Number.isFinite(options.speed)) {
      throw new RangeError(`clock speed must be a positive number, got ${options.speed}`);
    }
    this.wallNow = options.wallNow ?? Date.now;
    this.anchorSim = options.start;
    this.anchorWall = this.wallNow();
    this.speedFactor = options.speed;
    this.manual = options.manual;
  }

  now(): number {
    if (this.manual) return this.anchorSim;
    return Math.floor(this.anchorSim + (this.wallNow() - this.anchorWall) * this.speedFactor);
  }

  get speed(): number {
    return this.speedFactor;
  }

  setSpeed(speed: number): void {
    if (!(speed > 0) || !Number.isFinite(speed)) {
      throw new RangeError(`clock speed must be a positive number, got ${speed}`);
    }
    this.anchorSim = this.now();
    this.anchorWall = this.wallNow();
    this.speedFactor = speed;
  }

  /** Moves a manual clock forward; a running clock ignores this (its time is the wall's). */
  advance(ms: number): number {
    if (ms < 0) throw new RangeError('the clock does not run backwards');
    if (this.manual) this.anchorSim += ms;
    return this.now();
  }

  /** Wall ms until sim time reaches `simTs` (0 when past). */
  wallDelayUntil(simTs: number): number {
    return Math.max(0, (simTs - this.now()) / this.speedFactor);
  }
}
