// `GET /v5/market/recent-trade`: the latest public trades, newest first. Linear contracts name
// their symbol; options may instead name a base coin (BTC when neither is given) and an option
// type, and their rows add the mark and index prices and IVs (`mP`, `iP`, `mIv`, `iv`), as the
// option socket's publicTrade rows do. Limits: 1–1000, 500 by default (spot's 60 aside).

import type { SimExchange, SimInstrument, SimPublicTrade } from '../contract.js';
import { emptyList } from './categories.js';
import { decimalText, gridText } from './decimal-text.js';
import { paramsError } from './errors.js';
import { inCategory, requireCategory } from './rest-market.js';

const DEFAULT_LIMIT = 500;
const MAX_LIMIT = 1000;

function limitOf(query: URLSearchParams): number {
  const raw = query.get('limit');
  if (raw === null || raw === '') return DEFAULT_LIMIT;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1) throw paramsError('limit invalid');
  return Math.min(limit, MAX_LIMIT);
}

export function recentTrades(exchange: SimExchange, query: URLSearchParams): unknown {
  const empty = emptyList(query);
  if (empty !== null) return empty;
  const category = requireCategory(query);
  const symbol = query.get('symbol');
  const limit = limitOf(query);
  let chosen: SimInstrument[];
  if (symbol !== null && symbol !== '') {
    const instrument = exchange.instrument(symbol);
    if (instrument === undefined || !inCategory(instrument, category)) {
      throw paramsError('symbol invalid');
    }
    chosen = [instrument];
  } else if (category === 'option') {
    const base = (query.get('baseCoin') ?? 'BTC').toUpperCase();
    const type = query.get('optionType');
    chosen = exchange
      .instruments({ currency: base, kind: 'option' })
      .filter((i) => type === null || i.spec.kind !== 'option' || matchesType(i, type));
  } else {
    throw paramsError('symbol is required');
  }
  const trades = chosen
    .flatMap((i) => exchange.recentTrades(i.spec.name, limit).map((trade) => ({ trade, i })))
    .sort((a, b) => b.trade.ts - a.trade.ts || b.trade.tradeSeq - a.trade.tradeSeq)
    .slice(0, limit);
  return {
    category,
    list: trades.map(({ trade, i }) => recentTradeRow(trade, i, exchange)),
  };
}

function matchesType(instrument: SimInstrument, type: string): boolean {
  return (
    instrument.spec.kind === 'option' && (type === 'Call') === (instrument.spec.type === 'call')
  );
}

function recentTradeRow(
  trade: SimPublicTrade,
  instrument: SimInstrument,
  exchange: SimExchange,
): Record<string, unknown> {
  const { tickSize, lotSize, kind } = instrument.spec;
  const row: Record<string, unknown> = {
    execId: trade.tradeId,
    symbol: trade.instrument,
    price: gridText(trade.price, tickSize),
    size: gridText(trade.amount, lotSize),
    side: trade.direction === 'buy' ? 'Buy' : 'Sell',
    time: String(trade.ts),
    isBlockTrade: false,
    isRPITrade: false,
    seq: String(trade.tradeSeq),
  };
  if (kind !== 'option') return row;
  const markIv = exchange.ticker(trade.instrument)?.markIv ?? null;
  return {
    ...row,
    mP: decimalText(trade.markPrice, 7),
    iP: decimalText(trade.indexPrice, 8),
    mIv: markIv === null ? '0' : decimalText(markIv, 4),
    iv: trade.iv === null ? '0' : decimalText(trade.iv, 4),
  };
}
