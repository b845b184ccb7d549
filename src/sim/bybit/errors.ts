// Bybit's retCodes and the exchange core's errors mapped onto them.
//
// Sources: the v5 error page (bybit-exchange.github.io/docs/v5/error) for 10001–10006 and
// 10017; messages as the venue sends them, as recorded in ccxt's bybit exception table and
// client issue threads: 110001 "Order does not exist", 110003 "Order price is out of
// permissible range", 110007 "ab not enough for new order", 110008 "Order has been finished or
// canceled", 110017 "Reduce-only rule not satisfied", 110063 "Settlement in progress",
// 110072 "OrderLinkedID is duplicate", 110092/110093 trigger-direction errors, 10006 "Too many
// visits!". Bybit answers off-grid prices and quantities with 10001 and a message naming the
// field, so those stay 10001 here. A PostOnly order that would take and a FOK order that
// cannot fill are not errors on Bybit: the order is created and then cancelled (rejectReason
// EC_PostOnlyWillTakeLiquidity / EC_NoImmediateQtyToFill), see order-outcome.ts.

import { SimError, type SimErrorCode } from '../contract.js';

export const RET = {
  ok: 0,
  params: 10001,
  timestamp: 10002,
  apiKey: 10003,
  sign: 10004,
  rateLimit: 10006,
  serverError: 10016,
  routeNotFound: 10017,
  orderNotFound: 110001,
  priceOutOfRange: 110003,
  insufficientBalance: 110007,
  orderFinished: 110008,
  reduceOnly: 110017,
  settlement: 110063,
  duplicateLinkId: 110072,
  triggerRising: 110092,
} as const;

export class BybitError extends Error {
  constructor(
    readonly retCode: number,
    readonly retMsg: string,
    /** What `result` holds in the error reply: {} unless the venue explains itself there. */
    readonly result: unknown = {},
  ) {
    super(retMsg);
    this.name = 'BybitError';
  }
}

export function paramsError(detail: string): BybitError {
  return new BybitError(RET.params, `params error: ${detail}`);
}

const FROM_SIM: Readonly<Record<SimErrorCode, readonly [number, string]>> = {
  invalid_params: [RET.params, 'params error'],
  instrument_not_found: [RET.params, 'params error: symbol invalid'],
  price_off_tick: [RET.params, 'params error: price is not a multiple of tickSize'],
  amount_off_lot: [RET.params, 'params error: qty is not a multiple of qtyStep'],
  amount_below_minimum: [RET.params, 'params error: qty is below minOrderQty'],
  not_enough_funds: [RET.insufficientBalance, 'ab not enough for new order'],
  order_not_found: [RET.orderNotFound, 'Order does not exist'],
  not_open_order: [RET.orderFinished, 'Order has been finished or canceled'],
  post_only_reject: [RET.params, 'params error: PostOnly order would take liquidity'],
  reduce_only_increase: [RET.reduceOnly, 'Reduce-only rule not satisfied'],
  would_trigger_immediately: [RET.triggerRising, 'trigger price would trigger immediately'],
  price_out_of_band: [RET.priceOutOfRange, 'Order price is out of permissible range'],
  instrument_not_open: [RET.settlement, 'Settlement in progress! symbol not available for trades'],
  fill_or_kill_not_filled: [RET.params, 'params error: FOK order cannot be filled'],
};

/** The Bybit reply for whatever a handler threw; unknown errors re-thrown. */
export function toBybitError(error: unknown): BybitError {
  if (error instanceof BybitError) return error;
  if (error instanceof SimError) {
    const [retCode, retMsg] = FROM_SIM[error.code];
    return new BybitError(retCode, retMsg);
  }
  throw error;
}
