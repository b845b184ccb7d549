/**
 * The account as Bybit's REST says it is now, loaded on every (re)connect of the private
 * socket: positions, open orders and the wallet. It replaces whatever was known, so every
 * list is read to its last page.
 */
import type {
  AccountSnapshotEvent,
  BalanceEvent,
  OrderEvent,
  PositionEvent,
} from '../../book/events.js';
import { isRecord, requireArray, WireFormatError } from '../wire-fields.js';
import {
  bybitBalancesFromWallet,
  bybitOrderFromRow,
  bybitPositionFromRow,
  bybitSettleCoinOf,
  type BybitCategory,
} from './account-rows.js';
import type { BybitQuery, BybitRestClient } from './rest.js';

const POSITION_PAGE = 200;
const ORDER_PAGE = 50;

export interface BybitSnapshotOptions {
  /** Option base coins (BTC, ETH); empty asks for every option position and order at once. */
  readonly baseCoins: readonly string[];
  /** Linear contracts followed (the hedges); their settle coins say which linear lists to read. */
  readonly linearSymbols: readonly string[];
  readonly ts: number;
}

/** REST: /v5/position/list (category option and linear, settleCoin/baseCoin as needed), /v5/order/realtime (open orders, option + linear), /v5/account/wallet-balance → AccountSnapshotEvent. */
export async function loadBybitAccountSnapshot(
  rest: BybitRestClient,
  options: BybitSnapshotOptions,
): Promise<AccountSnapshotEvent> {
  const scopes = listScopes(options);
  const [positions, orders, balances] = await Promise.all([
    Promise.all(scopes.map((scope) => loadPositions(rest, scope, options.ts))),
    Promise.all(scopes.map((scope) => loadOpenOrders(rest, scope))),
    loadBalances(rest, options.ts),
  ]);
  return {
    kind: 'account-snapshot',
    venue: 'bybit',
    ts: options.ts,
    orders: unique(orders.flat(), (o) => o.orderId).filter(
      (o) => o.status === 'open' || o.status === 'untriggered',
    ),
    positions: unique(positions.flat(), (p) => p.instrument).filter((p) => p.size !== 0),
    balances,
  };
}

interface ListScope {
  readonly category: BybitCategory;
  readonly query: BybitQuery;
}

/**
 * Option lists are read per base coin (or all at once); linear lists need a symbol, base or
 * settle coin, and one query per settle coin covers every hedge settled in it.
 */
function listScopes(options: BybitSnapshotOptions): ListScope[] {
  const scopes: ListScope[] =
    options.baseCoins.length === 0
      ? [{ category: 'option', query: {} }]
      : [...new Set(options.baseCoins)].map((baseCoin) => ({
          category: 'option',
          query: { baseCoin },
        }));
  const settleCoins = new Set<string>();
  for (const symbol of options.linearSymbols) {
    const settleCoin = bybitSettleCoinOf(symbol);
    if (settleCoin !== null) settleCoins.add(settleCoin);
    // A name that says nothing of its settlement is read on its own.
    else scopes.push({ category: 'linear', query: { symbol } });
  }
  for (const settleCoin of settleCoins) {
    scopes.push({ category: 'linear', query: { settleCoin } });
  }
  return scopes;
}

async function loadPositions(
  rest: BybitRestClient,
  scope: ListScope,
  ts: number,
): Promise<PositionEvent[]> {
  const rows = await rest.getAllPages(
    '/v5/position/list',
    { category: scope.category, ...scope.query, limit: POSITION_PAGE },
    true,
  );
  return rows.map((row, i) =>
    bybitPositionFromRow(row, ts, `/v5/position/list ${scope.category} list[${i}]`),
  );
}

async function loadOpenOrders(rest: BybitRestClient, scope: ListScope): Promise<OrderEvent[]> {
  const rows = await rest.getAllPages(
    '/v5/order/realtime',
    { category: scope.category, ...scope.query, openOnly: 0, limit: ORDER_PAGE },
    true,
  );
  return rows.map((row, i) =>
    bybitOrderFromRow(row, `/v5/order/realtime ${scope.category} list[${i}]`),
  );
}

async function loadBalances(rest: BybitRestClient, ts: number): Promise<BalanceEvent[]> {
  const where = '/v5/account/wallet-balance result';
  const result = await rest.signedGet('/v5/account/wallet-balance', { accountType: 'UNIFIED' });
  if (!isRecord(result)) throw new WireFormatError(`${where}: must be an object`);
  return requireArray(result, 'list', where).flatMap((account, i) =>
    bybitBalancesFromWallet(account, ts, `${where} list[${i}]`),
  );
}

/** Lists read by overlapping scopes may name the same order or position twice. */
function unique<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) seen.set(key(item), item);
  return [...seen.values()];
}
