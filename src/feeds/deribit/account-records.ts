/**
 * Deribit's private records (an order, a user trade, a position, an account summary) as
 * normalized account events. The same shapes arrive in order replies, in the snapshot
 * methods and inside the `user.*` notifications, so every path maps through these.
 */
import type {
  BalanceEvent,
  FillEvent,
  OrderEvent,
  OrderStatus,
  OrderType,
  PositionEvent,
} from '../../book/events.js';
import {
  isRecord,
  optionalNumber,
  requireNumber,
  requireOneOf,
  requireString,
  WireFormatError,
  type WireRecord,
} from '../wire-fields.js';
import { percentIv } from './ticker.js';

const VENUE = 'deribit';
const DIRECTIONS = ['buy', 'sell'] as const;
const LIQUIDITY = ['M', 'T'] as const;

// Take-profit and trailing orders are trigger orders too; the normalized model has only the
// two trigger kinds, and an order placed on the venue's web page must not make the whole
// notification unreadable.
const ORDER_TYPES: Readonly<Record<string, OrderType>> = {
  limit: 'limit',
  market: 'market',
  market_limit: 'market-limit',
  stop_limit: 'stop-limit',
  stop_market: 'stop-market',
  take_limit: 'stop-limit',
  take_market: 'stop-market',
  trailing_stop: 'stop-market',
};

// `triggered` is a trigger order that has fired and now works as a plain order.
const ORDER_STATES: Readonly<Record<string, OrderStatus>> = {
  open: 'open',
  triggered: 'open',
  untriggered: 'untriggered',
  filled: 'filled',
  cancelled: 'cancelled',
  rejected: 'rejected',
};

/** One order as Deribit sends it (a reply's `order`, a `user.orders` or `user.changes` row). */
export function deribitOrderFromWire(order: unknown, where: string): OrderEvent {
  const record = recordAt(order, where);
  const orderType = mapped(record, 'order_type', ORDER_TYPES, where);
  const filled = requireNumber(record, 'filled_amount', where);
  const averagePrice = optionalNumber(record, 'average_price', where);
  return {
    kind: 'order',
    venue: VENUE,
    ts: requireNumber(record, 'last_update_timestamp', where),
    orderId: requireString(record, 'order_id', where),
    label: labelOf(record, where),
    instrument: requireString(record, 'instrument_name', where),
    side: requireOneOf(record, 'direction', DIRECTIONS, where),
    orderType,
    status: mapped(record, 'order_state', ORDER_STATES, where),
    price: orderType === 'market' || orderType === 'stop-market' ? null : limitPrice(record, where),
    iv: orderIv(record, where),
    triggerPrice: optionalNumber(record, 'trigger_price', where),
    amount: requireNumber(record, 'amount', where),
    filled,
    // The venue prints 0 for "no fills yet", which is no price.
    averagePrice: filled === 0 || averagePrice === 0 ? null : averagePrice,
    postOnly: optionalFlag(record, 'post_only', where),
    reduceOnly: optionalFlag(record, 'reduce_only', where),
    reason:
      optionalText(record, 'cancel_reason', where) ?? optionalText(record, 'reject_reason', where),
    ...createdTsOf(record, where),
  };
}

/** Left out rather than guessed when the venue does not say, so equal reports stay equal. */
function createdTsOf(record: WireRecord, where: string): { createdTs?: number } {
  const createdTs = optionalNumber(record, 'creation_timestamp', where);
  return createdTs === null ? {} : { createdTs };
}

/** One of our trades (a reply's `trades` row, a `user.trades` or `user.changes` row). */
export function deribitFillFromWire(trade: unknown, where: string): FillEvent {
  const record = recordAt(trade, where);
  return {
    kind: 'fill',
    venue: VENUE,
    ts: requireNumber(record, 'timestamp', where),
    tradeId: requireString(record, 'trade_id', where),
    orderId: requireString(record, 'order_id', where),
    label: labelOf(record, where),
    instrument: requireString(record, 'instrument_name', where),
    side: requireOneOf(record, 'direction', DIRECTIONS, where),
    price: requireNumber(record, 'price', where),
    size: requireNumber(record, 'amount', where),
    liquidity: requireOneOf(record, 'liquidity', LIQUIDITY, where) === 'M' ? 'maker' : 'taker',
    fee: requireNumber(record, 'fee', where),
    feeCurrency: requireString(record, 'fee_currency', where),
    // Only option trades carry an IV, in percent.
    iv: percentIv(optionalNumber(record, 'iv', where)),
    indexPrice: optionalNumber(record, 'index_price', where),
  };
}

/**
 * One position (`private/get_positions`, a `user.changes` row). Deribit's `size` is signed:
 * coin for options, USD for inverse futures and perpetuals. Positions carry no timestamp of
 * their own, so the caller says when the venue reported it.
 */
export function deribitPositionFromWire(
  position: unknown,
  ts: number,
  where: string,
): PositionEvent {
  const record = recordAt(position, where);
  const unrealizedPnl = optionalNumber(record, 'floating_profit_loss', where);
  return {
    kind: 'position',
    venue: VENUE,
    ts,
    instrument: requireString(record, 'instrument_name', where),
    size: requireNumber(record, 'size', where),
    averagePrice: requireNumber(record, 'average_price', where),
    markPrice: optionalNumber(record, 'mark_price', where),
    unrealizedPnl,
    realizedPnl: realizedPnl(record, unrealizedPnl, where),
    venueDelta: optionalNumber(record, 'delta', where),
  };
}

/** One currency's `private/get_account_summary` result or `user.portfolio` data. */
export function deribitBalanceFromSummary(
  summary: unknown,
  ts: number,
  where: string,
): BalanceEvent {
  const record = recordAt(summary, where);
  return {
    kind: 'balance',
    venue: VENUE,
    ts,
    currency: requireString(record, 'currency', where),
    equity: requireNumber(record, 'equity', where),
    balance: requireNumber(record, 'balance', where),
    available: requireNumber(record, 'available_funds', where),
    initialMargin: requireNumber(record, 'initial_margin', where),
    maintenanceMargin: requireNumber(record, 'maintenance_margin', where),
  };
}

function recordAt(value: unknown, where: string): WireRecord {
  if (isRecord(value)) return value;
  throw new WireFormatError(`${where}: must be an object, got ${JSON.stringify(value)}`);
}

function mapped<T>(
  record: WireRecord,
  key: string,
  table: Readonly<Record<string, T>>,
  where: string,
): T {
  const value = record[key];
  const found = typeof value === 'string' && Object.hasOwn(table, value) ? table[value] : undefined;
  if (found !== undefined) return found;
  throw new WireFormatError(
    `${where}: "${key}" must be one of ${Object.keys(table).join(', ')}, got ${JSON.stringify(value)}`,
  );
}

/** Deribit leaves the label out, or sends '', when the order was given none. */
function labelOf(record: WireRecord, where: string): string | null {
  const label = optionalText(record, 'label', where);
  return label === '' ? null : label;
}

function optionalText(record: WireRecord, key: string, where: string): string | null {
  const value = record[key];
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  throw new WireFormatError(`${where}: "${key}" must be a string, got ${JSON.stringify(value)}`);
}

function optionalFlag(record: WireRecord, key: string, where: string): boolean {
  const value = record[key];
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  throw new WireFormatError(`${where}: "${key}" must be a boolean, got ${JSON.stringify(value)}`);
}

/** A trigger market order that has not fired says "market_price" instead of a number. */
function limitPrice(record: WireRecord, where: string): number | null {
  if (record['price'] === 'market_price') return null;
  return requireNumber(record, 'price', where);
}

function orderIv(record: WireRecord, where: string): number | null {
  if (record['advanced'] !== 'implv') return null;
  return percentIv(requireNumber(record, 'implv', where));
}

/** Where `realized_profit_loss` is left out, total minus floating is the same figure. */
function realizedPnl(record: WireRecord, unrealized: number | null, where: string): number | null {
  const realized = optionalNumber(record, 'realized_profit_loss', where);
  if (realized !== null) return realized;
  const total = optionalNumber(record, 'total_profit_loss', where);
  return total === null || unrealized === null ? null : total - unrealized;
}
