// What orders tie up: margin for the part that opens exposure, plus a taker fee on it.

import type { ModelMark, SimSide } from '../contract.js';
import { tradeFee, type FeeSchedule } from './fees.js';
import type { Listing } from './listing.js';
import type { PlannedMatch } from './matching.js';
import { openingAmount, orderMargin } from './valuation.js';

export function reserveFor(
  listing: Listing,
  fees: FeeSchedule,
  mark: ModelMark,
  indexPrice: number,
  side: SimSide,
  amount: number,
  price: number | null,
  positionSize: number,
  leverage: number,
): number {
  const opening = openingAmount(positionSize, side, amount);
  if (opening <= 0) return 0;
  const at = price ?? mark.markPrice;
  if (!(at > 0)) return 0;
  const fee = tradeFee(listing.spec, fees, 'taker', at, opening, indexPrice);
  return orderMargin(listing.spec, side, opening, at, mark, leverage) + Math.max(fee, 0);
}

/** The price a market order is reserved at: the worst it would walk to, which costs the most
 * premium for a buy and the most coin notional for an inverse sell; null with nothing to walk. */
export function walkedPrice(plan: readonly PlannedMatch[]): number | null {
  return plan.at(-1)?.price ?? null;
}
