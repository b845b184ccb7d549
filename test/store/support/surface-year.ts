// A year of serve's surface minutes of one chain, one a day, as IV rank reads them back: the
// 30-day index follows `level(daysAgo)`; the other read-outs are left empty.

import type { RedisClient } from '../../../src/store/connect.js';
import type { CoinKeys } from '../../../src/store/keys.js';
import { SURFACE_MATURITY_DAYS, writeSurfaceMinute } from '../../../src/store/surface-history.js';

const DAY_MS = 86_400_000;

/** Writes 365 daily minutes ending today (of `now`), oldest first; returns the values written. */
export async function writeSurfaceYear(
  client: RedisClient,
  coin: CoinKeys,
  quote: string,
  now: number,
  level: (daysAgo: number) => number,
): Promise<number[]> {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const values: number[] = [];
  for (let day = 364; day >= 0; day -= 1) {
    const value = Number(level(day).toPrecision(6));
    values.push(value);
    await writeSurfaceMinute(
      client,
      coin,
      today - day * DAY_MS,
      {
        quote,
        readouts: SURFACE_MATURITY_DAYS.map(() => ({
          atm: null,
          rr25: null,
          bf25: null,
          rr10: null,
          bf10: null,
          skew: null,
        })),
        index30d: value,
        arbitrage: 'clean',
        delta: 'forward',
        grid: '{}',
      },
      { retentionMs: 400 * DAY_MS, maxEntries: 1_000 },
    );
  }
  return values;
}

/** IV rank of the last value among all: where it sits between the year's extremes, 0–100. */
export function rankOfLast(values: readonly number[]): number {
  const last = values[values.length - 1]!;
  return ((last - Math.min(...values)) / (Math.max(...values) - Math.min(...values))) * 100;
}
