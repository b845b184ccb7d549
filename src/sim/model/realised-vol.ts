// Realised volatility of a coin's index from the sim's history: close-to-close of hourly
// index closes, annualised on 365 days. Both venues' historical-volatility answers use it, as
// neither documents its estimator.

import type { MarketHistory } from './history.js';

const HOUR = 3_600_000;

/**
 * Realised vol (decimal, annualised) at each of `hours`: the hourly log returns whose hour ended
 * in (hour − window, hour]. Hours with no return in their window are left out.
 */
export function realisedVolatility(
  history: MarketHistory,
  coin: string,
  hours: readonly number[],
  windowMs: number,
): { ts: number; value: number }[] {
  if (hours.length === 0) return [];
  const first = hours[0]!;
  const last = hours[hours.length - 1]!;
  // A close at hour h is the hourly candle starting at h − 1 h.
  const candles = history.candles('index', coin, HOUR, first - windowMs - HOUR, last - HOUR);
  const closeAt = new Map(candles.map((c) => [c.ts + HOUR, c.close]));
  return hours.flatMap((hour) => {
    let sum = 0;
    let count = 0;
    for (let t = hour - windowMs + HOUR; t <= hour; t += HOUR) {
      const close = closeAt.get(t);
      const previous = closeAt.get(t - HOUR);
      if (close === undefined || previous === undefined) continue;
      sum += Math.log(close / previous) ** 2;
      count++;
    }
    return count === 0 ? [] : [{ ts: hour, value: Math.sqrt((sum / count) * 24 * 365) }];
  });
}
