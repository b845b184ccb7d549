// A combo order: several listed instruments traded as one, whole or not at all. The embedded
// exchange has no one quoting combos, so a combo order trades against its legs' own books at
// once: every leg takes its whole amount there, and the legs' prices together must be at or
// better than the combo's limit. Otherwise nothing trades and the order ends cancelled.

import { SimError, type SimComboRequest, type SimFill, type SimPlaceResult } from '../contract.js';
import { oppositeSide } from './book.js';
import { emitOrder } from './events.js';
import type { ExchangeState } from './exchange-state.js';
import { snapAmount } from './grid.js';
import { capacity, labelKey, requireListing } from './lookups.js';
import { planTake, plannedAmount } from './matching.js';
import { orderView, type OrderRecord } from './orders.js';
import { printTrade } from './trade-prints.js';
import { checkSide } from './validation.js';

const TOLERANCE = 1e-9;

export function placeCombo(
  state: ExchangeState,
  accountId: string,
  request: SimComboRequest,
): SimPlaceResult {
  state.accounts.open(accountId);
  const side = checkSide(request.side);
  if (!(request.amount > 0) || !Number.isFinite(request.amount)) {
    throw new SimError('invalid_params', `amount ${request.amount} must be above 0`);
  }
  if (!Number.isFinite(request.price)) {
    throw new SimError('invalid_params', 'a combo order needs a price');
  }
  const sign = side === 'buy' ? 1 : -1;
  const legs = request.legs.map((leg) => {
    const listing = requireListing(state, leg.instrument);
    const legSide = leg.ratio * sign > 0 ? ('buy' as const) : ('sell' as const);
    const amount = snapAmount(listing.spec, request.amount * Math.abs(leg.ratio));
    return { leg, listing, legSide, amount };
  });
  const ts = state.batchTs;
  const order: OrderRecord = {
    orderId: `${request.currency}-${++state.orderNumber}`,
    accountId,
    instrument: request.combo,
    side,
    type: 'limit',
    price: request.price,
    iv: null,
    amount: request.amount,
    filledAmount: 0,
    filledValue: 0,
    state: 'open',
    postOnly: false,
    rejectPostOnly: false,
    reduceOnly: false,
    timeInForce: request.timeInForce ?? 'good_til_cancelled',
    label: request.label ?? '',
    triggerPrice: null,
    trigger: null,
    createdAt: ts,
    updatedAt: ts,
    cancelReason: null,
    repriced: false,
    commission: 0,
    priority: ++state.priority,
  };
  state.orders.set(order.orderId, order);
  if (order.label !== '') state.labels.set(labelKey(accountId, order.label), order);

  const plans = legs.map(({ listing, legSide, amount }) =>
    planTake(listing.book, listing.spec, {
      side: legSide,
      amount,
      limit: null,
      skipAccount: accountId,
      makerCapacity: (maker) => capacity(state, listing, maker),
    }),
  );
  const whole = plans.every(
    (plan, index) => plannedAmount(plan) >= legs[index]!.amount * (1 - TOLERANCE),
  );
  // What one combo costs its buyer: Σ ratio × each leg's average price.
  const net = legs.reduce((total, { leg }, index) => {
    const plan = plans[index]!;
    const value = plan.reduce((sum, match) => sum + match.price * match.amount, 0);
    const average = value / Math.max(plannedAmount(plan), TOLERANCE);
    return total + leg.ratio * average;
  }, 0);
  const withinLimit =
    side === 'buy' ? net <= request.price + TOLERANCE : net >= request.price - TOLERANCE;
  if (!whole || !withinLimit) {
    order.state = 'cancelled';
    order.cancelReason = whole ? 'limit_not_reached' : 'not_enough_liquidity';
    emitOrder(state, order);
    return { order: orderView(order), fills: [] };
  }
  const fills: SimFill[] = [];
  for (const [index, { listing, legSide, amount }] of legs.entries()) {
    // Each leg trades as the combo's order (its id and label), for the leg's amount.
    const legOrder: OrderRecord = {
      ...order,
      instrument: listing.spec.name,
      side: legSide,
      amount,
      filledAmount: 0,
      filledValue: 0,
    };
    for (const match of plans[index]!) {
      if (match.maker === null) {
        listing.book.consumeMaker(oppositeSide(legSide), match.price, match.amount);
      }
      const fill = printTrade(
        state,
        listing,
        legSide,
        match.price,
        match.amount,
        match.maker,
        legOrder,
      );
      if (fill !== null) fills.push(fill);
    }
    order.commission += legOrder.commission;
  }
  order.filledAmount = order.amount;
  order.filledValue = net * order.amount;
  order.state = 'filled';
  order.updatedAt = ts;
  emitOrder(state, order);
  return { order: orderView(order), fills };
}
