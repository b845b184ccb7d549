// Perpetual funding as the venue reports it: `public/get_funding_rate_value` (the funding a
// perpetual accrued over a range, decimal, a bare number) and `public/get_funding_rate_history`
// (hourly rows {timestamp, index_price, prev_index_price, interest_1h, interest_8h}, oldest
// first), from the sim's recorded funding (funding-record.ts) and its index history.
//
// A row's timestamp is the end of its hour: interest_1h is what the hour accrued, interest_8h
// what the eight hours up to it accrued, index_price the index at the timestamp and
// prev_index_price an hour before. Only completed hours are listed. ccxt pages this method
// by 744 rows (31 days), which the sim also keeps to.

import type { MarketHistory } from '../model/history.js';
import type { DeribitCore, Method } from './core.js';
import { instrumentNotFound, invalidParams } from './errors.js';
import { FUNDING_PERIOD_MS } from './funding-record.js';
import { requireNumber, requireString, type Params } from './params.js';

const HOUR = 3_600_000;
export const MAX_FUNDING_ROWS = 744;

function perpetual(core: DeribitCore, params: Params): { name: string; base: string } {
  const name = requireString(params, 'instrument_name');
  const instrument = core.exchange.instrument(name);
  if (instrument === undefined) throw instrumentNotFound(name);
  if (instrument.spec.kind !== 'perpetual') {
    throw invalidParams('instrument_name', 'funding is paid on perpetuals only');
  }
  return { name, base: instrument.spec.base };
}

function range(params: Params): { from: number; to: number } {
  const from = requireNumber(params, 'start_timestamp');
  const to = requireNumber(params, 'end_timestamp');
  if (!Number.isInteger(from) || !Number.isInteger(to)) {
    throw invalidParams('start_timestamp', 'timestamps are whole ms');
  }
  if (to < from) throw invalidParams('end_timestamp', 'must not be before start_timestamp');
  return { from, to };
}

const fundingRateValue: Method = (core, { params }) => {
  const { name } = perpetual(core, params);
  const { from, to } = range(params);
  return core.funding.accrued(name, from, to);
};

/** The index at each hour's end, from the hourly candles (each closes at the next hour). */
function hourlyIndex(
  history: MarketHistory,
  base: string,
  from: number,
  to: number,
): Map<number, number> {
  const candles = history.candles('index', base, HOUR, from - HOUR, to - HOUR);
  return new Map(candles.map((candle) => [candle.ts + HOUR, candle.close]));
}

const fundingRateHistory: Method = (core, { params }) => {
  const history = core.context.history;
  if (history === undefined) throw invalidParams('history', 'not served by this sim');
  const { name, base } = perpetual(core, params);
  const { from, to } = range(params);
  const lastHour = Math.floor(Math.min(to, core.exchange.now()) / HOUR) * HOUR;
  const firstHour = Math.max(Math.ceil(from / HOUR) * HOUR, history.earliest + HOUR);
  // The newest hours of a range longer than a page; the client pages back with end_timestamp.
  const start = Math.max(firstHour, lastHour - (MAX_FUNDING_ROWS - 1) * HOUR);
  if (start > lastHour) return [];
  const index = hourlyIndex(history, base, start - HOUR, lastHour);
  const rows: Record<string, number>[] = [];
  for (let hour = start; hour <= lastHour; hour += HOUR) {
    const price = index.get(hour);
    const previous = index.get(hour - HOUR);
    if (price === undefined || previous === undefined) continue;
    rows.push({
      timestamp: hour,
      index_price: round2(price),
      prev_index_price: round2(previous),
      interest_8h: core.funding.accrued(name, hour - FUNDING_PERIOD_MS, hour),
      interest_1h: core.funding.accrued(name, hour - HOUR, hour),
    });
  }
  return rows;
};

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

export const FUNDING_METHODS: Readonly<Record<string, Method>> = {
  'public/get_funding_rate_value': fundingRateValue,
  'public/get_funding_rate_history': fundingRateHistory,
};
