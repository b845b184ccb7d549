// Per account and instrument futures leverage (Bybit's /v5/position/set-leverage): the
// position's initial margin and its orders' reserve become notional / leverage. Options have
// none; an account that never chose one trades at the listing's default.

import { SimError } from '../contract.js';
import { availableFunds } from './account-funds.js';
import { emit } from './events.js';
import type { ExchangeState } from './exchange-state.js';
import { leverageOf, type Listing } from './listing.js';
import { indexOf } from './lookups.js';
import { positionView } from './views.js';

function futureListing(state: ExchangeState, instrument: string): Listing {
  const listing = state.listings.get(instrument);
  if (listing === undefined) throw new SimError('instrument_not_found', instrument);
  if (listing.spec.kind === 'option') {
    throw new SimError('invalid_params', 'options have no leverage', { instrument });
  }
  return listing;
}

export function leverageFor(state: ExchangeState, accountId: string, instrument: string): number {
  const listing = futureListing(state, instrument);
  return leverageOf(listing, state.accounts.find(accountId, listing.spec.settleCurrency));
}

/** Sets it, refusing a change that would leave the account short of margin (its old
 * leverage kept), and announces the revalued position. Run inside a batch. */
export function setLeverage(
  state: ExchangeState,
  accountId: string,
  instrument: string,
  leverage: number,
): void {
  if (!(Number.isFinite(leverage) && leverage > 0)) {
    throw new SimError('invalid_params', 'leverage must be positive', { leverage });
  }
  const listing = futureListing(state, instrument);
  const ledger = state.accounts.ledger(accountId, listing.spec.settleCurrency);
  const before = leverageOf(listing, ledger);
  ledger.leverages.set(instrument, leverage);
  if (leverage < before && availableFunds(state, ledger) < 0) {
    ledger.leverages.set(instrument, before);
    throw new SimError('not_enough_funds', 'not enough margin for this leverage', { leverage });
  }
  state.dirtyLedgers.add(ledger);
  const position = ledger.positions.get(instrument);
  if (position === undefined || position.size === 0) return;
  const view = positionView(ledger, listing, position, state.batchTs, indexOf(state, listing));
  emit(state, { type: 'position', accountId, position: view });
}
