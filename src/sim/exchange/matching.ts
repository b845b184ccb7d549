// Price-time priority: walk the opposite side best price first; at each price the market
// makers' size goes first, then resting user orders oldest first. The walk only plans, so
// fill-or-kill can ask what would fill before anything does.

import type { TradingRules } from '../../instruments/types.js';
import type { SimSide } from '../contract.js';
import { atOrBetter, oppositeSide, restingSide, type InstrumentBook } from './book.js';
import { snapAmount } from './grid.js';
import { remaining, type OrderRecord } from './orders.js';

export interface PlannedMatch {
  readonly price: number;
  readonly amount: number;
  /** The resting user order hit; null for market-maker liquidity. */
  readonly maker: OrderRecord | null;
}

export interface TakeRequest {
  readonly side: SimSide;
  readonly amount: number;
  /** Worst price the taker accepts; null takes whatever there is. */
  readonly limit: number | null;
  /** A taker never trades with its own account's resting orders. */
  readonly skipAccount: string | null;
  /** How much of a resting order can fill now (reduce-only orders stop at the position). */
  readonly makerCapacity: (order: OrderRecord) => number;
}

export function planTake(
  book: InstrumentBook,
  rules: TradingRules,
  request: TakeRequest,
): PlannedMatch[] {
  const side = oppositeSide(request.side);
  const matches: PlannedMatch[] = [];
  let left = request.amount;
  for (const price of book.prices(side)) {
    if (left <= 0) break;
    if (request.limit !== null && !atOrBetter(restingSide(request.side), request.limit, price)) {
      break;
    }
    const maker = Math.min(left, book.makerSize(side, price));
    if (maker > 0) {
      matches.push({ price, amount: snapAmount(rules, maker), maker: null });
      left = snapAmount(rules, left - maker);
    }
    for (const order of book.ordersAt(side, price)) {
      if (left <= 0) break;
      if (order.accountId === request.skipAccount) continue;
      const amount = Math.min(left, remaining(order), request.makerCapacity(order));
      if (!(amount > 0)) continue;
      matches.push({ price, amount: snapAmount(rules, amount), maker: order });
      left = snapAmount(rules, left - amount);
    }
  }
  return matches;
}

export function plannedAmount(matches: readonly PlannedMatch[]): number {
  return matches.reduce((sum, match) => sum + match.amount, 0);
}
