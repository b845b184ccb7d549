/**
 * Candles from a saved venue response, whichever venue and wrapping it came in, for
 * `ivtrade replay <file> --emit rv`: a Deribit `public/get_tradingview_chart_data` reply (the
 * JSON-RPC envelope or its bare `result`) or a Bybit `/v5/market/kline` or `index-price-kline`
 * reply (the `{retCode, result}` envelope or its bare `result`). Neither reply names its
 * period, so it is the smallest step between consecutive candles: a response with a gap still
 * reads right, one with a single candle cannot be read (an error, not a guess).
 */
import type { Bar } from '../analytics/bars.js';
import { parseKlineList } from './bybit/history.js';
import { parseChartData } from './deribit/history.js';
import { isArray, isRecord, parseDecimal, WireFormatError } from './wire-fields.js';

export interface SavedCandles {
  readonly venue: 'deribit' | 'bybit';
  readonly periodMs: number;
  readonly bars: Bar[];
}

export function barsFromSavedCandles(saved: unknown): SavedCandles {
  const result = isRecord(saved) && 'result' in saved ? saved['result'] : saved;
  if (isRecord(result) && isArray(result['ticks'])) {
    const periodMs = smallestStep(result['ticks'].map((t) => (typeof t === 'number' ? t : NaN)));
    return { venue: 'deribit', periodMs, bars: parseChartData(result, periodMs) };
  }
  if (isRecord(result) && isArray(result['list'])) {
    const rows = result['list'];
    const times = rows.map((row) => (isArray(row) ? (parseDecimal(row[0]) ?? NaN) : NaN));
    const periodMs = smallestStep(times);
    const source = rows.every((row) => isArray(row) && row.length === 5) ? 'index' : 'trade';
    return { venue: 'bybit', periodMs, bars: parseKlineList(result, periodMs, source) };
  }
  throw new WireFormatError(
    'not a saved candle response (Deribit get_tradingview_chart_data or Bybit kline)',
  );
}

function smallestStep(times: readonly number[]): number {
  if (times.some((t) => !Number.isSafeInteger(t))) {
    throw new WireFormatError('saved candles: a candle time is not a whole ms');
  }
  const sorted = [...times].sort((a, b) => a - b);
  let step = Infinity;
  for (let i = 1; i < sorted.length; i++) {
    const gap = sorted[i]! - sorted[i - 1]!;
    if (gap > 0 && gap < step) step = gap;
  }
  if (step === Infinity) {
    throw new WireFormatError('saved candles: fewer than two candles, so no period to read');
  }
  return step;
}
