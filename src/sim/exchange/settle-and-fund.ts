// Expiries and perpetual funding: the cash that moves without a trade.

import type { ModelStep, SimInstrument } from '../contract.js';
import type { Ledger, PositionRecord } from './accounts.js';
import { cancelOrder } from './cancellation.js';
import { emit } from './events.js';
import type { ExchangeState } from './exchange-state.js';
import { markOf, type Listing } from './listing.js';
import { indexOf } from './lookups.js';
import { FUNDING_INTERVAL_MS, fundingDue, fundingPayment, settlementOf } from './settlement.js';
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
  const entryPrice = position.averagePrice;
  const { cash, realized, value } = settlementOf(listing.spec, size, entryPrice, price);
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
  state.cash.record(
    {
      ...noTrade,
      accountId: ledger.accountId,
      type: 'delivery',
      instrument: listing.spec.name,
      currency: ledger.currency,
      ts: state.batchTs,
      side: size > 0 ? 'sell' : 'buy',
      amount: Math.abs(size),
      price,
      sizeAfter: 0,
      cashFlow: cash,
      balanceAfter: ledger.balance,
      closedAmount: Math.abs(size),
      entryPrice,
      realized,
    },
    listing.instrument,
  );
  emit(state, { type: 'position', accountId: ledger.accountId, position: view });
  state.dirtyLedgers.add(ledger);
}

/** Perpetual holders pay or receive funding when a step crosses a funding time. */
export function payFunding(state: ExchangeState, ts: number): void {
  if (!fundingDue(state.lastStepTs, ts)) return;
  const fundingTime = Math.floor(ts / FUNDING_INTERVAL_MS) * FUNDING_INTERVAL_MS;
  // Every perpetual settles, held or not: its rate is public history.
  for (const listing of state.listings.values()) {
    if (listing.spec.kind !== 'perpetual') continue;
    const mark = markOf(listing, indexOf(state, listing));
    state.cash.recordSettlement({
      instrument: listing.spec.name,
      ts: fundingTime,
      rate: mark.fundingRate ?? 0,
      markPrice: mark.markPrice,
    });
  }
  for (const ledger of state.accounts.ledgers()) {
    for (const position of ledger.positions.values()) {
      const listing = state.listings.get(position.instrument);
      if (listing === undefined || listing.spec.kind !== 'perpetual') continue;
      if (position.size === 0) continue;
      const mark = markOf(listing, indexOf(state, listing));
      const payment = fundingPayment(listing.spec, position.size, mark);
      ledger.balance -= payment;
      ledger.realizedPnl -= payment;
      position.realizedPnl -= payment;
      state.dirtyLedgers.add(ledger);
      state.cash.record(
        {
          ...noTrade,
          accountId: ledger.accountId,
          type: 'funding',
          instrument: listing.spec.name,
          currency: ledger.currency,
          ts: fundingTime,
          side: position.size > 0 ? 'buy' : 'sell',
          amount: Math.abs(position.size),
          price: mark.markPrice,
          sizeAfter: position.size,
          funding: -payment,
          balanceAfter: ledger.balance,
          rate: mark.fundingRate ?? 0,
        },
        listing.instrument,
      );
    }
  }
}

/** The fields of a cash event that only trades fill in. */
const noTrade = {
  cashFlow: 0,
  fee: 0,
  funding: 0,
  rate: 0,
  tradeId: '',
  orderId: '',
  label: '',
  closedAmount: 0,
  entryPrice: 0,
  realized: 0,
} as const;
