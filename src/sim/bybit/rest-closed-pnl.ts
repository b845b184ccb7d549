// `GET /v5/position/closed-pnl`: one row per order that closed (part of) a linear position,
// newest first, from the exchange's cash log (one trade entry per fill, each carrying the part
// of the fill that closed and the position's average entry price before it).
//
// As documented (bybit-exchange.github.io/docs/v5/position/close-pnl): `category` linear (or
// inverse: the sim lists none, so nothing); `symbol` narrows; the window rules of the
// execution list (7 days by default, from or to one bound, never wider); `limit` 1–100,
// default 50; further pages through `nextPageCursor`. Entry and exit values are exact sums over
// the order's closing fills; `openFee` is the opening fees of the position apportioned to the
// closed part, `closeFee` the closing part of the order's fees, and `closedPnl` the price PnL
// less both (funding is not in it, as on the venue).

import type { SimCashEvent, SimExchange } from '../contract.js';
import type { SimApiKey } from '../venue-server.js';
import { requireAnyCategory } from './categories.js';
import { decimalText } from './decimal-text.js';
import { paramsError } from './errors.js';
import { executionWindow } from './rest-executions.js';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 100;

interface Closing {
  readonly event: SimCashEvent;
  readonly openFee: number;
  readonly closeFee: number;
}

/** Walks one instrument's trades and deliveries oldest first, keeping the opening fees of the
 * position held, and returns each closing trade with its share of them. */
function closings(events: readonly SimCashEvent[]): Closing[] {
  const out: Closing[] = [];
  const pools = new Map<string, number>();
  for (const event of events) {
    if (event.type === 'funding') continue;
    let pool = pools.get(event.instrument) ?? 0;
    if (event.type === 'delivery') {
      pools.set(event.instrument, 0);
      continue;
    }
    const signed = event.side === 'buy' ? event.amount : -event.amount;
    const heldBefore = Math.abs(event.sizeAfter - signed);
    const closeFee = (event.fee * event.closedAmount) / event.amount;
    if (event.closedAmount > 0) {
      const openFee = heldBefore > 0 ? (pool * event.closedAmount) / heldBefore : 0;
      pool -= openFee;
      out.push({ event, openFee, closeFee });
    }
    // What the fill opened (all of it, or what is left after closing and flipping).
    if (event.closedAmount < event.amount) pool += event.fee - closeFee;
    if (event.sizeAfter === 0) pool = 0;
    pools.set(event.instrument, pool);
  }
  return out;
}

export function closedPnl(exchange: SimExchange, key: SimApiKey, query: URLSearchParams): unknown {
  const category = requireAnyCategory(query);
  if (category === 'spot' || category === 'option') {
    throw paramsError('category only support linear or inverse');
  }
  const raw = query.get('limit');
  const limit = raw === null || raw === '' ? DEFAULT_LIMIT : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw paramsError(`limit must be from 1 to ${MAX_LIMIT}`);
  }
  const window = executionWindow(query, exchange.now());
  if (category === 'inverse') return { category, list: [], nextPageCursor: '' };
  const symbol = query.get('symbol');
  const linear = [
    ...exchange.cashEvents(key.accountId, { kind: 'perpetual' }),
    ...exchange.cashEvents(key.accountId, { kind: 'future' }),
  ]
    .filter((event) => symbol === null || symbol === '' || event.instrument === symbol)
    .sort((a, b) => a.seq - b.seq);
  const byOrder = new Map<string, Closing[]>();
  for (const closing of closings(linear)) {
    const { ts, orderId } = closing.event;
    if (ts < window.since || ts > window.until) continue;
    const group = byOrder.get(orderId);
    if (group === undefined) byOrder.set(orderId, [closing]);
    else group.push(closing);
  }
  const rows = [...byOrder.values()]
    .map((group) => closedRow(exchange, key.accountId, group))
    .sort((a, b) => Number(b.createdTime) - Number(a.createdTime));
  const cursor = query.get('cursor');
  let from = 0;
  if (cursor !== null && cursor !== '') {
    from = rows.findIndex((row) => row.orderId === cursor) + 1;
    if (from === 0) throw paramsError('cursor invalid');
  }
  const page = rows.slice(from, from + limit);
  const last = page.at(-1);
  return {
    category,
    list: page,
    nextPageCursor: rows.length > from + limit && last !== undefined ? last.orderId : '',
  };
}

function closedRow(
  exchange: SimExchange,
  accountId: string,
  group: readonly Closing[],
): Record<string, string> {
  const first = group[0]!.event;
  const lastEvent = group[group.length - 1]!.event;
  const order = exchange.order(accountId, first.orderId);
  let closedSize = 0;
  let entryValue = 0;
  let exitValue = 0;
  let realized = 0;
  let openFee = 0;
  let closeFee = 0;
  for (const { event, openFee: open, closeFee: close } of group) {
    closedSize += event.closedAmount;
    entryValue += event.entryPrice * event.closedAmount;
    exitValue += event.price * event.closedAmount;
    // A flipping fill's realized PnL is all from its closing part.
    realized += event.realized;
    openFee += open;
    closeFee += close;
  }
  let leverage = '';
  try {
    leverage = decimalText(exchange.leverage(accountId, first.instrument), 2);
  } catch {
    // An expired future has no leverage to report.
  }
  const text = (value: number): string => decimalText(value, 8);
  return {
    symbol: first.instrument,
    orderId: first.orderId,
    side: first.side === 'buy' ? 'Buy' : 'Sell',
    qty: text(order?.amount ?? closedSize),
    orderPrice: text(order?.price ?? exitValue / closedSize),
    orderType: order?.type === 'limit' ? 'Limit' : 'Market',
    execType: 'Trade',
    closedSize: text(closedSize),
    cumEntryValue: text(entryValue),
    avgEntryPrice: text(entryValue / closedSize),
    cumExitValue: text(exitValue),
    avgExitPrice: text(exitValue / closedSize),
    closedPnl: text(realized - openFee - closeFee),
    openFee: text(openFee),
    closeFee: text(closeFee),
    fillCount: String(group.length),
    leverage,
    createdTime: String(first.ts),
    updatedTime: String(lastEvent.ts),
  };
}
