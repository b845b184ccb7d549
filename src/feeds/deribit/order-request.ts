/**
 * OrderRequest and OrderEdit spelled as Deribit's private/buy, private/sell and private/edit
 * params, after checking everything that can be checked without asking the venue. A request
 * that fails a check throws VenueOrderError 'invalid-params' and nothing is sent.
 *
 * Money stays exact: the gateway's decimal strings become JSON numbers only where the number
 * prints back as the same decimal, and an IV becomes Deribit's percent by moving the decimal
 * point, never by multiplying a float.
 */
import type { OrderEdit, OrderKind, OrderRequest, TimeInForce, TriggerSource } from '../feed.js';
import { invalidOrderRequest, type OrderErrorSubject } from './order-errors.js';

const ORDER_TYPES: Readonly<Record<OrderKind, string>> = {
  limit: 'limit',
  market: 'market',
  'market-limit': 'market_limit',
  'stop-market': 'stop_market',
  'stop-limit': 'stop_limit',
};
const TIMES_IN_FORCE: Readonly<Record<TimeInForce, string>> = {
  gtc: 'good_til_cancelled',
  ioc: 'immediate_or_cancel',
  fok: 'fill_or_kill',
};
const TRIGGERS: Readonly<Record<TriggerSource, string>> = {
  mark: 'mark_price',
  index: 'index_price',
  last: 'last_price',
};

// The contract's label (Deribit allows 64 characters of anything; Bybit's orderLinkId is
// the narrower of the two, and one label must work at either venue).
const LABEL = /^[A-Za-z0-9_-]{1,36}$/;
const PLAIN_DECIMAL = /^(\d+)(?:\.(\d+))?$/;
// Deribit option names end in the option type; `advanced: "implv"` is for options only.
const OPTION_NAME = /-[CP]$/;

/** A request ready to send, and how to describe it when it fails. */
export interface WireOrder {
  readonly method: 'private/buy' | 'private/sell';
  readonly params: Record<string, unknown>;
  /** "buy 0.5 BTC-27NOV26-90000-C at 0.0125 (label a1)". */
  readonly context: string;
  readonly subject: OrderErrorSubject;
}

export interface WireEdit {
  readonly params: Record<string, unknown>;
  readonly context: string;
  readonly subject: OrderErrorSubject;
}

export function deribitOrderParams(request: OrderRequest): WireOrder {
  const instrument = instrumentName(request.instrument);
  if (request.side !== 'buy' && request.side !== 'sell') {
    throw invalidOrderRequest('side', `must be buy or sell, got ${show(request.side)}`);
  }
  const type = ORDER_TYPES[request.kind];
  if (type === undefined) throw invalidOrderRequest('kind', `is not one of ${keys(ORDER_TYPES)}`);
  const label = checkLabel(request.label);
  const amount = wireNumber('amount', request.amount);
  const pricing = orderPricing(request, instrument);
  const trigger = triggerParams(request);
  const timeInForce = timeInForceParam(request);
  if (request.postOnly === true) checkPostOnly(request);

  const params: Record<string, unknown> = {
    instrument_name: instrument,
    amount,
    type,
    label,
    ...pricing.params,
    ...trigger,
    ...timeInForce,
    // Deribit would otherwise move a post-only order that would take to one tick inside the
    // touch: a price nobody chose. Refusing it is what post-only means at every venue.
    ...(request.postOnly === true ? { post_only: true, reject_post_only: true } : {}),
    ...(request.reduceOnly === true ? { reduce_only: true } : {}),
  };
  const at = pricing.shown === null ? '' : ` at ${pricing.shown}`;
  return {
    method: request.side === 'buy' ? 'private/buy' : 'private/sell',
    params,
    context: `${request.side} ${request.amount} ${instrument}${at} (label ${label})`,
    subject: {
      amount: request.amount,
      label,
      ...(pricing.quoted !== null ? { price: pricing.quoted } : {}),
    },
  };
}

/**
 * private/edit: the new amount and, optionally, a new price or IV. The edit does not name
 * the instrument, so an IV on a non-option is left to the venue to refuse (11038).
 */
export function deribitEditParams(edit: OrderEdit): WireEdit {
  if (typeof edit.orderId !== 'string' || edit.orderId === '') {
    throw invalidOrderRequest('orderId', 'must be the venue order id');
  }
  const amount = wireNumber('amount', edit.amount);
  if (edit.price !== undefined && edit.iv !== undefined) {
    throw invalidOrderRequest('iv', 'and price cannot both be given');
  }
  const params: Record<string, unknown> = { order_id: edit.orderId, amount };
  let shown = '';
  if (edit.price !== undefined) {
    params['price'] = wireNumber('price', edit.price);
    shown = ` at ${edit.price}`;
  } else if (edit.iv !== undefined) {
    params['price'] = ivPercentNumber(edit.iv);
    params['advanced'] = 'implv';
    shown = ` at IV ${edit.iv}`;
  }
  const quoted = edit.price ?? edit.iv;
  return {
    params,
    context: `edit order ${edit.orderId} to ${edit.amount}${shown}`,
    subject: { amount: edit.amount, ...(quoted !== undefined ? { price: quoted } : {}) },
  };
}

/** The contract's label rule; cancel_by_label uses it too. */
export function checkLabel(label: unknown): string {
  if (typeof label === 'string' && LABEL.test(label)) return label;
  throw invalidOrderRequest(
    'label',
    `must be 1 to 36 characters of A-Z a-z 0-9 _ -, got ${show(label)}`,
  );
}

export function instrumentName(instrument: unknown): string {
  if (typeof instrument === 'string' && /^[A-Za-z0-9_-]+$/.test(instrument)) return instrument;
  throw invalidOrderRequest(
    'instrument',
    `must be a venue instrument name, got ${show(instrument)}`,
  );
}

interface Pricing {
  readonly params: Record<string, unknown>;
  /** How the price reads in a message: "0.0125" or "IV 0.55"; null for market orders. */
  readonly shown: string | null;
  /** The price or IV string as given, for error sentences. */
  readonly quoted: string | null;
}

function orderPricing(request: OrderRequest, instrument: string): Pricing {
  const limitKind = request.kind === 'limit' || request.kind === 'stop-limit';
  if (request.iv !== undefined) {
    if (request.price !== undefined)
      throw invalidOrderRequest('iv', 'and price cannot both be given');
    if (!OPTION_NAME.test(instrument)) {
      throw invalidOrderRequest('iv', `is for options only, and ${instrument} is not one`);
    }
    if (request.kind !== 'limit') throw invalidOrderRequest('iv', 'prices limit orders only');
    return {
      // Deribit takes the IV of an implv order in percent.
      params: { price: ivPercentNumber(request.iv), advanced: 'implv' },
      shown: `IV ${request.iv}`,
      quoted: request.iv,
    };
  }
  if (request.price === undefined) {
    if (limitKind) throw invalidOrderRequest('price', `is required for a ${request.kind} order`);
    return { params: {}, shown: null, quoted: null };
  }
  if (!limitKind) {
    throw invalidOrderRequest('price', `is not taken by a ${request.kind} order`);
  }
  return {
    params: { price: wireNumber('price', request.price) },
    shown: request.price,
    quoted: request.price,
  };
}

function triggerParams(request: OrderRequest): Record<string, unknown> {
  const stop = request.kind === 'stop-limit' || request.kind === 'stop-market';
  if (!stop) {
    if (request.triggerPrice !== undefined || request.trigger !== undefined) {
      throw invalidOrderRequest('trigger', `is for stop orders only, not ${request.kind}`);
    }
    return {};
  }
  if (request.triggerPrice === undefined) {
    throw invalidOrderRequest('triggerPrice', `is required for a ${request.kind} order`);
  }
  const trigger = request.trigger === undefined ? undefined : TRIGGERS[request.trigger];
  if (trigger === undefined) {
    throw invalidOrderRequest('trigger', `must be one of ${keys(TRIGGERS)} for a stop order`);
  }
  return { trigger, trigger_price: wireNumber('triggerPrice', request.triggerPrice) };
}

function timeInForceParam(request: OrderRequest): Record<string, unknown> {
  if (request.timeInForce === undefined) return {};
  const timeInForce = TIMES_IN_FORCE[request.timeInForce];
  if (timeInForce === undefined) {
    throw invalidOrderRequest('timeInForce', `must be one of ${keys(TIMES_IN_FORCE)}`);
  }
  return { time_in_force: timeInForce };
}

// The venue takes post_only only on resting limit orders (good-til-cancelled).
function checkPostOnly(request: OrderRequest): void {
  if (request.kind !== 'limit') {
    throw invalidOrderRequest('postOnly', `applies to limit orders, not ${request.kind}`);
  }
  if (request.timeInForce !== undefined && request.timeInForce !== 'gtc') {
    throw invalidOrderRequest('postOnly', `cannot be combined with ${request.timeInForce}`);
  }
}

/**
 * A positive decimal string as the JSON number that prints back as the same decimal, so the
 * venue receives exactly what the gateway rounded (15 significant digits always fit).
 */
export function wireNumber(field: string, decimal: unknown): number {
  const match = typeof decimal === 'string' ? PLAIN_DECIMAL.exec(decimal) : null;
  if (match === null) {
    throw invalidOrderRequest(field, `must be a plain decimal string, got ${show(decimal)}`);
  }
  const canonical = canonicalDecimal(match[1] ?? '', match[2] ?? '');
  const number = Number(canonical);
  if (!(number > 0)) throw invalidOrderRequest(field, `must be positive, got ${show(decimal)}`);
  if (String(number) !== canonical) {
    throw invalidOrderRequest(
      field,
      `${String(decimal)} has more digits than a JSON number carries exactly`,
    );
  }
  return number;
}

/** "0.5512" → 55.12: the decimal IV as Deribit's percent, by shifting the point. */
export function ivPercentNumber(iv: string): number {
  const match = PLAIN_DECIMAL.exec(iv);
  if (match === null)
    throw invalidOrderRequest('iv', `must be a plain decimal string, got ${show(iv)}`);
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  const shifted = canonicalDecimal(whole + fraction.slice(0, 2).padEnd(2, '0'), fraction.slice(2));
  return wireNumber('iv', shifted);
}

/** No leading zeros in the integer part, no trailing zeros in the fraction. */
function canonicalDecimal(whole: string, fraction: string): string {
  const integer = whole.replace(/^0+(?=\d)/, '');
  const decimals = fraction.replace(/0+$/, '');
  return decimals === '' ? integer : `${integer}.${decimals}`;
}

function keys(table: Readonly<Record<string, string>>): string {
  return Object.keys(table).join(', ');
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
