// Market data in Deribit's shapes, field for field as the venue's records and notifications
// in ../shared/fixtures/deribit (get_instruments records, ticker and book notifications).

import type { InstrumentSpec } from '../../instruments/types.js';
import type { SimBookView, SimInstrument, SimPublicTrade, SimTicker } from '../contract.js';
import { priceIndexName } from './markets.js';
import { clean, cleanOrNull, ivPercent, round } from './numbers.js';

/** Deribit's expiration_timestamp for perpetuals (year 3000). */
const PERPETUAL_EXPIRY = 32503708800000;
const DAY_MS = 86_400_000;
const SESSION_START_MS = 8 * 3_600_000;
const FRIDAY = 5;

// Commissions and leverage as in the venue's 2021 instrument records (the fixtures).
const OPTION_FEES = { maker: 0.0003, taker: 0.0003, block: 0.00015 };
const FUTURE_FEES = { maker: 0, taker: 0.0005, block: 0.0001 };
const FUTURE_MAX_LEVERAGE = 50;
const FUTURE_MAX_LIQUIDATION_COMMISSION = 0.0075;

/** A `deribit_volatility_index` notification: the level in percent, as the venue publishes it. */
export function volatilityIndexData(
  currency: string,
  level: number,
  ts: number,
): { volatility: number; timestamp: number; index_name: string } {
  return {
    volatility: Math.round(level * 10_000) / 100,
    timestamp: ts,
    index_name: priceIndexName(currency),
  };
}

/** A stable numeric id per name, as the venue's `instrument_id` is: same name, same id. */
export function instrumentId(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return 100_000 + ((hash >>> 0) % 900_000);
}

export function settlementPeriod(spec: InstrumentSpec): 'perpetual' | 'day' | 'week' | 'month' {
  if (spec.expiry === null) return 'perpetual';
  const date = new Date(spec.expiry);
  if (date.getUTCDay() !== FRIDAY) return 'day';
  // The last Friday of a month carries the monthly (and quarterly) series.
  const nextWeek = new Date(spec.expiry + 7 * DAY_MS);
  return nextWeek.getUTCMonth() !== date.getUTCMonth() ? 'month' : 'week';
}

export function instrumentRecord(instrument: SimInstrument): Record<string, unknown> {
  const spec = instrument.spec;
  const common = {
    tick_size: spec.tickSize,
    ...(spec.tickSteps.length > 0
      ? {
          tick_size_steps: spec.tickSteps.map((step) => ({
            above_price: step.abovePrice,
            tick_size: step.tickSize,
          })),
        }
      : {}),
  };
  const tail = {
    is_active: true,
    instrument_name: spec.name,
    instrument_id: instrumentId(spec.name),
    expiration_timestamp: spec.expiry ?? PERPETUAL_EXPIRY,
    creation_timestamp: instrument.listedAt,
    counter_currency: 'USD',
    contract_size: spec.contractSize,
  };
  if (spec.kind === 'option') {
    return {
      ...common,
      taker_commission: OPTION_FEES.taker,
      strike: spec.strike,
      settlement_period: settlementPeriod(spec),
      settlement_currency: spec.settleCurrency,
      rfq: false,
      quote_currency: spec.quote,
      price_index: priceIndexName(spec.base),
      option_type: spec.type,
      min_trade_amount: spec.minSize,
      maker_commission: OPTION_FEES.maker,
      kind: 'option',
      ...tail,
      block_trade_commission: OPTION_FEES.block,
      base_currency: spec.base,
    };
  }
  return {
    ...common,
    taker_commission: FUTURE_FEES.taker,
    settlement_period: settlementPeriod(spec),
    settlement_currency: spec.settleCurrency,
    rfq: false,
    quote_currency: spec.quote,
    price_index: priceIndexName(spec.base),
    min_trade_amount: spec.minSize,
    max_liquidation_commission: FUTURE_MAX_LIQUIDATION_COMMISSION,
    max_leverage: FUTURE_MAX_LEVERAGE,
    maker_commission: FUTURE_FEES.maker,
    kind: 'future',
    future_type: spec.settlement === 'inverse' ? 'reversed' : 'linear',
    ...tail,
    block_trade_commission: FUTURE_FEES.block,
    base_currency: spec.base,
  };
}

/**
 * The venue's `settlement_price` is the mark at the last 08:00 UTC session start. The sim
 * keeps the first mark it published in each session, which is that mark to within a step.
 */
export class SessionMarks {
  private readonly marks = new Map<string, { session: number; price: number }>();

  settlementPrice(name: string, ts: number, mark: number): number {
    const session = Math.floor((ts - SESSION_START_MS) / DAY_MS);
    const known = this.marks.get(name);
    if (known !== undefined && known.session === session) return known.price;
    this.marks.set(name, { session, price: mark });
    return mark;
  }
}

/** Lowest and highest prices the venue accepts now, around the mark. */
export function priceBand(spec: InstrumentSpec, mark: number): { min: number; max: number } {
  if (spec.kind === 'option') {
    const width = 0.025 + 0.06 * mark;
    return {
      min: clean(Math.max(spec.tickSize, floorTo(mark - width, spec.tickSize))),
      max: clean(ceilTo(mark + width, spec.tickSize)),
    };
  }
  return {
    min: clean(floorTo(mark * 0.97, spec.tickSize)),
    max: clean(ceilTo(mark * 1.03, spec.tickSize)),
  };
}

function floorTo(value: number, step: number): number {
  return Math.floor(value / step + 1e-9) * step;
}

function ceilTo(value: number, step: number): number {
  return Math.ceil(value / step - 1e-9) * step;
}

function usd(value: number): number {
  return round(value, 2);
}

function stats(ticker: SimTicker): Record<string, number | null> {
  const traded = ticker.volume24h > 0;
  return {
    volume_usd: traded ? usd(ticker.volume24h * ticker.indexPrice) : 0,
    volume: clean(ticker.volume24h),
    price_change: null,
    low: cleanOrNull(ticker.low24h),
    high: cleanOrNull(ticker.high24h),
  };
}

/** `ticker.{instrument}.{interval}` data and the `public/ticker` result. */
export function tickerData(
  instrument: SimInstrument,
  ticker: SimTicker,
  marks: SessionMarks,
): Record<string, unknown> {
  const spec = instrument.spec;
  const band = priceBand(spec, ticker.markPrice);
  const isOption = spec.kind === 'option';
  const markPrice = isOption ? round(ticker.markPrice, 8) : usd(ticker.markPrice);
  const base = {
    timestamp: ticker.ts,
    stats: stats(ticker),
    state: ticker.state,
    settlement_price: isOption
      ? round(marks.settlementPrice(spec.name, ticker.ts, ticker.markPrice), 8)
      : usd(marks.settlementPrice(spec.name, ticker.ts, ticker.markPrice)),
    open_interest: clean(ticker.openInterest),
    min_price: band.min,
    max_price: band.max,
    mark_price: markPrice,
    last_price: cleanOrNull(ticker.lastPrice),
    instrument_name: spec.name,
    index_price: usd(ticker.indexPrice),
    estimated_delivery_price: usd(ticker.estimatedDeliveryPrice ?? ticker.indexPrice),
    best_bid_price: ticker.bestBidPrice === null ? 0 : clean(ticker.bestBidPrice),
    best_bid_amount: ticker.bestBidPrice === null ? 0 : clean(ticker.bestBidAmount),
    best_ask_price: ticker.bestAskPrice === null ? 0 : clean(ticker.bestAskPrice),
    best_ask_amount: ticker.bestAskPrice === null ? 0 : clean(ticker.bestAskAmount),
  };
  if (isOption) {
    const greeks = ticker.greeks;
    return {
      underlying_price: usd(ticker.underlyingPrice ?? ticker.indexPrice),
      underlying_index: ticker.underlyingName ?? 'index_price',
      ...base,
      mark_iv: ivPercent(ticker.markIv),
      interest_rate: 0,
      greeks: {
        vega: round(greeks?.vega ?? 0, 5),
        theta: round(greeks?.theta ?? 0, 5),
        rho: round(greeks?.rho ?? 0, 5),
        gamma: round(greeks?.gamma ?? 0, 5),
        delta: round(greeks?.delta ?? 0, 5),
      },
      bid_iv: ticker.bestBidPrice === null ? 0 : ivPercent(ticker.bidIv),
      ask_iv: ticker.bestAskPrice === null ? 0 : ivPercent(ticker.askIv),
    };
  }
  if (spec.kind === 'perpetual') {
    const funding = ticker.fundingRate ?? 0;
    return {
      ...base,
      funding_8h: round(funding, 8),
      current_funding: round(funding, 8),
      interest_value: 0,
    };
  }
  return base;
}

/** `quote.{instrument}` data: the top of the book only. */
export function quoteData(ticker: SimTicker): Record<string, unknown> {
  return {
    timestamp: ticker.ts,
    instrument_name: ticker.instrument,
    best_bid_price: ticker.bestBidPrice === null ? 0 : clean(ticker.bestBidPrice),
    best_bid_amount: ticker.bestBidPrice === null ? 0 : clean(ticker.bestBidAmount),
    best_ask_price: ticker.bestAskPrice === null ? 0 : clean(ticker.bestAskPrice),
    best_ask_amount: ticker.bestAskPrice === null ? 0 : clean(ticker.bestAskAmount),
  };
}

function pairs(levels: SimBookView['bids']): [number, number][] {
  return levels.map(([price, amount]) => [clean(price), clean(amount)]);
}

function actionLevels(levels: SimBookView['bids']): [string, number, number][] {
  return levels.map(([price, amount]) => ['new', clean(price), clean(amount)]);
}

/** The first message of a `book.{instrument}.{interval}` subscription. */
export function bookSnapshotData(book: SimBookView, changeId: number): Record<string, unknown> {
  return {
    type: 'snapshot',
    timestamp: book.ts,
    instrument_name: book.instrument,
    change_id: changeId,
    bids: actionLevels(book.bids),
    asks: actionLevels(book.asks),
  };
}

/** `book.{instrument}.{group}.{depth}.{interval}`: always a full snapshot, no type. */
export function groupedBookData(book: SimBookView, changeId: number): Record<string, unknown> {
  return {
    timestamp: book.ts,
    instrument_name: book.instrument,
    change_id: changeId,
    bids: pairs(book.bids),
    asks: pairs(book.asks),
  };
}

/** The `public/get_order_book` result: the ticker's fields plus the levels. */
export function orderBookResult(
  instrument: SimInstrument,
  ticker: SimTicker,
  book: SimBookView,
  marks: SessionMarks,
): Record<string, unknown> {
  return {
    ...tickerData(instrument, ticker, marks),
    timestamp: book.ts,
    change_id: book.changeId,
    bids: pairs(book.bids),
    asks: pairs(book.asks),
  };
}

/** A row of `trades.*` notifications and public trade lists. */
export function publicTradeRow(
  trade: SimPublicTrade,
  kindIsOption: boolean,
): Record<string, unknown> {
  return {
    trade_seq: trade.tradeSeq,
    trade_id: trade.tradeId,
    timestamp: trade.ts,
    tick_direction: trade.tickDirection,
    price: clean(trade.price),
    mark_price: kindIsOption ? round(trade.markPrice, 8) : usd(trade.markPrice),
    ...(trade.iv === null ? {} : { iv: ivPercent(trade.iv) }),
    instrument_name: trade.instrument,
    index_price: usd(trade.indexPrice),
    direction: trade.direction,
    amount: clean(trade.amount),
  };
}

export function indexData(currency: string, price: number, ts: number): Record<string, unknown> {
  return { timestamp: ts, price: usd(price), index_name: priceIndexName(currency) };
}

export function markPriceItem(ticker: SimTicker): Record<string, unknown> {
  return {
    timestamp: ticker.ts,
    mark_price: round(ticker.markPrice, 8),
    iv: ticker.markIv === null ? 0 : round(ticker.markIv, 4),
    instrument_name: ticker.instrument,
  };
}
