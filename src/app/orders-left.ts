// What a session leaves behind on a venue as it ends: the goodbye line and the log say it.

import type { MarketEngine } from './market-engine.js';

/** The account's open orders as the session ends, and how many the venue cancels with it. */
export interface OrdersLeft {
  readonly open: number;
  /** Those the venue's cancel-on-disconnect covers (the ones this connection placed). */
  readonly cancelledByVenue: number;
}

/** The open orders of `venue` on `engine` as the session ends, read before its feeds stop. */
export function ordersLeft(engine: MarketEngine, venue: string): OrdersLeft {
  const open = engine.account
    .orders(venue)
    .filter((order) => order.status === 'open' || order.status === 'untriggered');
  const feed = engine.feed(venue);
  const cancelledByVenue = open.filter(
    (order) => feed?.cancelsOnDisconnect?.(order.orderId) ?? false,
  ).length;
  return { open: open.length, cancelledByVenue };
}
