/**
 * Bybit's private rows (an order, an execution, a position, a wallet account) as normalized
 * account events. The same rows arrive on the private socket's topics and in the REST lists
 * (`order/realtime`, `position/list`, `account/wallet-balance`), so both paths map here.
 * Every number arrives as a string; '' means "none".
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
  requireArray,
  requireBoolean,
  requireDecimalString,
  requireOneOf,
  requireString,
  WireFormatError,
  zeroAsNull,
  type WireRecord,
} from '../wire-fields.js';
import { tryParseBybitOptionName } from './instrument-name.js';

const VENUE = 'bybit';
const SIDES = ['Buy', 'Sell'] as const;
const ORDER_TYPES = ['Limit', 'Market'] as const;

export type BybitCategory = 'option' | 'linear';

// Triggered: a conditional order that fired and now works as a plain one. Created and Active
// are transient states Bybit reports before an order reaches the book.
const ORDER_STATUSES: Readonly<Record<string, OrderStatus>> = {
  Created: 'open',
  New: 'open',
  Active: 'open',
  PartiallyFilled: 'open',
  Triggered: 'open',
  Untriggered: 'untriggered',
  Filled: 'filled',
  Cancelled: 'cancelled',
  PartiallyFilledCanceled: 'cancelled',
  Deactivated: 'cancelled',
  Rejected: 'rejected',
};

// Funding, settlement and delivery also come down the execution stream but are no fill of
// an order of ours; the position stream carries their effect.
const FILL_EXEC_TYPES: ReadonlySet<string> = new Set([
  'Trade',
  'AdlTrade',
  'BustTrade',
  'BlockTrade',
]);

// Bybit's "nothing to say" values for why an order left the book.
const NO_REASON: ReadonlySet<string> = new Set(['', 'EC_NoError', 'UNKNOWN']);
// What stopOrderType says for an order without a trigger.
const NOT_CONDITIONAL: ReadonlySet<string> = new Set(['', 'UNKNOWN']);

/** Options are named BTC-27NOV26-90000-C(-USDT); everything else ivtrade trades is linear. */
export function bybitCategoryOf(symbol: string): BybitCategory {
  return tryParseBybitOptionName(symbol) === null ? 'linear' : 'option';
}

const USDT_LINEAR = /^[A-Z0-9]+USDT(?:-|$)/;
const USDC_LINEAR = /^[A-Z0-9]+(?:USDC|PERP)(?:-|$)/;
const USDC_FUTURE = /^[A-Z0-9]+-\d{1,2}[A-Z]{3}\d{2}$/;
const INVERSE = /^([A-Z0-9]+?)USD(?:[FGHJKMNQUVXZ]\d{2})?$/;

/**
 * The coin a contract settles (and pays fees) in, from its name: USDT for BTCUSDT, USDC for
 * BTCPERP and USDC futures, the coin itself for inverse BTCUSD; null when the name says not.
 */
export function bybitSettleCoinOf(symbol: string): string | null {
  const option = tryParseBybitOptionName(symbol);
  if (option !== null) return option.quote;
  if (USDT_LINEAR.test(symbol)) return 'USDT';
  if (USDC_LINEAR.test(symbol) || USDC_FUTURE.test(symbol)) return 'USDC';
  return INVERSE.exec(symbol)?.[1] ?? null;
}

/** One order row (`order` topic, `order/realtime`). */
export function bybitOrderFromRow(value: unknown, where: string): OrderEvent {
  const row = rowAt(value, where);
  const symbol = requireString(row, 'symbol', where);
  const at = `${where} ${symbol}`;
  const market = requireOneOf(row, 'orderType', ORDER_TYPES, at) === 'Market';
  const triggerPrice = zeroAsNull(optionalDecimal(row, 'triggerPrice', at));
  const orderType = orderTypeOf(row, market, triggerPrice, at);
  const status = statusOf(row, at);
  const filled = requireDecimal(row, 'cumExecQty', at);
  return {
    kind: 'order',
    venue: VENUE,
    ts: requireTimestamp(row, 'updatedTime', at),
    orderId: requireString(row, 'orderId', at),
    label: labelOf(row, at),
    instrument: symbol,
    side: sideOf(row, at),
    orderType,
    status,
    // A market order's price is the venue's slippage guard, not a price we asked for.
    price: market ? null : zeroAsNull(optionalDecimal(row, 'price', at)),
    iv: zeroAsNull(optionalDecimal(row, 'orderIv', at)),
    triggerPrice,
    amount: requireDecimal(row, 'qty', at),
    filled,
    // Bybit prints "0" or "" for "no fills yet", which is no price.
    averagePrice: filled === 0 ? null : zeroAsNull(optionalDecimal(row, 'avgPrice', at)),
    postOnly: requireString(row, 'timeInForce', at) === 'PostOnly',
    reduceOnly: optionalFlag(row, 'reduceOnly', at),
    reason: status === 'cancelled' || status === 'rejected' ? reasonOf(row, at) : null,
    ...createdTsOf(row, at),
  };
}

/**
 * One execution row as a fill, or null for executions that fill no order of ours
 * (funding, settlement, delivery).
 */
export function bybitFillFromRow(value: unknown, where: string): FillEvent | null {
  const row = rowAt(value, where);
  const symbol = requireString(row, 'symbol', where);
  const at = `${where} ${symbol}`;
  const execType = row['execType'];
  if (execType !== undefined && !FILL_EXEC_TYPES.has(requireString(row, 'execType', at))) {
    return null;
  }
  return {
    kind: 'fill',
    venue: VENUE,
    ts: requireTimestamp(row, 'execTime', at),
    tradeId: requireString(row, 'execId', at),
    orderId: requireString(row, 'orderId', at),
    label: labelOf(row, at),
    instrument: symbol,
    side: sideOf(row, at),
    price: requireDecimal(row, 'execPrice', at),
    size: requireDecimal(row, 'execQty', at),
    liquidity: requireBoolean(row, 'isMaker', at) ? 'maker' : 'taker',
    // Negative for a maker rebate.
    fee: requireDecimal(row, 'execFee', at),
    feeCurrency: feeCurrencyOf(row, symbol, at),
    iv: zeroAsNull(optionalDecimal(row, 'tradeIv', at)),
    indexPrice: zeroAsNull(optionalDecimal(row, 'indexPrice', at)),
  };
}

/**
 * One position row (`position` topic, `position/list`). Bybit sends the size unsigned with a
 * side (Buy long, Sell short, '' flat). The topic calls the entry price `entryPrice`, the
 * REST list `avgPrice`; greeks come only with the REST list.
 */
export function bybitPositionFromRow(
  value: unknown,
  fallbackTs: number,
  where: string,
): PositionEvent {
  const row = rowAt(value, where);
  const symbol = requireString(row, 'symbol', where);
  const at = `${where} ${symbol}`;
  const size = requireDecimal(row, 'size', at);
  const side = requireOneOf(row, 'side', ['Buy', 'Sell', 'None', ''] as const, at);
  if (size !== 0 && side !== 'Buy' && side !== 'Sell') {
    throw new WireFormatError(`${at}: a position of size ${size} needs side Buy or Sell`);
  }
  const priceKey = row['avgPrice'] === undefined ? 'entryPrice' : 'avgPrice';
  const updated = row['updatedTime'];
  return {
    kind: 'position',
    venue: VENUE,
    ts:
      updated === undefined || updated === ''
        ? fallbackTs
        : requireTimestamp(row, 'updatedTime', at),
    instrument: symbol,
    size: side === 'Sell' && size !== 0 ? -size : size,
    averagePrice: optionalDecimal(row, priceKey, at) ?? 0,
    markPrice: zeroAsNull(optionalDecimal(row, 'markPrice', at)),
    unrealizedPnl: optionalDecimal(row, 'unrealisedPnl', at),
    realizedPnl: optionalDecimal(row, 'cumRealisedPnl', at),
    venueDelta: optionalDecimal(row, 'delta', at),
  };
}

/**
 * One wallet account (`wallet` topic row, an `account/wallet-balance` list entry) as one
 * balance per coin. Since 2025 a unified account blanks the per-coin `availableToWithdraw`;
 * the account's `totalAvailableBalance` (USD) then stands in, converted to the coin at the
 * coin's own USD value. Margins are the coin's (`totalPositionIM` + `totalOrderIM`,
 * `totalPositionMM`) when it reports them, else the account's totals in USD.
 */
export function bybitBalancesFromWallet(value: unknown, ts: number, where: string): BalanceEvent[] {
  const account = rowAt(value, where);
  const coins = requireArray(account, 'coin', where);
  return coins.map((coinValue, index) => {
    const coinRow = rowAt(coinValue, `${where} coin[${index}]`);
    const currency = requireString(coinRow, 'coin', `${where} coin[${index}]`);
    const at = `${where} coin ${currency}`;
    const equity = requireDecimal(coinRow, 'equity', at);
    return {
      kind: 'balance',
      venue: VENUE,
      ts,
      currency,
      equity,
      balance: requireDecimal(coinRow, 'walletBalance', at),
      available: availableOf(account, coinRow, equity, at),
      initialMargin:
        coinMargin(coinRow, ['totalPositionIM', 'totalOrderIM'], at) ??
        requireDecimal(account, 'totalInitialMargin', where),
      maintenanceMargin:
        coinMargin(coinRow, ['totalPositionMM'], at) ??
        requireDecimal(account, 'totalMaintenanceMargin', where),
    };
  });
}

function availableOf(account: WireRecord, coin: WireRecord, equity: number, where: string): number {
  const own = optionalDecimal(coin, 'availableToWithdraw', where);
  if (own !== null) return own;
  const totalUsd = requireDecimal(account, 'totalAvailableBalance', where);
  const usdValue = optionalDecimal(coin, 'usdValue', where);
  // equity / usdValue is coins per USD; a coin with no value left converts nothing.
  return usdValue === null || usdValue === 0 || equity === 0
    ? totalUsd
    : (totalUsd * equity) / usdValue;
}

function coinMargin(coin: WireRecord, keys: readonly string[], where: string): number | null {
  let total = 0;
  for (const key of keys) {
    const value = optionalDecimal(coin, key, where);
    if (value === null) return null;
    total += value;
  }
  return total;
}

function orderTypeOf(
  row: WireRecord,
  market: boolean,
  triggerPrice: number | null,
  where: string,
): OrderType {
  const stopOrderType = row['stopOrderType'];
  const conditional =
    stopOrderType === undefined
      ? triggerPrice !== null
      : !NOT_CONDITIONAL.has(requireString(row, 'stopOrderType', where));
  if (conditional) return market ? 'stop-market' : 'stop-limit';
  return market ? 'market' : 'limit';
}

function statusOf(row: WireRecord, where: string): OrderStatus {
  const value = requireString(row, 'orderStatus', where);
  const status = ORDER_STATUSES[value];
  if (status !== undefined) return status;
  throw new WireFormatError(`${where}: unknown "orderStatus" ${JSON.stringify(value)}`);
}

/** rejectReason says why the venue refused or pulled it; cancelType who cancelled. */
function reasonOf(row: WireRecord, where: string): string | null {
  for (const key of ['rejectReason', 'cancelType']) {
    const value = row[key];
    if (value === undefined) continue;
    const text = requireString(row, key, where);
    if (!NO_REASON.has(text)) return text;
  }
  return null;
}

function feeCurrencyOf(row: WireRecord, symbol: string, where: string): string {
  const given = row['feeCurrency'];
  if (given !== undefined && given !== '') return requireString(row, 'feeCurrency', where);
  return bybitSettleCoinOf(symbol) ?? '';
}

function sideOf(row: WireRecord, where: string): 'buy' | 'sell' {
  return requireOneOf(row, 'side', SIDES, where) === 'Buy' ? 'buy' : 'sell';
}

function labelOf(row: WireRecord, where: string): string | null {
  const value = row['orderLinkId'];
  if (value === undefined || value === '') return null;
  return requireString(row, 'orderLinkId', where);
}

function optionalFlag(row: WireRecord, key: string, where: string): boolean {
  return row[key] === undefined ? false : requireBoolean(row, key, where);
}

function requireDecimal(row: WireRecord, key: string, where: string): number {
  const value = requireDecimalString(row, key, where);
  if (value !== null) return value;
  throw new WireFormatError(`${where}: "${key}" must be a decimal string, got ""`);
}

function optionalDecimal(row: WireRecord, key: string, where: string): number | null {
  return row[key] === undefined ? null : requireDecimalString(row, key, where);
}

function requireTimestamp(row: WireRecord, key: string, where: string): number {
  const value = requireDecimalString(row, key, where);
  if (value !== null && Number.isSafeInteger(value) && value > 0) return value;
  throw new WireFormatError(
    `${where}: "${key}" must be a positive ms timestamp, got ${JSON.stringify(row[key])}`,
  );
}

/** Left out rather than guessed when the row does not say ('' or absent). */
function createdTsOf(row: WireRecord, where: string): { createdTs?: number } {
  const created = row['createdTime'];
  if (created === undefined || created === '') return {};
  return { createdTs: requireTimestamp(row, 'createdTime', where) };
}

function rowAt(value: unknown, where: string): WireRecord {
  if (isRecord(value)) return value;
  throw new WireFormatError(`${where}: a row must be an object`);
}
