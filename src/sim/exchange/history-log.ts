// Each account's fills, kept after their instruments expire so a client that was away can
// read what traded (Deribit's get_user_trades_*, Bybit's /v5/execution/list), and the queries
// over them and over closed orders. Instruments are remembered with each fill because an
// expired listing is gone from the exchange.

import type { SimFill, SimHistoryFilter, SimInstrument, SimOrder } from '../contract.js';
import { matchesFilter } from './lookups.js';

/** Fills kept per account, oldest dropped first: a paper account trading for weeks stays
 * bounded, and no venue serves unbounded history either. */
export const FILLS_KEPT_PER_ACCOUNT = 100_000;

interface KeptFill {
  readonly fill: SimFill;
  readonly instrument: SimInstrument;
}

export class FillHistory {
  private readonly byAccount = new Map<string, KeptFill[]>();

  constructor(private readonly kept = FILLS_KEPT_PER_ACCOUNT) {}

  record(fill: SimFill, instrument: SimInstrument): void {
    let fills = this.byAccount.get(fill.accountId);
    if (fills === undefined) {
      fills = [];
      this.byAccount.set(fill.accountId, fills);
    }
    fills.push({ fill, instrument });
    if (fills.length > this.kept) fills.splice(0, fills.length - this.kept);
  }

  /** Oldest first. */
  query(accountId: string, filter: SimHistoryFilter = {}): readonly SimFill[] {
    const out: SimFill[] = [];
    for (const { fill, instrument } of this.byAccount.get(accountId) ?? []) {
      if (filter.orderId !== undefined && fill.orderId !== filter.orderId) continue;
      if (!inWindow(fill.ts, filter)) continue;
      if (matchesFilter(instrument, filter)) out.push(fill);
    }
    return out;
  }
}

export function inWindow(ts: number, filter: SimHistoryFilter): boolean {
  return (
    (filter.since === undefined || ts >= filter.since) &&
    (filter.until === undefined || ts <= filter.until)
  );
}

/** Closed orders (filled, cancelled, rejected), oldest first by last update. */
export function closedOrders(
  orders: Iterable<{ readonly view: SimOrder; readonly instrument: SimInstrument | undefined }>,
  filter: SimHistoryFilter,
): SimOrder[] {
  const out: SimOrder[] = [];
  for (const { view, instrument } of orders) {
    if (view.state === 'open' || view.state === 'untriggered' || instrument === undefined) continue;
    if (filter.orderId !== undefined && view.orderId !== filter.orderId) continue;
    if (inWindow(view.updatedAt, filter) && matchesFilter(instrument, filter)) out.push(view);
  }
  return out.sort((a, b) => a.updatedAt - b.updatedAt);
}
