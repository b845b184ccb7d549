// Where an order's limit price comes from when the request does not simply name one: the
// post-only rule (one tick inside the touch, or refused) and pricing by implied vol.

import { SimError, type SimSide } from '../contract.js';
import { atOrBetter, oppositeSide, restingSide, type InstrumentBook } from './book.js';
import { ceilToTick, floorToTick, tickAbove, tickBelow } from './grid.js';
import { yearsLeft, type Listing } from './listing.js';
import { priceAtIv } from './option-values.js';

/** The best opposite price an order from `accountId` could trade with: its own orders do not
 * count, since it never trades with them. */
export function bestOpposite(
  book: InstrumentBook,
  accountId: string,
  side: SimSide,
): number | null {
  const bookSide = oppositeSide(side);
  for (const price of book.prices(bookSide)) {
    if (book.makerSize(bookSide, price) > 0) return price;
    if (book.ordersAt(bookSide, price).some((order) => order.accountId !== accountId)) {
      return price;
    }
  }
  return null;
}

/** A post-only price that would take moves one tick inside the opposite touch, or is refused
 * when the order asks for that. */
export function passivePrice(
  listing: Listing,
  accountId: string,
  side: SimSide,
  price: number,
  reject: boolean,
): number {
  const touch = bestOpposite(listing.book, accountId, side);
  if (touch === null || !atOrBetter(restingSide(side), price, touch)) return price;
  const inside = side === 'buy' ? tickBelow(listing.spec, touch) : tickAbove(listing.spec, touch);
  if (reject || !(inside > 0)) {
    throw new SimError('post_only_reject', `post-only ${side} at ${price} would take at ${touch}`);
  }
  return inside;
}

/** The limit an IV implies on the current forward, rounded to the passive side (buys down,
 * sells up) so the order never pays more than its IV. */
export function ivLimitPrice(listing: Listing, side: SimSide, iv: number, now: number): number {
  const { spec } = listing;
  const years = yearsLeft(listing, now);
  if (spec.kind !== 'option' || listing.mark === null || !(years > 0)) {
    throw new SimError('invalid_params', `${spec.name} has no forward to price an IV on`);
  }
  const raw = priceAtIv(spec, iv, listing.mark.forward, years);
  const price = side === 'buy' ? floorToTick(spec, raw) : ceilToTick(spec, raw);
  return Math.max(price, spec.tickSize);
}
