// Deribit's RPC error codes the sim answers with, and how the exchange core's venue-neutral
// errors map onto them.
//
// Source: Deribit API v2.1.1 documentation, "RPC Error Codes" table (docs.deribit.com,
// articles/errors and the API reference's error table), cross-checked with
// ../shared/protocols/deribit.md. The reduce-only rejection is reported by the venue as
// 11030 other_reject with reason "invalid_reduce_only_order" (seen in client logs; the table
// documents 11030 as "other_reject <Reason>").
//
//   SimErrorCode               Deribit code  message
//   invalid_params             -32602        Invalid params
//   instrument_not_found        13020        not_found
//   price_off_tick              10043        price_wrong_tick
//   amount_off_lot              10021        invalid_amount       (options)
//                               10027        non_integer_contract_amount (futures, perpetuals)
//   amount_below_minimum        10002        qty_too_low
//   not_enough_funds            10009        not_enough_funds
//   order_not_found             10004        order_not_found
//   not_open_order              11044        not_open_order
//   post_only_reject            11054        post_only_reject
//   reduce_only_increase        11030        other_reject (reason invalid_reduce_only_order)
//   would_trigger_immediately   11036        invalid_trigger_price
//   price_out_of_band           10007 / 10005 price_too_high / price_too_low
//   instrument_not_open         10012        book_closed
//   fill_or_kill_not_filled     11030        other_reject (reason fill_or_kill_not_filled)
// Protocol-level: -32700 Parse error, -32601 Method not found, 10028 too_many_requests,
// 13004 invalid_credentials, 13009 unauthorized, 10030 must_be_websocket_request,
// 11094 internal_server_error, 13021 forbidden (a key without the method's scope).

import { SimError } from '../contract.js';
import { RpcError } from './rpc.js';

export const CODE = {
  parseError: -32700,
  methodNotFound: -32601,
  invalidParams: -32602,
  qtyTooLow: 10002,
  orderNotFound: 10004,
  priceTooLow: 10005,
  priceTooHigh: 10007,
  notEnoughFunds: 10009,
  bookClosed: 10012,
  invalidAmount: 10021,
  nonIntegerContractAmount: 10027,
  tooManyRequests: 10028,
  mustBeWebsocket: 10030,
  priceWrongTick: 10043,
  otherReject: 11030,
  invalidTriggerPrice: 11036,
  noAdvForFutures: 11038,
  notOpenOrder: 11044,
  postOnlyReject: 11054,
  internalError: 11094,
  invalidCredentials: 13004,
  unauthorized: 13009,
  notFound: 13020,
  forbidden: 13021,
} as const;

export function invalidParams(param: string, reason: string): RpcError {
  return new RpcError(CODE.invalidParams, 'Invalid params', { param, reason });
}

export function unauthorized(): RpcError {
  return new RpcError(CODE.unauthorized, 'unauthorized');
}

export function invalidCredentials(): RpcError {
  return new RpcError(CODE.invalidCredentials, 'invalid_credentials');
}

export function tooManyRequests(): RpcError {
  return new RpcError(CODE.tooManyRequests, 'too_many_requests');
}

export function instrumentNotFound(name: string): RpcError {
  return new RpcError(CODE.notFound, 'not_found', {
    param: 'instrument_name',
    reason: `unknown instrument ${name}`,
  });
}

/** What the order was about, for the errors whose Deribit code depends on it. */
export interface ErrorSubject {
  readonly futureLike?: boolean;
  readonly side?: 'buy' | 'sell';
}

export function rpcErrorFromSim(error: SimError, subject: ErrorSubject = {}): RpcError {
  const data = error.data;
  switch (error.code) {
    case 'invalid_params':
      return new RpcError(CODE.invalidParams, 'Invalid params', {
        param: typeof data?.['param'] === 'string' ? data['param'] : 'params',
        reason: error.message,
      });
    case 'instrument_not_found':
      return new RpcError(CODE.notFound, 'not_found', { reason: error.message });
    case 'price_off_tick':
      return new RpcError(CODE.priceWrongTick, 'price_wrong_tick', data);
    case 'amount_off_lot':
      return subject.futureLike === true
        ? new RpcError(CODE.nonIntegerContractAmount, 'non_integer_contract_amount', data)
        : new RpcError(CODE.invalidAmount, 'invalid_amount', data);
    case 'amount_below_minimum':
      return new RpcError(CODE.qtyTooLow, 'qty_too_low', data);
    case 'not_enough_funds':
      return new RpcError(CODE.notEnoughFunds, 'not_enough_funds', data);
    case 'order_not_found':
      return new RpcError(CODE.orderNotFound, 'order_not_found', data);
    case 'not_open_order':
      return new RpcError(CODE.notOpenOrder, 'not_open_order', data);
    case 'post_only_reject':
      return new RpcError(CODE.postOnlyReject, 'post_only_reject', data);
    case 'reduce_only_increase':
      return new RpcError(CODE.otherReject, 'other_reject', {
        reason: 'invalid_reduce_only_order',
      });
    case 'would_trigger_immediately':
      return new RpcError(CODE.invalidTriggerPrice, 'invalid_trigger_price', data);
    case 'price_out_of_band':
      return tooLowOrHigh(error, subject);
    case 'instrument_not_open':
      return new RpcError(CODE.bookClosed, 'book_closed', data);
    case 'fill_or_kill_not_filled':
      return new RpcError(CODE.otherReject, 'other_reject', { reason: 'fill_or_kill_not_filled' });
  }
}

// The core reports one band error; Deribit names the side of the band that was crossed.
function tooLowOrHigh(error: SimError, subject: ErrorSubject): RpcError {
  const data = error.data;
  const bound = data?.['bound'] ?? data?.['side'] ?? data?.['direction'];
  const low =
    bound === 'low' || bound === 'min' || (bound === undefined && subject.side === 'sell');
  return low
    ? new RpcError(CODE.priceTooLow, 'price_too_low', data)
    : new RpcError(CODE.priceTooHigh, 'price_too_high', data);
}
