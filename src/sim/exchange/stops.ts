// Stop orders wait off the book until their reference price reaches the trigger.

import type { SimOrderRequest, SimSide } from '../contract.js';
import type { Listing } from './listing.js';

export type StopTrigger = NonNullable<SimOrderRequest['trigger']>;

/** The price a stop watches; null while there is none (no trade yet for last_price). */
export function triggerReference(
  listing: Listing,
  trigger: StopTrigger,
  indexPrice: number | undefined,
): number | null {
  if (trigger === 'index_price') return indexPrice ?? null;
  if (trigger === 'last_price') return listing.tape.lastPrice;
  return listing.mark?.markPrice ?? null;
}

/** A buy stop fires when the price rises to its trigger, a sell stop when it falls to it. */
export function isTriggered(side: SimSide, triggerPrice: number, reference: number): boolean {
  return side === 'buy' ? reference >= triggerPrice : reference <= triggerPrice;
}
