// Sim market data → Bybit's JSON field sets, every number as a decimal string. The WebSocket
// and REST tickers name the same figures differently (bidPrice vs bid1Price, markPriceIv vs
// markIv), so each has its own field list over one set of computed values.

import type { SimInstrument, SimPublicTrade, SimTicker } from '../contract.js';
import { decimalText, fixedText, gridText } from './decimal-text.js';
import { ONE_DAY_MS, ONE_HOUR_MS, type MarketStats } from './market-stats.js';

export type Fields = Record<string, string>;

const IV_DECIMALS = 4;
const GREEK_DECIMALS = 8;
const INDEX_DECIMALS = 2;
const MARK_DECIMALS = 4;
const FUNDING_INTERVAL_MS = 8 * ONE_HOUR_MS;
export const TICK_DIRECTIONS = ['PlusTick', 'ZeroPlusTick', 'MinusTick', 'ZeroMinusTick'] as const;

function iv(value: number | null): string {
  return value === null ? '0' : decimalText(value, IV_DECIMALS);
}

function changeSince(last: number | null, previous: number | null): string {
  if (last === null || previous === null || previous === 0) return '0';
  return decimalText(last / previous - 1, 6);
}

/** The option ticker's values under the WebSocket names, in the order Bybit sends them. */
export function optionTickerFields(
  instrument: SimInstrument,
  ticker: SimTicker,
  stats: MarketStats,
): Fields {
  const { tickSize, lotSize, name } = instrument.spec;
  const now = ticker.ts;
  const totals = stats.totals(name);
  const greeks = ticker.greeks;
  return {
    symbol: name,
    bidPrice: gridText(ticker.bestBidPrice, tickSize),
    bidSize: gridText(ticker.bestBidPrice === null ? 0 : ticker.bestBidAmount, lotSize),
    bidIv: iv(ticker.bidIv),
    askPrice: gridText(ticker.bestAskPrice, tickSize),
    askSize: gridText(ticker.bestAskPrice === null ? 0 : ticker.bestAskAmount, lotSize),
    askIv: iv(ticker.askIv),
    lastPrice: gridText(ticker.lastPrice, tickSize),
    highPrice24h: gridText(ticker.high24h, tickSize),
    lowPrice24h: gridText(ticker.low24h, tickSize),
    markPrice: decimalText(ticker.markPrice, MARK_DECIMALS),
    indexPrice: decimalText(ticker.indexPrice, INDEX_DECIMALS),
    markPriceIv: iv(ticker.markIv),
    underlyingPrice: decimalText(ticker.underlyingPrice ?? 0, INDEX_DECIMALS),
    openInterest: gridText(ticker.openInterest, lotSize),
    turnover24h: decimalText(stats.turnover24h(name, now), 4),
    volume24h: gridText(ticker.volume24h, lotSize),
    totalVolume: decimalText(totals.volume, 4),
    totalTurnover: decimalText(totals.turnover, 4),
    delta: decimalText(greeks?.delta ?? 0, GREEK_DECIMALS),
    gamma: decimalText(greeks?.gamma ?? 0, GREEK_DECIMALS),
    vega: decimalText(greeks?.vega ?? 0, GREEK_DECIMALS),
    theta: decimalText(greeks?.theta ?? 0, GREEK_DECIMALS),
    // Bybit fills this only in the half hour before delivery.
    predictedDeliveryPrice: '0',
    change24h: changeSince(ticker.lastPrice, stats.prevPrice(name, ONE_DAY_MS, now)),
  };
}

/** The same values under `GET /v5/market/tickers?category=option` names. */
export function optionTickerRestRow(ws: Fields): Fields {
  return {
    symbol: ws['symbol'] ?? '',
    bid1Price: ws['bidPrice'] ?? '0',
    bid1Size: ws['bidSize'] ?? '0',
    bid1Iv: ws['bidIv'] ?? '0',
    ask1Price: ws['askPrice'] ?? '0',
    ask1Size: ws['askSize'] ?? '0',
    ask1Iv: ws['askIv'] ?? '0',
    lastPrice: ws['lastPrice'] ?? '0',
    highPrice24h: ws['highPrice24h'] ?? '0',
    lowPrice24h: ws['lowPrice24h'] ?? '0',
    markPrice: ws['markPrice'] ?? '0',
    indexPrice: ws['indexPrice'] ?? '0',
    markIv: ws['markPriceIv'] ?? '0',
    underlyingPrice: ws['underlyingPrice'] ?? '0',
    openInterest: ws['openInterest'] ?? '0',
    turnover24h: ws['turnover24h'] ?? '0',
    volume24h: ws['volume24h'] ?? '0',
    totalVolume: ws['totalVolume'] ?? '0',
    totalTurnover: ws['totalTurnover'] ?? '0',
    delta: ws['delta'] ?? '0',
    gamma: ws['gamma'] ?? '0',
    vega: ws['vega'] ?? '0',
    theta: ws['theta'] ?? '0',
    predictedDeliveryPrice: ws['predictedDeliveryPrice'] ?? '0',
    change24h: ws['change24h'] ?? '0',
  };
}

/** Funding settles every 8 h at 00:00, 08:00 and 16:00 UTC. */
export function nextFundingTime(now: number): number {
  return (Math.floor(now / FUNDING_INTERVAL_MS) + 1) * FUNDING_INTERVAL_MS;
}

/** The perpetual's ticker under the linear socket's names. */
export function linearTickerFields(
  instrument: SimInstrument,
  ticker: SimTicker,
  stats: MarketStats,
): Fields {
  const { tickSize, lotSize, name } = instrument.spec;
  const now = ticker.ts;
  const last = ticker.lastPrice ?? ticker.markPrice;
  const prev24h = stats.prevPrice(name, ONE_DAY_MS, now) ?? last;
  const prev1h = stats.prevPrice(name, ONE_HOUR_MS, now) ?? last;
  return {
    symbol: name,
    tickDirection: TICK_DIRECTIONS[stats.tickDirection(name)],
    price24hPcnt: changeSince(last, prev24h),
    lastPrice: gridText(last, tickSize),
    prevPrice24h: gridText(prev24h, tickSize),
    highPrice24h: gridText(ticker.high24h ?? last, tickSize),
    lowPrice24h: gridText(ticker.low24h ?? last, tickSize),
    prevPrice1h: gridText(prev1h, tickSize),
    markPrice: gridText(ticker.markPrice, tickSize),
    // The index is not on the contract's tick: two decimals, zeros kept, as recorded.
    indexPrice: fixedText(ticker.indexPrice, INDEX_DECIMALS),
    openInterest: gridText(ticker.openInterest, lotSize),
    openInterestValue: decimalText(ticker.openInterest * ticker.markPrice, 2),
    turnover24h: decimalText(stats.turnover24h(name, now), 4),
    volume24h: gridText(ticker.volume24h, lotSize),
    fundingIntervalHour: '8',
    fundingCap: '0.005',
    nextFundingTime: String(nextFundingTime(now)),
    fundingRate: decimalText(ticker.fundingRate ?? 0, 8),
    bid1Price: gridText(ticker.bestBidPrice, tickSize),
    bid1Size: gridText(ticker.bestBidPrice === null ? 0 : ticker.bestBidAmount, lotSize),
    ask1Price: gridText(ticker.bestAskPrice, tickSize),
    ask1Size: gridText(ticker.bestAskPrice === null ? 0 : ticker.bestAskAmount, lotSize),
  };
}

/** `GET /v5/market/tickers?category=linear` row. */
export function linearTickerRestRow(ws: Fields): Fields {
  return {
    symbol: ws['symbol'] ?? '',
    lastPrice: ws['lastPrice'] ?? '0',
    indexPrice: ws['indexPrice'] ?? '0',
    markPrice: ws['markPrice'] ?? '0',
    prevPrice24h: ws['prevPrice24h'] ?? '0',
    price24hPcnt: ws['price24hPcnt'] ?? '0',
    highPrice24h: ws['highPrice24h'] ?? '0',
    lowPrice24h: ws['lowPrice24h'] ?? '0',
    prevPrice1h: ws['prevPrice1h'] ?? '0',
    openInterest: ws['openInterest'] ?? '0',
    openInterestValue: ws['openInterestValue'] ?? '0',
    turnover24h: ws['turnover24h'] ?? '0',
    volume24h: ws['volume24h'] ?? '0',
    fundingRate: ws['fundingRate'] ?? '0',
    nextFundingTime: ws['nextFundingTime'] ?? '0',
    predictedDeliveryPrice: '',
    basisRate: '',
    deliveryFeeRate: '',
    deliveryTime: '0',
    ask1Size: ws['ask1Size'] ?? '0',
    bid1Price: ws['bid1Price'] ?? '0',
    ask1Price: ws['ask1Price'] ?? '0',
    bid1Size: ws['bid1Size'] ?? '0',
    basis: '',
  };
}

/** Fields of `next` that differ from `previous`, plus the symbol: a ticker delta's data. */
export function changedFields(previous: Fields, next: Fields): Fields | null {
  let delta: Fields | null = null;
  for (const key in next) {
    if (next[key] !== previous[key]) {
      delta ??= { symbol: next['symbol'] ?? '' };
      delta[key] = next[key]!;
    }
  }
  return delta;
}

export type Level = readonly [string, string];

export function levelsText(
  levels: readonly (readonly [number, number])[],
  instrument: SimInstrument,
): Level[] {
  const { tickSize, lotSize } = instrument.spec;
  return levels.map(([price, size]) => [gridText(price, tickSize), gridText(size, lotSize)]);
}

/** A row of the option socket's `publicTrade.{coin}`. */
export function optionTradeRow(
  trade: SimPublicTrade,
  instrument: SimInstrument,
  seq: number,
  markIv: number | null,
): Record<string, unknown> {
  const { tickSize, lotSize } = instrument.spec;
  return {
    i: trade.tradeId,
    T: trade.ts,
    p: gridText(trade.price, tickSize),
    v: gridText(trade.amount, lotSize),
    S: trade.direction === 'buy' ? 'Buy' : 'Sell',
    seq,
    s: trade.instrument,
    BT: false,
    mP: decimalText(trade.markPrice, 7),
    iP: decimalText(trade.indexPrice, 8),
    mIv: iv(markIv),
    iv: iv(trade.iv),
  };
}

/** A row of the linear socket's `publicTrade.{symbol}`. */
export function linearTradeRow(
  trade: SimPublicTrade,
  instrument: SimInstrument,
  seq: number,
): Record<string, unknown> {
  const { tickSize, lotSize } = instrument.spec;
  return {
    T: trade.ts,
    s: trade.instrument,
    S: trade.direction === 'buy' ? 'Buy' : 'Sell',
    v: gridText(trade.amount, lotSize),
    p: gridText(trade.price, tickSize),
    L: TICK_DIRECTIONS[trade.tickDirection],
    i: trade.tradeId,
    BT: false,
    seq,
  };
}
