// private/buy, private/sell and private/edit params to the core's order requests. Deribit
// prices options in coin; `advanced: "implv"` gives the price as an IV in percent and
// `advanced: "usd"` in USD.

import type { InstrumentSpec } from '../../instruments/types.js';
import {
  SIM_ORDER_TYPES,
  SIM_TIMES_IN_FORCE,
  type SimEditRequest,
  type SimExchange,
  type SimOrderRequest,
  type SimOrderType,
  type SimSide,
  type SimTimeInForce,
} from '../contract.js';
import { CODE, invalidParams } from './errors.js';
import {
  optionalBoolean,
  optionalEnum,
  optionalNumber,
  optionalString,
  type Params,
} from './params.js';
import { RpcError } from './rpc.js';

const ORDER_TYPES: readonly SimOrderType[] = SIM_ORDER_TYPES;
const TIME_IN_FORCE: readonly SimTimeInForce[] = SIM_TIMES_IN_FORCE;
const TRIGGERS = ['index_price', 'mark_price', 'last_price'] as const;
const ADVANCED = ['implv', 'usd'] as const;
const MAX_LABEL = 64;
const PERCENT = 100;

/** The price part of an order or edit: a coin price, an IV, and the USD price it came from. */
interface Pricing {
  readonly price?: number;
  readonly iv?: number;
  readonly usd?: number;
}

export interface ParsedOrder {
  readonly request: SimOrderRequest;
  readonly usd?: number;
}

export function parseOrder(
  params: Params,
  side: SimSide,
  spec: InstrumentSpec,
  exchange: SimExchange,
): ParsedOrder {
  const type = optionalEnum(params, 'type', ORDER_TYPES) ?? 'limit';
  const amount = parseAmount(params, spec);
  if (amount === undefined) throw invalidParams('amount', 'must be present');
  const pricing = parsePricing(params, spec, exchange);
  if (
    (type === 'limit' || type === 'stop_limit') &&
    pricing.price === undefined &&
    pricing.iv === undefined
  ) {
    throw invalidParams('price', 'must be present for limit orders');
  }
  const label = optionalString(params, 'label');
  if (label !== undefined && label.length > MAX_LABEL) {
    throw invalidParams('label', `must be at most ${MAX_LABEL} characters`);
  }
  const triggerPrice =
    optionalNumber(params, 'trigger_price') ?? optionalNumber(params, 'stop_price');
  const trigger = optionalEnum(params, 'trigger', TRIGGERS);
  if (
    (type === 'stop_market' || type === 'stop_limit') &&
    (triggerPrice === undefined || trigger === undefined)
  ) {
    throw invalidParams(
      triggerPrice === undefined ? 'trigger_price' : 'trigger',
      'must be present for stop orders',
    );
  }
  const timeInForce = optionalEnum(params, 'time_in_force', TIME_IN_FORCE);
  const postOnly = optionalBoolean(params, 'post_only');
  const rejectPostOnly = optionalBoolean(params, 'reject_post_only');
  const reduceOnly = optionalBoolean(params, 'reduce_only');
  const request: SimOrderRequest = {
    instrument: spec.name,
    side,
    amount,
    type,
    ...(pricing.price !== undefined && type !== 'market' && type !== 'stop_market'
      ? { price: pricing.price }
      : {}),
    ...(pricing.iv !== undefined ? { iv: pricing.iv } : {}),
    ...(postOnly !== undefined ? { postOnly } : {}),
    ...(rejectPostOnly !== undefined ? { rejectPostOnly } : {}),
    ...(reduceOnly !== undefined ? { reduceOnly } : {}),
    ...(timeInForce !== undefined ? { timeInForce } : {}),
    ...(label !== undefined ? { label } : {}),
    ...(triggerPrice !== undefined ? { triggerPrice } : {}),
    ...(trigger !== undefined ? { trigger } : {}),
  };
  return { request, ...(pricing.usd !== undefined ? { usd: pricing.usd } : {}) };
}

export function parseEdit(
  params: Params,
  orderId: string,
  spec: InstrumentSpec,
  exchange: SimExchange,
): { request: SimEditRequest; usd?: number } {
  const amount = parseAmount(params, spec);
  const pricing = parsePricing(params, spec, exchange);
  const postOnly = optionalBoolean(params, 'post_only');
  const rejectPostOnly = optionalBoolean(params, 'reject_post_only');
  const reduceOnly = optionalBoolean(params, 'reduce_only');
  const request: SimEditRequest = {
    orderId,
    ...(amount !== undefined ? { amount } : {}),
    ...(pricing.price !== undefined ? { price: pricing.price } : {}),
    ...(pricing.iv !== undefined ? { iv: pricing.iv } : {}),
    ...(postOnly !== undefined ? { postOnly } : {}),
    ...(rejectPostOnly !== undefined ? { rejectPostOnly } : {}),
    ...(reduceOnly !== undefined ? { reduceOnly } : {}),
  };
  return { request, ...(pricing.usd !== undefined ? { usd: pricing.usd } : {}) };
}

/** `amount` in the venue's unit, or `contracts` × contract size; both must then agree. */
function parseAmount(params: Params, spec: InstrumentSpec): number | undefined {
  const amount = optionalNumber(params, 'amount');
  const contracts = optionalNumber(params, 'contracts');
  const fromContracts = contracts === undefined ? undefined : contracts * spec.contractSize;
  if (
    amount !== undefined &&
    fromContracts !== undefined &&
    Math.abs(amount - fromContracts) > 1e-9
  ) {
    throw invalidParams('contracts', 'must equal amount / contract_size');
  }
  const value = amount ?? fromContracts;
  if (value !== undefined && !(value > 0))
    throw invalidParams(amount !== undefined ? 'amount' : 'contracts', 'must be positive');
  return value;
}

function parsePricing(params: Params, spec: InstrumentSpec, exchange: SimExchange): Pricing {
  const price = optionalNumber(params, 'price');
  const advanced = optionalEnum(params, 'advanced', ADVANCED);
  if (advanced === undefined || price === undefined) return price === undefined ? {} : { price };
  if (spec.kind !== 'option') {
    throw new RpcError(CODE.noAdvForFutures, 'no_adv_for_futures');
  }
  if (!(price > 0)) throw invalidParams('price', 'must be positive');
  if (advanced === 'implv') return { iv: price / PERCENT };
  // A USD price becomes the coin premium on today's forward, on the tick.
  const ticker = exchange.ticker(spec.name);
  const forward = ticker?.underlyingPrice ?? ticker?.indexPrice ?? exchange.indexPrice(spec.base);
  return { price: onTick(price / forward, spec), usd: price };
}

function onTick(price: number, spec: InstrumentSpec): number {
  let tick = spec.tickSize;
  for (const step of spec.tickSteps) if (price > step.abovePrice) tick = step.tickSize;
  return Math.max(tick, Math.round(Math.round(price / tick) * tick * 1e10) / 1e10);
}
