// Fans the exchange core's events out to subscribed connections. Raw channels go out as the
// events arrive; 100ms and agg2 channels, quotes, grouped books and the private channels are
// coalesced and flushed at the end of each model step (or, for changes made by a request
// between steps, once the current call stack has unwound). Aggregated book channels merge
// their changes over the interval (book-aggregation.ts). Ticker and trades channels at agg2
// hold to the same two seconds: a ticker goes out at most once per interval, carrying the
// latest state, and trades go out together, the interval's in one notification.

import type {
  SimEvent,
  SimExchange,
  SimFill,
  SimOrder,
  SimPosition,
  SimPublicTrade,
} from '../contract.js';
import { AGGREGATION_MS, PendingBookChanges, type MergedChange } from './book-aggregation.js';
import type { SimCandle } from '../model/history.js';
import type { InstrumentCatalog } from './catalog.js';
import { chartCandleData } from './methods-history.js';
import type { ChangeChains } from './chains.js';
import {
  needsAuthentication,
  parseChannel,
  type Channel,
  type Interval,
  type Scope,
} from './channels.js';
import { accountSummaryData } from './format-account.js';
import {
  bookSnapshotData,
  groupedBookData,
  indexData,
  volatilityIndexData,
  markPriceItem,
  publicTradeRow,
  quoteData,
} from './format-market.js';
import { clean } from './numbers.js';
import { NOTIFICATION_END, notificationFrame, notificationHead } from './rpc.js';
import type { Session } from './session.js';
import type { Views } from './views.js';

interface AccountChanges {
  readonly orders: Map<string, SimOrder>;
  readonly fills: SimFill[];
  readonly positions: Map<string, SimPosition>;
  readonly currencies: Set<string>;
}

/** A book channel the load generator may feed. */
export interface BookTarget {
  readonly instrument: string;
  readonly channel: string;
  readonly sessions: ReadonlySet<Session>;
}

export class Publisher {
  private readonly sessionsByChannel = new Map<string, Set<Session>>();
  /** Instrument → its subscribed channels (book, grouped book, ticker, quote, trades). */
  private readonly byInstrument = new Map<string, Map<string, Channel>>();
  /** Subscribed channels not about one instrument: index, markprice, kind-wide trades. */
  private readonly wide = new Map<string, Channel>();
  private readonly userSessions = new Map<string, Set<Session>>();

  private readonly dirtyTickers = new Set<string>();
  private readonly dirtyGrouped = new Set<string>();
  /** Aggregated (100ms, agg2) book channels' changes not yet sent, by channel name. */
  private readonly pendingBooks = new Map<string, PendingBookChanges>();
  private readonly pendingTrades = new Map<string, SimPublicTrade[]>();
  private readonly pendingAccounts = new Map<string, AccountChanges>();
  private readonly lastQuote = new Map<string, string>();
  /** What each chart channel last sent, so an unchanged candle is not repeated. */
  private readonly lastChart = new Map<string, string>();
  /** Sim time each agg2 ticker or trades channel last sent at. */
  private readonly lastAggregatedSend = new Map<string, number>();
  /** The venue sends its vol index about once a second; so does the sim, in sim time. */
  private readonly lastVolatilitySent = new Map<string, number>();
  private flushScheduled = false;
  private unsubscribeExchange: (() => void) | null;
  /** Bumped whenever the set of book subscriptions changes. */
  bookVersion = 0;
  /** Called after a real book update has gone out (the load generator re-reads the top). */
  onRealBook: ((instrument: string) => void) | null = null;

  constructor(
    private readonly exchange: SimExchange,
    private readonly catalog: InstrumentCatalog,
    private readonly views: Views,
    private readonly chains: ChangeChains,
    /** The 30-day vol index now (decimal), for `deribit_volatility_index` channels. */
    private readonly volatility: ((currency: string) => number | null) | null = null,
    /** The candle of `periodMs` forming now for a coin's index, for `chart.trades` channels. */
    private readonly chartCandle:
      ((coin: string, periodMs: number) => SimCandle | null) | null = null,
  ) {
    this.unsubscribeExchange = exchange.subscribe((event) => this.onEvent(event));
  }

  close(): void {
    this.unsubscribeExchange?.();
    this.unsubscribeExchange = null;
  }

  /** Adds a channel; null when it is invalid or not allowed for this connection. */
  subscribe(session: Session, name: string): Channel | null {
    const existing = session.channels.get(name);
    if (existing !== undefined) return existing;
    const channel = parseChannel(name, this.exchange);
    if (channel === null) return null;
    if (needsAuthentication(channel) && session.accountId === null) return null;
    session.channels.set(name, channel);
    let sessions = this.sessionsByChannel.get(name);
    if (sessions === undefined) {
      sessions = new Set();
      this.sessionsByChannel.set(name, sessions);
      this.index(name, channel);
    }
    sessions.add(session);
    if (channel.type.startsWith('user.') && session.accountId !== null) {
      let forAccount = this.userSessions.get(session.accountId);
      if (forAccount === undefined) {
        forAccount = new Set();
        this.userSessions.set(session.accountId, forAccount);
      }
      forAccount.add(session);
    }
    if (channel.type === 'book') this.bookVersion++;
    return channel;
  }

  /** What a new subscriber gets at once: the book it will apply changes to. */
  sendInitial(session: Session, name: string, channel: Channel): void {
    if (channel.type === 'book') {
      // Changes held for the channel predate this snapshot: they go to the others first.
      this.sendMerged(name, channel.interval, this.exchange.now(), session, true);
      const book = this.exchange.book(channel.instrument);
      if (book === undefined) return;
      const changeId = this.chains.current(channel.instrument, book.changeId);
      session.send(notificationFrame(name, bookSnapshotData(book, changeId)), 'notification');
    } else if (channel.type === 'book-grouped') {
      const book = this.exchange.book(channel.instrument, channel.depth);
      if (book === undefined) return;
      const changeId = this.chains.current(channel.instrument, book.changeId);
      session.send(notificationFrame(name, groupedBookData(book, changeId)), 'notification');
    }
  }

  unsubscribe(session: Session, name: string): boolean {
    const channel = session.channels.get(name);
    if (channel === undefined) return false;
    session.channels.delete(name);
    const sessions = this.sessionsByChannel.get(name);
    sessions?.delete(session);
    if (sessions !== undefined && sessions.size === 0) {
      this.sessionsByChannel.delete(name);
      this.pendingBooks.delete(name);
      this.pendingTrades.delete(name);
      this.lastAggregatedSend.delete(name);
      this.lastChart.delete(name);
      this.unindex(name, channel);
    }
    if (session.accountId !== null && !session.hasUserChannels()) {
      this.userSessions.get(session.accountId)?.delete(session);
    }
    if (channel.type === 'book') this.bookVersion++;
    return true;
  }

  removeSession(session: Session): void {
    for (const name of [...session.channels.keys()]) this.unsubscribe(session, name);
  }

  /** Book channels with subscribers, for the load generator. */
  bookTargets(): BookTarget[] {
    const targets: BookTarget[] = [];
    for (const [instrument, channels] of this.byInstrument) {
      for (const [name, channel] of channels) {
        const sessions = this.sessionsByChannel.get(name);
        if (channel.type === 'book' && sessions !== undefined) {
          targets.push({ instrument, channel: name, sessions });
        }
      }
    }
    return targets;
  }

  private index(name: string, channel: Channel): void {
    const instrument = instrumentOf(channel);
    if (instrument === null) {
      this.wide.set(name, channel);
      return;
    }
    let channels = this.byInstrument.get(instrument);
    if (channels === undefined) {
      channels = new Map();
      this.byInstrument.set(instrument, channels);
    }
    channels.set(name, channel);
  }

  private unindex(name: string, channel: Channel): void {
    const instrument = instrumentOf(channel);
    if (instrument === null) {
      this.wide.delete(name);
      return;
    }
    const channels = this.byInstrument.get(instrument);
    channels?.delete(name);
    if (channels !== undefined && channels.size === 0) this.byInstrument.delete(instrument);
  }

  private onEvent(event: SimEvent): void {
    switch (event.type) {
      case 'book':
        this.onBook(event);
        break;
      case 'ticker':
        this.onTicker(event.instrument);
        break;
      case 'trade':
        this.onTrade(event.trade);
        break;
      case 'index':
        this.onIndex(event.currency, event.price, event.ts);
        break;
      case 'listing':
        this.catalog.remember(event.added);
        this.catalog.remember(event.removed);
        break;
      case 'order':
        this.account(event.accountId).orders.set(event.order.orderId, event.order);
        this.scheduleFlush();
        break;
      case 'fill':
        this.account(event.accountId).fills.push(event.fill);
        this.scheduleFlush();
        break;
      case 'position':
        this.account(event.accountId).positions.set(event.position.instrument, event.position);
        this.scheduleFlush();
        break;
      case 'account':
        this.account(event.accountId).currencies.add(event.currency);
        this.scheduleFlush();
        break;
      case 'step':
        this.flush(true);
        break;
      case 'settlement':
        break;
    }
  }

  private onBook(event: Extract<SimEvent, { type: 'book' }>): void {
    const [prev, change] = this.chains.mapReal(
      event.instrument,
      event.prevChangeId,
      event.changeId,
    );
    const channels = this.byInstrument.get(event.instrument);
    if (channels === undefined) return;
    let data: string | null = null;
    for (const [name, channel] of channels) {
      if (channel.type === 'book-grouped') {
        this.dirtyGrouped.add(event.instrument);
        this.scheduleFlush();
        continue;
      }
      if (channel.type !== 'book') continue;
      // Under load mode synthetic changes join the chain at any moment, so nothing may wait.
      if (channel.interval !== 'raw' && !this.chains.loaded(event.instrument)) {
        this.pendingBook(name).add(prev, change, event.ts, event.changes);
        this.scheduleFlush();
        continue;
      }
      data ??= JSON.stringify(bookChangeData(event, prev, change));
      const frame = notificationHead(name) + data + NOTIFICATION_END;
      for (const session of this.sessionsByChannel.get(name) ?? [])
        session.send(frame, 'book-change');
    }
    this.onRealBook?.(event.instrument);
  }

  private pendingBook(name: string): PendingBookChanges {
    let pending = this.pendingBooks.get(name);
    if (pending === undefined) {
      pending = new PendingBookChanges();
      this.pendingBooks.set(name, pending);
    }
    return pending;
  }

  /** Sends an aggregated book channel's merged changes when its interval is up (or `now`). */
  private sendMerged(
    name: string,
    interval: Interval,
    now: number,
    except: Session | null = null,
    immediately = false,
  ): void {
    if (interval === 'raw') return;
    const pending = this.pendingBooks.get(name);
    if (pending === undefined || !pending.pending) return;
    const merged = pending.take(now, immediately ? 0 : AGGREGATION_MS[interval]);
    if (merged === null) return;
    const channel = this.sessionsByChannel.get(name);
    const instrument = name.split('.')[1] ?? '';
    const frame = notificationFrame(name, mergedChangeData(instrument, merged));
    for (const session of channel ?? []) {
      if (session !== except) session.send(frame, 'book-change');
    }
  }

  private flushBooks(): void {
    const now = this.exchange.now();
    for (const channels of this.byInstrument.values()) {
      for (const [channelName, channel] of channels) {
        if (channel.type === 'book') this.sendMerged(channelName, channel.interval, now);
      }
    }
  }

  private onTicker(instrument: string): void {
    const channels = this.byInstrument.get(instrument);
    if (channels === undefined) return;
    for (const [name, channel] of channels) {
      if (channel.type === 'ticker' && channel.interval === 'raw') {
        const data = this.views.ticker(instrument);
        if (data !== null) this.broadcast(name, notificationFrame(name, data));
      } else if (channel.type === 'ticker' || channel.type === 'quote') {
        this.dirtyTickers.add(instrument);
        this.scheduleFlush();
      }
    }
  }

  private onTrade(trade: SimPublicTrade): void {
    const isOption = this.catalog.get(trade.instrument)?.spec.kind === 'option';
    const consider = (name: string, channel: Channel): void => {
      if (channel.type !== 'trades' || !this.catalog.inScope(channel.scope, trade.instrument))
        return;
      if (channel.interval === 'raw') {
        this.broadcast(name, notificationFrame(name, [publicTradeRow(trade, isOption)]));
        return;
      }
      const pending = this.pendingTrades.get(name);
      if (pending === undefined) this.pendingTrades.set(name, [trade]);
      else pending.push(trade);
      this.scheduleFlush();
    };
    for (const [name, channel] of this.byInstrument.get(trade.instrument) ?? [])
      consider(name, channel);
    for (const [name, channel] of this.wide) consider(name, channel);
  }

  private onIndex(currency: string, price: number, ts: number): void {
    const volatilityDue = ts - (this.lastVolatilitySent.get(currency) ?? -Infinity) >= 1000;
    for (const [name, channel] of this.wide) {
      if (channel.type === 'index' && channel.currency === currency) {
        this.broadcast(name, notificationFrame(name, indexData(currency, price, ts)));
      } else if (channel.type === 'volatility-index' && channel.currency === currency) {
        const level = volatilityDue ? (this.volatility?.(currency) ?? null) : null;
        if (level === null) continue;
        this.lastVolatilitySent.set(currency, ts);
        this.broadcast(name, notificationFrame(name, volatilityIndexData(currency, level, ts)));
      }
    }
  }

  private account(accountId: string): AccountChanges {
    let changes = this.pendingAccounts.get(accountId);
    if (changes === undefined) {
      changes = { orders: new Map(), fills: [], positions: new Map(), currencies: new Set() };
      this.pendingAccounts.set(accountId, changes);
    }
    return changes;
  }

  private broadcast(name: string, frame: string): void {
    for (const session of this.sessionsByChannel.get(name) ?? [])
      session.send(frame, 'notification');
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush(false));
  }

  private flush(endOfStep: boolean): void {
    this.flushScheduled = false;
    this.flushBooks();
    this.flushTickers();
    this.flushGrouped();
    this.flushTrades();
    this.flushAccounts();
    if (endOfStep) {
      this.flushMarkPrices();
      this.flushCharts();
    }
  }

  private flushTickers(): void {
    const now = this.exchange.now();
    const held = new Set<string>();
    for (const instrument of this.dirtyTickers) {
      for (const [name, channel] of this.byInstrument.get(instrument) ?? []) {
        if (channel.type === 'ticker' && channel.interval !== 'raw') {
          // Not yet due: the instrument stays dirty, and the next due flush sends it as it is then.
          if (!this.due(name, channel.interval, now)) {
            held.add(instrument);
            continue;
          }
          const data = this.views.ticker(instrument);
          if (data !== null) this.broadcast(name, notificationFrame(name, data));
        } else if (channel.type === 'quote') {
          const ticker = this.exchange.ticker(instrument);
          if (ticker === undefined) continue;
          const data = quoteData(ticker);
          const top = `${String(data['best_bid_price'])}/${String(data['best_bid_amount'])}/${String(data['best_ask_price'])}/${String(data['best_ask_amount'])}`;
          if (this.lastQuote.get(instrument) === top) continue;
          this.lastQuote.set(instrument, top);
          this.broadcast(name, notificationFrame(name, data));
        }
      }
    }
    this.dirtyTickers.clear();
    for (const instrument of held) this.dirtyTickers.add(instrument);
  }

  /**
   * Whether an aggregated channel may send now, marking it sent if so. 100ms channels send
   * at every flush (a model step is at least that long); agg2 ones once per two seconds.
   */
  private due(name: string, interval: Interval, now: number): boolean {
    if (interval !== 'agg2') return true;
    if (now - (this.lastAggregatedSend.get(name) ?? -Infinity) < AGGREGATION_MS.agg2) return false;
    this.lastAggregatedSend.set(name, now);
    return true;
  }

  private flushGrouped(): void {
    for (const instrument of this.dirtyGrouped) {
      for (const [name, channel] of this.byInstrument.get(instrument) ?? []) {
        if (channel.type !== 'book-grouped') continue;
        const book = this.exchange.book(instrument, channel.depth);
        if (book === undefined) continue;
        const changeId = this.chains.current(instrument, book.changeId);
        this.broadcast(name, notificationFrame(name, groupedBookData(book, changeId)));
      }
    }
    this.dirtyGrouped.clear();
  }

  private flushTrades(): void {
    const now = this.exchange.now();
    for (const [name, trades] of this.pendingTrades) {
      const channel = this.sessionsByChannel.has(name) ? this.channelNamed(name) : null;
      if (channel !== null && 'interval' in channel && !this.due(name, channel.interval, now)) {
        continue;
      }
      this.pendingTrades.delete(name);
      const rows = trades.map((trade) =>
        publicTradeRow(trade, this.catalog.get(trade.instrument)?.spec.kind === 'option'),
      );
      this.broadcast(name, notificationFrame(name, rows));
    }
  }

  private channelNamed(name: string): Channel | null {
    for (const session of this.sessionsByChannel.get(name) ?? []) {
      return session.channels.get(name) ?? null;
    }
    return null;
  }

  private flushMarkPrices(): void {
    for (const [name, channel] of this.wide) {
      if (channel.type !== 'markprice') continue;
      const items = [];
      for (const instrument of this.exchange.instruments({
        currency: channel.currency,
        kind: 'option',
      })) {
        const ticker = this.exchange.ticker(instrument.spec.name);
        if (ticker !== undefined) items.push(markPriceItem(ticker));
      }
      this.broadcast(name, notificationFrame(name, items));
    }
  }

  private flushCharts(): void {
    if (this.chartCandle === null) return;
    for (const channels of this.byInstrument.values()) {
      for (const [name, channel] of channels) {
        if (channel.type !== 'chart') continue;
        const coin = this.catalog.get(channel.instrument)?.spec.base;
        const candle = coin === undefined ? null : this.chartCandle(coin, channel.periodMs);
        if (candle === null) continue;
        const data = JSON.stringify(chartCandleData(candle));
        if (this.lastChart.get(name) === data) continue;
        this.lastChart.set(name, data);
        this.broadcast(name, notificationHead(name) + data + NOTIFICATION_END);
      }
    }
  }

  private flushAccounts(): void {
    for (const [accountId, changes] of this.pendingAccounts) {
      for (const session of this.userSessions.get(accountId) ?? []) {
        for (const [name, channel] of session.channels) {
          this.sendUserChannel(session, name, channel, changes);
        }
      }
    }
    this.pendingAccounts.clear();
  }

  private sendUserChannel(
    session: Session,
    name: string,
    channel: Channel,
    changes: AccountChanges,
  ): void {
    const send = (data: unknown): void =>
      session.send(notificationFrame(name, data), 'notification');
    switch (channel.type) {
      case 'user.orders': {
        const orders = [...changes.orders.values()].filter((o) =>
          this.inScope(channel.scope, o.instrument),
        );
        if (orders.length === 0) return;
        if (channel.interval === 'raw') for (const order of orders) send(this.views.order(order));
        else send(orders.map((order) => this.views.order(order)));
        return;
      }
      case 'user.trades': {
        const fills = changes.fills.filter((f) => this.inScope(channel.scope, f.instrument));
        if (fills.length > 0) send(fills.map((fill) => this.views.fill(fill)));
        return;
      }
      case 'user.changes':
        for (const data of this.changesByInstrument(channel.scope, changes)) send(data);
        return;
      case 'user.portfolio':
        for (const currency of changes.currencies) {
          if (channel.currency !== 'ANY' && channel.currency !== currency) continue;
          if (session.accountId === null) return;
          send(accountSummaryData(this.exchange.summary(session.accountId, currency)));
        }
        return;
      default:
        return;
    }
  }

  private changesByInstrument(scope: Scope, changes: AccountChanges): Record<string, unknown>[] {
    const grouped = new Map<
      string,
      { orders: unknown[]; trades: unknown[]; positions: unknown[] }
    >();
    const entry = (
      instrument: string,
    ): { orders: unknown[]; trades: unknown[]; positions: unknown[] } => {
      let found = grouped.get(instrument);
      if (found === undefined) {
        found = { orders: [], trades: [], positions: [] };
        grouped.set(instrument, found);
      }
      return found;
    };
    for (const order of changes.orders.values()) {
      if (this.inScope(scope, order.instrument))
        entry(order.instrument).orders.push(this.views.order(order));
    }
    for (const fill of changes.fills) {
      if (this.inScope(scope, fill.instrument))
        entry(fill.instrument).trades.push(this.views.fill(fill));
    }
    for (const position of changes.positions.values()) {
      if (this.inScope(scope, position.instrument)) {
        entry(position.instrument).positions.push(this.views.position(position));
      }
    }
    return [...grouped].map(([instrument, data]) => ({ instrument_name: instrument, ...data }));
  }

  private inScope(scope: Scope, instrument: string): boolean {
    return this.catalog.inScope(scope, instrument);
  }
}

function instrumentOf(channel: Channel): string | null {
  switch (channel.type) {
    case 'book':
    case 'book-grouped':
    case 'ticker':
    case 'quote':
    case 'chart':
      return channel.instrument;
    case 'trades':
      return 'instrument' in channel.scope ? channel.scope.instrument : null;
    default:
      return null;
  }
}

function mergedChangeData(instrument: string, merged: MergedChange): Record<string, unknown> {
  return {
    type: 'change',
    timestamp: merged.timestamp,
    prev_change_id: merged.prevChangeId,
    instrument_name: instrument,
    change_id: merged.changeId,
    bids: merged.bids,
    asks: merged.asks,
  };
}

function bookChangeData(
  event: Extract<SimEvent, { type: 'book' }>,
  prev: number,
  change: number,
): Record<string, unknown> {
  const bids: [string, number, number][] = [];
  const asks: [string, number, number][] = [];
  for (const level of event.changes) {
    (level.side === 'bid' ? bids : asks).push([
      level.action,
      clean(level.price),
      clean(level.amount),
    ]);
  }
  return {
    type: 'change',
    timestamp: event.ts,
    prev_change_id: prev,
    instrument_name: event.instrument,
    change_id: change,
    bids,
    asks,
  };
}
