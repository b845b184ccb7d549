// The perpetuals' funding and premium history: `/v5/market/funding/history` (the rate at each
// 8-hourly settlement, newest first), `/v5/market/mark-price-kline` and
// `/v5/market/premium-index-price-kline` (the kline routes' shape: `[start, o, h, l, c]`
// strings, newest first).
//
// Since the start the funding rates are those the exchange settled at; before it each
// settlement's rate is what the live model's formula (carry.ts) gives for the seeded past
// premium at that time (perp-premium.ts). Mark candles are the index candles times
// (1 + premium) column by column: at each step the sim's perpetual mark is exactly
// index × (1 + premium), so closes are exact and highs and lows bound the path.

import type { SimExchange } from '../contract.js';
import { fundingOfPremium } from '../model/carry.js';
import type { MarketHistory, SimCandle } from '../model/history.js';
import { requireAnyCategory } from './categories.js';
import { decimalText } from './decimal-text.js';
import { paramsError } from './errors.js';
import { KNOT_MS, type PerpetualPremiums } from './perp-premium.js';
import { INTERVALS, candlePage, historyOf, optionalTime, perpetualBase } from './rest-history.js';

type Query = URLSearchParams;

const FUNDING_MS = KNOT_MS;
const FUNDING_DEFAULT_LIMIT = 200;
const FUNDING_MAX_LIMIT = 200;

function premiumsOf(premiums: PerpetualPremiums | undefined): PerpetualPremiums {
  if (premiums === undefined) throw paramsError('history not served by this sim');
  return premiums;
}

export function fundingHistory(
  exchange: SimExchange,
  history: MarketHistory | undefined,
  premiums: PerpetualPremiums | undefined,
  query: Query,
): unknown {
  const category = requireAnyCategory(query);
  if (category === 'spot' || category === 'option') {
    throw paramsError('category only support linear or inverse');
  }
  // The sim lists no inverse perpetuals: none of their history either.
  if (category === 'inverse') return { category, list: [] };
  const { symbol, base } = perpetualBase(exchange, query);
  const past = historyOf(history);
  const known = premiumsOf(premiums);
  const rawLimit = query.get('limit');
  const limit = rawLimit === null || rawLimit === '' ? FUNDING_DEFAULT_LIMIT : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > FUNDING_MAX_LIMIT) {
    throw paramsError('limit invalid');
  }
  const startTime = optionalTime(query, 'startTime');
  const endTime = optionalTime(query, 'endTime');
  // Bybit answers a start without an end with an error (ccxt adds an end for that reason).
  if (startTime !== null && endTime === null) {
    throw paramsError('endTime is required when startTime is passed');
  }
  if (startTime !== null && endTime !== null && startTime > endTime) {
    throw paramsError('startTime must be before endTime');
  }
  const end = endTime ?? exchange.now();
  const start = startTime ?? 0;
  const rows: { ts: number; rate: number }[] = [];
  const live = exchange.fundingSettlements(symbol);
  for (let i = live.length - 1; i >= 0 && rows.length < limit; i--) {
    const settlement = live[i]!;
    if (settlement.ts >= start && settlement.ts <= end) {
      rows.push({ ts: settlement.ts, rate: settlement.rate });
    }
  }
  // Settlements at or before the start minute are the past's.
  const first = Math.max(start, past.earliest);
  for (
    let ts = Math.floor(Math.min(end, known.anchor) / FUNDING_MS) * FUNDING_MS;
    ts >= first && rows.length < limit;
    ts -= FUNDING_MS
  ) {
    rows.push({ ts, rate: fundingOfPremium(known.pastPremium(base, ts)) });
  }
  return {
    category: 'linear',
    list: rows.map((row) => ({
      symbol,
      fundingRate: decimalText(row.rate, 8),
      fundingRateTimestamp: String(row.ts),
    })),
  };
}

type Candles = (
  base: string,
  index: readonly SimCandle[],
  periodMs: number,
) => { ts: number; values: readonly string[] }[];

function premiumKline(
  exchange: SimExchange,
  history: MarketHistory | undefined,
  query: Query,
  rows: Candles,
): unknown {
  const { symbol, base } = perpetualBase(exchange, query);
  const { candles, interval } = candlePage(historyOf(history), base, query, exchange.now());
  return {
    symbol,
    category: 'linear',
    list: rows(base, candles, INTERVALS[interval]!)
      .reverse()
      .map((row) => [String(row.ts), ...row.values]),
  };
}

const price = (value: number): string => String(Math.round(value * 100) / 100);

/** Each index candle with the premium candle of the same period, as `values` makes them. */
function withPremium(
  exchange: SimExchange,
  history: MarketHistory | undefined,
  premiums: PerpetualPremiums | undefined,
  query: Query,
  values: (index: SimCandle, premium: SimCandle) => string[],
): unknown {
  return premiumKline(exchange, history, query, (base, index, periodMs) =>
    index.flatMap((c) => {
      const p = premiumsOf(premiums).candle(base, c.ts, periodMs);
      return p === null ? [] : [{ ts: c.ts, values: values(c, p) }];
    }),
  );
}

export function markPriceKline(
  exchange: SimExchange,
  history: MarketHistory | undefined,
  premiums: PerpetualPremiums | undefined,
  query: Query,
): unknown {
  return withPremium(exchange, history, premiums, query, (c, p) =>
    [
      c.open * (1 + p.open),
      c.high * (1 + p.high),
      c.low * (1 + p.low),
      c.close * (1 + p.close),
    ].map(price),
  );
}

export function premiumIndexPriceKline(
  exchange: SimExchange,
  history: MarketHistory | undefined,
  premiums: PerpetualPremiums | undefined,
  query: Query,
): unknown {
  return withPremium(exchange, history, premiums, query, (_c, p) =>
    [p.open, p.high, p.low, p.close].map((v) => decimalText(v, 6)),
  );
}
