// What became of the open orders when a session ends, said the same way by the screen and by
// the headless commands that trade (`stream --exec`, `hedge`).

import type { MarketEngine } from '../app/market-engine.js';
import type { Mode } from '../view/types.js';

/** The goodbye line says what became of the open orders: true in every mode. */
export function whatOutlives(openOrders: number, mode: Mode, venueCancels: boolean): string {
  const count = `${openOrders} open order${openOrders === 1 ? '' : 's'}`;
  if (mode === 'SIM') {
    const gone = openOrders === 0 ? '' : ` (${count} went with it)`;
    return `the embedded exchange stopped with it, so nothing outlives the session${gone}`;
  }
  if (openOrders === 0) return 'no open orders';
  return venueCancels
    ? `${count} cancelled by the venue as the connection closed (its cancel-on-disconnect)`
    : `${count} ${openOrders === 1 ? 'stays' : 'stay'} open on the venue`;
}

/** The goodbye of a session on `engine`, to be read before its feeds stop. */
export function sessionGoodbye(engine: MarketEngine, venue: string, mode: Mode): string {
  const openOrders = engine.account
    .orders(venue)
    .filter((order) => order.status === 'open' || order.status === 'untriggered').length;
  const venueCancels = engine.feed(venue)?.cancelsOnDisconnect?.() ?? false;
  return whatOutlives(openOrders, mode, venueCancels);
}

/** The mode a headless command's venue flags mean. */
export function modeOf(venue: string, testnet: boolean): Mode {
  return venue === 'sim' ? 'SIM' : testnet ? 'TESTNET' : 'LIVE';
}
