// Extends a venue's candle history live from price ticks (index or perpetual), one builder per
// bar period: feed the same ticks to a 1-minute and a 1-hour builder.
//
// Rules, chosen for a trader who wants the bars a venue would have printed:
// - A period with no tick has no bar. A flat filler bar would claim a zero range that never
//   happened and drag every range estimator down; the estimators see the gap instead.
// - A tick arriving late (older than the newest tick of its bar) can widen that bar's range
//   and, if older than the bar's first tick, become its open; it never becomes the close.
// - History and live ticks may overlap (subscribe first, then fetch, so nothing is missed). In
//   a bar both know, the venue's open stands (it saw the period start), highs and lows are
//   united, and the close is the newest live tick.
// - A tick older than every bar held is dropped and counted: there is no bar to amend.

import { barProblem, checkPeriod, type Bar } from './bars.js';

interface MutableBar {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  /** Times of the first and newest live tick in the bar; null for a bar from history only. */
  firstTick: number | null;
  lastTick: number | null;
}

export interface BarBuilderOptions {
  /** Oldest bars are dropped beyond this many (default: 91 days' worth). */
  readonly maxBars?: number;
}

export class BarBuilder {
  private readonly held: MutableBar[] = [];
  private readonly maxBars: number;
  /** Ticks older than every bar held, dropped. */
  droppedTicks = 0;

  constructor(
    readonly periodMs: number,
    options: BarBuilderOptions = {},
  ) {
    checkPeriod(periodMs);
    this.maxBars = options.maxBars ?? Math.ceil((91 * 86_400_000) / periodMs);
    if (!Number.isSafeInteger(this.maxBars) || this.maxBars < 1) {
      throw new RangeError(`maxBars must be a positive whole number, got ${options.maxBars}`);
    }
  }

  /** Merges a venue's history (any order; each bar on this builder's period grid). Every bar is
   * checked before any is merged, so bad history changes nothing. */
  load(history: readonly Bar[]): void {
    history.forEach((bar, i) => {
      const problem = barProblem(bar, this.periodMs);
      if (problem !== null) throw new RangeError(`history bar ${i} (ts ${bar.ts}): ${problem}`);
    });
    for (const bar of history) {
      const at = this.find(bar.ts);
      if (at.found) {
        const held = this.held[at.index]!;
        // The venue saw the period start; a live feed may have joined mid-period.
        held.open = bar.open;
        if (held.firstTick !== null) held.firstTick = bar.ts;
        if (bar.high > held.high) held.high = bar.high;
        if (bar.low < held.low) held.low = bar.low;
        if (held.lastTick === null) held.close = bar.close;
      } else {
        this.held.splice(at.index, 0, { ...bar, firstTick: null, lastTick: null });
      }
    }
    this.trim();
  }

  /** Folds one price tick in. Returns false (and changes nothing) for a tick older than every
   * bar held; throws on a price or time that is not a number a venue could print. */
  tick(ts: number, price: number): boolean {
    if (!Number.isFinite(ts)) throw new RangeError(`tick time ${ts} is not a time`);
    if (!(price > 0) || !Number.isFinite(price)) {
      throw new RangeError(`tick price ${price} is not a positive price`);
    }
    const bucket = Math.floor(ts / this.periodMs) * this.periodMs;
    const last = this.held[this.held.length - 1];
    if (last === undefined || bucket > last.ts) {
      this.held.push(fresh(bucket, ts, price));
      this.trim();
      return true;
    }
    const at = this.find(bucket);
    if (!at.found) {
      if (at.index === 0) {
        this.droppedTicks++;
        return false;
      }
      this.held.splice(at.index, 0, fresh(bucket, ts, price));
      return true;
    }
    const bar = this.held[at.index]!;
    if (price > bar.high) bar.high = price;
    if (price < bar.low) bar.low = price;
    if (bar.lastTick === null || ts >= bar.lastTick) {
      bar.close = price;
      bar.lastTick = ts;
    }
    if (bar.firstTick === null) {
      bar.firstTick = ts;
    } else if (ts < bar.firstTick) {
      bar.open = price;
      bar.firstTick = ts;
    }
    return true;
  }

  /** All bars held, oldest first; the newest may still be forming. */
  bars(): Bar[] {
    return this.held.map(({ ts, open, high, low, close }) => ({ ts, open, high, low, close }));
  }

  /** Bars whose period has ended by `now` (ms), oldest first. */
  completedBars(now: number): Bar[] {
    return this.bars().filter((bar) => bar.ts + this.periodMs <= now);
  }

  private find(ts: number): { found: boolean; index: number } {
    let low = 0;
    let high = this.held.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.held[mid]!.ts < ts) low = mid + 1;
      else high = mid;
    }
    return { found: this.held[low]?.ts === ts, index: low };
  }

  private trim(): void {
    const excess = this.held.length - this.maxBars;
    if (excess > 0) this.held.splice(0, excess);
  }
}

function fresh(bucket: number, ts: number, price: number): MutableBar {
  return {
    ts: bucket,
    open: price,
    high: price,
    low: price,
    close: price,
    firstTick: ts,
    lastTick: ts,
  };
}
