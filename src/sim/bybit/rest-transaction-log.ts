// `GET /v5/account/transaction-log`: the unified wallet's cash movements, newest first, from
// the exchange's cash log: fills (TRADE), perpetual funding (SETTLEMENT, as the venue books
// USDT perpetual funding) and expiring positions (DELIVERY).
//
// As documented (bybit-exchange.github.io/docs/v5/account/transaction-log): every parameter
// optional; `accountType` UNIFIED; `category`, `currency`, `baseCoin`, `type` narrow; with
// neither bound the last 24 hours, with one of them 24 hours from or to it, both at most 7 days
// apart; `limit` 1–50, default 20; further pages through `nextPageCursor`. `cashFlow` is the
// premium or realized PnL alone, `funding` positive when received, `fee` positive when paid,
// `change` = cashFlow + funding − fee, `cashBalance` the wallet after it.

import type { SimCashEvent, SimExchange, SimHistoryFilter } from '../contract.js';
import type { SimApiKey } from '../venue-server.js';
import { categoryOfSymbol, isListed, requireAnyCategory } from './categories.js';
import { decimalText } from './decimal-text.js';
import { paramsError } from './errors.js';
import { optionalTime } from './rest-history.js';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 50;
const DAY_MS = 86_400_000;
const MAX_WINDOW_MS = 7 * DAY_MS;

const TYPES: Readonly<Record<SimCashEvent['type'], string>> = {
  trade: 'TRADE',
  funding: 'SETTLEMENT',
  delivery: 'DELIVERY',
};

function windowOf(query: URLSearchParams, now: number): { since: number; until: number } {
  const start = optionalTime(query, 'startTime');
  const end = optionalTime(query, 'endTime');
  if (start !== null && end !== null) {
    if (end < start) throw paramsError('endTime must not be before startTime');
    if (end - start > MAX_WINDOW_MS) {
      throw paramsError('the time range between startTime and endTime cannot exceed 7 days');
    }
    return { since: start, until: end };
  }
  if (start !== null) return { since: start, until: start + DAY_MS };
  if (end !== null) return { since: end - DAY_MS, until: end };
  return { since: now - DAY_MS, until: now };
}

export function transactionLog(
  exchange: SimExchange,
  key: SimApiKey,
  query: URLSearchParams,
): unknown {
  const accountType = query.get('accountType');
  if (accountType !== null && accountType !== '' && accountType !== 'UNIFIED') {
    throw paramsError('accountType only support UNIFIED');
  }
  const raw = query.get('limit');
  const limit = raw === null || raw === '' ? DEFAULT_LIMIT : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw paramsError(`limit must be from 1 to ${MAX_LIMIT}`);
  }
  const window = windowOf(query, exchange.now());
  const category = query.get('category') === null ? null : requireAnyCategory(query);
  const currency = query.get('currency');
  const baseCoin = query.get('baseCoin');
  const type = query.get('type');
  const filter: SimHistoryFilter = {
    ...window,
    ...(baseCoin !== null && baseCoin !== '' ? { currency: baseCoin } : {}),
  };
  const events =
    category !== null && !isListed(category)
      ? []
      : exchange
          .cashEvents(key.accountId, filter)
          .filter(
            (event) =>
              (category === null || categoryOfSymbol(event.instrument) === category) &&
              (currency === null || currency === '' || event.currency === currency) &&
              (type === null || type === '' || TYPES[event.type] === type),
          )
          .reverse();
  const cursor = query.get('cursor');
  let from = 0;
  if (cursor !== null && cursor !== '') {
    from = events.findIndex((event) => String(event.seq) === cursor) + 1;
    if (from === 0) throw paramsError('cursor invalid');
  }
  const page = events.slice(from, from + limit);
  const last = page.at(-1);
  return {
    list: page.map(logRow),
    nextPageCursor: events.length > from + limit && last !== undefined ? String(last.seq) : '',
  };
}

function logRow(event: SimCashEvent): Record<string, string> {
  const text = (value: number): string => decimalText(value, 8);
  return {
    id: String(event.seq),
    symbol: event.instrument,
    category: categoryOfSymbol(event.instrument),
    side: event.side === 'buy' ? 'Buy' : 'Sell',
    transactionTime: String(event.ts),
    type: TYPES[event.type],
    transSubType: '',
    qty: text(event.amount),
    size: text(event.sizeAfter),
    currency: event.currency,
    tradePrice: text(event.price),
    funding: text(event.funding),
    fee: text(event.fee),
    cashFlow: text(event.cashFlow),
    change: text(event.cashFlow + event.funding - event.fee),
    cashBalance: text(event.balanceAfter),
    feeRate: text(event.rate),
    bonusChange: '',
    tradeId: event.tradeId,
    orderId: event.orderId,
    orderLinkId: event.label,
    extraFees: '',
  };
}
