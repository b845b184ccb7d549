// A new order: checked against the instrument's rules, the account's position and funds, then
// either parked as a stop or sent to the book.

import { SimError, type SimOrderRequest, type SimPlaceResult } from '../contract.js';
import { availableFunds, newOrderReserve } from './account-funds.js';
import { emitOrder } from './events.js';
import type { ExchangeState } from './exchange-state.js';
import { executeOrder } from './execution.js';
import { labelKey, requireListing } from './lookups.js';
import { ivLimitPrice, passivePrice } from './order-pricing.js';
import { orderView, type OrderRecord } from './orders.js';
import { stopReference } from './stop-triggers.js';
import { isTriggered } from './stops.js';
import { nextOrderId } from './venue-ids.js';
import {
  checkAmount,
  checkPositive,
  checkPrice,
  checkSide,
  checkTimeInForce,
  checkType,
} from './validation.js';
import { openingAmount } from './valuation.js';

function isStopType(type: SimOrderRequest['type']): boolean {
  return type === 'stop_market' || type === 'stop_limit';
}

export function placeOrder(
  state: ExchangeState,
  accountId: string,
  request: SimOrderRequest,
): SimPlaceResult {
  state.accounts.open(accountId);
  const listing = requireListing(state, request.instrument);
  const { spec } = listing;
  const side = checkSide(request.side);
  const type = checkType(request.type);
  const timeInForce = checkTimeInForce(request.timeInForce);
  const amount = checkAmount(spec, request.amount);
  const stop = isStopType(type);
  const priced = type === 'limit' || type === 'stop_limit';

  let iv: number | null = null;
  let price: number | null = null;
  if (request.iv !== undefined) {
    if (spec.kind !== 'option' || !priced) {
      throw new SimError('invalid_params', 'only option limit orders can be priced by IV');
    }
    iv = checkPositive('iv', request.iv);
    price = ivLimitPrice(listing, side, iv, state.batchTs);
  } else if (priced) {
    price = checkPrice(spec, request.price);
  }

  let triggerPrice: number | null = null;
  let trigger: SimOrderRequest['trigger'] | null = null;
  if (stop) {
    triggerPrice = checkPositive('trigger price', request.triggerPrice);
    trigger = request.trigger ?? 'mark_price';
    const reference = stopReference(state, listing, trigger);
    if (reference !== null && isTriggered(side, triggerPrice, reference)) {
      throw new SimError(
        'would_trigger_immediately',
        `a ${side} stop at ${triggerPrice} triggers at once (${trigger} ${reference})`,
      );
    }
  }

  const ledger = state.accounts.ledger(accountId, spec.settleCurrency);
  const positionSize = ledger.positions.get(spec.name)?.size ?? 0;
  const reduceOnly = request.reduceOnly ?? false;
  if (reduceOnly && openingAmount(positionSize, side, amount) >= amount) {
    throw new SimError('reduce_only_increase', 'a reduce-only order must shrink the position');
  }

  const postOnly = (request.postOnly ?? false) && type === 'limit';
  const rejectPostOnly = request.rejectPostOnly ?? false;
  let repriced = false;
  if (postOnly && price !== null) {
    const passive = passivePrice(listing, accountId, side, price, rejectPostOnly);
    repriced = passive !== price;
    price = passive;
  }

  const reserve = newOrderReserve(state, listing, accountId, side, amount, price, positionSize);
  if (reserve > 0 && availableFunds(state, ledger) < reserve) {
    throw new SimError('not_enough_funds', 'not enough funds', {
      required: reserve,
      available: availableFunds(state, ledger),
    });
  }

  const ts = state.batchTs;
  const order: OrderRecord = {
    orderId: nextOrderId(state, listing.instrument.currency),
    accountId,
    instrument: spec.name,
    side,
    type,
    price,
    iv,
    amount,
    filledAmount: 0,
    filledValue: 0,
    state: stop ? 'untriggered' : 'open',
    postOnly,
    rejectPostOnly,
    reduceOnly,
    timeInForce,
    label: request.label ?? '',
    triggerPrice,
    trigger,
    createdAt: ts,
    updatedAt: ts,
    cancelReason: null,
    repriced,
    commission: 0,
    priority: ++state.priority,
  };
  state.orders.set(order.orderId, order);
  state.live.set(order.orderId, order);
  if (order.label !== '') state.labels.set(labelKey(accountId, order.label), order);
  if (stop) {
    emitOrder(state, order);
    return { order: orderView(order), fills: [] };
  }
  const fills = executeOrder(state, listing, order);
  return { order: orderView(order), fills };
}
