// Bars of a driftless geometric Brownian motion with a known σ, for the estimator tests. Each
// bar is cut into sub-steps whose endpoints are exact GBM draws; the highest and lowest price
// inside each sub-step are drawn exactly from the Brownian bridge between its endpoints, so a
// bar's high and low have the continuous path's distribution rather than a sampled path's (which
// would understate the range by ~0.58 σ√Δt per side and bias every range estimator).

import { Random } from '../../src/sim/random.js';
import type { Bar } from '../../src/analytics/index.js';

const MS_PER_YEAR = 365 * 86_400_000;

export interface GbmBarsOptions {
  readonly sigma: number;
  readonly periodMs: number;
  readonly count: number;
  readonly start?: number;
  readonly startPrice?: number;
  readonly substeps?: number;
  /** Leading share of each period the feed does not see: the open is the first price after it,
   * so the move before it shows only as the jump from the previous close. */
  readonly silentShare?: number;
}

export function gbmBars(random: Random, options: GbmBarsOptions): Bar[] {
  const { sigma, periodMs, count } = options;
  const substeps = options.substeps ?? 16;
  const silent = options.silentShare ?? 0;
  const start = options.start ?? 1_700_000_000_000 - (1_700_000_000_000 % periodMs);
  const years = periodMs / MS_PER_YEAR;
  const seenSd = sigma * Math.sqrt((years * (1 - silent)) / substeps);
  const silentSd = sigma * Math.sqrt(years * silent);
  let x = Math.log(options.startPrice ?? 50_000);
  const bars: Bar[] = [];
  for (let i = 0; i < count; i++) {
    if (silent > 0) x += -0.5 * silentSd * silentSd + silentSd * random.normal();
    const open = x;
    let high = x;
    let low = x;
    for (let j = 0; j < substeps; j++) {
      const next = x - 0.5 * seenSd * seenSd + seenSd * random.normal();
      const span = (next - x) * (next - x);
      const top =
        (x + next + Math.sqrt(span - 2 * seenSd * seenSd * Math.log(1 - random.next()))) / 2;
      const bottom =
        (x + next - Math.sqrt(span - 2 * seenSd * seenSd * Math.log(1 - random.next()))) / 2;
      if (top > high) high = top;
      if (bottom < low) low = bottom;
      x = next;
    }
    bars.push({
      ts: start + i * periodMs,
      open: Math.exp(open),
      high: Math.exp(high),
      low: Math.exp(low),
      close: Math.exp(x),
    });
  }
  return bars;
}
