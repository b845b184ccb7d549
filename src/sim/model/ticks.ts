// Prices and sizes on an instrument's grid. A tick step says prices above `abovePrice` move in
// coarser ticks (Deribit options: 0.0001 up to 0.005, then 0.0005); the steps nest, so a
// boundary price is on both grids.

import type { TradingRules } from '../../instruments/types.js';

export class Grid {
  private readonly stepAbove: Float64Array;
  private readonly stepTick: Float64Array;
  private readonly scale: number;
  readonly lotScale: number;
  /** Smallest valid amount: minSize lifted to a whole number of lots. */
  readonly minAmount: number;

  constructor(private readonly rules: TradingRules) {
    this.stepAbove = Float64Array.from(rules.tickSteps, (s) => s.abovePrice);
    this.stepTick = Float64Array.from(rules.tickSteps, (s) => s.tickSize);
    this.scale = Math.pow(10, decimalsOf(Math.min(rules.tickSize, ...this.stepTick)));
    this.lotScale = Math.pow(10, decimalsOf(rules.lotSize));
    this.minAmount = this.snapAmount(
      Math.ceil(rules.minSize / rules.lotSize - 1e-9) * rules.lotSize,
    );
  }

  get minTick(): number {
    return this.rules.tickSize;
  }

  tickAt(price: number): number {
    let tick = this.rules.tickSize;
    for (let i = 0; i < this.stepAbove.length; i++) {
      if (price > this.stepAbove[i]!) tick = this.stepTick[i]!;
    }
    return tick;
  }

  /** How many grid prices lie below `price` (an on-grid one) and above zero. */
  ticksBelow(price: number): number {
    let count = 0;
    let upper = price;
    for (let i = this.stepAbove.length - 1; i >= 0; i--) {
      const bound = this.stepAbove[i]!;
      if (upper > bound) {
        count += Math.round((upper - bound) / this.stepTick[i]!);
        upper = bound;
      }
    }
    return Math.max(0, count + Math.round(upper / this.rules.tickSize) - 1);
  }

  /** The grid price `n` ticks below `price` (an on-grid one), or 0 if there are not that many;
   * across a tick step the ticks are each side's own. */
  ticksDown(price: number, n: number): number {
    let p = price;
    let left = n;
    for (let i = this.stepAbove.length - 1; i >= 0 && left > 0; i--) {
      const bound = this.stepAbove[i]!;
      if (p > bound) {
        const k = Math.min(left, Math.round((p - bound) / this.stepTick[i]!));
        p = this.snap(p - k * this.stepTick[i]!);
        left -= k;
      }
    }
    if (left > 0) p = this.snap(p - left * this.rules.tickSize);
    return p > 0 ? p : 0;
  }

  /** The highest on-grid price at or below `price`. */
  floor(price: number): number {
    const tick = this.tickAt(price);
    return this.snap(Math.floor(price / tick + 1e-9) * tick);
  }

  /** The lowest on-grid price at or above `price`. */
  ceil(price: number): number {
    const tick = this.tickAt(price);
    const up = this.snap(Math.ceil(price / tick - 1e-9) * tick);
    const coarser = this.tickAt(up);
    return coarser === tick ? up : this.snap(Math.ceil(up / coarser - 1e-9) * coarser);
  }

  /** Nearest whole number of lots, at least the minimum. */
  amount(raw: number): number {
    const lots = Math.round(raw / this.rules.lotSize);
    return Math.max(this.minAmount, this.snapAmount(lots * this.rules.lotSize));
  }

  private snap(price: number): number {
    return Math.round(price * this.scale) / this.scale;
  }

  private snapAmount(amount: number): number {
    return Math.round(amount * this.lotScale) / this.lotScale;
  }
}

function decimalsOf(x: number): number {
  return Math.min(12, Math.max(0, Math.ceil(-Math.log10(x) - 1e-9)) + 1);
}
