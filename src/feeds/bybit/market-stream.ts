/**
 * One public socket's market data turned into events: merged tickers, books checked along
 * their `u` chain (a gap resubscribes that book), option trades, and a stale watchdog per
 * subscription family. Option shards and the linear (hedge) socket share it.
 */
import type { TickerEvent } from '../../book/events.js';
import type { BackoffOptions } from '../common/backoff.js';
import type { RequestPacer } from '../common/request-pacer.js';
import { SnapshotRetry } from '../common/snapshot-retry.js';
import { StaleWatchdog } from '../common/stale-watchdog.js';
import { WireFormatError, type WireRecord } from '../wire-fields.js';
import { bybitBookFromMessage } from './book.js';
import { BookSequencer } from './book-sequencer.js';
import type { FeedSink } from './feed-sink.js';
import { BybitLinearTickerMerger } from './linear-ticker.js';
import { PublicSocket } from './public-socket.js';
import { topicInfo, type TopicFamily } from './subscriptions.js';
import { BybitTickerMerger } from './ticker.js';
import { TopCrossCheck } from '../common/top-check.js';
import { bybitTradesFromMessage } from './trades.js';

export type MarketSocketKind = 'option' | 'linear';

export interface MarketStreamOptions {
  readonly kind: MarketSocketKind;
  readonly stream: string;
  readonly url: string;
  readonly pingIntervalMs: number;
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly subscribeChunk: number;
  readonly staleAfterMs: number;
  /** How long a book's top may disagree with its ticker's before the book is resynced. */
  readonly topCheckAfterMs: number;
  readonly backoff?: Partial<BackoffOptions>;
  readonly rateLimitBackoff?: Partial<BackoffOptions>;
  readonly pacer: RequestPacer;
  readonly sink: FeedSink;
  /** Set on the socket whose round trip the feed reports (see PublicSocketOptions). */
  readonly roundTripIntervalMs?: number;
}

interface TickerMerger {
  accept(message: unknown): TickerEvent | null;
  clear(): void;
}

/** A silent socket is reconnected after this many watchdog periods without data. */
const DEAD_AFTER_STALE_PERIODS = 3;

export class MarketStream {
  readonly socket: PublicSocket;
  readonly #options: MarketStreamOptions;
  readonly #sink: FeedSink;
  readonly #tickers: TickerMerger;
  readonly #books = new BookSequencer();
  readonly #tops = new TopCrossCheck();
  /** Books whose snapshot is awaited after a resubscribe: again, with backoff, until it lands. */
  readonly #snapshots = new SnapshotRetry();
  readonly #watchdog: StaleWatchdog;
  /** Ticker topics whose snapshot arrived on this connection: a delta needs one first. */
  readonly #tickerSnapshots = new Set<string>();
  /** Ticker topics resubscribed because their snapshot was lost, and when. */
  readonly #tickerResyncs = new Map<string, number>();
  /** The watchdog key of each family, made once: it is looked up per message. */
  readonly #watchKeys: Readonly<Record<TopicFamily, string>>;
  #lastDataAt: number;

  constructor(options: MarketStreamOptions) {
    this.#options = options;
    const key = (family: string): string => `${options.stream}.${family}`;
    // The linear socket carries only the hedge: one family for its ticker and its book.
    this.#watchKeys =
      options.kind === 'linear'
        ? { tickers: key('hedge'), books: key('hedge'), trades: key('hedge') }
        : { tickers: key('tickers'), books: key('books'), trades: key('trades') };
    this.#sink = options.sink;
    this.#tickers =
      options.kind === 'option' ? new BybitTickerMerger() : new BybitLinearTickerMerger();
    this.#watchdog = new StaleWatchdog(options.staleAfterMs);
    this.#lastDataAt = options.sink.now();
    const { sink, stream } = options;
    this.socket = new PublicSocket({
      venue: 'bybit',
      stream,
      url: options.url,
      pingIntervalMs: options.pingIntervalMs,
      connectTimeoutMs: options.connectTimeoutMs,
      requestTimeoutMs: options.requestTimeoutMs,
      subscribeChunk: options.subscribeChunk,
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
      ...(options.rateLimitBackoff === undefined
        ? {}
        : { rateLimitBackoff: options.rateLimitBackoff }),
      pacer: options.pacer,
      ...(options.roundTripIntervalMs === undefined
        ? {}
        : { roundTripIntervalMs: options.roundTripIntervalMs }),
      now: () => sink.now(),
      onConnection: (epoch) => this.#connection(epoch),
      onRaw: (text, localTs) => {
        sink.count('messages');
        sink.raw(text, options.kind, localTs);
      },
      onData: (message) => this.#data(message),
      onMalformed: (detail, topic) => this.#malformed(detail, topic),
      onStatus: (event) => {
        if (event.status === 'reconnecting') this.#connectionLost();
        sink.socketStatus(event);
      },
      onRateLimited: (delayMs, detail) => sink.rateLimited(stream, delayMs, detail),
      onRefused: (topics, detail) => this.#refused(topics, detail),
    });
  }

  get stream(): string {
    return this.#options.stream;
  }

  start(): Promise<void> {
    return this.socket.start();
  }

  async stop(): Promise<void> {
    await this.socket.stop();
    this.#options.pacer.stop();
  }

  subscribe(topics: readonly string[]): Promise<void> {
    const now = this.#sink.now();
    const books: string[] = [];
    for (const topic of topics) {
      const info = topicInfo(topic);
      if (info?.family === 'books' && !this.socket.holds(topic)) {
        this.#books.expect(info.subject, 'subscribe', now);
        this.#snapshots.requested(info.subject);
        books.push(info.subject);
      }
    }
    return this.socket.subscribe(topics).finally(() => {
      for (const book of books) this.#snapshots.acknowledged(book, this.#sink.now());
    });
  }

  unsubscribe(topics: readonly string[]): Promise<void> {
    for (const topic of topics) {
      const info = topicInfo(topic);
      if (info?.family === 'books') {
        this.#books.forget(info.subject);
        this.#snapshots.forget(info.subject);
        this.#tops.forget(info.subject);
      }
      this.#tickerSnapshots.delete(topic);
      this.#tickerResyncs.delete(topic);
    }
    const done = this.socket.unsubscribe(topics);
    for (const family of ['tickers', 'books'] as const) {
      if (this.#covered(family).length === 0) this.#watchdog.remove(this.#watchKey(family));
    }
    return done;
  }

  /** Watchdog round: stale families, books whose snapshot never came, a silent socket. */
  check(now: number): void {
    const { staleAfterMs, requestTimeoutMs } = this.#options;
    for (const key of this.#watchdog.check(now)) {
      const family = this.#familyOfKey(key);
      this.#sink.status(this.stream, 'stale', {
        instruments: this.#covered(family),
        family: this.#familyLabel(family),
        lastDataTs: this.#watchdog.lastSeen(key),
        detail: `no ${this.#familyLabel(family)} data for ${staleAfterMs} ms`,
      });
    }
    if (!this.socket.live) return;
    for (const instrument of this.#books.takeOverdue(now - requestTimeoutMs, now)) {
      this.#resubscribeBook(instrument);
    }
    for (const instrument of this.#snapshots.takeDue(now)) this.#resubscribeBook(instrument);
    for (const instrument of this.#tops.takeDisagreeing(now - this.#options.topCheckAfterMs)) {
      this.#lostUpdate(instrument, 'its top disagrees with the ticker');
    }
    const silentMs = now - this.#lastDataAt;
    if (silentMs >= DEAD_AFTER_STALE_PERIODS * staleAfterMs && this.#watchesAnything()) {
      this.#lastDataAt = now;
      this.socket.reconnect(`no data for ${silentMs} ms`);
    }
  }

  #connection(epoch: number): void {
    this.#tickers.clear();
    this.#tops.clear();
    this.#tickerSnapshots.clear();
    this.#tickerResyncs.clear();
    // The new connection subscribes every book; a snapshot it loses is caught as overdue.
    this.#snapshots.clear();
    const now = this.#sink.now();
    // The silence timer restarts with each connection, or a reconnect would follow at once.
    this.#lastDataAt = now;
    if (epoch > 1) this.#books.expectAll('reconnect', now);
  }

  /**
   * Books that were live stop being so with their connection: say it, so no consumer serves
   * their last levels as current while the reconnect runs.
   */
  #connectionLost(): void {
    const live = this.#books.intact();
    this.#books.expectAll('reconnect', this.#sink.now());
    if (live.length > 0) {
      this.#sink.status(this.stream, 'gap', {
        instruments: live,
        detail: 'the connection was lost',
      });
    }
  }

  #data(message: WireRecord): void {
    const topic = message['topic'] as string;
    // Frames already in flight when a topic was dropped are no longer ours to read.
    if (!this.socket.holds(topic)) return;
    const info = topicInfo(topic);
    if (info === null) return;
    const ts = message['ts'];
    if (typeof ts === 'number') this.#sink.venueTime(ts);
    try {
      switch (info.family) {
        case 'tickers':
          this.#ticker(topic, message);
          break;
        case 'books':
          this.#book(message);
          break;
        case 'trades':
          for (const trade of bybitTradesFromMessage(message) ?? []) this.#sink.emit(trade);
          return;
      }
    } catch (error) {
      if (!(error instanceof WireFormatError)) throw error;
      this.#malformed(error.message, topic);
      return;
    }
    this.#touch(info.family);
  }

  /**
   * A skipped frame of a ticker or a book leaves its state behind the venue's: a ticker
   * delta's fields are lost for good, a book misses an update. Either is resubscribed.
   */
  #malformed(detail: string, topic: string | null): void {
    this.#sink.malformed(this.stream, detail);
    if (topic === null || !this.socket.holds(topic)) return;
    const info = topicInfo(topic);
    if (info?.family === 'tickers') {
      // At once, even if a resubscribe is under way: the frame lost may be its snapshot.
      this.#tickerSnapshots.delete(topic);
      this.#tickerResyncs.set(topic, this.#sink.now());
      void this.socket.resubscribe(topic);
    } else if (info?.family === 'books') {
      // A book already waiting may have lost its snapshot: subscribed again after the backoff.
      if (this.#snapshots.isWaiting(info.subject)) {
        this.#snapshots.changeWhileWaiting(info.subject, this.#sink.now());
      } else {
        this.#lostUpdate(info.subject, 'an update was malformed and skipped');
      }
    }
  }

  #ticker(topic: string, message: WireRecord): void {
    if (message['type'] === 'delta' && !this.#tickerSnapshots.has(topic)) {
      // Its snapshot was lost (a malformed frame): only a resubscribe brings another.
      this.#resyncTicker(topic);
      return;
    }
    const event = this.#tickers.accept(message);
    if (event === null) return;
    if (message['type'] === 'snapshot') {
      this.#tickerSnapshots.add(topic);
      this.#tickerResyncs.delete(topic);
    }
    this.#sink.emit(event);
    this.#tops.onTicker(event, this.#sink.now());
  }

  /** Deltas keep coming until the new snapshot does: one resubscribe per request time. */
  #resyncTicker(topic: string): void {
    const now = this.#sink.now();
    const last = this.#tickerResyncs.get(topic);
    if (last !== undefined && now - last < this.#options.requestTimeoutMs) return;
    this.#tickerResyncs.set(topic, now);
    void this.socket.resubscribe(topic);
  }

  #book(message: WireRecord): void {
    const event = bybitBookFromMessage(message);
    if (event === null) return;
    const sink = this.#sink;
    const now = sink.now();
    const { verdict, resynced } = this.#books.accept(event, now);
    switch (verdict) {
      case 'apply':
        if (event.kind === 'book-snapshot') this.#snapshots.arrived(event.instrument);
        sink.emit(event);
        this.#tops.onBook(event, now);
        if (resynced !== null) {
          sink.count('resyncs');
          // A reconnect resyncs every book at once: the socket's own status says so.
          if (resynced === 'gap') {
            sink.status(this.stream, 'resynced', { instruments: [event.instrument] });
          }
        }
        return;
      case 'gap':
        // Passed on so the book downstream breaks too, rather than showing levels we know are wrong.
        sink.emit(event);
        this.#lostUpdate(event.instrument, `update ${event.sequence} arrived out of sequence`);
        return;
      case 'skip':
        this.#snapshots.changeWhileWaiting(event.instrument, now);
        return;
      case 'duplicate':
        return;
    }
  }

  /** A book missed an update: report the gap and resubscribe it for a fresh snapshot. */
  #lostUpdate(instrument: string, why: string): void {
    const sink = this.#sink;
    this.#tops.forgetBook(instrument);
    this.#books.expect(instrument, 'gap', sink.now());
    sink.count('gaps');
    sink.status(this.stream, 'gap', { instruments: [instrument], detail: why });
    this.#resubscribeBook(instrument);
  }

  /** A fresh snapshot for the book: the venue sends one on every subscribe. */
  #resubscribeBook(instrument: string): void {
    const topic = this.#bookTopicOf(instrument);
    if (topic === null) return;
    this.#snapshots.requested(instrument);
    void this.socket.resubscribe(topic).finally(() => {
      this.#snapshots.acknowledged(instrument, this.#sink.now());
    });
  }

  #touch(family: TopicFamily): void {
    const now = this.#sink.now();
    this.#lastDataAt = now;
    // An option book sends only when it changes: its silence says nothing about the socket,
    // which its tickers (sent as the mark moves) and pings vouch for.
    if (family === 'books' && this.#options.kind === 'option') return;
    const key = this.#watchKey(family);
    if (this.#watchdog.touch(key, now)) {
      const reported = this.#familyOfKey(key);
      this.#sink.status(this.stream, 'fresh', {
        instruments: this.#covered(reported),
        family: this.#familyLabel(reported),
        detail: `${this.#familyLabel(reported)} data flows again`,
      });
    }
  }

  #refused(topics: readonly string[], detail: string): void {
    const instruments: string[] = [];
    for (const topic of topics) {
      const info = topicInfo(topic);
      if (info === null) continue;
      instruments.push(info.subject);
      // No snapshot will come for a refused book: stop waiting for one.
      if (info.family === 'books') this.#books.forget(info.subject);
    }
    this.#sink.status(this.stream, 'error', {
      instruments,
      detail: `subscription refused (${topics.length} topics): ${detail}`,
    });
  }

  #watchKey(family: TopicFamily): string {
    return this.#watchKeys[family];
  }

  #familyOfKey(key: string): TopicFamily | null {
    if (this.#options.kind === 'linear') return null;
    return key.endsWith('.books') ? 'books' : 'tickers';
  }

  #familyLabel(family: TopicFamily | null): string {
    return family === null ? 'hedge' : family === 'books' ? 'book' : 'ticker';
  }

  /** Instruments the family covers on this socket; every followed one for null (the hedge). */
  #covered(family: TopicFamily | null): string[] {
    const covered = new Set<string>();
    for (const topic of this.socket.topics()) {
      const info = topicInfo(topic);
      if (info === null || info.family === 'trades') continue;
      if (family === null || info.family === family) covered.add(info.subject);
    }
    return [...covered];
  }

  #watchesAnything(): boolean {
    return this.#covered(null).length > 0;
  }

  #bookTopicOf(instrument: string): string | null {
    for (const topic of this.socket.topics()) {
      const info = topicInfo(topic);
      if (info?.family === 'books' && info.subject === instrument) return topic;
    }
    return null;
  }
}
