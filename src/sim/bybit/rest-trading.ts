// Private REST: order entry (`create`, `amend`, `cancel`, `cancel-all`), `order/realtime`,
// `position/list` and `account/wallet-balance`, for the account the request's key maps to.

import { SimError, type SimExchange, type SimOrder, type SimOrderFilter } from '../contract.js';
import { flatPosition } from '../flat-position.js';
import type { SimApiKey } from '../venue-server.js';
import { isClosed, type OrderRegistry } from './account-orders.js';
import { categoryOfSymbol } from './categories.js';
import { BybitError, RET, paramsError } from './errors.js';
import {
  amendRequest,
  bodyCategory,
  bodyInstrument,
  createRequest,
  type Body,
} from './order-requests.js';
import type { PositionTimes } from './position-times.js';
import type { PrivateFeed } from './private-feed.js';
import {
  orderRow,
  positionLeverage,
  positionListRow,
  positionMargin,
  walletRow,
  type OrderNote,
} from './private-format.js';
import { requireCategory, type Category } from './rest-market.js';
import { orderHistory } from './rest-order-history.js';

const REALTIME_DEFAULT_LIMIT = 20;
const REALTIME_MAX_LIMIT = 50;

/** Sim errors after which Bybit still creates the order, then cancels it at once. */
const CREATED_THEN_CANCELLED: ReadonlyMap<string, OrderNote> = new Map([
  ['post_only_reject', { rejectReason: 'EC_PostOnlyWillTakeLiquidity' }],
  ['fill_or_kill_not_filled', { rejectReason: 'EC_NoEnoughQtyToFill' }],
]);

export class TradingRoutes {
  private syntheticIds = 0;

  constructor(
    private readonly exchange: SimExchange,
    private readonly orders: OrderRegistry,
    private readonly feed: PrivateFeed,
    private readonly positionTimes: PositionTimes,
  ) {}

  create(key: SimApiKey, body: Body): unknown {
    const { request, linkId } = createRequest(this.exchange, body);
    const account = key.accountId;
    if (
      linkId !== '' &&
      (this.orders.linkIdUsed(account, linkId) || this.exchange.orderByLabel(account, linkId))
    ) {
      throw new BybitError(RET.duplicateLinkId, 'OrderLinkedID is duplicate');
    }
    this.orders.claimLinkId(account, linkId);
    try {
      const { order } = this.exchange.place(account, request);
      this.orders.record(account, order, this.noteFor(order));
      return { orderId: order.orderId, orderLinkId: order.label };
    } catch (error) {
      const note = error instanceof SimError ? CREATED_THEN_CANCELLED.get(error.code) : undefined;
      if (note === undefined) throw error;
      const order = this.cancelledOnArrival(account, request, note);
      return { orderId: order.orderId, orderLinkId: order.label };
    }
  }

  amend(key: SimApiKey, body: Body): unknown {
    const order = this.findOrder(key.accountId, body);
    const { order: amended } = this.exchange.edit(key.accountId, amendRequest(order.orderId, body));
    this.orders.record(key.accountId, amended);
    return { orderId: order.orderId, orderLinkId: order.label };
  }

  cancel(key: SimApiKey, body: Body): unknown {
    const order = this.findOrder(key.accountId, body);
    const cancelled = this.exchange.cancel(key.accountId, order.orderId);
    this.orders.record(key.accountId, cancelled);
    return { orderId: cancelled.orderId, orderLinkId: cancelled.label };
  }

  cancelAll(key: SimApiKey, body: Body): unknown {
    const category = bodyCategory(body);
    const symbol = body['symbol'];
    const baseCoin = body['baseCoin'];
    if (typeof symbol === 'string') bodyInstrument(this.exchange, body, category);
    const filter: SimOrderFilter = {
      kind: category === 'option' ? 'option' : 'perpetual',
      ...(typeof symbol === 'string' ? { instrument: symbol } : {}),
      ...(typeof baseCoin === 'string' ? { currency: baseCoin } : {}),
    };
    const cancelled = this.exchange.cancelAll(key.accountId, filter);
    for (const order of cancelled) this.orders.record(key.accountId, order);
    return {
      list: cancelled.map((o) => ({ orderId: o.orderId, orderLinkId: o.label })),
      success: '1',
    };
  }

  realtime(key: SimApiKey, query: URLSearchParams): unknown {
    const category = requireCategory(query);
    const account = key.accountId;
    const orderId = query.get('orderId');
    const linkId = query.get('orderLinkId');
    const symbol = query.get('symbol');
    const baseCoin = query.get('baseCoin');
    const openOnly = query.get('openOnly') ?? '0';
    const limit = Math.min(
      Number(query.get('limit') ?? REALTIME_DEFAULT_LIMIT) || REALTIME_DEFAULT_LIMIT,
      REALTIME_MAX_LIMIT,
    );
    const byId = orderId !== null || linkId !== null;
    const known = this.orders.list(account).map((k) => ({
      ...k,
      order: this.exchange.order(account, k.order.orderId) ?? k.order,
    }));
    for (const open of this.exchange.openOrders(account)) {
      if (!known.some((k) => k.order.orderId === open.orderId)) known.unshift({ order: open });
    }
    const matching = known.filter(({ order }) => {
      const instrument = this.exchange.instrument(order.instrument);
      if (categoryOfSymbol(order.instrument) !== category) return false;
      if (orderId !== null && order.orderId !== orderId) return false;
      if (linkId !== null && order.label !== linkId) return false;
      if (symbol !== null && order.instrument !== symbol) return false;
      if (baseCoin !== null && instrument?.currency !== baseCoin) return false;
      // openOnly=0 lists open orders, 1 the recent closed ones; an id finds either.
      if (!byId && (openOnly === '1') !== isClosed(order)) return false;
      return true;
    });
    const offset = decodeOffset(query.get('cursor'));
    const page = matching.slice(offset, offset + limit);
    return {
      category,
      list: page.map(({ order, note }) =>
        orderRow(order, this.exchange.instrument(order.instrument), false, note),
      ),
      nextPageCursor: offset + limit < matching.length ? String(offset + limit) : '',
    };
  }

  history(key: SimApiKey, query: URLSearchParams): unknown {
    return orderHistory(this.exchange, this.orders, key, query);
  }

  positions(key: SimApiKey, query: URLSearchParams): unknown {
    const category = requireCategory(query);
    const symbol = query.get('symbol');
    const baseCoin = query.get('baseCoin');
    const now = this.exchange.now();
    const held = this.exchange
      .positions(key.accountId, {
        ...(symbol === null ? {} : { instrument: symbol }),
        ...(baseCoin === null ? {} : { currency: baseCoin }),
      })
      .filter((p) => (p.kind === 'option') === (category === 'option') && p.size !== 0);
    // Asked by symbol, a linear contract always has its (one-way mode) position row: flat
    // until traded, which is where clients read the symbol's leverage.
    const instrument = symbol === null ? undefined : this.exchange.instrument(symbol);
    if (category === 'linear' && instrument !== undefined && held.length === 0) {
      held.push(flatPosition(key.accountId, instrument, this.exchange.ticker(symbol!), 0));
    }
    const list = held.map((p, i) =>
      positionListRow(
        p,
        this.exchange.instrument(p.instrument),
        this.positionTimes.of(p, now),
        i + 1,
        positionLeverage(this.exchange, p),
      ),
    );
    return { category, list, nextPageCursor: '' };
  }

  wallet(key: SimApiKey, query: URLSearchParams): unknown {
    const accountType = query.get('accountType');
    if (accountType !== 'UNIFIED') throw paramsError('accountType only support UNIFIED');
    const coin = query.get('coin');
    const currencies = this.exchange
      .accountCurrencies(key.accountId)
      .filter((c) => coin === null || coin.split(',').includes(c));
    const settle = currencies.includes('USDT') ? 'USDT' : (currencies[0] ?? 'USDT');
    const summary = this.exchange.summary(key.accountId, settle);
    return { list: [walletRow(summary, positionMargin(this.exchange, key.accountId, settle))] };
  }

  private findOrder(accountId: string, body: Body): SimOrder {
    const category: Category = bodyCategory(body);
    const orderId = body['orderId'];
    const linkId = body['orderLinkId'];
    let order: SimOrder | undefined;
    if (typeof orderId === 'string' && orderId !== '') {
      order = this.exchange.order(accountId, orderId);
    } else if (typeof linkId === 'string' && linkId !== '') {
      order = this.exchange.orderByLabel(accountId, linkId);
    } else {
      throw paramsError('orderId or orderLinkId is required');
    }
    if (order === undefined || categoryOfSymbol(order.instrument) !== category) {
      throw new BybitError(RET.orderNotFound, 'Order does not exist');
    }
    if (isClosed(order)) throw new BybitError(RET.orderNotFound, 'Order does not exist');
    return order;
  }

  private noteFor(order: SimOrder): OrderNote | undefined {
    if (order.state !== 'cancelled' && order.state !== 'rejected') return undefined;
    if (order.postOnly && order.filledAmount === 0) {
      return { rejectReason: 'EC_PostOnlyWillTakeLiquidity' };
    }
    return undefined;
  }

  /** The order the venue books and cancels in one go; the core refused it, so we keep it. */
  private cancelledOnArrival(
    accountId: string,
    request: ReturnType<typeof createRequest>['request'],
    note: OrderNote,
  ): SimOrder {
    const now = this.exchange.now();
    const serial = (++this.syntheticIds).toString(16).padStart(12, '0');
    const order: SimOrder = {
      orderId: `5e0c1a7e-0000-4000-8000-${serial}`,
      accountId,
      instrument: request.instrument,
      side: request.side,
      type: request.type,
      price: request.price ?? null,
      iv: request.iv ?? null,
      amount: request.amount,
      filledAmount: 0,
      averagePrice: 0,
      state: 'cancelled',
      postOnly: request.postOnly ?? false,
      reduceOnly: request.reduceOnly ?? false,
      timeInForce: request.timeInForce ?? 'good_til_cancelled',
      label: request.label ?? '',
      triggerPrice: null,
      trigger: null,
      createdAt: now,
      updatedAt: now,
      cancelReason: null,
      repriced: false,
      commission: 0,
    };
    this.orders.record(accountId, order, note);
    this.feed.publishOrder(accountId, order, note);
    return order;
  }
}

function decodeOffset(cursor: string | null): number {
  if (cursor === null || cursor === '') return 0;
  const offset = Number(cursor);
  if (!Number.isSafeInteger(offset) || offset < 0) throw paramsError('cursor invalid');
  return offset;
}
