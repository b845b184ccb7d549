// A resting ladder of market-maker and other participants' orders that lives between quotes.
// Real books are not redrawn whole at every update: the makers requote the few levels at the
// touch while the orders further out rest, now and then resized or pulled, and new ones fill
// in behind. So each update redraws a short front at the new best price, keeps the deeper
// levels that are still behind it (a few of them resized, more often near the top than far
// out), fills any hole a price move left, and trims the far end only once it overgrows. A
// venue's book event then carries the front and a handful of deep changes, not every level.

import type { Random } from '../random.js';
import type { Grid } from './ticks.js';

/** How one kind of instrument's book looks; see depth-shapes.ts for the measured figures. */
export interface DepthShape {
  /** Levels a side keeps at least, when the price range allows (bids stop above zero). */
  readonly minLevels: number;
  /** Levels a side may hold beyond minLevels before the far end is trimmed; its target lies
   * in the lower half of that, so resting levels have room to stay. */
  readonly slack: number;
  /** Levels redrawn at the touch on every update. */
  readonly frontMin: number;
  readonly frontMax: number;
  /** Ticks between front levels. */
  frontGapTicks(random: Random): number;
  /** Price distance from `level - 1` to `level` beyond the front (unrounded). */
  tailGap(random: Random, level: number, scale: DepthScale): number;
  /** The usual such distance, no draw: what counts as a hole. */
  typicalGap(level: number, scale: DepthScale): number;
  frontSize(random: Random, level: number, scale: DepthScale): number;
  tailSize(random: Random, level: number, scale: DepthScale): number;
  /** Mean seconds a resting level at `level` keeps its size. */
  restSeconds(level: number): number;
}

/** What sizes and gaps are measured against for one instrument now. */
export interface DepthScale {
  /** Typical top-of-book size in the amount unit. */
  readonly size: number;
  /** The maker's half spread in price units. */
  readonly halfSpread: number;
  /** The tick at the touch. */
  readonly tick: number;
}

/** A pulled order leaves its price empty; this share of resizes is a pull instead. */
const PULL_SHARE = 0.2;
/** A hole wider than this many typical gaps gets a fresh level instead of waiting. */
const HOLE_GAPS = 3;

class SideLadder {
  readonly prices: number[] = [];
  readonly sizes: number[] = [];
}

export class DepthLadder {
  private bids = new SideLadder();
  private asks = new SideLadder();
  /** The other buffer per side: an update reads the old ladder while it writes the new one. */
  private spareBids = new SideLadder();
  private spareAsks = new SideLadder();
  /** Levels a side aims for; drawn once so a book's depth does not flicker. */
  private readonly target: number;

  constructor(
    private readonly shape: DepthShape,
    random: Random,
  ) {
    this.target = shape.minLevels + random.int(0, Math.floor(shape.slack / 2));
  }

  /**
   * Moves the ladder to a new touch. `bestBid` NaN shows no bids (a worthless wing). Returns
   * flat [price, size, …] per side, best first, every price on the grid and size in lots.
   */
  update(
    grid: Grid,
    bestBid: number,
    bestAsk: number,
    scale: DepthScale,
    elapsedMs: number,
    random: Random,
  ): { bids: number[]; asks: number[] } {
    if (Number.isNaN(bestBid)) {
      this.bids.prices.length = 0;
      this.bids.sizes.length = 0;
    } else {
      this.side(this.bids, this.spareBids, -1, bestBid, grid, scale, elapsedMs, random);
      [this.bids, this.spareBids] = [this.spareBids, this.bids];
    }
    this.side(this.asks, this.spareAsks, 1, bestAsk, grid, scale, elapsedMs, random);
    [this.asks, this.spareAsks] = [this.spareAsks, this.asks];
    return { bids: flat(this.bids), asks: flat(this.asks) };
  }

  /** Builds the new ladder of one side from `old` into `into`. */
  private side(
    old: SideLadder,
    into: SideLadder,
    dir: 1 | -1,
    best: number,
    grid: Grid,
    scale: DepthScale,
    elapsedMs: number,
    random: Random,
  ): void {
    const { shape } = this;
    const { prices, sizes } = into;
    prices.length = 0;
    sizes.length = 0;
    const push = (price: number, size: number): void => {
      prices.push(price);
      sizes.push(grid.amount(size));
    };
    const front = random.int(shape.frontMin, shape.frontMax);
    let last = best;
    push(best, shape.frontSize(random, 0, scale));
    while (prices.length < front) {
      const gap = shape.frontGapTicks(random) * grid.tickAt(last);
      const next = this.stepAway(grid, last, dir, this.fit(grid, last, dir, prices.length, gap));
      if (next === null) break;
      push(next, shape.frontSize(random, prices.length, scale));
      last = next;
    }
    // The old levels behind the new front rest on; those the front now covers are requoted.
    let j = 0;
    while (j < old.prices.length && dir * (old.prices[j]! - last) <= 0) j++;
    // Resting levels are resized at a rate falling with depth. Drawing one chance per level
    // would cost a draw for each of 200 levels per step, so the candidates come at the top
    // rate by geometric skips and are thinned to each level's own rate (restSeconds rises with
    // depth, so level 0's rate is the highest).
    const seconds = elapsedMs / 1000;
    const topChance = seconds > 0 ? -Math.expm1(-seconds / shape.restSeconds(0)) : 0;
    const skip = (): number =>
      topChance <= 0
        ? Infinity
        : topChance >= 1
          ? 0
          : Math.floor(Math.log(1 - random.next()) / Math.log(1 - topChance));
    let untilChurn = skip();
    const cap = shape.minLevels + shape.slack;
    while (prices.length < cap) {
      const level = prices.length;
      // A fresh level may have stepped past old ones: those are gone.
      while (j < old.prices.length && dir * (old.prices[j]! - last) <= 0) j++;
      const oldPrice = old.prices[j];
      if (
        oldPrice !== undefined &&
        dir * (oldPrice - last) <= HOLE_GAPS * shape.typicalGap(level, scale)
      ) {
        j++;
        const candidate = untilChurn-- === 0;
        if (candidate) untilChurn = skip();
        if (
          candidate &&
          random.chance(-Math.expm1(-seconds / shape.restSeconds(level)) / topChance)
        ) {
          if (random.chance(PULL_SHARE)) continue;
          push(oldPrice, shape.tailSize(random, level, scale));
        } else {
          prices.push(oldPrice);
          sizes.push(old.sizes[j - 1]!);
        }
        last = oldPrice;
        continue;
      }
      if (level >= this.target) break;
      const gap = shape.tailGap(random, level, scale);
      const next = this.stepAway(grid, last, dir, this.fit(grid, last, dir, level, gap));
      if (next === null) break;
      push(next, shape.tailSize(random, level, scale));
      last = next;
    }
  }

  /** `gap`, squeezed on the bid side when the levels still wanted would not fit between
   * `last` and the smallest price: then they step a tick at a time, or as many as fit. */
  private fit(grid: Grid, last: number, dir: 1 | -1, level: number, gap: number): number {
    if (dir > 0) return gap;
    const wanted = Math.max(1, this.target - level);
    const perLevel = Math.floor(grid.ticksBelow(last) / wanted);
    return Math.min(gap, last - grid.ticksDown(last, Math.max(1, perLevel)));
  }

  /** The on-grid price at least `distance` beyond `price` (at least one tick), or null below
   * the smallest price. */
  private stepAway(grid: Grid, price: number, dir: 1 | -1, distance: number): number | null {
    if (dir > 0) {
      const next = grid.ceil(price + distance);
      return next > price ? next : grid.ceil(price + grid.tickAt(price) * 1.5);
    }
    let next = grid.floor(price - distance);
    if (next >= price) next = grid.floor(price - grid.tickAt(price) * 0.5);
    if (next >= price) next = grid.floor(price - grid.tickAt(price) * 1.5);
    return next >= grid.minTick ? next : null;
  }
}

function flat(side: SideLadder): number[] {
  const out = new Array<number>(side.prices.length * 2);
  for (let i = 0; i < side.prices.length; i++) {
    out[2 * i] = side.prices[i]!;
    out[2 * i + 1] = side.sizes[i]!;
  }
  return out;
}
