/**
 * `replay --emit rv`: realised volatility of saved candle replies (Deribit
 * `public/get_tradingview_chart_data`, Bybit `/v5/market/kline` or `index-price-kline`): one
 * JSON line per window (1, 7, 30, 90 days ending at the last candle's close) with every
 * estimator, annualised on 365 days; an estimate the candles cannot support is null with why.
 */
import { realizedVolTable } from '../analytics/index.js';
import { barsFromSavedCandles } from '../feeds/saved-candles.js';

const PERIOD_NAMES = new Map([
  [60_000, '1m'],
  [3_600_000, '1h'],
  [86_400_000, '1d'],
]);

export function rvLines(saved: unknown): string[] {
  const { venue, periodMs, bars } = barsFromSavedCandles(saved);
  if (bars.length === 0) throw new Error('saved candles: the reply holds no candle');
  const end = bars[bars.length - 1]!.ts + periodMs;
  const period = PERIOD_NAMES.get(periodMs) ?? `${periodMs}ms`;
  return realizedVolTable(bars, periodMs, end).map((row) => {
    const vols: Record<string, number | null> = {};
    const reasons: Record<string, string> = {};
    let bars = 0;
    let expectedBars = 0;
    for (const [estimator, result] of Object.entries(row.results)) {
      vols[estimator] = result.vol === null ? null : Number(result.vol.toPrecision(6));
      if (result.vol === null) reasons[estimator] = result.reason;
      bars = result.bars;
      expectedBars = result.expectedBars;
    }
    return JSON.stringify({
      kind: 'rv',
      venue,
      period,
      days: row.days,
      end,
      bars,
      expectedBars,
      ...vols,
      ...(Object.keys(reasons).length === 0 ? {} : { reasons }),
    });
  });
}
