/**
 * Order entry at Deribit over any RpcCaller (the feed's authenticated socket, a test's bare
 * client). Each method sends exactly one request and never retries it: when the reply does
 * not come, the error says the outcome is unknown and names the label to look up.
 */
import type { FillEvent, OrderEvent } from '../../book/events.js';
import type { RpcCaller, RpcCallOptions } from '../common/rpc-caller.js';
import { Decimal } from 'decimal.js';
import type {
  CancelScope,
  ComboOrderRequest,
  OrderApi,
  OrderEdit,
  OrderRequest,
  OrderResult,
  VenueOrderError,
} from '../feed.js';
import { isRecord, requireArray, WireFormatError } from '../wire-fields.js';
import { deribitFillFromWire, deribitOrderFromWire } from './account-records.js';
import { deribitOrderError, invalidOrderRequest, type OrderErrorSubject } from './order-errors.js';
import {
  checkLabel,
  deribitEditParams,
  deribitOrderParams,
  instrumentName,
} from './order-request.js';

export interface DeribitOrderApiOptions {
  /** Time limit for each order request; the caller's default when left out. */
  readonly timeoutMs?: number;
  /** Told each order this api placed, as the venue acknowledged it. */
  readonly onPlaced?: (orderId: string) => void;
}

export class DeribitOrderApi implements OrderApi {
  private readonly callOptions: RpcCallOptions;
  private readonly onPlaced: (orderId: string) => void;

  constructor(
    private readonly rpc: RpcCaller,
    options: DeribitOrderApiOptions = {},
  ) {
    this.callOptions = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
    this.onPlaced = options.onPlaced ?? (() => undefined);
  }

  async place(request: OrderRequest): Promise<OrderResult> {
    const order = deribitOrderParams(request);
    const reply = await this.send(order.method, order.params, order.context, order.subject);
    const result = this.read(order.context, order.subject, () => orderResult(reply, order.method));
    this.onPlaced(result.order.orderId);
    return result;
  }

  /**
   * Finds or creates the combo of these legs (`private/create_combo` answers an existing one
   * as it is), then buys or sells it once. Deribit keeps one combo per set of legs, with its
   * own sense: buying it may mean selling our legs, so the side and the price's sign follow
   * the combo's ratios, and a combo whose legs do not match ours is refused before any order.
   */
  async placeCombo(request: ComboOrderRequest): Promise<OrderResult> {
    const label = checkLabel(request.label);
    const trades = request.legs.map((leg) => ({
      instrument_name: instrumentName(leg.instrument),
      amount: leg.amount,
      direction: leg.side,
    }));
    const names = trades.map((trade) => trade.instrument_name).join(', ');
    const context = `create the combo of ${names}`;
    const reply = await this.send('private/create_combo', { trades }, context, { label });
    const combo = this.read(context, { label }, () => comboFromWire(reply));
    const order = comboOrder(request, combo);
    const method = order.side === 'buy' ? 'private/buy' : 'private/sell';
    const params = {
      instrument_name: combo.id,
      amount: order.amount,
      type: 'limit',
      price: Number(order.price),
      time_in_force: TIME_IN_FORCE[request.timeInForce],
      label,
    };
    const placed = `${order.side} ${order.amount} ${combo.id} at ${order.price}`;
    const answer = await this.send(method, params, placed, { label });
    const result = this.read(placed, { label }, () => orderResult(answer, method));
    this.onPlaced(result.order.orderId);
    return result;
  }

  async edit(edit: OrderEdit): Promise<OrderResult> {
    const change = deribitEditParams(edit);
    const reply = await this.send('private/edit', change.params, change.context, change.subject);
    return this.read(change.context, change.subject, () => orderResult(reply, 'private/edit'));
  }

  async cancel(orderId: string): Promise<OrderEvent> {
    if (typeof orderId !== 'string' || orderId === '') {
      throw invalidOrderRequest('orderId', 'must be the venue order id');
    }
    const context = `cancel order ${orderId}`;
    const reply = await this.send('private/cancel', { order_id: orderId }, context, {});
    return this.read(context, {}, () =>
      deribitOrderFromWire(reply, 'Deribit private/cancel reply'),
    );
  }

  async cancelAll(scope: CancelScope = {}): Promise<number> {
    const { method, params, context } = cancelAllRequest(scope);
    const reply = await this.send(method, params, context, {});
    return this.read(context, {}, () => count(reply, method));
  }

  async cancelByLabel(label: string): Promise<number> {
    const checked = checkLabel(label);
    const context = `cancel the orders labelled ${checked}`;
    const reply = await this.send('private/cancel_by_label', { label: checked }, context, {
      label: checked,
    });
    return this.read(context, { label: checked }, () => count(reply, 'private/cancel_by_label'));
  }

  async orderByLabel(label: string, instrument: string): Promise<OrderEvent | null> {
    const checked = checkLabel(label);
    const currency = labelCurrency(instrumentName(instrument));
    const context = `look up the order labelled ${checked}`;
    const method = 'private/get_order_state_by_label';
    const reply = await this.send(method, { currency, label: checked }, context, {
      label: checked,
    });
    return this.read(context, { label: checked }, () => {
      if (!Array.isArray(reply))
        throw new WireFormatError(`Deribit ${method} reply: must be a list`);
      const rows: readonly unknown[] = reply;
      const orders = rows.map((row, i) => deribitOrderFromWire(row, `Deribit ${method} [${i}]`));
      // Labels are ours and unique; should the venue list more, the latest is the one sent last.
      return orders.sort((a, b) => (a.createdTs ?? a.ts) - (b.createdTs ?? b.ts)).at(-1) ?? null;
    });
  }

  private async send(
    method: string,
    params: Record<string, unknown>,
    context: string,
    subject: OrderErrorSubject,
  ): Promise<unknown> {
    try {
      return await this.rpc.call(method, params, this.callOptions);
    } catch (error) {
      throw deribitOrderError(error, context, subject);
    }
  }

  /**
   * The venue acted but its reply does not read: what it did is unknown to us, so this is
   * reported like a lost reply rather than as a plain failure.
   */
  private read<T>(context: string, subject: OrderErrorSubject, map: () => T): T {
    try {
      return map();
    } catch (error) {
      if (!(error instanceof WireFormatError)) throw error;
      throw unreadableReply(error, context, subject);
    }
  }
}

const TIME_IN_FORCE: Record<ComboOrderRequest['timeInForce'], string> = {
  gtc: 'good_til_cancelled',
  ioc: 'immediate_or_cancel',
  fok: 'fill_or_kill',
};

interface ComboOnWire {
  readonly id: string;
  readonly legs: readonly { readonly instrument: string; readonly ratio: number }[];
}

function comboFromWire(reply: unknown): ComboOnWire {
  const where = 'Deribit private/create_combo reply';
  if (!isRecord(reply)) throw new WireFormatError(`${where}: must be an object`);
  const id = reply['id'];
  if (typeof id !== 'string' || id === '') throw new WireFormatError(`${where}: id must be a name`);
  const legs = requireArray(reply, 'legs', where).map((leg, i) => {
    if (!isRecord(leg)) throw new WireFormatError(`${where} legs[${i}]: must be an object`);
    const instrument = leg['instrument_name'];
    const ratio = leg['amount'];
    if (
      typeof instrument !== 'string' ||
      typeof ratio !== 'number' ||
      !Number.isInteger(ratio) ||
      ratio === 0
    ) {
      throw new WireFormatError(
        `${where} legs[${i}]: needs instrument_name and a whole non-zero amount`,
      );
    }
    return { instrument, ratio };
  });
  return { id, legs };
}

/**
 * The order on the combo that trades our legs: bought where its ratios have our legs' signs,
 * sold where they have the opposite ones (then the price's sign turns too); its amount is a
 * leg's amount over its ratio, the same for every leg.
 */
function comboOrder(
  request: ComboOrderRequest,
  combo: ComboOnWire,
): { side: 'buy' | 'sell'; amount: number; price: string } {
  let same: boolean | null = null;
  let amount: Decimal | null = null;
  const refuse = (why: string): never => {
    throw invalidOrderRequest('legs', `the venue's combo ${combo.id} ${why}: nothing sent`);
  };
  if (combo.legs.length !== request.legs.length)
    refuse(`has ${combo.legs.length} legs, not ${request.legs.length}`);
  for (const leg of request.legs) {
    const theirs = combo.legs.find((candidate) => candidate.instrument === leg.instrument);
    if (theirs === undefined) return refuse(`does not hold ${leg.instrument}`);
    const matches = theirs.ratio > 0 === (leg.side === 'buy');
    if (same !== null && same !== matches) refuse('trades its legs in another proportion of sides');
    same = matches;
    const per = new Decimal(leg.amount).div(Math.abs(theirs.ratio));
    if (amount !== null && !amount.eq(per)) refuse('holds its legs in other ratios');
    amount = per;
  }
  const packageBuys = request.side === 'buy';
  const buy = same === true;
  // The package's price is what its buyer pays; the combo's is what the combo's buyer pays.
  const price = buy === packageBuys ? request.price : negate(request.price);
  return { side: buy ? 'buy' : 'sell', amount: amount!.toNumber(), price };
}

function negate(price: string): string {
  if (price.startsWith('-')) return price.slice(1);
  return /^0*\.?0*$/.test(price) ? price : `-${price}`;
}

function orderResult(reply: unknown, method: string): OrderResult {
  const where = `Deribit ${method} reply`;
  if (!isRecord(reply)) throw new WireFormatError(`${where}: must be an object`);
  const order = deribitOrderFromWire(reply['order'], `${where} order`);
  const fills: FillEvent[] = requireArray(reply, 'trades', where).map((trade, i) =>
    deribitFillFromWire(trade, `${where} trades[${i}]`),
  );
  return { order, fills };
}

/**
 * The currency Deribit files an instrument's orders under: the coin of an inverse one
 * (BTC-PERPETUAL), the settlement coin of a linear one (BTC_USDC-PERPETUAL: USDC).
 */
function labelCurrency(instrument: string): string {
  const head = instrument.split('-')[0] ?? instrument;
  return head.includes('_') ? (head.split('_')[1] ?? head) : head;
}

function count(reply: unknown, method: string): number {
  if (typeof reply === 'number' && Number.isInteger(reply) && reply >= 0) return reply;
  throw new WireFormatError(
    `Deribit ${method} reply: must be a count of orders, got ${JSON.stringify(reply)}`,
  );
}

interface CancelAllRequest {
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly context: string;
}

// An instrument is the narrower scope and already implies its currency.
function cancelAllRequest(scope: CancelScope): CancelAllRequest {
  if (scope.instrument !== undefined) {
    const instrument = instrumentName(scope.instrument);
    return {
      method: 'private/cancel_all_by_instrument',
      params: { instrument_name: instrument },
      context: `cancel every order on ${instrument}`,
    };
  }
  if (scope.currency !== undefined) {
    if (!/^[A-Za-z]+$/.test(scope.currency)) {
      throw invalidOrderRequest(
        'currency',
        `must be a currency code, got ${JSON.stringify(scope.currency)}`,
      );
    }
    const currency = scope.currency.toUpperCase();
    return {
      method: 'private/cancel_all_by_currency',
      params: { currency },
      context: `cancel every ${currency} order`,
    };
  }
  return { method: 'private/cancel_all', params: {}, context: 'cancel every order' };
}

function unreadableReply(
  error: WireFormatError,
  context: string,
  subject: OrderErrorSubject,
): VenueOrderError {
  return deribitOrderError(
    new Error(`the venue's reply does not read: ${error.message}`),
    context,
    subject,
  );
}
