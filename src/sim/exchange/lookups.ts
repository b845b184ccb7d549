// Reads of the exchange state that trading, funds and settlement all need.

import type { InstrumentSpec } from '../../instruments/types.js';
import { SimError, type SimInstrument, type SimOrderFilter } from '../contract.js';
import { defaultFees, type FeeSchedule } from './fees.js';
import type { ExchangeState } from './exchange-state.js';
import type { Listing } from './listing.js';
import { isLive, remaining, type OrderRecord } from './orders.js';

/** The model's index for the listing's currency, or before the first index its mark's. */
export function indexOf(state: ExchangeState, listing: Listing): number {
  return state.indices.get(listing.instrument.currency) ?? listing.mark?.indexPrice ?? NaN;
}

export function requireListing(state: ExchangeState, name: string): Listing {
  const listing = state.listings.get(name);
  if (listing === undefined) {
    throw new SimError('instrument_not_found', `no instrument ${name}`, { instrument: name });
  }
  return listing;
}

/** A live order of this account; anyone else's order is reported as missing. */
export function ownOrder(state: ExchangeState, accountId: string, orderId: string): OrderRecord {
  const order = state.orders.get(orderId);
  if (order === undefined || order.accountId !== accountId) {
    throw new SimError('order_not_found', `no order ${orderId}`, { orderId });
  }
  if (!isLive(order)) {
    throw new SimError('not_open_order', `order ${orderId} is ${order.state}`, { orderId });
  }
  return order;
}

export function feesFor(state: ExchangeState, spec: InstrumentSpec): FeeSchedule {
  return state.options.fees ?? defaultFees(spec.settlement);
}

/** How much of the order may fill now: all of it, or for reduce-only what the position
 * still has to close. */
export function capacity(state: ExchangeState, listing: Listing, order: OrderRecord): number {
  if (!order.reduceOnly) return remaining(order);
  const size =
    state.accounts
      .find(order.accountId, listing.spec.settleCurrency)
      ?.positions.get(listing.spec.name)?.size ?? 0;
  return order.side === 'buy' ? Math.max(-size, 0) : Math.max(size, 0);
}

export function matchesFilter(
  instrument: SimInstrument,
  filter: SimOrderFilter | undefined,
  label?: string,
): boolean {
  if (filter === undefined) return true;
  const { spec } = instrument;
  if (
    filter.currency !== undefined &&
    filter.currency !== instrument.currency &&
    filter.currency !== spec.settleCurrency
  ) {
    return false;
  }
  if (filter.kind !== undefined && filter.kind !== spec.kind) return false;
  if (filter.instrument !== undefined && filter.instrument !== spec.name) return false;
  if (filter.label !== undefined && filter.label !== label) return false;
  return true;
}

/** Labels are per account: two accounts may use the same one. */
export function labelKey(accountId: string, label: string): string {
  return `${accountId}\u0000${label}`;
}
