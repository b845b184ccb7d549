// Public REST: `/v5/market/time`, `instruments-info` (paginated by an opaque cursor),
// `tickers` and `orderbook`.

import type { SimExchange, SimInstrument } from '../contract.js';
import {
  levelsText,
  linearTickerFields,
  linearTickerRestRow,
  optionTickerFields,
  optionTickerRestRow,
} from './market-format.js';
import type { MarketStats } from './market-stats.js';
import { paramsError } from './errors.js';
import { linearInstrumentRow, optionInstrumentRow } from './instrument-rows.js';

const DEFAULT_PAGE = 500;
const MAX_PAGE = 1000;
const CURSOR_PREFIX = 'sim-cursor:';

type Query = URLSearchParams;
export type Category = 'option' | 'linear';

export function requireCategory(query: Query): Category {
  const category = query.get('category');
  if (category === 'option' || category === 'linear') return category;
  throw paramsError(`category ${category === null ? 'is required' : 'invalid'}`);
}

export function inCategory(instrument: SimInstrument, category: Category): boolean {
  return category === 'option'
    ? instrument.spec.kind === 'option'
    : instrument.spec.kind !== 'option' && instrument.spec.settlement === 'linear';
}

function encodeCursor(offset: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${offset}`).toString('base64url');
}

function decodeCursor(cursor: string | null): number {
  if (cursor === null || cursor === '') return 0;
  const text = Buffer.from(cursor, 'base64url').toString();
  const offset = Number(text.slice(CURSOR_PREFIX.length));
  if (!text.startsWith(CURSOR_PREFIX) || !Number.isSafeInteger(offset) || offset < 0) {
    throw paramsError('cursor invalid');
  }
  return offset;
}

function pageLimit(query: Query): number {
  const raw = query.get('limit');
  if (raw === null || raw === '') return DEFAULT_PAGE;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1) throw paramsError('limit invalid');
  return Math.min(limit, MAX_PAGE);
}

/** Bybit keeps delivery-price pages to 200 rows. */
const MAX_DELIVERY_PAGE = 200;

/**
 * `/v5/market/delivery-price`: expired contracts' delivery prices, newest first; options by
 * `baseCoin` (BTC when left out), linear futures by symbol or all (the sim lists none).
 */
export function deliveryPrice(exchange: SimExchange, query: Query): unknown {
  const category = requireCategory(query);
  const symbol = query.get('symbol');
  const base = (query.get('baseCoin') ?? (category === 'option' ? 'BTC' : '')).toUpperCase();
  const all = exchange
    .deliveries()
    .filter(
      (delivery) =>
        (category === 'option') === (delivery.kind === 'option') &&
        (symbol === null || delivery.instrument === symbol) &&
        (base === '' || delivery.base === base),
    );
  const offset = decodeCursor(query.get('cursor'));
  const limit = Math.min(pageLimit(query), MAX_DELIVERY_PAGE);
  return {
    category,
    list: all.slice(offset, offset + limit).map((delivery) => ({
      symbol: delivery.instrument,
      deliveryPrice: String(delivery.price),
      deliveryTime: String(delivery.ts),
    })),
    nextPageCursor: offset + limit < all.length ? encodeCursor(offset + limit) : '',
  };
}

export function serverTime(wallNow: number): unknown {
  return { timeSecond: String(Math.floor(wallNow / 1000)), timeNano: `${wallNow}000000` };
}

export function instrumentsInfo(exchange: SimExchange, query: Query): unknown {
  const category = requireCategory(query);
  const symbol = query.get('symbol');
  // Bybit answers an option query without baseCoin with BTC's options.
  const baseCoin =
    query.get('baseCoin') ?? (category === 'option' && symbol === null ? 'BTC' : null);
  const all = exchange
    .instruments()
    .filter(
      (i) =>
        inCategory(i, category) &&
        (symbol === null || i.spec.name === symbol) &&
        (baseCoin === null || i.currency === baseCoin),
    );
  const offset = decodeCursor(query.get('cursor'));
  const limit = pageLimit(query);
  const page = all.slice(offset, offset + limit);
  const row = category === 'option' ? optionInstrumentRow : linearInstrumentRow;
  return {
    category,
    list: page.map((i) => row(i)).filter((r) => r !== null),
    nextPageCursor: offset + limit < all.length ? encodeCursor(offset + limit) : '',
  };
}

export function tickers(exchange: SimExchange, stats: MarketStats, query: Query): unknown {
  const category = requireCategory(query);
  const symbol = query.get('symbol');
  const baseCoin = query.get('baseCoin');
  if (category === 'option' && symbol === null && baseCoin === null) {
    throw paramsError('symbol or baseCoin is required for category option');
  }
  const chosen = exchange
    .instruments()
    .filter(
      (i) =>
        inCategory(i, category) &&
        (symbol === null || i.spec.name === symbol) &&
        (baseCoin === null || i.currency === baseCoin),
    );
  if (symbol !== null && chosen.length === 0) throw paramsError('symbol invalid');
  const list = chosen.flatMap((instrument) => {
    const ticker = exchange.ticker(instrument.spec.name);
    if (ticker === undefined) return [];
    return [
      category === 'option'
        ? optionTickerRestRow(optionTickerFields(instrument, ticker, stats))
        : linearTickerRestRow(linearTickerFields(instrument, ticker, stats)),
    ];
  });
  return { category, list };
}

export function orderbook(exchange: SimExchange, query: Query): unknown {
  const category = requireCategory(query);
  const symbol = query.get('symbol') ?? '';
  const instrument = exchange.instrument(symbol);
  if (instrument === undefined || !inCategory(instrument, category)) {
    throw paramsError('symbol invalid');
  }
  const depth = Math.min(Number(query.get('limit') ?? 25) || 25, category === 'option' ? 25 : 500);
  const view = exchange.book(symbol, depth);
  const ts = exchange.now();
  return {
    s: symbol,
    b: levelsText((view?.bids ?? []).slice(0, depth), instrument),
    a: levelsText((view?.asks ?? []).slice(0, depth), instrument),
    ts,
    u: view?.changeId ?? 0,
    seq: view?.changeId ?? 0,
    cts: view?.ts ?? ts,
  };
}
