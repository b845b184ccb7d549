// One venue's exchange: listings, books, matching, paper accounts and settlement, driven by the
// market model's steps and by users' orders. Every call is a batch: its trades, fills, orders
// and positions are announced as they happen, and at the end each touched instrument gets at
// most one book event (one change id) and one ticker event, each touched account one account
// event, and a model step a closing 'step' event.

import type { InstrumentKind } from '../../instruments/types.js';
import type {
  ModelStep,
  SimAccountSummary,
  SimBookView,
  SimCashEvent,
  SimComboRequest,
  SimDelivery,
  SimEditRequest,
  SimExchange,
  SimFill,
  SimFundingSettlement,
  SimHistoryFilter,
  SimInstrument,
  SimListener,
  SimOrder,
  SimOrderFilter,
  SimOrderRequest,
  SimPlaceResult,
  SimPosition,
  SimPublicTrade,
  SimTicker,
  SimVenueName,
} from '../contract.js';
import { summarize } from './account-funds.js';
import { Ledger } from './accounts.js';
import { applyStep } from './apply-step.js';
import { runBatch } from './batch.js';
import { cancelOwnOrder, cancelOwnOrders } from './cancellation.js';
import { editOrder } from './edit-order.js';
import { closedOrders } from './history-log.js';
import {
  createExchangeState,
  type ExchangeState,
  type SimExchangeOptions,
} from './exchange-state.js';
import { leverageFor, setLeverage } from './leverage.js';
import { indexOf, labelKey, matchesFilter } from './lookups.js';
import { orderView } from './orders.js';
import { placeCombo } from './place-combo.js';
import { placeOrder } from './place-order.js';
import { positionView, summaryView, tickerView } from './views.js';

export type { SimExchangeOptions } from './exchange-state.js';

export interface SimExchangeCore extends SimExchange {
  apply(step: ModelStep): void;
}

export class Exchange implements SimExchangeCore {
  readonly venue: SimVenueName;
  private readonly state: ExchangeState;

  constructor(options: SimExchangeOptions) {
    this.venue = options.venue;
    this.state = createExchangeState(options);
  }

  now(): number {
    return this.state.options.now();
  }

  apply(step: ModelStep): void {
    applyStep(this.state, step);
  }

  subscribe(listener: SimListener): () => void {
    this.state.listeners.add(listener);
    return () => {
      this.state.listeners.delete(listener);
    };
  }

  // -------------------------------------------------------------------------------------------
  // Market data

  instruments(filter?: { currency?: string; kind?: InstrumentKind }): readonly SimInstrument[] {
    const all: SimInstrument[] = [];
    for (const { instrument } of this.state.listings.values()) {
      if (filter?.currency !== undefined && instrument.currency !== filter.currency) continue;
      if (filter?.kind !== undefined && instrument.spec.kind !== filter.kind) continue;
      all.push(instrument);
    }
    return all;
  }

  instrument(name: string): SimInstrument | undefined {
    return this.state.listings.get(name)?.instrument;
  }

  currencies(): readonly string[] {
    return [...this.state.currencyList];
  }

  /** NaN for a currency the model has not priced. */
  indexPrice(currency: string): number {
    return this.state.indices.get(currency) ?? NaN;
  }

  book(name: string, depth?: number): SimBookView | undefined {
    const listing = this.state.listings.get(name);
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
    const listing = this.state.listings.get(name);
    if (listing === undefined) return undefined;
    return tickerView(listing, this.now(), indexOf(this.state, listing));
  }

  /** The last `count` trades, oldest first. */
  recentTrades(name: string, count: number): readonly SimPublicTrade[] {
    return this.state.listings.get(name)?.tape.recent(count) ?? [];
  }

  // -------------------------------------------------------------------------------------------
  // Trading

  openAccount(accountId: string): void {
    this.state.accounts.open(accountId);
  }

  place(accountId: string, request: SimOrderRequest): SimPlaceResult {
    return runBatch(this.state, this.now(), () => placeOrder(this.state, accountId, request));
  }

  deliveries(base?: string): readonly SimDelivery[] {
    return this.state.deliveries
      .filter((delivery) => base === undefined || delivery.base === base)
      .reverse();
  }

  placeCombo(accountId: string, request: SimComboRequest): SimPlaceResult {
    return runBatch(this.state, this.now(), () => placeCombo(this.state, accountId, request));
  }

  edit(accountId: string, request: SimEditRequest): SimPlaceResult {
    return runBatch(this.state, this.now(), () => editOrder(this.state, accountId, request));
  }

  cancel(accountId: string, orderId: string): SimOrder {
    return runBatch(this.state, this.now(), () => cancelOwnOrder(this.state, accountId, orderId));
  }

  cancelAll(accountId: string, filter?: SimOrderFilter): readonly SimOrder[] {
    return runBatch(this.state, this.now(), () => cancelOwnOrders(this.state, accountId, filter));
  }

  setLeverage(accountId: string, instrument: string, leverage: number): void {
    runBatch(this.state, this.now(), () =>
      setLeverage(this.state, accountId, instrument, leverage),
    );
  }

  // -------------------------------------------------------------------------------------------
  // Account reads

  leverage(accountId: string, instrument: string): number {
    return leverageFor(this.state, accountId, instrument);
  }

  order(accountId: string, orderId: string): SimOrder | undefined {
    const order = this.state.orders.get(orderId);
    return order !== undefined && order.accountId === accountId ? orderView(order) : undefined;
  }

  /** The account's most recent order with this label. */
  orderByLabel(accountId: string, label: string): SimOrder | undefined {
    const order = this.state.labels.get(labelKey(accountId, label));
    return order === undefined ? undefined : orderView(order);
  }

  openOrders(accountId: string, filter?: SimOrderFilter): readonly SimOrder[] {
    const open: SimOrder[] = [];
    for (const order of this.state.live.values()) {
      if (order.accountId !== accountId) continue;
      const listing = this.state.listings.get(order.instrument);
      if (listing !== undefined && matchesFilter(listing.instrument, filter, order.label)) {
        open.push(orderView(order));
      }
    }
    return open;
  }

  positions(accountId: string, filter?: SimOrderFilter): readonly SimPosition[] {
    const { accounts, listings } = this.state;
    const views: SimPosition[] = [];
    const now = this.now();
    for (const currency of accounts.currencies(accountId)) {
      const ledger = accounts.find(accountId, currency)!;
      for (const position of ledger.positions.values()) {
        const listing = listings.get(position.instrument);
        if (listing === undefined || position.size === 0) continue;
        if (!matchesFilter(listing.instrument, filter)) continue;
        views.push(positionView(ledger, listing, position, now, indexOf(this.state, listing)));
      }
    }
    return views;
  }

  fills(accountId: string, filter?: SimHistoryFilter): readonly SimFill[] {
    return this.state.fills.query(accountId, filter);
  }

  cashEvents(accountId: string, filter?: SimHistoryFilter): readonly SimCashEvent[] {
    return this.state.cash.query(accountId, filter);
  }

  fundingSettlements(instrument: string): readonly SimFundingSettlement[] {
    return this.state.cash.fundingSettlements(instrument);
  }

  orderHistory(accountId: string, filter: SimHistoryFilter = {}): readonly SimOrder[] {
    const { orders, listings, delisted } = this.state;
    const own = function* () {
      for (const order of orders.values()) {
        if (order.accountId !== accountId) continue;
        const instrument =
          listings.get(order.instrument)?.instrument ?? delisted.get(order.instrument);
        yield { view: orderView(order), instrument };
      }
    };
    return closedOrders(own(), filter);
  }

  summary(accountId: string, currency: string): SimAccountSummary {
    const { accounts, options } = this.state;
    const ledger = accounts.find(accountId, currency);
    if (ledger === undefined) {
      // An account not opened yet shows what it would be funded with; an open one holds none.
      const balance = accounts.has(accountId) ? 0 : (options.funding[currency] ?? 0);
      return summaryView(new Ledger(accountId, currency, balance), [], 0);
    }
    return summarize(this.state, ledger);
  }

  accountCurrencies(accountId: string): readonly string[] {
    return this.state.accounts.currencies(accountId);
  }
}

export function createSimExchange(options: SimExchangeOptions): SimExchangeCore {
  return new Exchange(options);
}
