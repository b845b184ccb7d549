// What an account has free to trade with: its summary, and what its orders tie up.

import type { SimAccountSummary, SimSide } from '../contract.js';
import type { Ledger } from './accounts.js';
import type { ExchangeState } from './exchange-state.js';
import { reserveFor, walkedPrice } from './funds.js';
import { leverageOf, markOf, type Listing } from './listing.js';
import { capacity, feesFor, indexOf } from './lookups.js';
import { planTake } from './matching.js';
import { remaining, type OrderRecord } from './orders.js';
import { positionValue, summaryView } from './views.js';

export function summarize(state: ExchangeState, ledger: Ledger): SimAccountSummary {
  const now = state.options.now();
  const values = [];
  for (const position of ledger.positions.values()) {
    const listing = state.listings.get(position.instrument);
    if (listing === undefined) continue;
    values.push({
      kind: listing.spec.kind,
      value: positionValue(listing, ledger, position, now, indexOf(state, listing)),
    });
  }
  let reserved = 0;
  for (const order of state.live.values()) {
    if (order.accountId !== ledger.accountId || order.state !== 'open') continue;
    const listing = state.listings.get(order.instrument);
    if (listing?.spec.settleCurrency === ledger.currency) reserved += orderReserve(state, order);
  }
  return summaryView(ledger, values, reserved);
}

export function availableFunds(state: ExchangeState, ledger: Ledger): number {
  return summarize(state, ledger).availableFunds;
}

/** What a resting order ties up now. */
export function orderReserve(state: ExchangeState, order: OrderRecord): number {
  const listing = state.listings.get(order.instrument);
  if (listing === undefined) return 0;
  const ledger = state.accounts.find(order.accountId, listing.spec.settleCurrency);
  const size = ledger?.positions.get(order.instrument)?.size ?? 0;
  return reserveAt(
    state,
    listing,
    order.side,
    remaining(order),
    order.price,
    size,
    leverageOf(listing, ledger),
  );
}

export function reserveAt(
  state: ExchangeState,
  listing: Listing,
  side: SimSide,
  amount: number,
  price: number | null,
  positionSize: number,
  leverage: number,
): number {
  const indexPrice = indexOf(state, listing);
  const fees = feesFor(state, listing.spec);
  const mark = markOf(listing, indexPrice);
  return reserveFor(listing, fees, mark, indexPrice, side, amount, price, positionSize, leverage);
}

/** What a new order would tie up: at its limit, or for market orders at the worst price
 * it would walk to. */
export function newOrderReserve(
  state: ExchangeState,
  listing: Listing,
  accountId: string,
  side: SimSide,
  amount: number,
  price: number | null,
  positionSize: number,
): number {
  if (price === null) {
    const plan = planTake(listing.book, listing.spec, {
      side,
      amount,
      limit: null,
      skipAccount: accountId,
      makerCapacity: (order) => capacity(state, listing, order),
    });
    price = walkedPrice(plan);
  }
  const ledger = state.accounts.find(accountId, listing.spec.settleCurrency);
  return reserveAt(state, listing, side, amount, price, positionSize, leverageOf(listing, ledger));
}
