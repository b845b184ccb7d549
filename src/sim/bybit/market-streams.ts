// Public topics, kept once per topic however many clients follow them: a ticker's last
// published fields (linear tickers send deltas of what changed; option tickers, as Bybit
// documents them, a full snapshot every time), a book's last published levels and its `u`.
//
// A book's `u` is the exchange's change id for the instrument, which the REST order book
// reports as its `u` too: every change of the book is one message (with empty sides when the
// change lies deeper than the topic's depth), so the chain has no gaps, continues across
// unsubscribing and resubscribing, and a REST snapshot can be joined to the stream (drop
// messages with u <= the snapshot's). `u == 1` would mean a restart, which the sim never does.
// Each message is serialised once and fanned out to every subscriber.

import type { SimEvent, SimExchange, SimInstrument, SimPublicTrade } from '../contract.js';
import type { BybitConnection } from './connection.js';
import {
  changedFields,
  levelsText,
  linearTickerFields,
  linearTradeRow,
  optionTickerFields,
  optionTradeRow,
  type Fields,
  type Level,
} from './market-format.js';
import type { MarketStats } from './market-stats.js';
import type { MarketHistory } from '../model/history.js';
import { KlineStreams } from './kline-streams.js';
import type { Topic } from './topics.js';

type Subscribers = Set<BybitConnection>;

interface TickerStream {
  readonly topic: string;
  readonly instrument: SimInstrument;
  readonly subscribers: Subscribers;
  last: Fields;
}

export interface BookStream {
  readonly topic: string;
  readonly instrument: SimInstrument;
  readonly depth: number;
  readonly silent: boolean;
  readonly subscribers: Subscribers;
  bids: Level[];
  asks: Level[];
  u: number;
  /** Load mode's pre-serialised delta around the current top, rebuilt after each update. */
  template: { head: string; middle: string; tail: string } | null;
}

interface TradeStream {
  readonly topic: string;
  readonly option: boolean;
  readonly subscribers: Subscribers;
  pending: Record<string, unknown>[];
}

/** Applies new levels to the last published ones: the changed and the deleted ("0") levels. */
function levelDiff(previous: readonly Level[], next: readonly Level[]): Level[] {
  const before = new Map(previous.map(([price, size]) => [price, size]));
  const after = new Set<string>();
  const changes: Level[] = [];
  for (const [price, size] of next) {
    after.add(price);
    if (before.get(price) !== size) changes.push([price, size]);
  }
  for (const [price] of previous) if (!after.has(price)) changes.push([price, '0']);
  return changes;
}

export class MarketStreams {
  private readonly tickers = new Map<string, TickerStream>();
  private readonly books = new Map<string, BookStream>();
  private readonly booksByInstrument = new Map<string, BookStream[]>();
  private readonly trades = new Map<string, TradeStream>();
  /** Load mode advances `u` past the change id; a returning subscriber must not see it fall. */
  private readonly lastU = new Map<string, number>();
  private flushQueued = false;
  /** Bybit's cross sequence: one counter across the server's public messages. */
  private seq = 1_000_000;
  private readonly klines: KlineStreams;

  constructor(
    private readonly exchange: SimExchange,
    private readonly stats: MarketStats,
    history?: MarketHistory,
  ) {
    this.klines = new KlineStreams(exchange, history);
  }

  nextSeq(): number {
    return ++this.seq;
  }

  /** Adds a subscriber and sends it the topic's snapshot, if the topic has one. */
  subscribe(connection: BybitConnection, topic: Topic): void {
    switch (topic.kind) {
      case 'ticker':
        this.subscribeTicker(connection, topic.name, topic.instrument);
        return;
      case 'book':
        this.subscribeBook(connection, topic);
        return;
      case 'optionTrades':
      case 'linearTrades':
        this.tradeStream(topic.name, topic.kind === 'optionTrades').subscribers.add(connection);
        return;
      case 'kline':
        this.klines.subscribe(connection, topic);
        return;
      case 'private':
      case 'liquidation':
        return;
    }
  }

  unsubscribe(connection: BybitConnection, name: string): void {
    this.klines.unsubscribe(connection, name);
    const ticker = this.tickers.get(name);
    if (ticker !== undefined) {
      ticker.subscribers.delete(connection);
      if (ticker.subscribers.size === 0) this.tickers.delete(name);
    }
    const book = this.books.get(name);
    if (book !== undefined) {
      book.subscribers.delete(connection);
      if (book.subscribers.size === 0) this.dropBook(book);
    }
    const trades = this.trades.get(name);
    if (trades !== undefined) {
      trades.subscribers.delete(connection);
      if (trades.subscribers.size === 0) this.trades.delete(name);
    }
  }

  /** Books that publish (not the option socket's silent depths) and have followers. */
  liveBooks(): BookStream[] {
    const live: BookStream[] = [];
    for (const book of this.books.values()) if (!book.silent) live.push(book);
    return live;
  }

  onEvent(event: SimEvent): void {
    this.klines.onEvent(event);
    switch (event.type) {
      case 'ticker':
        this.publishTicker(event.instrument);
        return;
      case 'book':
        for (const book of this.booksByInstrument.get(event.instrument) ?? []) {
          this.publishBook(book, event.changeId);
        }
        return;
      case 'trade':
        this.stats.record(event.trade);
        this.queueTrade(event.trade);
        return;
      case 'listing':
        for (const removed of event.removed) this.delist(removed.spec.name);
        return;
      default:
        return;
    }
  }

  private tickerFields(instrument: SimInstrument): Fields | null {
    const ticker = this.exchange.ticker(instrument.spec.name);
    if (ticker === undefined) return null;
    return instrument.spec.kind === 'option'
      ? optionTickerFields(instrument, ticker, this.stats)
      : linearTickerFields(instrument, ticker, this.stats);
  }

  private tickerMessage(stream: TickerStream, type: 'snapshot' | 'delta', data: Fields): string {
    const ts = this.exchange.now();
    const seq = this.nextSeq();
    if (stream.instrument.spec.kind === 'option') {
      const id = `${stream.topic}-${seq}-${ts}`;
      return JSON.stringify({ topic: stream.topic, ts, type, id, data });
    }
    return JSON.stringify({ topic: stream.topic, type, data, cs: seq, ts });
  }

  private subscribeTicker(connection: BybitConnection, name: string, instrument: SimInstrument) {
    let stream = this.tickers.get(name);
    if (stream === undefined) {
      const fields = this.tickerFields(instrument);
      if (fields === null) return;
      stream = { topic: name, instrument, subscribers: new Set(), last: fields };
      this.tickers.set(name, stream);
    }
    stream.subscribers.add(connection);
    connection.send(this.tickerMessage(stream, 'snapshot', stream.last), 'notification');
  }

  private publishTicker(instrumentName: string): void {
    const stream = this.tickers.get(`tickers.${instrumentName}`);
    if (stream === undefined) return;
    const fields = this.tickerFields(stream.instrument);
    if (fields === null) return;
    const delta = changedFields(stream.last, fields);
    stream.last = fields;
    if (delta === null) return;
    const option = stream.instrument.spec.kind === 'option';
    const text = option
      ? this.tickerMessage(stream, 'snapshot', fields)
      : this.tickerMessage(stream, 'delta', delta);
    for (const connection of stream.subscribers) connection.send(text, 'notification');
  }

  private bookLevels(stream: BookStream): { bids: Level[]; asks: Level[] } {
    const view = this.exchange.book(stream.instrument.spec.name, stream.depth);
    if (view === undefined) return { bids: [], asks: [] };
    return {
      bids: levelsText(view.bids.slice(0, stream.depth), stream.instrument),
      asks: levelsText(view.asks.slice(0, stream.depth), stream.instrument),
    };
  }

  /** A book message; option books carry an `id` as the fixture's do, linear ones do not. */
  bookMessage(
    stream: BookStream,
    type: 'snapshot' | 'delta',
    bids: readonly Level[],
    asks: readonly Level[],
  ): string {
    const ts = this.exchange.now();
    const seq = this.nextSeq();
    const data = { s: stream.instrument.spec.name, b: bids, a: asks, u: stream.u, seq };
    if (stream.instrument.spec.kind === 'option') {
      const id = `${stream.topic}-${seq}-${ts}`;
      return JSON.stringify({ topic: stream.topic, ts, type, id, data, cts: ts });
    }
    return JSON.stringify({ topic: stream.topic, type, ts, data, cts: ts });
  }

  private subscribeBook(connection: BybitConnection, topic: Extract<Topic, { kind: 'book' }>) {
    let stream = this.books.get(topic.name);
    if (stream === undefined) {
      stream = {
        topic: topic.name,
        instrument: topic.instrument,
        depth: topic.depth,
        silent: topic.silent,
        subscribers: new Set(),
        bids: [],
        asks: [],
        u: Math.max(
          this.lastU.get(topic.name) ?? 0,
          this.exchange.book(topic.instrument.spec.name, 1)?.changeId ?? 0,
        ),
        template: null,
      };
      const levels = this.bookLevels(stream);
      stream.bids = levels.bids;
      stream.asks = levels.asks;
      this.books.set(topic.name, stream);
      const name = topic.instrument.spec.name;
      const list = this.booksByInstrument.get(name) ?? [];
      list.push(stream);
      this.booksByInstrument.set(name, list);
    }
    stream.subscribers.add(connection);
    if (stream.silent) return;
    // A snapshot is not a change: faults that drop or reorder book changes leave it alone.
    connection.send(this.bookMessage(stream, 'snapshot', stream.bids, stream.asks), 'notification');
  }

  private publishBook(stream: BookStream, changeId: number): void {
    const next = this.bookLevels(stream);
    const bids = levelDiff(stream.bids, next.bids);
    const asks = levelDiff(stream.asks, next.asks);
    stream.bids = next.bids;
    stream.asks = next.asks;
    stream.u = Math.max(stream.u + 1, changeId);
    if (stream.silent) return;
    stream.template = null;
    const text = this.bookMessage(stream, 'delta', bids, asks);
    for (const connection of stream.subscribers) connection.send(text, 'book-change');
  }

  private dropBook(stream: BookStream): void {
    this.lastU.set(stream.topic, stream.u);
    this.books.delete(stream.topic);
    const name = stream.instrument.spec.name;
    const remaining = (this.booksByInstrument.get(name) ?? []).filter((b) => b !== stream);
    if (remaining.length === 0) this.booksByInstrument.delete(name);
    else this.booksByInstrument.set(name, remaining);
  }

  private tradeStream(name: string, option: boolean): TradeStream {
    let stream = this.trades.get(name);
    if (stream === undefined) {
      stream = { topic: name, option, subscribers: new Set(), pending: [] };
      this.trades.set(name, stream);
    }
    return stream;
  }

  /** Trades of one synchronous burst (a model step, a sweeping order) go out as one message. */
  private queueTrade(trade: SimPublicTrade): void {
    const instrument = this.exchange.instrument(trade.instrument);
    if (instrument === undefined) return;
    const option = instrument.spec.kind === 'option';
    const stream = this.trades.get(
      option ? `publicTrade.${instrument.currency}` : `publicTrade.${trade.instrument}`,
    );
    if (stream === undefined) return;
    const row = option
      ? optionTradeRow(trade, instrument, 0, this.exchange.ticker(trade.instrument)?.markIv ?? null)
      : linearTradeRow(trade, instrument, 0);
    stream.pending.push(row);
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => this.flushTrades());
    }
  }

  private flushTrades(): void {
    this.flushQueued = false;
    for (const stream of this.trades.values()) {
      if (stream.pending.length === 0) continue;
      const rows = stream.pending;
      stream.pending = [];
      const seq = this.nextSeq();
      for (const row of rows) row['seq'] = seq;
      const ts = this.exchange.now();
      const text = stream.option
        ? JSON.stringify({
            topic: stream.topic,
            ts,
            type: 'snapshot',
            id: `${stream.topic}-${seq}-${ts}`,
            data: rows,
          })
        : JSON.stringify({ topic: stream.topic, type: 'snapshot', ts, data: rows });
      for (const connection of stream.subscribers) connection.send(text, 'notification');
    }
  }

  private delist(name: string): void {
    this.stats.forget(name);
    const ticker = this.tickers.get(`tickers.${name}`);
    const books = this.booksByInstrument.get(name) ?? [];
    for (const stream of [...(ticker === undefined ? [] : [ticker]), ...books]) {
      for (const connection of stream.subscribers) connection.topics.delete(stream.topic);
    }
    if (ticker !== undefined) this.tickers.delete(ticker.topic);
    for (const book of books) {
      this.books.delete(book.topic);
      this.lastU.delete(book.topic);
    }
    this.booksByInstrument.delete(name);
  }

  /** Forgets a closed connection everywhere. */
  remove(connection: BybitConnection): void {
    for (const name of connection.topics) this.unsubscribe(connection, name);
  }
}
