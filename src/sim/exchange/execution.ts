// Matching: a user's order or the model's noise flow taking from the book, and resting user
// orders crossed by the makers' new quotes.

import type { ModelTakerFlow, SimFill, SimSide } from '../contract.js';
import { atOrBetter, oppositeSide, type BookSide } from './book.js';
import { cancelOrder } from './cancellation.js';
import { emitOrder } from './events.js';
import type { ExchangeState } from './exchange-state.js';
import { snapAmount } from './grid.js';
import type { Listing } from './listing.js';
import { capacity } from './lookups.js';
import { planTake, plannedAmount, type PlannedMatch } from './matching.js';
import { bestOpposite } from './order-pricing.js';
import { isLive, remaining, type OrderRecord } from './orders.js';
import { printTrade } from './trade-prints.js';

/** Takes what the order can take, then rests, cancels or kills the rest by its type. */
export function executeOrder(
  state: ExchangeState,
  listing: Listing,
  order: OrderRecord,
): SimFill[] {
  const { spec, book } = listing;
  const fills: SimFill[] = [];
  const takes = !(order.postOnly && order.type === 'limit');
  let limit = order.price;
  if (order.type === 'market' || order.type === 'stop_market') limit = null;
  if (order.type === 'market_limit' && order.price === null) {
    const best = bestOpposite(listing.book, order.accountId, order.side);
    if (best === null) return finish(state, listing, order, 'ioc', fills);
    order.price = best;
    limit = best;
  }
  if (takes) {
    const wanted = Math.min(remaining(order), capacity(state, listing, order));
    const plan = planTake(book, spec, {
      side: order.side,
      amount: snapAmount(spec, wanted),
      limit,
      skipAccount: order.accountId,
      makerCapacity: (maker) => capacity(state, listing, maker),
    });
    if (
      order.timeInForce === 'fill_or_kill' &&
      plannedAmount(plan) < remaining(order) * (1 - 1e-9)
    ) {
      // Fill-or-kill that cannot fill whole ends cancelled with no fills, as both venues
      // report it, rather than as an error.
      return finish(state, listing, order, 'fok', fills);
    }
    fills.push(...executePlan(state, listing, order.side, plan, order));
  }
  if (!isLive(order)) return finish(state, listing, order, null, fills);
  if (order.reduceOnly && capacity(state, listing, order) <= 0) {
    return finish(state, listing, order, 'reduce_only', fills);
  }
  if (
    order.type === 'market' ||
    order.type === 'stop_market' ||
    order.timeInForce !== 'good_til_cancelled'
  ) {
    return finish(state, listing, order, 'ioc', fills);
  }
  book.add(order);
  state.dirtyBooks.add(spec.name);
  return finish(state, listing, order, null, fills);
}

/** Announces a taker order's final state, cancelling what is left when told why. */
function finish(
  state: ExchangeState,
  listing: Listing,
  order: OrderRecord,
  cancelReason: string | null,
  fills: SimFill[],
): SimFill[] {
  if (cancelReason !== null && isLive(order)) cancelOrder(state, listing, order, cancelReason);
  else emitOrder(state, order);
  return fills;
}

function executePlan(
  state: ExchangeState,
  listing: Listing,
  takerSide: SimSide,
  plan: readonly PlannedMatch[],
  taker: OrderRecord | null,
): SimFill[] {
  const fills: SimFill[] = [];
  for (const match of plan) {
    if (match.maker === null) {
      listing.book.consumeMaker(oppositeSide(takerSide), match.price, match.amount);
    }
    const fill = printTrade(
      state,
      listing,
      takerSide,
      match.price,
      match.amount,
      match.maker,
      taker,
    );
    if (fill !== null) fills.push(fill);
  }
  return fills;
}

/** The model's noise flow: takes like a market order that belongs to no account. */
export function runTakerFlow(state: ExchangeState, flow: ModelTakerFlow): void {
  const listing = state.listings.get(flow.instrument);
  if (listing === undefined || !(flow.amount > 0)) return;
  const plan = planTake(listing.book, listing.spec, {
    side: flow.side,
    amount: flow.amount,
    limit: null,
    skipAccount: null,
    makerCapacity: (order) => capacity(state, listing, order),
  });
  executePlan(state, listing, flow.side, plan, null);
}

/** The market moved through resting orders: they fill at their own price, as makers. */
export function crossWithMakers(state: ExchangeState, listing: Listing): void {
  const { book } = listing;
  for (const side of ['bid', 'ask'] as const) {
    const makerSide: BookSide = side === 'bid' ? 'ask' : 'bid';
    for (const order of book.userOrders(side)) {
      for (const makerPrice of book.makerPrices(makerSide)) {
        if (!atOrBetter(side, order.price!, makerPrice)) break;
        const amount = Math.min(
          remaining(order),
          book.makerSize(makerSide, makerPrice),
          capacity(state, listing, order),
        );
        if (!(amount > 0)) break;
        book.consumeMaker(makerSide, makerPrice, amount);
        const aggressor: SimSide = side === 'bid' ? 'sell' : 'buy';
        printTrade(
          state,
          listing,
          aggressor,
          order.price!,
          snapAmount(listing.spec, amount),
          order,
          null,
        );
        if (!isLive(order)) break;
      }
    }
  }
}
