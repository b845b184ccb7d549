/**
 * Bybit history into normalized bars and series:
 * - `/v5/market/kline` (category, symbol, interval in minutes or D, start, end, limit ≤ 1000):
 *   `result.list` of string arrays [startTime, open, high, low, close, volume, turnover],
 *   newest first; `/v5/market/index-price-kline` the same without volume and turnover. Paged
 *   backwards: each request ends one ms before the oldest candle of the last.
 * - `/v5/market/historical-volatility` (category=option, baseCoin, period in days, startTime and
 *   endTime together, at most 30 days apart): `result` a list of {period, value, time} with value
 *   a decimal string. It is Bybit's REALISED vol of the coin, not an implied index: it does not
 *   feed IV rank (Bybit publishes no implied vol index; IV rank there comes from ivtrade's own
 *   surface history).
 * A trade candle with no trade (volume 0, flat at the previous close) is dropped, as on Deribit.
 */
import { barProblem, type Bar } from '../../analytics/bars.js';
import type { SeriesPoint } from '../../analytics/iv-rank.js';
import { isArray, isRecord, parseDecimal, requireArray, WireFormatError } from '../wire-fields.js';
import { withoutFillers } from '../common/candles.js';
import type { BybitRestClient } from './rest.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const KLINE_MINUTES = new Set([1, 3, 5, 15, 30, 60, 120, 240, 360, 720]);
export const KLINE_PAGE = 1000;
const HV_WINDOW_MS = 30 * DAY_MS;
/** A candle history longer than this many pages is a loop, not a history. */
const MAX_PAGES = 10_000;

export type KlineSource = 'trade' | 'index';

export function klineInterval(periodMs: number): string {
  if (periodMs === DAY_MS) return 'D';
  const minutes = periodMs / MINUTE_MS;
  if (!KLINE_MINUTES.has(minutes)) throw new RangeError(`Bybit has no ${periodMs} ms klines`);
  return String(minutes);
}

/** The bars of one kline result, oldest first. */
export function parseKlineList(result: unknown, periodMs: number, source: KlineSource): Bar[] {
  const where = source === 'trade' ? 'Bybit kline' : 'Bybit index-price-kline';
  if (!isRecord(result)) throw new WireFormatError(`${where}: the result is not an object`);
  const rows = requireArray(result, 'list', where);
  const parsed: { bar: Bar; volume: number | null }[] = [];
  rows.forEach((row, i) => {
    if (!isArray(row) || row.length < 5) {
      throw new WireFormatError(`${where}: list[${i}] is not a candle row`);
    }
    const numbers = row.map((cell) => parseDecimal(cell));
    if (numbers.some((n) => n === null)) {
      throw new WireFormatError(`${where}: list[${i}] holds a non-decimal: ${JSON.stringify(row)}`);
    }
    const [ts, open, high, low, close, volume] = numbers as number[];
    const bar = { ts: ts!, open: open!, high: high!, low: low!, close: close! };
    const problem = barProblem(bar, periodMs);
    if (problem !== null) throw new WireFormatError(`${where}: list[${i}]: ${problem}`);
    parsed.push({ bar, volume: source === 'trade' ? (volume ?? null) : null });
  });
  return withoutFillers(parsed);
}

export interface BybitCandleRequest {
  /** e.g. BTCUSDT. */
  readonly symbol: string;
  /** Default linear (the USDT perpetuals). */
  readonly category?: 'linear' | 'inverse' | 'spot';
  readonly periodMs: number;
  readonly from: number;
  readonly to: number;
  /** Trade candles (kline) or the index's (index-price-kline); default trade. */
  readonly source?: KlineSource;
}

/** Every candle of the range, oldest first. */
export async function loadBybitCandles(
  rest: BybitRestClient,
  request: BybitCandleRequest,
): Promise<Bar[]> {
  const interval = klineInterval(request.periodMs);
  const source = request.source ?? 'trade';
  const path = source === 'trade' ? '/v5/market/kline' : '/v5/market/index-price-kline';
  if (!(request.from <= request.to)) throw new RangeError('candle range: from is after to');
  const byTs = new Map<number, Bar>();
  let end = request.to;
  for (let pages = 0; end >= request.from; pages++) {
    if (pages >= MAX_PAGES) throw new WireFormatError(`${path}: paging never ends`);
    const result = await rest.get(path, {
      category: request.category ?? 'linear',
      symbol: request.symbol,
      interval,
      start: request.from,
      end,
      limit: KLINE_PAGE,
    });
    const rows = isRecord(result) && isArray(result['list']) ? result['list'].length : 0;
    const bars = parseKlineList(result, request.periodMs, source);
    for (const bar of bars) {
      if (bar.ts >= request.from && bar.ts <= request.to) byTs.set(bar.ts, bar);
    }
    const oldest = bars[0]?.ts;
    // A short page is the last; dropped filler rows still count towards the page.
    if (rows < KLINE_PAGE || oldest === undefined || oldest >= end) break;
    end = oldest - 1;
  }
  return [...byTs.values()].sort((a, b) => a.ts - b.ts);
}

/** Points of one historical-volatility result (decimal), oldest first, with their period. */
export function parseHistoricalVolatility(
  result: unknown,
): { period: number; points: SeriesPoint[] }[] {
  const where = 'Bybit historical-volatility';
  if (!isArray(result)) throw new WireFormatError(`${where}: the result is not a list`);
  const byPeriod = new Map<number, SeriesPoint[]>();
  result.forEach((row, i) => {
    if (!isRecord(row)) throw new WireFormatError(`${where}: result[${i}] is not an object`);
    const period = row['period'];
    const value = parseDecimal(row['value']);
    const time = parseDecimal(row['time']);
    if (typeof period !== 'number' || value === null || time === null || !(value > 0)) {
      throw new WireFormatError(`${where}: result[${i}] is not {period, value, time}`);
    }
    const list = byPeriod.get(period) ?? [];
    list.push({ ts: time, value });
    byPeriod.set(period, list);
  });
  return [...byPeriod].map(([period, points]) => ({
    period,
    points: points.sort((a, b) => a.ts - b.ts),
  }));
}

export interface HistoricalVolatilityRequest {
  readonly baseCoin: string;
  /** Days: 7, 14, 21, 30, 60, 90, 180 or 270. */
  readonly period: number;
  readonly from: number;
  readonly to: number;
}

/** Bybit's realised vol of a coin over the range, oldest first, in windows of 30 days. */
export async function loadBybitHistoricalVolatility(
  rest: BybitRestClient,
  request: HistoricalVolatilityRequest,
): Promise<SeriesPoint[]> {
  if (!(request.from <= request.to)) throw new RangeError('range: from is after to');
  const byTs = new Map<number, SeriesPoint>();
  for (let start = request.from; start <= request.to; start += HV_WINDOW_MS) {
    const end = Math.min(request.to, start + HV_WINDOW_MS - 1);
    const result = await rest.get('/v5/market/historical-volatility', {
      category: 'option',
      baseCoin: request.baseCoin,
      period: request.period,
      startTime: start,
      endTime: end,
    });
    for (const { period, points } of parseHistoricalVolatility(result)) {
      if (period !== request.period) continue;
      for (const point of points) byTs.set(point.ts, point);
    }
  }
  return [...byTs.values()].sort((a, b) => a.ts - b.ts);
}
