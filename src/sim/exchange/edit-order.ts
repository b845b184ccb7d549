// Amending a live order in place: amount, price or IV, and its post-only and reduce-only flags.

import { SimError, type SimEditRequest, type SimPlaceResult } from '../contract.js';
import { availableFunds, orderReserve, reserveAt } from './account-funds.js';
import { leverageOf } from './listing.js';
import { emitOrder } from './events.js';
import type { ExchangeState } from './exchange-state.js';
import { executeOrder } from './execution.js';
import { snapAmount } from './grid.js';
import { ownOrder, requireListing } from './lookups.js';
import { ivLimitPrice, passivePrice } from './order-pricing.js';
import { orderView } from './orders.js';
import { checkAmount, checkPositive, checkPrice } from './validation.js';
import { openingAmount } from './valuation.js';

export function editOrder(
  state: ExchangeState,
  accountId: string,
  request: SimEditRequest,
): SimPlaceResult {
  const order = ownOrder(state, accountId, request.orderId);
  const listing = requireListing(state, order.instrument);
  const { spec } = listing;
  const amount = request.amount === undefined ? order.amount : checkAmount(spec, request.amount);
  if (amount <= order.filledAmount) {
    throw new SimError(
      'invalid_params',
      `amount ${amount} is not above the filled ${order.filledAmount}`,
    );
  }
  let iv = order.iv;
  let price = order.price;
  if (request.iv !== undefined) {
    if (spec.kind !== 'option' || order.price === null) {
      throw new SimError('invalid_params', 'only option limit orders can be priced by IV');
    }
    iv = checkPositive('iv', request.iv);
    price = ivLimitPrice(listing, order.side, iv, state.batchTs);
  } else if (request.price !== undefined && order.price !== null) {
    price = checkPrice(spec, request.price);
    iv = null;
  }
  const reduceOnly = request.reduceOnly ?? order.reduceOnly;
  const ledger = state.accounts.ledger(accountId, spec.settleCurrency);
  const positionSize = ledger.positions.get(spec.name)?.size ?? 0;
  const left = snapAmount(spec, amount - order.filledAmount);
  if (reduceOnly && openingAmount(positionSize, order.side, left) >= left) {
    throw new SimError('reduce_only_increase', 'a reduce-only order must shrink the position');
  }
  const postOnly = (request.postOnly ?? order.postOnly) && order.type === 'limit';
  const rejectPostOnly = request.rejectPostOnly ?? order.rejectPostOnly;
  let repriced = order.repriced;
  if (postOnly && price !== null && order.state === 'open') {
    const passive = passivePrice(listing, accountId, order.side, price, rejectPostOnly);
    repriced = passive !== price;
    price = passive;
  }
  const before = order.state === 'open' ? orderReserve(state, order) : 0;
  const after =
    order.state === 'open'
      ? reserveAt(
          state,
          listing,
          order.side,
          left,
          price,
          positionSize,
          leverageOf(listing, ledger),
        )
      : 0;
  if (after > before && availableFunds(state, ledger) < after - before) {
    throw new SimError('not_enough_funds', 'not enough funds', { required: after - before });
  }

  const resting = order.state === 'open';
  if (resting) listing.book.remove(order);
  // Moving the price or growing the order goes to the back of the queue; shrinking does not.
  if (price !== order.price || amount > order.amount) order.priority = ++state.priority;
  order.amount = amount;
  order.price = price;
  order.iv = iv;
  order.postOnly = postOnly;
  order.rejectPostOnly = rejectPostOnly;
  order.reduceOnly = reduceOnly;
  order.repriced = repriced;
  order.updatedAt = state.batchTs;
  if (!resting) {
    emitOrder(state, order);
    return { order: orderView(order), fills: [] };
  }
  state.dirtyBooks.add(spec.name);
  const fills = executeOrder(state, listing, order);
  return { order: orderView(order), fills };
}
