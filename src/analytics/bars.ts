// OHLC bars in price space. A bar is labelled by the start of its period (ms since the epoch),
// the way both venues label their candles, and covers [ts, ts + period).

export interface Bar {
  /** Start of the bar's period, ms since the epoch. */
  readonly ts: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Throws a RangeError naming the first bar that is not a valid, strictly positive OHLC bar on
 * its period's grid, or that is not strictly after the one before it. */
export function checkBars(bars: readonly Bar[], periodMs: number): void {
  checkPeriod(periodMs);
  let previous = -Infinity;
  for (let i = 0; i < bars.length; i++) {
    const bar = bars[i]!;
    const problem = barProblem(bar, periodMs);
    if (problem !== null) throw new RangeError(`bar ${i} (ts ${bar.ts}): ${problem}`);
    if (bar.ts <= previous) {
      throw new RangeError(`bar ${i} (ts ${bar.ts}) is not after bar ${i - 1} (ts ${previous})`);
    }
    previous = bar.ts;
  }
}

export function barProblem(bar: Bar, periodMs: number): string | null {
  if (!Number.isSafeInteger(bar.ts) || bar.ts % periodMs !== 0) {
    return `ts is not on the ${periodMs} ms grid`;
  }
  for (const field of ['open', 'high', 'low', 'close'] as const) {
    const value = bar[field];
    if (!(value > 0) || !Number.isFinite(value)) return `${field} ${value} is not a positive price`;
  }
  if (bar.high < Math.max(bar.open, bar.close) || bar.low > Math.min(bar.open, bar.close)) {
    return `high ${bar.high} / low ${bar.low} do not contain open ${bar.open} and close ${bar.close}`;
  }
  return null;
}

export function checkPeriod(periodMs: number): void {
  if (!Number.isSafeInteger(periodMs) || periodMs <= 0) {
    throw new RangeError(`bar period must be a positive whole number of ms, got ${periodMs}`);
  }
}

/** Folds sorted bars into bars of a coarser period that is a whole multiple of theirs (1-minute
 * into 1-hour): open of the first, close of the last, the extremes of all. A coarse bar is made
 * from whatever fine bars exist in its period; a period with none has no bar. */
export function aggregateBars(bars: readonly Bar[], fromMs: number, toMs: number): Bar[] {
  checkBars(bars, fromMs);
  checkPeriod(toMs);
  if (toMs % fromMs !== 0) {
    throw new RangeError(`${toMs} ms bars cannot be made from ${fromMs} ms bars`);
  }
  const out: Bar[] = [];
  let current: { ts: number; open: number; high: number; low: number; close: number } | null = null;
  for (const bar of bars) {
    const bucket = Math.floor(bar.ts / toMs) * toMs;
    if (current === null || current.ts !== bucket) {
      if (current !== null) out.push(current);
      current = { ts: bucket, open: bar.open, high: bar.high, low: bar.low, close: bar.close };
    } else {
      if (bar.high > current.high) current.high = bar.high;
      if (bar.low < current.low) current.low = bar.low;
      current.close = bar.close;
    }
  }
  if (current !== null) out.push(current);
  return out;
}
