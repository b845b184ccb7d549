// What became of the open orders when a session ends, said the same way by the screen and by
// the headless commands that trade (`stream --exec`, `hedge`).

import type { MarketEngine } from '../app/market-engine.js';
import { ordersLeft, type OrdersLeft } from '../app/orders-left.js';
import type { Mode } from '../view/types.js';

const orders = (n: number): string => `${n} open order${n === 1 ? '' : 's'}`;

/** The goodbye line says what became of the open orders: true in every mode. */
export function whatOutlives(left: OrdersLeft, mode: Mode): string {
  if (mode === 'SIM') {
    const gone = left.open === 0 ? '' : ` (${orders(left.open)} went with it)`;
    return `the embedded exchange stopped with it, so nothing outlives the session${gone}`;
  }
  if (left.open === 0) return 'no open orders';
  const staying = left.open - left.cancelledByVenue;
  const stay = `${orders(staying)} ${staying === 1 ? 'stays' : 'stay'} open on the venue`;
  if (left.cancelledByVenue === 0) return stay;
  const cancelled = `${orders(left.cancelledByVenue)} cancelled by the venue as the connection closed (its cancel-on-disconnect)`;
  // Cancel-on-disconnect covers the connection's own orders; others (another session's, the
  // website's) stay.
  return staying === 0 ? cancelled : `${cancelled}; ${stay} (placed elsewhere)`;
}

/** The goodbye of a session on `engine`, to be read before its feeds stop. */
export function sessionGoodbye(engine: MarketEngine, venue: string, mode: Mode): string {
  return whatOutlives(ordersLeft(engine, venue), mode);
}

/** The mode a headless command's venue flags mean. */
export function modeOf(venue: string, testnet: boolean): Mode {
  return venue === 'sim' ? 'SIM' : testnet ? 'TESTNET' : 'LIVE';
}
