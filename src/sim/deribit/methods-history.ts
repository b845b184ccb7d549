// History methods: candles (`public/get_tradingview_chart_data`) and the volatility index
// (`public/get_volatility_index_data`), from the sim's market history.
//
// Chart data is served for perpetuals, from the index history: the sim's perpetual trades within
// a few basis points of its index, and Deribit charts instruments, not indices. The sim has no
// history of trades, so volume and cost are 0. The vol index is the sim's own 30-day ATM vol in
// percent, as the venue's DVOL is published.

import type { MarketHistory, SimCandle } from '../model/history.js';
import type { Method } from './core.js';
import { instrumentNotFound, invalidParams } from './errors.js';
import { requireNumber, requireString } from './params.js';
import { hasVolatilityIndex } from './markets.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Chart resolutions in minutes, or "1D" (the venue's list). */
export const CHART_RESOLUTIONS: Readonly<Record<string, number>> = {
  '1': MINUTE,
  '3': 3 * MINUTE,
  '5': 5 * MINUTE,
  '10': 10 * MINUTE,
  '15': 15 * MINUTE,
  '30': 30 * MINUTE,
  '60': 60 * MINUTE,
  '120': 120 * MINUTE,
  '180': 180 * MINUTE,
  '360': 360 * MINUTE,
  '720': 720 * MINUTE,
  '1D': DAY,
};
/** Vol index resolutions in seconds, or "1D". The venue also has 1 s; the sim's is minute-fine. */
const VOL_RESOLUTIONS: Readonly<Record<string, number>> = {
  '60': MINUTE,
  '3600': 60 * MINUTE,
  '43200': 720 * MINUTE,
  '1D': DAY,
};
/** The venue does not document a cap; the sim keeps a request to this many candles, newest. */
export const MAX_CHART_CANDLES = 10_000;
/** Vol index candles per page; older ones follow through `continuation`. */
export const VOL_INDEX_PAGE = 1_000;

function historyOf(history: MarketHistory | undefined): MarketHistory {
  if (history === undefined) throw invalidParams('history', 'not served by this sim');
  return history;
}

function range(params: Record<string, unknown>): { from: number; to: number } {
  const from = requireNumber(params, 'start_timestamp');
  const to = requireNumber(params, 'end_timestamp');
  if (!Number.isInteger(from) || !Number.isInteger(to)) {
    throw invalidParams('start_timestamp', 'timestamps are whole ms');
  }
  return { from, to };
}

function resolution(
  params: Record<string, unknown>,
  table: Readonly<Record<string, number>>,
): number {
  const raw = params['resolution'];
  const text = typeof raw === 'number' ? String(raw) : raw;
  const period = typeof text === 'string' ? table[text] : undefined;
  if (period === undefined) {
    throw invalidParams('resolution', `must be one of ${Object.keys(table).join(', ')}`);
  }
  return period;
}

const chartData: Method = ({ context, exchange }, { params }) => {
  const history = historyOf(context.history);
  const name = requireString(params, 'instrument_name');
  const instrument = exchange.instrument(name);
  if (instrument === undefined) throw instrumentNotFound(name);
  if (instrument.spec.kind !== 'perpetual') {
    throw invalidParams('instrument_name', 'the sim charts perpetuals only');
  }
  const period = resolution(params, CHART_RESOLUTIONS);
  const { from, to } = range(params);
  const candles = history
    .candles('index', instrument.spec.base, period, from, to)
    .slice(-MAX_CHART_CANDLES);
  if (candles.length === 0) {
    return {
      status: 'no_data',
      ticks: [],
      open: [],
      high: [],
      low: [],
      close: [],
      volume: [],
      cost: [],
    };
  }
  return {
    volume: candles.map(() => 0),
    ticks: candles.map((c) => c.ts),
    status: 'ok',
    open: candles.map((c) => chartPrice(c.open)),
    low: candles.map((c) => chartPrice(c.low)),
    high: candles.map((c) => chartPrice(c.high)),
    cost: candles.map(() => 0),
    close: candles.map((c) => chartPrice(c.close)),
  };
};

function chartPrice(value: number): number {
  return Math.round(value * 100) / 100;
}

/** A `chart.trades.{instrument}.{resolution}` notification: the candle forming now. */
export function chartCandleData(candle: SimCandle): Record<string, number> {
  return {
    volume: 0,
    tick: candle.ts,
    open: chartPrice(candle.open),
    low: chartPrice(candle.low),
    high: chartPrice(candle.high),
    cost: 0,
    close: chartPrice(candle.close),
  };
}

const volatilityIndexData: Method = ({ context, exchange }, { params }) => {
  const history = historyOf(context.history);
  const currency = requireString(params, 'currency').toUpperCase();
  const indexed = exchange.currencies().filter(hasVolatilityIndex);
  if (!indexed.includes(currency)) {
    throw invalidParams('currency', `must be one of ${indexed.join(', ')}`);
  }
  const period = resolution(params, VOL_RESOLUTIONS);
  const { from, to } = range(params);
  const all = history.candles('volatility', currency, period, from, to);
  const page = all.slice(-VOL_INDEX_PAGE);
  const percent = (value: number): number => Math.round(value * 10_000) / 100;
  const row = (c: SimCandle): number[] => [
    c.ts,
    percent(c.open),
    percent(c.high),
    percent(c.low),
    percent(c.close),
  ];
  // Older candles remain: the client asks again with this as its end_timestamp.
  const continuation = all.length > page.length ? page[0]!.ts - 1 : null;
  return { data: page.map(row), continuation };
};

export const HISTORY_METHODS: Readonly<Record<string, Method>> = {
  'public/get_tradingview_chart_data': chartData,
  'public/get_volatility_index_data': volatilityIndexData,
};
