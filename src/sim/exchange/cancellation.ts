// Orders leaving the book unfilled: at the user's request, at settlement, when a taker's rest
// may not stay, or when a reduce-only order has nothing left to reduce.

import type { SimOrder, SimOrderFilter } from '../contract.js';
import { emitOrder } from './events.js';
import type { ExchangeState } from './exchange-state.js';
import type { Listing } from './listing.js';
import { capacity, matchesFilter, ownOrder } from './lookups.js';
import { orderView, type OrderRecord } from './orders.js';

/** `listing` is undefined once the instrument is gone; the order is closed all the same. */
export function cancelOrder(
  state: ExchangeState,
  listing: Listing | undefined,
  order: OrderRecord,
  reason: string,
): void {
  if (order.state === 'open' && listing !== undefined) {
    listing.book.remove(order);
    state.dirtyBooks.add(listing.spec.name);
  }
  order.state = 'cancelled';
  order.cancelReason = reason;
  order.updatedAt = state.batchTs;
  state.live.delete(order.orderId);
  emitOrder(state, order);
}

export function cancelOwnOrder(state: ExchangeState, accountId: string, orderId: string): SimOrder {
  const order = ownOrder(state, accountId, orderId);
  cancelOrder(state, state.listings.get(order.instrument), order, 'user');
  return orderView(order);
}

export function cancelOwnOrders(
  state: ExchangeState,
  accountId: string,
  filter: SimOrderFilter | undefined,
): readonly SimOrder[] {
  const cancelled: SimOrder[] = [];
  for (const order of [...state.live.values()]) {
    if (order.accountId !== accountId) continue;
    const listing = state.listings.get(order.instrument);
    if (listing === undefined || !matchesFilter(listing.instrument, filter, order.label)) {
      continue;
    }
    cancelOrder(state, listing, order, 'user');
    cancelled.push(orderView(order));
  }
  return cancelled;
}

/** Reduce-only orders left with nothing to reduce go away, as on the venues. */
export function sweepReduceOnly(state: ExchangeState): void {
  for (const order of [...state.live.values()]) {
    if (!order.reduceOnly || order.state !== 'open') continue;
    const listing = state.listings.get(order.instrument);
    if (listing !== undefined && capacity(state, listing, order) <= 0) {
      cancelOrder(state, listing, order, 'reduce_only');
    }
  }
}
