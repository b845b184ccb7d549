// Both venues fill a candle period with no trade by repeating the last price with no volume
// (Deribit documents it as a "filling sample"). Realised vol must not see those: a flat bar
// claims a range that never happened.

import type { Bar } from '../../analytics/bars.js';

/** Sorted bars without the venue's filling samples: no volume, flat at the previous close. */
export function withoutFillers(rows: readonly { bar: Bar; volume: number | null }[]): Bar[] {
  const sorted = [...rows].sort((a, b) => a.bar.ts - b.bar.ts);
  const bars: Bar[] = [];
  let previousClose: number | null = null;
  for (const { bar, volume } of sorted) {
    const flat = bar.open === bar.close && bar.high === bar.low && bar.open === bar.high;
    const filler = flat && volume === 0 && bar.open === previousClose;
    previousClose = bar.close;
    if (!filler) bars.push(bar);
  }
  return bars;
}
