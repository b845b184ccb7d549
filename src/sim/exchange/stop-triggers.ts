// Stop orders waking up when their reference price reaches the trigger.

import type { ExchangeState } from './exchange-state.js';
import { executeOrder } from './execution.js';
import type { Listing } from './listing.js';
import type { OrderRecord } from './orders.js';
import { isTriggered, triggerReference, type StopTrigger } from './stops.js';

export function stopReference(
  state: ExchangeState,
  listing: Listing,
  trigger: StopTrigger,
): number | null {
  return triggerReference(listing, trigger, state.indices.get(listing.instrument.currency));
}

export function triggerStops(state: ExchangeState): void {
  for (;;) {
    const due: OrderRecord[] = [];
    for (const order of state.live.values()) {
      if (order.state !== 'untriggered') continue;
      const listing = state.listings.get(order.instrument);
      const reference = listing && stopReference(state, listing, order.trigger ?? 'mark_price');
      if (
        reference !== undefined &&
        reference !== null &&
        isTriggered(order.side, order.triggerPrice!, reference)
      ) {
        due.push(order);
      }
    }
    if (due.length === 0) return;
    // A triggered stop trades, which can move the last price and trigger the next.
    for (const order of due) {
      order.state = 'open';
      order.updatedAt = state.batchTs;
      executeOrder(state, state.listings.get(order.instrument)!, order);
    }
  }
}
