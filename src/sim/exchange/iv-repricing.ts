// Options priced by IV keep their vol, not their price: each new mark moves them.

import { emitOrder } from './events.js';
import type { ExchangeState } from './exchange-state.js';
import { ivLimitPrice } from './order-pricing.js';

export function repriceIvOrders(state: ExchangeState, name: string): void {
  const listing = state.listings.get(name);
  if (listing === undefined || listing.spec.kind !== 'option') return;
  for (const order of state.live.values()) {
    if (order.instrument !== name || order.iv === null || order.state !== 'open') continue;
    const price = ivLimitPrice(listing, order.side, order.iv, state.batchTs);
    if (price === order.price) continue;
    // A new price loses the order's place in the queue, as an edit would.
    listing.book.remove(order);
    order.price = price;
    order.priority = ++state.priority;
    order.updatedAt = state.batchTs;
    listing.book.add(order);
    state.dirtyBooks.add(name);
    emitOrder(state, order);
  }
}
