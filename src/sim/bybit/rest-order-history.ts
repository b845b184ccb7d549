// `GET /v5/order/history` for a unified account: closed orders, newest first. As the venue
// documents it: filled orders (and partly filled ones cancelled since) over the window, fully
// cancelled and rejected ones only within the last 24 hours; the window is the last 7 days
// unless startTime/endTime say otherwise (at most 7 days apart). Filters: symbol, baseCoin,
// settleCoin, orderId, orderLinkId, orderStatus, orderFilter (Order | StopOrder); 1–50 rows a
// page, 20 by default. Orders the venue cancels on arrival (a PostOnly that would take), which
// the exchange core never booked, come from the server's own registry.

import type { SimExchange, SimHistoryFilter, SimOrder } from '../contract.js';
import type { SimApiKey } from '../venue-server.js';
import { isClosed, type OrderRegistry } from './account-orders.js';
import { baseOfSymbol, categoryOfSymbol, emptyPage } from './categories.js';
import { paramsError } from './errors.js';
import { orderRow, orderStatus, type OrderNote } from './private-format.js';
import { requireCategory } from './rest-market.js';

const DAY_MS = 86_400_000;
const WINDOW_MS = 7 * DAY_MS;
const UNFILLED_KEPT_MS = DAY_MS;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 50;

function time(query: URLSearchParams, name: string): number | null {
  const raw = query.get(name);
  if (raw === null || raw === '') return null;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw paramsError(`${name} invalid`);
  return value;
}

/** The [since, until] the venue reads from startTime/endTime. */
function windowOf(query: URLSearchParams, now: number): { since: number; until: number } {
  const start = time(query, 'startTime');
  const end = time(query, 'endTime');
  if (start !== null && end !== null) {
    if (end < start || end - start > WINDOW_MS) {
      throw paramsError('endTime - startTime must be 7 days or less');
    }
    return { since: start, until: end };
  }
  if (start !== null) return { since: start, until: start + WINDOW_MS };
  if (end !== null) return { since: end - WINDOW_MS, until: end };
  return { since: now - WINDOW_MS, until: now };
}

function limitOf(query: URLSearchParams): number {
  const raw = query.get('limit');
  if (raw === null || raw === '') return DEFAULT_LIMIT;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1) throw paramsError('limit invalid');
  return Math.min(limit, MAX_LIMIT);
}

function offsetOf(cursor: string | null): number {
  if (cursor === null || cursor === '') return 0;
  const offset = Number(cursor);
  if (!Number.isSafeInteger(offset) || offset < 0) throw paramsError('cursor invalid');
  return offset;
}

function isStop(order: SimOrder): boolean {
  return order.type === 'stop_market' || order.type === 'stop_limit';
}

export function orderHistory(
  exchange: SimExchange,
  registry: OrderRegistry,
  key: SimApiKey,
  query: URLSearchParams,
): unknown {
  const empty = emptyPage(query);
  if (empty !== null) return empty;
  const category = requireCategory(query);
  const now = exchange.now();
  const { since, until } = windowOf(query, now);
  const settleCoin = query.get('settleCoin');
  if (settleCoin !== null && settleCoin !== '' && settleCoin !== 'USDT') {
    return { category, list: [], nextPageCursor: '' };
  }
  const symbol = query.get('symbol');
  const baseCoin = query.get('baseCoin');
  const orderId = query.get('orderId');
  const linkId = query.get('orderLinkId');
  const status = query.get('orderStatus');
  const orderFilter = query.get('orderFilter');
  const filter: SimHistoryFilter = {
    since,
    until,
    ...(symbol === null || symbol === '' ? {} : { instrument: symbol }),
    ...(baseCoin === null || baseCoin === '' ? {} : { currency: baseCoin }),
    ...(orderId === null || orderId === '' ? {} : { orderId }),
    ...(linkId === null || linkId === '' ? {} : { label: linkId }),
  };
  const account = key.accountId;
  const known = new Map<string, { order: SimOrder; note?: OrderNote }>();
  for (const order of exchange.orderHistory(account, filter)) known.set(order.orderId, { order });
  // Orders cancelled on arrival: the registry alone knows them.
  for (const entry of registry.list(account)) {
    const { order } = entry;
    if (entry.note === undefined || !isClosed(order) || known.has(order.orderId)) continue;
    if (order.updatedAt < since || order.updatedAt > until) continue;
    if (filter.instrument !== undefined && order.instrument !== filter.instrument) continue;
    if (filter.currency !== undefined && baseOfSymbol(order.instrument) !== filter.currency)
      continue;
    if (filter.orderId !== undefined && order.orderId !== filter.orderId) continue;
    if (filter.label !== undefined && order.label !== filter.label) continue;
    known.set(order.orderId, entry);
  }
  const matching = [...known.values()]
    .map((entry) => ({
      ...entry,
      note: entry.note ?? registry.get(account, entry.order.orderId)?.note,
    }))
    .filter(({ order, note }) => {
      if (categoryOfSymbol(order.instrument) !== category) return false;
      // Fully unfilled closed orders are kept for a day only.
      if (order.filledAmount === 0 && now - order.updatedAt > UNFILLED_KEPT_MS) return false;
      if (orderFilter === 'StopOrder' && !isStop(order)) return false;
      if (orderFilter === 'Order' && isStop(order)) return false;
      if (status !== null && status !== '' && orderStatus(order) !== status) return false;
      return note !== undefined || order.state !== 'open';
    })
    .sort((a, b) => b.order.updatedAt - a.order.updatedAt);
  const limit = limitOf(query);
  const offset = offsetOf(query.get('cursor'));
  const page = matching.slice(offset, offset + limit);
  return {
    category,
    list: page.map(({ order, note }) =>
      orderRow(order, exchange.instrument(order.instrument), false, note),
    ),
    nextPageCursor: offset + limit < matching.length ? String(offset + limit) : '',
  };
}
