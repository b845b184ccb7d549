/**
 * The whole account as Deribit reports it now, loaded on every (re)connect so that what was
 * missed while disconnected is replaced rather than patched.
 */
import type {
  AccountSnapshotEvent,
  BalanceEvent,
  OrderEvent,
  PositionEvent,
} from '../../book/events.js';
import type { RpcCaller } from '../common/rpc-caller.js';
import { WireFormatError } from '../wire-fields.js';
import {
  deribitBalanceFromSummary,
  deribitOrderFromWire,
  deribitPositionFromWire,
} from './account-records.js';

const VENUE = 'deribit';

/**
 * private/get_positions (every kind), private/get_open_orders_by_currency and
 * private/get_account_summary for each currency → one AccountSnapshotEvent stamped `ts`
 * (positions and summaries carry no time of their own; pass the venue time of the
 * connection, e.g. the auth reply's). Requests go one at a time: a reconnect is when a
 * client is most likely to meet the venue's rate limit. Rejects with the caller's errors
 * (VenueReplyError, RequestTimeoutError, ConnectionLostError) or a WireFormatError.
 */
export async function loadDeribitAccountSnapshot(
  rpc: RpcCaller,
  currencies: readonly string[],
  ts: number,
): Promise<AccountSnapshotEvent> {
  const orders: OrderEvent[] = [];
  const positions: PositionEvent[] = [];
  const balances: BalanceEvent[] = [];
  for (const currency of new Set(currencies.map((code) => code.toUpperCase()))) {
    const positionsAt = `Deribit get_positions ${currency}`;
    rowsOf(await rpc.call('private/get_positions', { currency }), positionsAt).forEach((row, i) => {
      const position = deribitPositionFromWire(row, ts, `${positionsAt} [${i}]`);
      if (position.size !== 0) positions.push(position);
    });
    const ordersAt = `Deribit get_open_orders_by_currency ${currency}`;
    rowsOf(await rpc.call('private/get_open_orders_by_currency', { currency }), ordersAt).forEach(
      (row, i) => {
        const order = deribitOrderFromWire(row, `${ordersAt} [${i}]`);
        if (order.status === 'open' || order.status === 'untriggered') orders.push(order);
      },
    );
    const summary = await rpc.call('private/get_account_summary', { currency });
    balances.push(
      deribitBalanceFromSummary(summary, ts, `Deribit get_account_summary ${currency}`),
    );
  }
  return { kind: 'account-snapshot', venue: VENUE, ts, orders, positions, balances };
}

function rowsOf(reply: unknown, where: string): readonly unknown[] {
  if (Array.isArray(reply)) return reply as readonly unknown[];
  throw new WireFormatError(`${where}: must be an array, got ${JSON.stringify(reply)}`);
}
