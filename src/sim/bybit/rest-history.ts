// History routes: `/v5/market/kline` and `/v5/market/index-price-kline` (candles, newest first,
// as string arrays) and `/v5/market/historical-volatility` (category=option: the realised vol of
// the coin over `period` days, hourly points).
//
// The sim's perpetual candles are its index history (the perpetual trades within a few basis
// points of it) with no traded volume to report: volume and turnover are "0". Bybit's historical
// volatility is realised, not implied, and Bybit does not say how it measures it; the sim takes
// close-to-close of hourly closes over the period, annualised on 365 days.

import type { SimExchange } from '../contract.js';
import type { MarketHistory, SimCandle } from '../model/history.js';
import { realisedVolatility } from '../model/realised-vol.js';
import { paramsError } from './errors.js';

type Query = URLSearchParams;

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
export const INTERVALS: Readonly<Record<string, number>> = {
  '1': MINUTE,
  '3': 3 * MINUTE,
  '5': 5 * MINUTE,
  '15': 15 * MINUTE,
  '30': 30 * MINUTE,
  '60': HOUR,
  '120': 2 * HOUR,
  '240': 4 * HOUR,
  '360': 6 * HOUR,
  '720': 12 * HOUR,
  D: DAY,
};
const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 1000;
export const HV_PERIODS = [7, 14, 21, 30, 60, 90, 180, 270] as const;
/** The widest startTime–endTime span the sim answers for historical volatility. */
export const HV_MAX_RANGE_MS = 30 * DAY;

/** A reply whose envelope differs from the usual `{retCode, retMsg, result, retExtInfo, time}`. */
export class CustomEnvelope {
  constructor(
    readonly retMsg: string,
    readonly top: Readonly<Record<string, unknown>>,
    readonly result: unknown,
  ) {}
}

export function historyOf(history: MarketHistory | undefined): MarketHistory {
  if (history === undefined) throw paramsError('history not served by this sim');
  return history;
}

export function perpetualBase(
  exchange: SimExchange,
  query: Query,
): { symbol: string; base: string } {
  const category = query.get('category') ?? 'linear';
  if (category !== 'linear') throw paramsError(`category ${category} not served by the sim`);
  const symbol = query.get('symbol');
  if (symbol === null || symbol === '') throw paramsError('symbol is required');
  const instrument = exchange.instrument(symbol);
  if (instrument === undefined || instrument.spec.kind !== 'perpetual') {
    throw paramsError(`symbol ${symbol} invalid`);
  }
  return { symbol, base: instrument.spec.base };
}

export function optionalTime(query: Query, name: string): number | null {
  const raw = query.get(name);
  if (raw === null || raw === '') return null;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw paramsError(`${name} invalid`);
  return value;
}

export function candlePage(
  history: MarketHistory,
  base: string,
  query: Query,
  now: number,
): { candles: SimCandle[]; interval: string } {
  const interval = query.get('interval') ?? '';
  const period = INTERVALS[interval];
  if (period === undefined) throw paramsError(`interval ${interval} invalid`);
  const rawLimit = query.get('limit');
  const limit = rawLimit === null || rawLimit === '' ? DEFAULT_LIMIT : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw paramsError('limit invalid');
  // Without an end the newest candles are wanted: those up to now.
  const end = optionalTime(query, 'end') ?? now;
  const start = optionalTime(query, 'start') ?? Math.max(0, end - limit * period);
  // The newest `limit` candles in [start, end]; older ones are the next request's.
  const candles = history.candles('index', base, period, start, end).slice(-limit);
  return { candles, interval };
}

const text = (value: number): string => String(Math.round(value * 100) / 100);

/** Candle rows newest first, as Bybit lists them: `[start, o, h, l, c]` plus `extra` columns. */
function klineReply(
  exchange: SimExchange,
  history: MarketHistory | undefined,
  query: Query,
  extra: readonly string[],
): unknown {
  const { symbol, base } = perpetualBase(exchange, query);
  const { candles } = candlePage(historyOf(history), base, query, exchange.now());
  return {
    symbol,
    category: 'linear',
    list: candles
      .reverse()
      .map((c) => [String(c.ts), text(c.open), text(c.high), text(c.low), text(c.close), ...extra]),
  };
}

/** `/v5/market/kline`: volume and turnover are 0 (the sim keeps no trade history). */
export function kline(
  exchange: SimExchange,
  history: MarketHistory | undefined,
  query: Query,
): unknown {
  return klineReply(exchange, history, query, ['0', '0']);
}

/** `/v5/market/index-price-kline`: the five OHLC columns. */
export function indexPriceKline(
  exchange: SimExchange,
  history: MarketHistory | undefined,
  query: Query,
): unknown {
  return klineReply(exchange, history, query, []);
}

export function historicalVolatility(
  exchange: SimExchange,
  history: MarketHistory | undefined,
  query: Query,
): CustomEnvelope {
  const past = historyOf(history);
  if (query.get('category') !== 'option') throw paramsError('category must be option');
  const base = (query.get('baseCoin') ?? 'BTC').toUpperCase();
  if (!exchange.currencies().includes(base)) throw paramsError(`baseCoin ${base} invalid`);
  const rawPeriod = query.get('period');
  const period = rawPeriod === null || rawPeriod === '' ? 7 : Number(rawPeriod);
  if (!(HV_PERIODS as readonly number[]).includes(period)) throw paramsError('period invalid');
  const start = optionalTime(query, 'startTime');
  const end = optionalTime(query, 'endTime');
  if ((start === null) !== (end === null)) {
    throw paramsError('startTime and endTime must be passed together');
  }
  const latestHour = Math.floor(exchange.now() / HOUR) * HOUR;
  let hours: number[];
  if (start === null || end === null) {
    hours = [latestHour];
  } else {
    if (end < start || end - start > HV_MAX_RANGE_MS) {
      throw paramsError('the time range must be 30 days or less');
    }
    hours = [];
    for (let h = Math.ceil(start / HOUR) * HOUR; h <= Math.min(end, latestHour); h += HOUR) {
      hours.push(h);
    }
  }
  const result = realisedVolatility(past, base, hours, period * DAY).map((point) => ({
    period,
    value: point.value.toFixed(8),
    time: String(point.ts),
  }));
  return new CustomEnvelope('SUCCESS', { category: 'option' }, result);
}
