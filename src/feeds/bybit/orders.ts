/**
 * Order entry at Bybit over signed REST (v5 `order/create`, `amend`, `cancel`, `cancel-all`,
 * `order/realtime`). Prices and sizes go out exactly as the gateway wrote them.
 *
 * Retry safety rests on `orderLinkId` (our label): Bybit never books two orders with one. A
 * create that times out or loses its connection is sent once more, byte for byte the same
 * order and link id; if the venue answers "duplicate orderLinkId" the first one landed, and it
 * is looked up and returned. Nothing is ever resent under a new link id.
 *
 * Bybit's create and amend answer only with ids, so the order's state is read back from
 * `order/realtime` right after. Fills are not read back: they arrive on the private socket's
 * execution stream, so `OrderResult.fills` is always empty here.
 */
import type { OrderEvent, OrderType } from '../../book/events.js';
import type {
  CancelScope,
  OrderApi,
  OrderEdit,
  OrderRequest,
  OrderResult,
  TriggerSource,
} from '../feed.js';
import { VenueOrderError } from '../feed.js';
import { ConnectionLostError, RequestTimeoutError } from '../common/errors.js';
import { isRecord, requireArray, requireString, WireFormatError } from '../wire-fields.js';
import { bybitCategoryOf, bybitOrderFromRow, type BybitCategory } from './account-rows.js';
import { bybitOrderError, invalidOrderParams } from './order-errors.js';
import { BybitApiError, type BybitRestClient } from './rest.js';

const CREATE = '/v5/order/create';
const AMEND = '/v5/order/amend';
const CANCEL = '/v5/order/cancel';
const CANCEL_ALL = '/v5/order/cancel-all';
const REALTIME = '/v5/order/realtime';

const DUPLICATE_LINK_ID = 110072;
// The order was gone (filled or cancelled) by the time the cancel arrived.
const ALREADY_CLOSED: ReadonlySet<number> = new Set([110001, 110008]);

const LABEL = /^[A-Za-z0-9_-]+$/;
const MAX_LABEL = 36;
// A plain positive decimal as the venue takes it: no sign, exponent or spaces.
const POSITIVE_DECIMAL = /^(?:\d+|\d+\.\d+)$/;
const NONZERO = /[1-9]/;
/** Orders whose instrument and last state we remember, so amend and cancel need no lookup. */
const KNOWN_ORDERS_KEPT = 2000;

const TIME_IN_FORCE = { gtc: 'GTC', ioc: 'IOC', fok: 'FOK' } as const;
const TRIGGER_BY: Readonly<Record<TriggerSource, string>> = {
  mark: 'MarkPrice',
  index: 'IndexPrice',
  last: 'LastPrice',
};

export interface BybitOrderApiOptions {
  /** Settle coins whose linear orders an unscoped cancelAll() cancels; default USDT. */
  readonly linearSettleCoins?: readonly string[];
  /** Stamps an order state we had to assume because the venue's could not be read back. */
  readonly now?: () => number;
}

export class BybitOrderApi implements OrderApi {
  readonly #rest: BybitRestClient;
  readonly #linearSettleCoins: readonly string[];
  readonly #now: () => number;
  readonly #known = new Map<string, OrderEvent>();

  constructor(rest: BybitRestClient, options: BybitOrderApiOptions = {}) {
    if (!rest.hasCredentials) throw new Error('Bybit order entry needs an API key and secret');
    this.#rest = rest;
    this.#linearSettleCoins = options.linearSettleCoins ?? ['USDT'];
    this.#now = options.now ?? Date.now;
  }

  async place(request: OrderRequest): Promise<OrderResult> {
    const context = `place ${request.label} on ${request.instrument}`;
    const category = bybitCategoryOf(request.instrument);
    const body = createBody(request, category, context);
    const placed = await this.#create(body, request, category, context);
    const order =
      placed.state ??
      (await this.#readBack(category, placed.orderId)) ??
      assumedOrder(request, placed.orderId, this.#now());
    this.#remember(order);
    return { order, fills: [] };
  }

  async edit(edit: OrderEdit): Promise<OrderResult> {
    const context = `edit ${edit.orderId}`;
    requireDecimal(edit.amount, 'amount', context);
    if (edit.price !== undefined && edit.iv !== undefined) {
      throw invalidOrderParams(context, 'iv', 'cannot be given with a price: one or the other');
    }
    if (edit.price !== undefined) requireDecimal(edit.price, 'price', context);
    if (edit.iv !== undefined) requireDecimal(edit.iv, 'iv', context);
    const known = await this.#locate(edit.orderId, context);
    const category = bybitCategoryOf(known.instrument);
    if (edit.iv !== undefined && category !== 'option') {
      throw invalidOrderParams(context, 'iv', `is for options only, not ${known.instrument}`);
    }
    await this.#post(AMEND, context, {
      category,
      symbol: known.instrument,
      orderId: edit.orderId,
      qty: edit.amount,
      ...(edit.price === undefined ? {} : { price: edit.price }),
      ...(edit.iv === undefined ? {} : { orderIv: edit.iv }),
    });
    const order = (await this.#readBack(category, edit.orderId)) ?? {
      ...known,
      ts: this.#now(),
      amount: Number(edit.amount),
      ...(edit.price === undefined ? {} : { price: Number(edit.price), iv: null }),
      ...(edit.iv === undefined ? {} : { iv: Number(edit.iv) }),
    };
    this.#remember(order);
    return { order, fills: [] };
  }

  async cancel(orderId: string): Promise<OrderEvent> {
    const context = `cancel ${orderId}`;
    const known = await this.#locate(orderId, context);
    const category = bybitCategoryOf(known.instrument);
    await this.#post(CANCEL, context, { category, symbol: known.instrument, orderId });
    const order = (await this.#readBack(category, orderId)) ?? {
      ...known,
      ts: this.#now(),
      status: 'cancelled' as const,
    };
    this.#remember(order);
    return order;
  }

  async cancelAll(scope: CancelScope = {}): Promise<number> {
    const context = `cancel all${scope.instrument === undefined ? '' : ` on ${scope.instrument}`}${scope.currency === undefined ? '' : ` in ${scope.currency}`}`;
    let cancelled = 0;
    for (const body of cancelAllBodies(scope, this.#linearSettleCoins)) {
      const result = await this.#post(CANCEL_ALL, context, body);
      cancelled += listOf(result, CANCEL_ALL).length;
    }
    return cancelled;
  }

  async orderByLabel(label: string, instrument: string): Promise<OrderEvent | null> {
    const context = `look up label ${label}`;
    requireLabel(label, context);
    return this.#find(bybitCategoryOf(instrument), { orderLinkId: label }, context);
  }

  async cancelByLabel(label: string): Promise<number> {
    const context = `cancel label ${label}`;
    requireLabel(label, context);
    const order = await this.#findByLabel(label, context);
    if (order === null || (order.status !== 'open' && order.status !== 'untriggered')) return 0;
    try {
      await this.#rest.signedPost(CANCEL, {
        category: bybitCategoryOf(order.instrument),
        symbol: order.instrument,
        orderLinkId: label,
      });
    } catch (error) {
      if (error instanceof BybitApiError && ALREADY_CLOSED.has(error.retCode)) return 0;
      throw bybitOrderError(error, context);
    }
    return 1;
  }

  /** Sends the create, and once more on a timeout or lost connection; returns the order id. */
  async #create(
    body: Record<string, unknown>,
    request: OrderRequest,
    category: BybitCategory,
    context: string,
  ): Promise<{ orderId: string; state?: OrderEvent }> {
    try {
      return { orderId: orderIdOf(await this.#rest.signedPost(CREATE, body)) };
    } catch (error) {
      if (isDuplicate(error)) return this.#existing(request, category, context, error);
      if (!(error instanceof RequestTimeoutError || error instanceof ConnectionLostError)) {
        throw bybitOrderError(error, context);
      }
    }
    try {
      return { orderId: orderIdOf(await this.#rest.signedPost(CREATE, body)) };
    } catch (error) {
      // The first attempt reached the venue after all.
      if (isDuplicate(error)) return this.#existing(request, category, context, error);
      const failure = bybitOrderError(error, `${context} (retried)`);
      let landed: OrderEvent | null;
      try {
        landed = await this.#find(category, { orderLinkId: request.label }, context);
      } catch {
        // Neither attempt nor the lookup answered: nobody knows whether the order exists.
        throw unknownOutcome(failure);
      }
      if (landed !== null && sameOrder(landed, request)) {
        return { orderId: landed.orderId, state: landed };
      }
      throw failure;
    }
  }

  /**
   * The order already booked under this link id: ours when it is the same instrument, side
   * and amount (a retry, or a caller resending after an unknown outcome), else the label was
   * reused and that is the caller's error.
   */
  async #existing(
    request: OrderRequest,
    category: BybitCategory,
    context: string,
    duplicate: unknown,
  ): Promise<{ orderId: string; state: OrderEvent }> {
    let existing: OrderEvent | null;
    try {
      existing = await this.#find(category, { orderLinkId: request.label }, context);
    } catch {
      // An order holds this label, but whose it is could not be read.
      throw unknownOutcome(bybitOrderError(duplicate, context));
    }
    if (existing === null) throw bybitOrderError(duplicate, context);
    if (!sameOrder(existing, request)) {
      const refused = bybitOrderError(duplicate, context);
      throw new VenueOrderError({
        venue: refused.venue,
        reason: refused.reason,
        code: refused.code,
        venueMessage: refused.venueMessage,
        message: `${refused.message}; order ${existing.orderId} holds it (${existing.side} ${existing.amount} ${existing.instrument})`,
      });
    }
    return { orderId: existing.orderId, state: existing };
  }

  async #post(path: string, context: string, body: Record<string, unknown>): Promise<unknown> {
    try {
      return await this.#rest.signedPost(path, body);
    } catch (error) {
      throw bybitOrderError(error, context);
    }
  }

  /** The order's state right after a change; null when it cannot be read (the socket will tell). */
  async #readBack(category: BybitCategory, orderId: string): Promise<OrderEvent | null> {
    try {
      return await this.#find(category, { orderId }, `read ${orderId}`);
    } catch {
      return null;
    }
  }

  /** One order by id or link id from `order/realtime` (open or recently closed). */
  async #find(
    category: BybitCategory,
    by: { orderId: string } | { orderLinkId: string },
    context: string,
  ): Promise<OrderEvent | null> {
    let result: unknown;
    try {
      result = await this.#rest.signedGet(REALTIME, { category, ...by });
    } catch (error) {
      throw bybitOrderError(error, context);
    }
    const row = listOf(result, REALTIME)[0];
    if (row === undefined) return null;
    const order = bybitOrderFromRow(row, `${REALTIME} list[0]`);
    this.#remember(order);
    return order;
  }

  async #findByLabel(label: string, context: string): Promise<OrderEvent | null> {
    for (const category of ['option', 'linear'] as const) {
      const order = await this.#find(category, { orderLinkId: label }, context);
      if (order !== null) return order;
    }
    return null;
  }

  /** Amend and cancel need the order's category and symbol; an order id alone has neither. */
  async #locate(orderId: string, context: string): Promise<OrderEvent> {
    const known = this.#known.get(orderId);
    if (known !== undefined) return known;
    for (const category of ['option', 'linear'] as const) {
      const order = await this.#find(category, { orderId }, context);
      if (order !== null) return order;
    }
    throw new VenueOrderError({
      venue: 'bybit',
      reason: 'not-found',
      code: null,
      venueMessage: null,
      message: `${context}: the venue lists no such order, open or recently closed (not sent)`,
    });
  }

  #remember(order: OrderEvent): void {
    this.#known.delete(order.orderId);
    this.#known.set(order.orderId, order);
    if (this.#known.size > KNOWN_ORDERS_KEPT) {
      const oldest = this.#known.keys().next();
      if (oldest.done !== true) this.#known.delete(oldest.value);
    }
  }
}

/** The `order/create` body, or an invalid-params error naming the field (nothing is sent). */
function createBody(
  request: OrderRequest,
  category: BybitCategory,
  context: string,
): Record<string, unknown> {
  requireLabel(request.label, context);
  if (request.instrument === '') throw invalidOrderParams(context, 'instrument', 'is empty');
  requireDecimal(request.amount, 'amount', context);
  const { kind } = request;
  if (kind === 'market-limit') {
    throw invalidOrderParams(
      context,
      'kind',
      'market-limit does not exist on Bybit: send a limit order at the price to take',
    );
  }
  const market = kind === 'market' || kind === 'stop-market';
  const stop = kind === 'stop-market' || kind === 'stop-limit';
  if (request.iv !== undefined) {
    if (category !== 'option') {
      throw invalidOrderParams(context, 'iv', `is for options only, not ${request.instrument}`);
    }
    if (kind !== 'limit') throw invalidOrderParams(context, 'iv', 'applies to limit orders only');
    if (request.price !== undefined) {
      throw invalidOrderParams(context, 'iv', 'cannot be given with a price: one or the other');
    }
    requireDecimal(request.iv, 'iv', context);
  }
  if (market && request.price !== undefined) {
    throw invalidOrderParams(context, 'price', `is not taken by a ${kind} order`);
  }
  if (!market && request.iv === undefined) {
    if (request.price === undefined) {
      throw invalidOrderParams(context, 'price', `is required for a ${kind} order`);
    }
    requireDecimal(request.price, 'price', context);
  }
  if (stop) {
    if (request.triggerPrice === undefined) {
      throw invalidOrderParams(context, 'triggerPrice', `is required for a ${kind} order`);
    }
    requireDecimal(request.triggerPrice, 'triggerPrice', context);
  } else if (request.triggerPrice !== undefined || request.trigger !== undefined) {
    const field = request.triggerPrice !== undefined ? 'triggerPrice' : 'trigger';
    throw invalidOrderParams(context, field, 'applies to stop orders only');
  }
  return {
    category,
    symbol: request.instrument,
    side: request.side === 'buy' ? 'Buy' : 'Sell',
    orderType: market ? 'Market' : 'Limit',
    qty: request.amount,
    ...(request.price === undefined ? {} : { price: request.price }),
    ...(request.iv === undefined ? {} : { orderIv: request.iv }),
    ...timeInForceOf(request, market, context),
    ...(request.reduceOnly === true ? { reduceOnly: true } : {}),
    ...(stop
      ? {
          triggerPrice: request.triggerPrice,
          // A stop buys as the price rises to the trigger and sells as it falls to it.
          triggerDirection: request.side === 'buy' ? 1 : 2,
          ...(request.trigger === undefined ? {} : { triggerBy: TRIGGER_BY[request.trigger] }),
        }
      : {}),
    orderLinkId: request.label,
  };
}

function timeInForceOf(
  request: OrderRequest,
  market: boolean,
  context: string,
): { timeInForce?: string } {
  const tif = request.timeInForce;
  if (request.postOnly === true) {
    if (market) throw invalidOrderParams(context, 'postOnly', 'applies to limit orders only');
    if (tif !== undefined && tif !== 'gtc') {
      throw invalidOrderParams(context, 'postOnly', `cannot be combined with ${tif.toUpperCase()}`);
    }
    return { timeInForce: 'PostOnly' };
  }
  if (tif === undefined) return {};
  // Bybit runs a market order as an IOC limit at its slippage guard: it can never rest.
  if (market && tif === 'gtc') {
    throw invalidOrderParams(context, 'timeInForce', 'GTC does not apply to a market order');
  }
  return { timeInForce: TIME_IN_FORCE[tif] };
}

function cancelAllBodies(
  scope: CancelScope,
  linearSettleCoins: readonly string[],
): Record<string, unknown>[] {
  if (scope.instrument !== undefined) {
    return [{ category: bybitCategoryOf(scope.instrument), symbol: scope.instrument }];
  }
  if (scope.currency !== undefined) {
    return [
      { category: 'option', baseCoin: scope.currency },
      { category: 'linear', baseCoin: scope.currency },
    ];
  }
  // Linear cancel-all needs a symbol, base or settle coin; options cancel all without one.
  return [
    { category: 'option' },
    ...linearSettleCoins.map((settleCoin) => ({ category: 'linear', settleCoin })),
  ];
}

function requireLabel(label: string, context: string): void {
  if (label === '') throw invalidOrderParams(context, 'label', 'is required (Bybit orderLinkId)');
  if (label.length > MAX_LABEL) {
    throw invalidOrderParams(
      context,
      'label',
      `is ${label.length} characters, at most ${MAX_LABEL}`,
    );
  }
  if (!LABEL.test(label)) {
    throw invalidOrderParams(context, 'label', 'may hold only A-Z, a-z, 0-9, _ and -');
  }
}

function requireDecimal(value: string, field: string, context: string): void {
  if (!POSITIVE_DECIMAL.test(value) || !NONZERO.test(value)) {
    throw invalidOrderParams(
      context,
      field,
      `must be a positive decimal string, got ${JSON.stringify(value)}`,
    );
  }
}

function isDuplicate(error: unknown): boolean {
  return error instanceof BybitApiError && error.retCode === DUPLICATE_LINK_ID;
}

/** Same instrument, side and size: a resend of this very order, not a reused label. */
function sameOrder(order: OrderEvent, request: OrderRequest): boolean {
  return (
    order.instrument === request.instrument &&
    order.side === request.side &&
    order.amount === Number(request.amount)
  );
}

function unknownOutcome(error: VenueOrderError): VenueOrderError {
  return new VenueOrderError({
    venue: error.venue,
    reason: error.reason,
    code: error.code,
    venueMessage: error.venueMessage,
    message: `${error.message}; an earlier attempt may have placed the order: look it up by label`,
    outcomeUnknown: true,
  });
}

function orderIdOf(result: unknown): string {
  if (!isRecord(result)) throw new WireFormatError(`${CREATE} result: must be an object`);
  return requireString(result, 'orderId', `${CREATE} result`);
}

function listOf(result: unknown, path: string): readonly unknown[] {
  if (!isRecord(result)) throw new WireFormatError(`${path} result: must be an object`);
  return requireArray(result, 'list', `${path} result`);
}

const ORDER_TYPES: Readonly<Record<OrderRequest['kind'], OrderType>> = {
  limit: 'limit',
  market: 'market',
  'market-limit': 'market-limit',
  'stop-market': 'stop-market',
  'stop-limit': 'stop-limit',
};

/**
 * What we know of an order the venue accepted but whose state could not be read back: as
 * sent, nothing filled. The private socket's order stream brings the real state.
 */
function assumedOrder(request: OrderRequest, orderId: string, ts: number): OrderEvent {
  const stop = request.kind === 'stop-market' || request.kind === 'stop-limit';
  return {
    kind: 'order',
    venue: 'bybit',
    ts,
    orderId,
    label: request.label,
    instrument: request.instrument,
    side: request.side,
    orderType: ORDER_TYPES[request.kind],
    status: stop ? 'untriggered' : 'open',
    price: request.price === undefined ? null : Number(request.price),
    iv: request.iv === undefined ? null : Number(request.iv),
    triggerPrice: request.triggerPrice === undefined ? null : Number(request.triggerPrice),
    amount: Number(request.amount),
    filled: 0,
    averagePrice: null,
    postOnly: request.postOnly === true,
    reduceOnly: request.reduceOnly === true,
    reason: null,
  };
}
