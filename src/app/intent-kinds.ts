/**
 * What attached screens may ask of `serve`, as intents: the kinds, their payloads and the
 * results `serve` answers with. Orders travel as the screen planned them (decimal strings);
 * serve's gateway rounds and checks them again, so a screen can ask but never decide.
 */
import {
  HEDGE_SETTINGS,
  isHedgeSetting,
  type HedgeSetting,
  type OrderSide,
} from '../commands/types.js';
import type { OrderKind, TimeInForce, TriggerSource } from '../feeds/feed.js';
import type {
  GatewayReport,
  OrderAmend,
  OrderChangeOutcome,
  OrderIntent,
  OrderToCancel,
  PackageIntent,
  PackageLegIntent,
} from '../gateway/types.js';

export type HedgeAction = 'on' | 'off' | 'status' | HedgeSetting;

export type IntentPayload =
  | { readonly kind: 'orders'; readonly orders: readonly OrderIntent[] }
  | { readonly kind: 'cancel-all'; readonly venue: string }
  | { readonly kind: 'cancel-last' }
  | { readonly kind: 'cancel-order'; readonly order: OrderToCancel }
  | { readonly kind: 'amend-order'; readonly change: OrderAmend }
  | { readonly kind: 'package'; readonly package: PackageIntent }
  /** `band` carries the typed value of a band, policy or target change (null: say it). */
  | { readonly kind: 'hedge'; readonly action: HedgeAction; readonly band?: string | null };

export interface PackageResult {
  readonly report: GatewayReport;
}
export interface OrdersResult {
  readonly reports: readonly GatewayReport[];
}
export type CancelAllResult = { readonly count: number } | { readonly error: string };
export interface CancelLastResult {
  readonly message: string;
}
/** What serve's gateway answered a cancel or an amend of one order with. */
export type OrderChangeResult = OrderChangeOutcome;
export interface HedgeResult {
  readonly text: string;
}

const SIDES: readonly OrderSide[] = ['buy', 'sell'];
const KINDS: readonly OrderKind[] = [
  'limit',
  'market',
  'market-limit',
  'stop-market',
  'stop-limit',
];
const TIFS: readonly TimeInForce[] = ['gtc', 'ioc', 'fok'];
const TRIGGERS: readonly TriggerSource[] = ['mark', 'index', 'last'];
const DECIMAL = /^-?\d+(\.\d+)?$/;
/** More than any ladder the command language can type; a bigger batch is not a screen's. */
const MAX_ORDERS = 500;

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An order from a screen, rebuilt from known fields only, or why not. The origin is always
 * manual: a screen cannot pass its order off as the hedger's.
 */
function orderFrom(value: unknown, venue: string): OrderIntent | string {
  if (!isObject(value)) return 'an order is not an object';
  const text = (name: string): string | undefined | null => {
    const field = value[name];
    if (field === undefined) return undefined;
    return typeof field === 'string' && DECIMAL.test(field) ? field : null;
  };
  const flag = (name: string): boolean | undefined | null => {
    const field = value[name];
    if (field === undefined) return undefined;
    return typeof field === 'boolean' ? field : null;
  };
  const oneOf = <T extends string>(name: string, choices: readonly T[]): T | undefined | null => {
    const field = value[name];
    if (field === undefined) return undefined;
    return choices.includes(field as T) ? (field as T) : null;
  };
  if (value['venue'] !== venue) return `orders go to ${venue} here`;
  const instrument = value['instrument'];
  if (typeof instrument !== 'string' || instrument === '') return 'an order has no instrument';
  const side = oneOf('side', SIDES);
  const kind = oneOf('kind', KINDS);
  const amount = text('amount');
  if (side === undefined || side === null || kind === undefined || kind === null)
    return `${instrument}: side or kind missing`;
  if (amount === undefined || amount === null) return `${instrument}: amount missing`;
  const optional = {
    price: text('price'),
    iv: text('iv'),
    triggerPrice: text('triggerPrice'),
    capFrom: text('capFrom'),
    timeInForce: oneOf('timeInForce', TIFS),
    trigger: oneOf('trigger', TRIGGERS),
    postOnly: flag('postOnly'),
    reduceOnly: flag('reduceOnly'),
    force: flag('force'),
  };
  const bad = Object.entries(optional).find(([, field]) => field === null);
  if (bad !== undefined) return `${instrument}: ${bad[0]} is not valid`;
  const order: Record<string, unknown> = {
    venue,
    instrument,
    side,
    amount,
    kind,
    origin: 'manual',
  };
  for (const [name, field] of Object.entries(optional)) {
    if (field !== undefined) order[name] = field;
  }
  return order as unknown as OrderIntent;
}

const MAX_LEGS = 4;
const LEG_RATIO = /^-?[1-9]$/;

/** A package from a screen, rebuilt from known fields only; its origin is always manual. */
function packageFrom(value: unknown, venue: string): PackageIntent | string {
  if (!isObject(value)) return 'a package is not an object';
  if (value['venue'] !== venue) return `orders go to ${venue} here`;
  const { name, side, amount, price, timeInForce, legs, force } = value;
  if (typeof name !== 'string' || name === '' || name.length > 100) return 'a package has no name';
  if (side !== 'buy' && side !== 'sell') return `${name}: side missing`;
  const decimal = (field: unknown): field is string =>
    typeof field === 'string' && DECIMAL.test(field);
  if (!decimal(amount) || !decimal(price)) return `${name}: amount or price missing`;
  if (!TIFS.includes(timeInForce as TimeInForce)) return `${name}: time in force is not valid`;
  if (force !== undefined && typeof force !== 'boolean') return `${name}: force is not valid`;
  if (!Array.isArray(legs) || legs.length < 2 || legs.length > MAX_LEGS) {
    return `${name}: a package has 2 to ${MAX_LEGS} legs`;
  }
  const parsed: PackageLegIntent[] = [];
  for (const leg of legs as unknown[]) {
    if (!isObject(leg)) return `${name}: a leg is not an object`;
    const { instrument, ratio, capFrom } = leg;
    const legPrice = leg['price'];
    if (typeof instrument !== 'string' || instrument === '')
      return `${name}: a leg has no instrument`;
    if (typeof ratio !== 'number' || !LEG_RATIO.test(String(ratio))) {
      return `${name}: a leg's ratio is not valid`;
    }
    if (!decimal(legPrice)) return `${name}: a leg's price is not valid`;
    if (capFrom !== undefined && !decimal(capFrom)) return `${name}: a leg's cap is not valid`;
    parsed.push({
      instrument,
      ratio,
      price: legPrice,
      ...(capFrom === undefined ? {} : { capFrom }),
    });
  }
  return {
    venue,
    name,
    side,
    amount,
    price,
    timeInForce: timeInForce as TimeInForce,
    legs: parsed,
    ...(force === true ? { force } : {}),
    origin: 'manual',
  };
}

const NAME = /^#\d{1,6}$/;

/** One order a screen names: the venue's id, its label, and what the screen calls it. */
function namedOrderFrom(fields: Fields, venue: string): OrderToCancel | string {
  if (fields['venue'] !== venue) return `orders go to ${venue} here`;
  const { orderId, label, name } = fields;
  if (typeof orderId !== 'string' || orderId === '') return 'no order id';
  if (label !== null && typeof label !== 'string') return 'a label is text or null';
  if (typeof name !== 'string' || !NAME.test(name)) return 'an order is named #<number>';
  return { venue, orderId, label, name };
}

/** An amend from a screen: the order it names and its new figures, known fields only. */
function amendFrom(fields: Fields, venue: string): OrderAmend | string {
  const order = namedOrderFrom(fields, venue);
  if (typeof order === 'string') return order;
  const { instrument, side, amount, price, iv, force } = fields;
  if (typeof instrument !== 'string' || instrument === '') return 'an amend has no instrument';
  if (side !== 'buy' && side !== 'sell') return `${instrument}: side missing`;
  const decimal = (field: unknown): boolean => typeof field === 'string' && DECIMAL.test(field);
  if (!decimal(amount)) return `${instrument}: amount missing`;
  if (price !== undefined && !decimal(price)) return `${instrument}: price is not valid`;
  if (iv !== undefined && !decimal(iv)) return `${instrument}: iv is not valid`;
  if (price === undefined && iv === undefined) return `${instrument}: an amend needs a price or iv`;
  if (force !== undefined && typeof force !== 'boolean') return `${instrument}: force is not valid`;
  return {
    ...order,
    instrument,
    side,
    amount: amount as string,
    ...(price === undefined ? {} : { price: price as string }),
    ...(iv === undefined ? {} : { iv: iv as string }),
    ...(force === true ? { force } : {}),
  };
}

/** The intent a request asks for, or why it cannot be run. */
export function parseIntent(kind: string, payload: unknown, venue: string): IntentPayload | string {
  const fields = isObject(payload) ? payload : {};
  switch (kind) {
    case 'orders': {
      const orders = fields['orders'];
      if (!Array.isArray(orders) || orders.length === 0) return 'no orders in the intent';
      if (orders.length > MAX_ORDERS) return `more than ${MAX_ORDERS} orders in one intent`;
      const parsed: OrderIntent[] = [];
      for (const order of orders) {
        const one = orderFrom(order, venue);
        if (typeof one === 'string') return one;
        parsed.push(one);
      }
      return { kind, orders: parsed };
    }
    case 'cancel-all':
      return fields['venue'] === venue ? { kind, venue } : `cancel all goes to ${venue} here`;
    case 'cancel-last':
      return { kind };
    case 'cancel-order': {
      const order = namedOrderFrom(isObject(fields['order']) ? fields['order'] : {}, venue);
      return typeof order === 'string' ? order : { kind, order };
    }
    case 'amend-order': {
      const change = amendFrom(isObject(fields['change']) ? fields['change'] : {}, venue);
      return typeof change === 'string' ? change : { kind, change };
    }
    case 'package': {
      const pkg = packageFrom(fields['package'], venue);
      return typeof pkg === 'string' ? pkg : { kind, package: pkg };
    }
    case 'hedge': {
      const action = fields['action'];
      if (isHedgeSetting(action)) {
        const band = fields['band'];
        if (band !== null && (typeof band !== 'string' || band.length > 40)) {
          return `a ${action} is text (0.5%, gamma 1e-3, -0.5) or null`;
        }
        return { kind, action, band };
      }
      return action === 'on' || action === 'off' || action === 'status'
        ? { kind, action }
        : `hedge wants on, off, status or a setting (${HEDGE_SETTINGS.join(', ')})`;
    }
    default:
      return `unknown intent kind ${JSON.stringify(kind)}`;
  }
}
