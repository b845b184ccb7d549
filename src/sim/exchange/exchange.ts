// One venue's exchange: listings, books, matching, paper accounts and settlement, driven by the
// market model's steps and by users' orders. Every call is a batch: its trades, fills, orders
// and positions are announced as they happen, and at the end each touched instrument gets at
// most one book event (one change id) and one ticker event, each touched account one account
// event, and a model step a closing 'step' event.

import type { InstrumentKind, InstrumentSpec } from '../../instruments/types.js';
import {
  SimError,
  type ModelMark,
  type ModelStep,
  type ModelTakerFlow,
  type SimAccountSummary,
  type SimBookView,
  type SimEditRequest,
  type SimEvent,
  type SimExchange,
  type SimFill,
  type SimInstrument,
  type SimListener,
  type SimOrder,
  type SimOrderFilter,
  type SimOrderRequest,
  type SimPlaceResult,
  type SimPosition,
  type SimPublicTrade,
  type SimSide,
  type SimTicker,
  type SimVenueName,
} from '../contract.js';
import { Random } from '../random.js';
import { applyFill, Accounts, Ledger, type PositionRecord } from './accounts.js';
import { atOrBetter, InstrumentBook, oppositeSide, type BookSide } from './book.js';
import { defaultFees, tradeFee, type FeeSchedule } from './fees.js';
import { reserveFor, walkedPrice } from './funds.js';
import { snapAmount } from './grid.js';
import { markOf, yearsLeft, type Listing } from './listing.js';
import { planTake, plannedAmount, type PlannedMatch } from './matching.js';
import { ivOfPrice } from './option-values.js';
import { bestOpposite, ivLimitPrice, passivePrice } from './order-pricing.js';
import { isLive, orderView, remaining, type OrderRecord } from './orders.js';
import { fundingDue, fundingPayment, settlementOf } from './settlement.js';
import { isTriggered, triggerReference, type StopTrigger } from './stops.js';
import { TradeTape } from './tape.js';
import {
  checkAmount,
  checkPositive,
  checkPrice,
  checkSide,
  checkTimeInForce,
  checkType,
} from './validation.js';
import { openingAmount } from './valuation.js';
import {
  positionValue,
  positionView,
  summaryView,
  sameTickerState,
  tickerState,
  tickerView,
} from './views.js';

export interface SimExchangeOptions {
  readonly venue: SimVenueName;
  /** The sim clock. */
  readonly now: () => number;
  /** What a new account holds per currency: {BTC: 10, ETH: 100} or {USDT: 1_000_000}. */
  readonly funding: Readonly<Record<string, number>>;
  /** Defaults by settlement: the coin-margined venue's schedule for inverse contracts, the
   * USDT venue's for linear ones (see fees.ts). */
  readonly fees?: FeeSchedule;
  /** Seeds first change ids and the rest of the market's open interest. */
  readonly seed?: number;
}

export interface SimExchangeCore extends SimExchange {
  apply(step: ModelStep): void;
}

const FIRST_ORDER_NUMBER = 1_000;

function isStopType(type: SimOrderRequest['type']): boolean {
  return type === 'stop_market' || type === 'stop_limit';
}

function matchesFilter(
  instrument: SimInstrument,
  filter: SimOrderFilter | undefined,
  label?: string,
): boolean {
  if (filter === undefined) return true;
  const { spec } = instrument;
  if (
    filter.currency !== undefined &&
    filter.currency !== instrument.currency &&
    filter.currency !== spec.settleCurrency
  ) {
    return false;
  }
  if (filter.kind !== undefined && filter.kind !== spec.kind) return false;
  if (filter.instrument !== undefined && filter.instrument !== spec.name) return false;
  if (filter.label !== undefined && filter.label !== label) return false;
  return true;
}

export class Exchange implements SimExchangeCore {
  readonly venue: SimVenueName;
  private readonly listings = new Map<string, Listing>();
  private readonly indices = new Map<string, number>();
  private readonly currencyList: string[] = [];
  private readonly accounts: Accounts;
  /** Every order ever placed, for lookups after it closed. */
  private readonly orders = new Map<string, OrderRecord>();
  /** Open and untriggered orders, oldest first. */
  private readonly live = new Map<string, OrderRecord>();
  private readonly labels = new Map<string, OrderRecord>();
  private readonly listeners = new Set<SimListener>();
  private readonly random: Random;
  private orderNumber = FIRST_ORDER_NUMBER;
  private tradeNumber = 0;
  private priority = 0;
  private depth = 0;
  private batchTs = 0;
  private lastStepTs: number | null = null;
  private readonly dirtyBooks = new Set<string>();
  private readonly dirtyTickers = new Set<string>();
  private readonly dirtyLedgers = new Set<Ledger>();

  constructor(private readonly options: SimExchangeOptions) {
    this.venue = options.venue;
    this.accounts = new Accounts(options.funding);
    this.random = new Random(options.seed ?? 0).fork('exchange');
  }

  now(): number {
    return this.options.now();
  }

  // -------------------------------------------------------------------------------------------
  // Market data

  instruments(filter?: { currency?: string; kind?: InstrumentKind }): readonly SimInstrument[] {
    const all: SimInstrument[] = [];
    for (const { instrument } of this.listings.values()) {
      if (filter?.currency !== undefined && instrument.currency !== filter.currency) continue;
      if (filter?.kind !== undefined && instrument.spec.kind !== filter.kind) continue;
      all.push(instrument);
    }
    return all;
  }

  instrument(name: string): SimInstrument | undefined {
    return this.listings.get(name)?.instrument;
  }

  currencies(): readonly string[] {
    return [...this.currencyList];
  }

  /** NaN for a currency the model has not priced. */
  indexPrice(currency: string): number {
    return this.indices.get(currency) ?? NaN;
  }

  book(name: string, depth?: number): SimBookView | undefined {
    const listing = this.listings.get(name);
    if (listing === undefined) return undefined;
    return {
      instrument: name,
      bids: listing.book.levels('bid', depth),
      asks: listing.book.levels('ask', depth),
      changeId: listing.book.changeId,
      ts: this.now(),
    };
  }

  ticker(name: string): SimTicker | undefined {
    const listing = this.listings.get(name);
    if (listing === undefined) return undefined;
    return tickerView(listing, this.now(), this.indexOf(listing));
  }

  /** The last `count` trades, oldest first. */
  recentTrades(name: string, count: number): readonly SimPublicTrade[] {
    return this.listings.get(name)?.tape.recent(count) ?? [];
  }

  subscribe(listener: SimListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  // -------------------------------------------------------------------------------------------
  // The model's step

  apply(step: ModelStep): void {
    this.batch(step.ts, () => {
      this.list(step.listed);
      for (const [currency, price] of step.index) this.setIndex(currency, price);
      for (const [name, mark] of step.marks) this.setMark(name, mark);
      for (const [name, quote] of step.quotes) {
        const listing = this.listings.get(name);
        if (listing === undefined) continue;
        listing.book.setMakerQuote(quote);
        this.dirtyBooks.add(name);
      }
      this.settle(step.expired);
      for (const name of step.marks.keys()) this.repriceIvOrders(name);
      // Resting orders meet the new quotes before the noise flow arrives, so the takers walk an
      // uncrossed book.
      for (const listing of this.listings.values()) {
        if (listing.book.hasUserOrders()) this.crossWithMakers(listing);
      }
      for (const flow of step.takers) this.runTaker(flow);
      this.payFunding(step.ts);
      // Marks moved: every account holding something was revalued.
      for (const ledger of this.accounts.ledgers()) {
        if (ledger.positions.size > 0) this.dirtyLedgers.add(ledger);
      }
    });
    this.lastStepTs = step.ts;
    this.emit({ type: 'step', ts: step.ts });
  }

  private list(listed: readonly SimInstrument[]): void {
    const added: SimInstrument[] = [];
    for (const instrument of listed) {
      const name = instrument.spec.name;
      if (this.listings.has(name)) continue;
      const spec = instrument.spec;
      const base =
        spec.kind === 'option'
          ? spec.minSize * this.random.int(20, 500)
          : spec.lotSize * this.random.int(1_000, 50_000);
      this.listings.set(name, {
        instrument,
        spec,
        book: new InstrumentBook(spec, this.random.int(1_000, 1_000_000)),
        tape: new TradeTape(),
        mark: null,
        baseOpenInterest: snapAmount(spec, base),
        userExposure: 0,
        tickerState: [],
      });
      this.addCurrency(instrument.currency);
      added.push(instrument);
    }
    if (added.length > 0) this.emit({ type: 'listing', ts: this.batchTs, added, removed: [] });
  }

  private addCurrency(currency: string): void {
    if (!this.currencyList.includes(currency)) this.currencyList.push(currency);
  }

  private setIndex(currency: string, price: number): void {
    this.addCurrency(currency);
    if (this.indices.get(currency) === price) return;
    this.indices.set(currency, price);
    this.emit({ type: 'index', currency, price, ts: this.batchTs });
  }

  private setMark(name: string, mark: ModelMark): void {
    const listing = this.listings.get(name);
    if (listing === undefined) return;
    listing.mark = mark;
    this.dirtyTickers.add(name);
  }

  private runTaker(flow: ModelTakerFlow): void {
    const listing = this.listings.get(flow.instrument);
    if (listing === undefined || !(flow.amount > 0)) return;
    const plan = planTake(listing.book, listing.spec, {
      side: flow.side,
      amount: flow.amount,
      limit: null,
      skipAccount: null,
      makerCapacity: (order) => this.capacity(listing, order),
    });
    this.executePlan(listing, flow.side, plan, null);
  }

  /** The market moved through resting orders: they fill at their own price, as makers. */
  private crossWithMakers(listing: Listing): void {
    const { book } = listing;
    for (const side of ['bid', 'ask'] as const) {
      const makerSide: BookSide = side === 'bid' ? 'ask' : 'bid';
      for (const order of book.userOrders(side)) {
        for (const makerPrice of book.makerPrices(makerSide)) {
          if (!atOrBetter(side, order.price!, makerPrice)) break;
          const amount = Math.min(
            remaining(order),
            book.makerSize(makerSide, makerPrice),
            this.capacity(listing, order),
          );
          if (!(amount > 0)) break;
          book.consumeMaker(makerSide, makerPrice, amount);
          const aggressor: SimSide = side === 'bid' ? 'sell' : 'buy';
          this.trade(
            listing,
            aggressor,
            order.price!,
            snapAmount(listing.spec, amount),
            order,
            null,
          );
          if (!isLive(order)) break;
        }
      }
    }
  }

  private repriceIvOrders(name: string): void {
    const listing = this.listings.get(name);
    if (listing === undefined || listing.spec.kind !== 'option') return;
    for (const order of this.live.values()) {
      if (order.instrument !== name || order.iv === null || order.state !== 'open') continue;
      const price = this.ivPrice(listing, order.side, order.iv);
      if (price === order.price) continue;
      listing.book.remove(order);
      order.price = price;
      order.priority = ++this.priority;
      order.updatedAt = this.batchTs;
      listing.book.add(order);
      this.dirtyBooks.add(name);
      this.emitOrder(order);
    }
  }

  private payFunding(ts: number): void {
    if (!fundingDue(this.lastStepTs, ts)) return;
    for (const ledger of this.accounts.ledgers()) {
      for (const position of ledger.positions.values()) {
        const listing = this.listings.get(position.instrument);
        if (listing === undefined || listing.spec.kind !== 'perpetual') continue;
        const mark = markOf(listing, this.indexOf(listing));
        const payment = fundingPayment(listing.spec, position.size, mark);
        ledger.balance -= payment;
        ledger.realizedPnl -= payment;
        position.realizedPnl -= payment;
        this.dirtyLedgers.add(ledger);
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Settlement

  private settle(expired: ModelStep['expired']): void {
    const removed: SimInstrument[] = [];
    for (const { name, settlementPrice } of expired) {
      const listing = this.listings.get(name);
      if (listing === undefined) continue;
      for (const order of [...this.live.values()]) {
        if (order.instrument === name) this.cancelOrder(listing, order, 'settlement');
      }
      for (const ledger of this.accounts.ledgers()) {
        const position = ledger.positions.get(name);
        if (position !== undefined) this.settlePosition(ledger, listing, position, settlementPrice);
      }
      this.emit({ type: 'settlement', instrument: name, price: settlementPrice, ts: this.batchTs });
      this.listings.delete(name);
      this.dirtyBooks.delete(name);
      this.dirtyTickers.delete(name);
      removed.push(listing.instrument);
    }
    if (removed.length > 0) this.emit({ type: 'listing', ts: this.batchTs, added: [], removed });
  }

  private settlePosition(
    ledger: Ledger,
    listing: Listing,
    position: PositionRecord,
    price: number,
  ): void {
    const size = position.size;
    const { cash, realized, value } = settlementOf(
      listing.spec,
      size,
      position.averagePrice,
      price,
    );
    ledger.balance += cash;
    ledger.realizedPnl += realized;
    position.realizedPnl += realized;
    position.size = 0;
    listing.userExposure = Math.max(0, listing.userExposure - Math.abs(size));
    const view = positionView(
      ledger,
      listing,
      position,
      this.batchTs,
      this.indexOf(listing),
      value,
    );
    ledger.positions.delete(position.instrument);
    this.emit({ type: 'position', accountId: ledger.accountId, position: view });
    this.dirtyLedgers.add(ledger);
  }

  // -------------------------------------------------------------------------------------------
  // Trading

  openAccount(accountId: string): void {
    this.accounts.open(accountId);
  }

  place(accountId: string, request: SimOrderRequest): SimPlaceResult {
    return this.batch(this.now(), () => this.placeOrder(accountId, request));
  }

  private placeOrder(accountId: string, request: SimOrderRequest): SimPlaceResult {
    this.accounts.open(accountId);
    const listing = this.requireListing(request.instrument);
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
      price = this.ivPrice(listing, side, iv);
    } else if (priced) {
      price = checkPrice(spec, request.price);
    }

    let triggerPrice: number | null = null;
    let trigger: SimOrderRequest['trigger'] | null = null;
    if (stop) {
      triggerPrice = checkPositive('trigger price', request.triggerPrice);
      trigger = request.trigger ?? 'mark_price';
      const reference = this.stopReference(listing, trigger);
      if (reference !== null && isTriggered(side, triggerPrice, reference)) {
        throw new SimError(
          'would_trigger_immediately',
          `a ${side} stop at ${triggerPrice} triggers at once (${trigger} ${reference})`,
        );
      }
    }

    const ledger = this.accounts.ledger(accountId, spec.settleCurrency);
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

    const reserve = this.newOrderReserve(listing, accountId, side, amount, price, positionSize);
    if (reserve > 0 && this.availableFunds(ledger) < reserve) {
      throw new SimError('not_enough_funds', 'not enough funds', {
        required: reserve,
        available: this.availableFunds(ledger),
      });
    }

    const ts = this.batchTs;
    const order: OrderRecord = {
      orderId: `${listing.instrument.currency}-${++this.orderNumber}`,
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
      priority: ++this.priority,
    };
    this.orders.set(order.orderId, order);
    this.live.set(order.orderId, order);
    if (order.label !== '') this.labels.set(labelKey(accountId, order.label), order);
    if (stop) {
      this.emitOrder(order);
      return { order: orderView(order), fills: [] };
    }
    const fills = this.execute(listing, order);
    return { order: orderView(order), fills };
  }

  edit(accountId: string, request: SimEditRequest): SimPlaceResult {
    return this.batch(this.now(), () => this.editOrder(accountId, request));
  }

  private editOrder(accountId: string, request: SimEditRequest): SimPlaceResult {
    const order = this.ownOrder(accountId, request.orderId);
    const listing = this.requireListing(order.instrument);
    const { spec } = listing;
    const amount = request.amount === undefined ? order.amount : checkAmount(spec, request.amount);
    if (amount <= order.filledAmount) {
      throw new SimError(
        'invalid_params',
        `amount ${amount} is not above the filled ${order.filledAmount}`,
      );
    }
    let iv = order.iv;
    let price = order.price;
    if (request.iv !== undefined) {
      if (spec.kind !== 'option' || order.price === null) {
        throw new SimError('invalid_params', 'only option limit orders can be priced by IV');
      }
      iv = checkPositive('iv', request.iv);
      price = this.ivPrice(listing, order.side, iv);
    } else if (request.price !== undefined && order.price !== null) {
      price = checkPrice(spec, request.price);
      iv = null;
    }
    const reduceOnly = request.reduceOnly ?? order.reduceOnly;
    const ledger = this.accounts.ledger(accountId, spec.settleCurrency);
    const positionSize = ledger.positions.get(spec.name)?.size ?? 0;
    const left = snapAmount(spec, amount - order.filledAmount);
    if (reduceOnly && openingAmount(positionSize, order.side, left) >= left) {
      throw new SimError('reduce_only_increase', 'a reduce-only order must shrink the position');
    }
    const postOnly = (request.postOnly ?? order.postOnly) && order.type === 'limit';
    const rejectPostOnly = request.rejectPostOnly ?? order.rejectPostOnly;
    let repriced = order.repriced;
    if (postOnly && price !== null && order.state === 'open') {
      const passive = passivePrice(listing, accountId, order.side, price, rejectPostOnly);
      repriced = passive !== price;
      price = passive;
    }
    const before = order.state === 'open' ? this.orderReserve(order) : 0;
    const after =
      order.state === 'open' ? this.reserveFor(listing, order.side, left, price, positionSize) : 0;
    if (after > before && this.availableFunds(ledger) < after - before) {
      throw new SimError('not_enough_funds', 'not enough funds', { required: after - before });
    }

    const resting = order.state === 'open';
    if (resting) listing.book.remove(order);
    // Moving the price or growing the order goes to the back of the queue; shrinking does not.
    if (price !== order.price || amount > order.amount) order.priority = ++this.priority;
    order.amount = amount;
    order.price = price;
    order.iv = iv;
    order.postOnly = postOnly;
    order.rejectPostOnly = rejectPostOnly;
    order.reduceOnly = reduceOnly;
    order.repriced = repriced;
    order.updatedAt = this.batchTs;
    if (!resting) {
      this.emitOrder(order);
      return { order: orderView(order), fills: [] };
    }
    this.dirtyBooks.add(spec.name);
    const fills = this.execute(listing, order);
    return { order: orderView(order), fills };
  }

  cancel(accountId: string, orderId: string): SimOrder {
    return this.batch(this.now(), () => {
      const order = this.ownOrder(accountId, orderId);
      this.cancelOrder(this.listings.get(order.instrument), order, 'user');
      return orderView(order);
    });
  }

  cancelAll(accountId: string, filter?: SimOrderFilter): readonly SimOrder[] {
    return this.batch(this.now(), () => {
      const cancelled: SimOrder[] = [];
      for (const order of [...this.live.values()]) {
        if (order.accountId !== accountId) continue;
        const listing = this.listings.get(order.instrument);
        if (listing === undefined || !matchesFilter(listing.instrument, filter, order.label)) {
          continue;
        }
        this.cancelOrder(listing, order, 'user');
        cancelled.push(orderView(order));
      }
      return cancelled;
    });
  }

  order(accountId: string, orderId: string): SimOrder | undefined {
    const order = this.orders.get(orderId);
    return order !== undefined && order.accountId === accountId ? orderView(order) : undefined;
  }

  /** The account's most recent order with this label. */
  orderByLabel(accountId: string, label: string): SimOrder | undefined {
    const order = this.labels.get(labelKey(accountId, label));
    return order === undefined ? undefined : orderView(order);
  }

  openOrders(accountId: string, filter?: SimOrderFilter): readonly SimOrder[] {
    const open: SimOrder[] = [];
    for (const order of this.live.values()) {
      if (order.accountId !== accountId) continue;
      const listing = this.listings.get(order.instrument);
      if (listing !== undefined && matchesFilter(listing.instrument, filter, order.label)) {
        open.push(orderView(order));
      }
    }
    return open;
  }

  positions(accountId: string, filter?: SimOrderFilter): readonly SimPosition[] {
    const views: SimPosition[] = [];
    const now = this.now();
    for (const currency of this.accounts.currencies(accountId)) {
      const ledger = this.accounts.find(accountId, currency)!;
      for (const position of ledger.positions.values()) {
        const listing = this.listings.get(position.instrument);
        if (listing === undefined || position.size === 0) continue;
        if (!matchesFilter(listing.instrument, filter)) continue;
        views.push(positionView(ledger, listing, position, now, this.indexOf(listing)));
      }
    }
    return views;
  }

  summary(accountId: string, currency: string): SimAccountSummary {
    const ledger = this.accounts.find(accountId, currency);
    if (ledger === undefined) {
      const balance = this.accounts.has(accountId) ? 0 : (this.options.funding[currency] ?? 0);
      return summaryView(new Ledger(accountId, currency, balance), [], 0);
    }
    return this.summarize(ledger);
  }

  accountCurrencies(accountId: string): readonly string[] {
    return this.accounts.currencies(accountId);
  }

  // -------------------------------------------------------------------------------------------
  // Matching

  /** Takes what the order can take, then rests, cancels or kills the rest by its type. */
  private execute(listing: Listing, order: OrderRecord): SimFill[] {
    const { spec, book } = listing;
    const fills: SimFill[] = [];
    const takes = !(order.postOnly && order.type === 'limit');
    let limit = order.price;
    if (order.type === 'market' || order.type === 'stop_market') limit = null;
    if (order.type === 'market_limit' && order.price === null) {
      const best = bestOpposite(listing.book, order.accountId, order.side);
      if (best === null) return this.finish(listing, order, 'ioc', fills);
      order.price = best;
      limit = best;
    }
    if (takes) {
      const wanted = Math.min(remaining(order), this.capacity(listing, order));
      const plan = planTake(book, spec, {
        side: order.side,
        amount: snapAmount(spec, wanted),
        limit,
        skipAccount: order.accountId,
        makerCapacity: (maker) => this.capacity(listing, maker),
      });
      if (
        order.timeInForce === 'fill_or_kill' &&
        plannedAmount(plan) < remaining(order) * (1 - 1e-9)
      ) {
        // Fill-or-kill that cannot fill whole ends cancelled with no fills, as both venues
        // report it, rather than as an error.
        return this.finish(listing, order, 'fok', fills);
      }
      fills.push(...this.executePlan(listing, order.side, plan, order));
    }
    if (!isLive(order)) return this.finish(listing, order, null, fills);
    if (order.reduceOnly && this.capacity(listing, order) <= 0) {
      return this.finish(listing, order, 'reduce_only', fills);
    }
    if (
      order.type === 'market' ||
      order.type === 'stop_market' ||
      order.timeInForce !== 'good_til_cancelled'
    ) {
      return this.finish(listing, order, 'ioc', fills);
    }
    book.add(order);
    this.dirtyBooks.add(spec.name);
    return this.finish(listing, order, null, fills);
  }

  /** Announces a taker order's final state, cancelling what is left when told why. */
  private finish(
    listing: Listing,
    order: OrderRecord,
    cancelReason: string | null,
    fills: SimFill[],
  ): SimFill[] {
    if (cancelReason !== null && isLive(order)) this.cancelOrder(listing, order, cancelReason);
    else this.emitOrder(order);
    return fills;
  }

  private executePlan(
    listing: Listing,
    takerSide: SimSide,
    plan: readonly PlannedMatch[],
    taker: OrderRecord | null,
  ): SimFill[] {
    const fills: SimFill[] = [];
    for (const match of plan) {
      if (match.maker === null) {
        listing.book.consumeMaker(oppositeSide(takerSide), match.price, match.amount);
      }
      const fill = this.trade(listing, takerSide, match.price, match.amount, match.maker, taker);
      if (fill !== null) fills.push(fill);
    }
    return fills;
  }

  /** One print: the public trade, then each user side's fill. Returns the taker's fill. */
  private trade(
    listing: Listing,
    aggressor: SimSide,
    price: number,
    amount: number,
    maker: OrderRecord | null,
    taker: OrderRecord | null,
  ): SimFill | null {
    const { spec, tape } = listing;
    const ts = this.batchTs;
    const mark = markOf(listing, this.indexOf(listing));
    const iv =
      spec.kind === 'option' ? ivOfPrice(spec, price, mark.forward, yearsLeft(listing, ts)) : null;
    const trade: SimPublicTrade = {
      tradeId: `${listing.instrument.currency}-${++this.tradeNumber}`,
      tradeSeq: tape.nextSeq(),
      instrument: spec.name,
      ts,
      price,
      amount,
      direction: aggressor,
      indexPrice: this.indexOf(listing),
      markPrice: mark.markPrice,
      iv,
      tickDirection: tape.tickDirection(price),
    };
    tape.record(trade);
    this.emit({ type: 'trade', trade });
    this.dirtyBooks.add(spec.name);
    this.dirtyTickers.add(spec.name);
    if (maker !== null) this.fill(listing, maker, 'maker', trade, true);
    return taker === null ? null : this.fill(listing, taker, 'taker', trade, false);
  }

  private fill(
    listing: Listing,
    order: OrderRecord,
    liquidity: 'maker' | 'taker',
    trade: SimPublicTrade,
    announceOrder: boolean,
  ): SimFill {
    const { spec } = listing;
    const { price, amount } = trade;
    const ledger = this.accounts.ledger(order.accountId, spec.settleCurrency);
    const fee = tradeFee(spec, this.feesFor(spec), liquidity, price, amount, trade.indexPrice);
    const position = ledger.position(spec.name);
    const heldBefore = Math.abs(position.size);
    const { cash, realized } = applyFill(spec, position, order.side, amount, price);
    ledger.balance += cash - fee;
    ledger.feesPaid += fee;
    ledger.realizedPnl += realized;
    listing.userExposure = Math.max(0, listing.userExposure + Math.abs(position.size) - heldBefore);

    order.filledAmount = snapAmount(spec, order.filledAmount + amount);
    listing.book.invalidate();
    order.filledValue += price * amount;
    order.commission += fee;
    order.updatedAt = trade.ts;
    if (remaining(order) <= 0) {
      listing.book.remove(order);
      order.state = 'filled';
      this.live.delete(order.orderId);
    }

    const fill: SimFill = {
      tradeId: trade.tradeId,
      tradeSeq: trade.tradeSeq,
      orderId: order.orderId,
      accountId: order.accountId,
      instrument: spec.name,
      side: order.side,
      price,
      amount,
      fee,
      feeCurrency: spec.settleCurrency,
      liquidity,
      ts: trade.ts,
      indexPrice: trade.indexPrice,
      markPrice: trade.markPrice,
      iv: trade.iv,
      label: order.label,
      orderType: order.type,
    };
    this.emit({ type: 'fill', accountId: order.accountId, fill });
    const view = positionView(ledger, listing, position, trade.ts, this.indexOf(listing));
    if (position.size === 0) ledger.positions.delete(spec.name);
    this.emit({ type: 'position', accountId: order.accountId, position: view });
    if (announceOrder) this.emitOrder(order);
    this.dirtyLedgers.add(ledger);
    return fill;
  }

  /** How much of the order may fill now: all of it, or for reduce-only what the position
   * still has to close. */
  private capacity(listing: Listing, order: OrderRecord): number {
    if (!order.reduceOnly) return remaining(order);
    const size =
      this.accounts
        .find(order.accountId, listing.spec.settleCurrency)
        ?.positions.get(listing.spec.name)?.size ?? 0;
    return order.side === 'buy' ? Math.max(-size, 0) : Math.max(size, 0);
  }

  private ivPrice(listing: Listing, side: SimSide, iv: number): number {
    return ivLimitPrice(listing, side, iv, this.batchTs);
  }

  // -------------------------------------------------------------------------------------------
  // Stops

  private stopReference(listing: Listing, trigger: StopTrigger): number | null {
    return triggerReference(listing, trigger, this.indices.get(listing.instrument.currency));
  }

  private triggerStops(): void {
    for (;;) {
      const due: OrderRecord[] = [];
      for (const order of this.live.values()) {
        if (order.state !== 'untriggered') continue;
        const listing = this.listings.get(order.instrument);
        const reference = listing && this.stopReference(listing, order.trigger ?? 'mark_price');
        if (
          reference !== undefined &&
          reference !== null &&
          isTriggered(order.side, order.triggerPrice!, reference)
        ) {
          due.push(order);
        }
      }
      if (due.length === 0) return;
      // A triggered stop trades, which can move the last price and trigger the next.
      for (const order of due) {
        order.state = 'open';
        order.updatedAt = this.batchTs;
        this.execute(this.listings.get(order.instrument)!, order);
      }
    }
  }

  /** Reduce-only orders left with nothing to reduce go away, as on the venues. */
  private sweepReduceOnly(): void {
    for (const order of [...this.live.values()]) {
      if (!order.reduceOnly || order.state !== 'open') continue;
      const listing = this.listings.get(order.instrument);
      if (listing !== undefined && this.capacity(listing, order) <= 0) {
        this.cancelOrder(listing, order, 'reduce_only');
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Funds

  private feesFor(spec: InstrumentSpec): FeeSchedule {
    return this.options.fees ?? defaultFees(spec.settlement);
  }

  private summarize(ledger: Ledger): SimAccountSummary {
    const now = this.now();
    const values = [];
    for (const position of ledger.positions.values()) {
      const listing = this.listings.get(position.instrument);
      if (listing === undefined) continue;
      values.push({
        kind: listing.spec.kind,
        value: positionValue(listing, position, now, this.indexOf(listing)),
      });
    }
    let reserved = 0;
    for (const order of this.live.values()) {
      if (order.accountId !== ledger.accountId || order.state !== 'open') continue;
      const listing = this.listings.get(order.instrument);
      if (listing?.spec.settleCurrency === ledger.currency) reserved += this.orderReserve(order);
    }
    return summaryView(ledger, values, reserved);
  }

  private availableFunds(ledger: Ledger): number {
    return this.summarize(ledger).availableFunds;
  }

  private orderReserve(order: OrderRecord): number {
    const listing = this.listings.get(order.instrument);
    if (listing === undefined) return 0;
    const size =
      this.accounts
        .find(order.accountId, listing.spec.settleCurrency)
        ?.positions.get(order.instrument)?.size ?? 0;
    return this.reserveFor(listing, order.side, remaining(order), order.price, size);
  }

  private reserveFor(
    listing: Listing,
    side: SimSide,
    amount: number,
    price: number | null,
    positionSize: number,
  ): number {
    const indexPrice = this.indexOf(listing);
    const fees = this.feesFor(listing.spec);
    const mark = markOf(listing, indexPrice);
    return reserveFor(listing, fees, mark, indexPrice, side, amount, price, positionSize);
  }

  /** What a new order would tie up: at its limit, or for market orders at the worst price
   * it would walk to. */
  private newOrderReserve(
    listing: Listing,
    accountId: string,
    side: SimSide,
    amount: number,
    price: number | null,
    positionSize: number,
  ): number {
    if (price === null) {
      const plan = planTake(listing.book, listing.spec, {
        side,
        amount,
        limit: null,
        skipAccount: accountId,
        makerCapacity: (order) => this.capacity(listing, order),
      });
      price = walkedPrice(plan);
    }
    return this.reserveFor(listing, side, amount, price, positionSize);
  }

  // -------------------------------------------------------------------------------------------
  // Plumbing

  private requireListing(name: string): Listing {
    const listing = this.listings.get(name);
    if (listing === undefined) {
      throw new SimError('instrument_not_found', `no instrument ${name}`, { instrument: name });
    }
    return listing;
  }

  private ownOrder(accountId: string, orderId: string): OrderRecord {
    const order = this.orders.get(orderId);
    if (order === undefined || order.accountId !== accountId) {
      throw new SimError('order_not_found', `no order ${orderId}`, { orderId });
    }
    if (!isLive(order)) {
      throw new SimError('not_open_order', `order ${orderId} is ${order.state}`, { orderId });
    }
    return order;
  }

  private cancelOrder(listing: Listing | undefined, order: OrderRecord, reason: string): void {
    if (order.state === 'open' && listing !== undefined) {
      listing.book.remove(order);
      this.dirtyBooks.add(listing.spec.name);
    }
    order.state = 'cancelled';
    order.cancelReason = reason;
    order.updatedAt = this.batchTs;
    this.live.delete(order.orderId);
    this.emitOrder(order);
  }

  private indexOf(listing: Listing): number {
    return this.indices.get(listing.instrument.currency) ?? listing.mark?.indexPrice ?? NaN;
  }

  private emitOrder(order: OrderRecord): void {
    this.emit({ type: 'order', accountId: order.accountId, order: orderView(order) });
  }

  private emit(event: SimEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  /** Runs one batch; the outermost one publishes the books, tickers and accounts it touched. */
  private batch<T>(ts: number, body: () => T): T {
    if (this.depth === 0) this.batchTs = ts;
    this.depth++;
    try {
      return body();
    } finally {
      if (this.depth === 1) {
        this.triggerStops();
        this.sweepReduceOnly();
        this.publish();
      }
      this.depth--;
    }
  }

  private publish(): void {
    const ts = this.batchTs;
    const books = [...this.dirtyBooks];
    this.dirtyBooks.clear();
    for (const name of books) {
      const listing = this.listings.get(name);
      if (listing === undefined) continue;
      const changes = listing.book.diff();
      if (changes.length === 0) continue;
      const prevChangeId = listing.book.changeId;
      listing.book.changeId = prevChangeId + 1;
      this.dirtyTickers.add(name);
      this.emit({
        type: 'book',
        instrument: name,
        ts,
        changeId: prevChangeId + 1,
        prevChangeId,
        changes,
      });
    }
    const tickers = [...this.dirtyTickers];
    this.dirtyTickers.clear();
    for (const name of tickers) {
      const listing = this.listings.get(name);
      if (listing === undefined) continue;
      const state = tickerState(listing);
      if (sameTickerState(state, listing.tickerState)) continue;
      listing.tickerState = state;
      this.emit({ type: 'ticker', instrument: name, ts });
    }
    const ledgers = [...this.dirtyLedgers];
    this.dirtyLedgers.clear();
    for (const ledger of ledgers) {
      this.emit({ type: 'account', accountId: ledger.accountId, currency: ledger.currency, ts });
    }
  }
}

function labelKey(accountId: string, label: string): string {
  return `${accountId}\u0000${label}`;
}

export function createSimExchange(options: SimExchangeOptions): SimExchangeCore {
  return new Exchange(options);
}
