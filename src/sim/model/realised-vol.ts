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
  // Running sums over the hours from the first window's start, so each hour's window is a
  // difference of two sums, not a walk over the window again (a 30-day window over 30 days of
  // hours is half a million logs the other way).
  const origin = first - windowMs + HOUR;
  const steps = Math.round((last - origin) / HOUR) + 1;
  const sumSquares = new Float64Array(steps + 1);
  const counts = new Int32Array(steps + 1);
  for (let j = 0; j < steps; j++) {
    const t = origin + j * HOUR;
    const close = closeAt.get(t);
    const previous = closeAt.get(t - HOUR);
    const counted = close !== undefined && previous !== undefined;
    sumSquares[j + 1] = sumSquares[j]! + (counted ? Math.log(close / previous) ** 2 : 0);
    counts[j + 1] = counts[j]! + (counted ? 1 : 0);
  }
  const span = Math.round(windowMs / HOUR);
  return hours.flatMap((hour) => {
    // The window holds the returns whose hour ended in (hour − window, hour].
    const end = Math.round((hour - origin) / HOUR) + 1;
    const start = Math.max(0, end - span);
    const count = counts[end]! - counts[start]!;
    if (count === 0) return [];
    const sum = sumSquares[end]! - sumSquares[start]!;
    return [{ ts: hour, value: Math.sqrt((Math.max(0, sum) / count) * 24 * 365) }];
  });
}
