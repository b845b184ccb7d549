// Expiries and perpetual funding: the cash that moves without a trade.

import type { ModelStep, SimInstrument } from '../contract.js';
import type { Ledger, PositionRecord } from './accounts.js';
import { cancelOrder } from './cancellation.js';
import { emit } from './events.js';
import type { ExchangeState } from './exchange-state.js';
import { markOf, type Listing } from './listing.js';
import { indexOf } from './lookups.js';
import { fundingDue, fundingPayment, settlementOf } from './settlement.js';
import { positionView } from './views.js';

/** Delivery prices kept for the venues' delivery-price queries. */
const KEEP_DELIVERIES = 20_000;

/** Cancels the expired instruments' orders, cashes their positions and delists them. */
export function settleExpired(state: ExchangeState, expired: ModelStep['expired']): void {
  const removed: SimInstrument[] = [];
  for (const { name, settlementPrice } of expired) {
    const listing = state.listings.get(name);
    if (listing === undefined) continue;
    for (const order of [...state.live.values()]) {
      if (order.instrument === name) cancelOrder(state, listing, order, 'settlement');
    }
    for (const ledger of state.accounts.ledgers()) {
      const position = ledger.positions.get(name);
      if (position !== undefined) settlePosition(state, ledger, listing, position, settlementPrice);
    }
    state.deliveries.push({
      instrument: name,
      base: listing.spec.base,
      kind: listing.spec.kind,
      ts: listing.spec.expiry ?? state.batchTs,
      price: settlementPrice,
    });
    if (state.deliveries.length > KEEP_DELIVERIES) state.deliveries.splice(0, KEEP_DELIVERIES / 2);
    emit(state, {
      type: 'settlement',
      instrument: name,
      price: settlementPrice,
      ts: state.batchTs,
    });
    state.listings.delete(name);
    state.delisted.set(name, listing.instrument);
    // A delisted instrument publishes no closing book or ticker.
    state.dirtyBooks.delete(name);
    state.dirtyTickers.delete(name);
    removed.push(listing.instrument);
  }
  if (removed.length > 0) emit(state, { type: 'listing', ts: state.batchTs, added: [], removed });
}

function settlePosition(
  state: ExchangeState,
  ledger: Ledger,
  listing: Listing,
  position: PositionRecord,
  price: number,
): void {
  const size = position.size;
  const { cash, realized, value } = settlementOf(listing.spec, size, position.averagePrice, price);
  ledger.balance += cash;
  ledger.realizedPnl += realized;
  position.realizedPnl += realized;
  position.size = 0;
  listing.userExposure = Math.max(0, listing.userExposure - Math.abs(size));
  const view = positionView(
    ledger,
    listing,
    position,
    state.batchTs,
    indexOf(state, listing),
    value,
  );
  ledger.positions.delete(position.instrument);
  emit(state, { type: 'position', accountId: ledger.accountId, position: view });
  state.dirtyLedgers.add(ledger);
}

/** Perpetual holders pay or receive funding when a step crosses a funding time. */
export function payFunding(state: ExchangeState, ts: number): void {
  if (!fundingDue(state.lastStepTs, ts)) return;
  for (const ledger of state.accounts.ledgers()) {
    for (const position of ledger.positions.values()) {
      const listing = state.listings.get(position.instrument);
      if (listing === undefined || listing.spec.kind !== 'perpetual') continue;
      const mark = markOf(listing, indexOf(state, listing));
      const payment = fundingPayment(listing.spec, position.size, mark);
      ledger.balance -= payment;
      ledger.realizedPnl -= payment;
      position.realizedPnl -= payment;
      state.dirtyLedgers.add(ledger);
    }
  }
}
