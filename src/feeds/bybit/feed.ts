/**
 * The Bybit feed: option tickers, books and trades over one or more public option sockets
 * (as many as the venue's per-connection limits require), the hedge perpetual over the
 * linear socket, and (with credentials) the account over the private socket with REST
 * snapshots and REST order entry. Each socket heals itself: reconnect, resubscribe, resync
 * every book; a broken book is resubscribed alone; a quiet stream is reported, a silent one
 * reconnected. What leaves it is normalized events only.
 */
import type { FeedEvent, FeedStatus, StatusEvent } from '../../book/events.js';
import type { InstrumentSpec } from '../../instruments/types.js';
import type { BackoffOptions } from '../common/backoff.js';
import { RequestPacer } from '../common/request-pacer.js';
import { DEFAULT_ROUND_TRIP_INTERVAL_MS } from '../common/round-trip-probe.js';
import type {
  CommonFeedOptions,
  Feed,
  FeedCounters,
  FeedListener,
  OrderApi,
  RawFrameListener,
  VenueHistory,
} from '../feed.js';
import { loadBybitAccountSnapshot } from './account-snapshot.js';
import { loadBybitFillsSince } from './missed-fills.js';
import {
  MalformedThrottle,
  type CounterName,
  type FeedSink,
  type StatusExtra,
} from './feed-sink.js';
import { loadBybitInstruments } from './instrument-loader.js';
import { BybitListing, nextListingTime } from './listing.js';
import { MarketStream, type MarketSocketKind } from './market-stream.js';
import { BybitOrderApi } from './orders.js';
import { PrivateStream } from './private-stream.js';
import { BybitRestClient, type BybitCredentials } from './rest.js';
import { RateLimitedReads } from './rest-retry.js';
import { bybitHistory } from './venue-history.js';
import {
  bookTopic,
  DEFAULT_SUBSCRIBE_CHUNK,
  LINEAR_BOOK_DEPTH,
  OPTION_BOOK_DEPTH,
  OPTION_CONNECTION_LIMITS,
  optionTradesTopic,
  ShardPlan,
  tickerTopic,
} from './subscriptions.js';

const VENUE = 'bybit';
/** The first option socket: the connection whose round trip the feed reports. */
const MAIN_STREAM = 'option';

/** Defaults: stale after 10 s, topics per subscribe op 100, log nowhere. */
export interface BybitFeedOptions extends CommonFeedOptions {
  /** From configuration, never hard-coded. */
  urls: { option: string; linear: string; private: string; rest: string };
  /** e.g. ['BTC', 'ETH']. */
  baseCoins: readonly string[];
  /** Never logged. */
  credentials?: BybitCredentials | null;
  /** `{"op":"ping"}` interval (default 20000, the venue's advice). */
  pingIntervalMs?: number;
  /** Backoff after the venue says too many requests (default from 1 s, doubling to 30 s). */
  rateLimitBackoff?: Partial<BackoffOptions>;
  /** Rows per instruments-info page (default 1000, the venue's largest). */
  instrumentPageLimit?: number;
}

const DEFAULT_STALE_AFTER_MS = 10_000;
// A book and its ticker leave the venue within moments of each other; a second of
// disagreement is the longest a lost last change is served unmarked.
const DEFAULT_TOP_CHECK_AFTER_MS = 1_000;
const DEFAULT_PING_INTERVAL_MS = 20_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** Checks per watchdog period: a stale stream is reported within 1¼ of the period. */
const WATCHDOG_CHECKS_PER_PERIOD = 4;
/** The longest between checks: a lost snapshot is asked for again on this beat at the latest. */
const MAX_WATCHDOG_INTERVAL_MS = 250;
const MALFORMED_STATUS_INTERVAL_MS = 1000;
const FIRST_LOAD_SLACK_MS = 5 * 60_000;
/** A failed listing refresh is tried again after this long (wall clock). */
const REFRESH_RETRY_MS = 30_000;
// Bybit allows far more (600 public requests per 5 s per address, v5 "Rate Limit" page); a
// feed reading a listing needs nowhere near it, and staying low keeps it clear of any limit.
const REST_PACE = { ratePerSec: 10, burst: 5 } as const;
// Subscribe ops are rare (start, a refresh, a resync); pacing them is cheap insurance.
const WS_OPS_PACE = { ratePerSec: 10, burst: 10 } as const;

interface MutableCounters {
  messages: number;
  malformed: number;
  gaps: number;
  resyncs: number;
  reconnects: number;
  rateLimited: number;
}

export class BybitFeed implements Feed {
  readonly venue = VENUE;
  readonly orders: OrderApi | null;
  readonly history: VenueHistory;

  readonly #options: BybitFeedOptions;
  readonly #now: () => number;
  readonly #log: (line: string) => void;
  readonly #staleAfterMs: number;
  readonly #topCheckAfterMs: number;
  readonly #allBooks: boolean;
  readonly #hedges: readonly string[];
  readonly #listeners = new Set<FeedListener>();
  readonly #rawListeners = new Set<RawFrameListener>();
  readonly #counts: MutableCounters = {
    messages: 0,
    malformed: 0,
    gaps: 0,
    resyncs: 0,
    reconnects: 0,
    rateLimited: 0,
  };
  readonly #sink: FeedSink;
  readonly #malformed = new MalformedThrottle(MALFORMED_STATUS_INTERVAL_MS);
  /** Streams that have been live at least once: their next `live` is a reconnect. */
  readonly #beenLive = new Set<string>();
  readonly #restPacer = new RequestPacer(REST_PACE);
  readonly #privatePacer = new RequestPacer(REST_PACE);
  readonly #publicReads: RateLimitedReads;
  readonly #listing: BybitListing;
  readonly #plan = new ShardPlan(OPTION_CONNECTION_LIMITS);
  readonly #optionStreams: MarketStream[] = [];
  readonly #linear: MarketStream;
  readonly #private: PrivateStream | null;
  /** Books followed on request (every option's with allBooks). */
  readonly #watched = new Set<string>();
  #venueNow: number | null = null;
  #nextRefresh: number | null = null;
  #refreshing = false;
  #refreshAgain = false;
  #refreshRetryAt: number | null = null;
  #watchdogTimer: NodeJS.Timeout | null = null;
  #started = false;
  /** The sockets have been started: a shard created from now on starts itself. */
  #launched = false;
  #stopping = false;
  #silenced = false;

  constructor(options: BybitFeedOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#log = options.log ?? (() => undefined);
    this.#staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    this.#topCheckAfterMs = options.topCheckAfterMs ?? DEFAULT_TOP_CHECK_AFTER_MS;
    this.#allBooks = options.allBooks ?? false;
    this.#hedges = [
      ...new Set([
        ...(options.hedgeInstruments ?? options.baseCoins.map((coin) => `${coin}USDT`)),
        ...(options.moreHedgeInstruments ?? []),
      ]),
    ];
    for (const book of options.books ?? []) this.#watched.add(book);
    this.#sink = this.#makeSink();
    const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const rest = new BybitRestClient({ baseUrl: options.urls.rest, timeoutMs, now: this.#now });
    this.#publicReads = this.#reads(this.#restPacer);
    this.history = bybitHistory(rest);
    this.#listing = new BybitListing(
      () =>
        loadBybitInstruments(
          (path, query) => this.#publicReads.run(`GET ${path}`, () => rest.get(path, query)),
          {
            baseCoins: options.baseCoins,
            linearSymbols: this.#hedges,
            ...(options.instrumentPageLimit === undefined
              ? {}
              : { pageLimit: options.instrumentPageLimit }),
          },
        ),
      this.#sink,
    );
    this.#linear = this.#marketStream('linear', 'linear');
    const credentials = options.credentials ?? null;
    if (credentials === null) {
      this.orders = null;
      this.#private = null;
    } else {
      const signed = new BybitRestClient({
        baseUrl: options.urls.rest,
        credentials,
        timeoutMs,
        now: this.#now,
      });
      this.orders = new BybitOrderApi(signed, { now: this.#now });
      const privateReads = this.#reads(this.#privatePacer);
      this.#private = new PrivateStream({
        url: options.urls.private,
        credentials,
        pingIntervalMs: options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS,
        connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
        requestTimeoutMs: timeoutMs,
        ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
        sink: this.#sink,
        loadSnapshot: () =>
          privateReads.run('account snapshot', () =>
            loadBybitAccountSnapshot(signed, {
              baseCoins: options.baseCoins,
              linearSymbols: this.#hedges,
              ts: this.#venueNow ?? this.#now(),
            }),
          ),
        loadFillsSince: (since) =>
          privateReads.run('missed fills', () =>
            loadBybitFillsSince(signed, since, this.#venueNow ?? this.#now()),
          ),
      });
    }
  }

  onEvent(listener: FeedListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onRawFrame(listener: RawFrameListener): () => void {
    this.#rawListeners.add(listener);
    return () => this.#rawListeners.delete(listener);
  }

  counters(): FeedCounters {
    return { ...this.#counts };
  }

  /** Timed on the first option socket: its ops, and its pings (one per interval when idle). */
  roundTripMs(): number | null {
    return this.#optionStreams[0]?.socket.roundTripMs ?? null;
  }

  async start(): Promise<void> {
    if (this.#started) throw new Error('bybit feed: start() may be called once');
    this.#started = true;
    try {
      await this.#listing.refresh(this.#now(), null);
      this.#followListed(this.#allListed());
      this.#launched = true;
      const starts: Promise<void>[] = [
        ...this.#optionStreams.map((stream) => stream.start()),
        this.#linear.start(),
      ];
      if (this.#private !== null) starts.push(this.#private.start());
      await Promise.all(starts);
    } catch (error) {
      await this.stop();
      throw error;
    }
    const period = Math.min(this.#staleAfterMs, this.#topCheckAfterMs);
    const checkEvery = Math.min(
      MAX_WATCHDOG_INTERVAL_MS,
      Math.max(10, Math.floor(period / WATCHDOG_CHECKS_PER_PERIOD)),
    );
    this.#watchdogTimer = setInterval(() => this.#check(), checkEvery);
  }

  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    if (this.#watchdogTimer !== null) clearInterval(this.#watchdogTimer);
    this.#watchdogTimer = null;
    this.#restPacer.stop();
    this.#privatePacer.stop();
    const streams = [...this.#optionStreams, this.#linear];
    await Promise.all([
      ...streams.map((stream) => stream.stop()),
      this.#private?.stop() ?? Promise.resolve(),
    ]);
    this.#silenced = true;
  }

  async watchBooks(instruments: readonly string[]): Promise<void> {
    for (const instrument of instruments) this.#watched.add(instrument);
    const topics = instruments
      .filter((name) => this.#listing.registry.option(name) !== undefined)
      .map((name) => bookTopic(name, OPTION_BOOK_DEPTH));
    await this.#addOptionTopics(topics);
  }

  async unwatchBooks(instruments: readonly string[]): Promise<void> {
    for (const instrument of instruments) this.#watched.delete(instrument);
    if (this.#allBooks) return;
    await this.#removeOptionTopics(instruments.map((name) => bookTopic(name, OPTION_BOOK_DEPTH)));
  }

  // ——— Subscriptions ———

  #allListed(): InstrumentSpec[] {
    return this.#listing.registry.bases().flatMap((base) => this.#listing.registry.optionsOf(base));
  }

  /** Plans the start-up subscriptions; the sockets send them when they connect. */
  #followListed(options: readonly InstrumentSpec[]): void {
    void this.#addOptionTopics([
      ...this.#options.baseCoins.map(optionTradesTopic),
      ...this.#optionTopics(options),
    ]);
    const hedges = this.#hedges.filter((name) => this.#listing.registry.get(name) !== undefined);
    for (const missing of this.#hedges.filter((name) => !hedges.includes(name))) {
      this.#sink.status('linear', 'error', {
        instruments: [missing],
        detail: `hedge instrument ${missing} is not listed`,
      });
    }
    void this.#linear.subscribe(
      hedges.flatMap((name) => [tickerTopic(name), bookTopic(name, LINEAR_BOOK_DEPTH)]),
    );
  }

  #optionTopics(options: readonly InstrumentSpec[]): string[] {
    const topics: string[] = [];
    for (const option of options) {
      if (option.kind !== 'option') continue;
      topics.push(tickerTopic(option.name));
      if (this.#allBooks || this.#watched.has(option.name)) {
        topics.push(bookTopic(option.name, OPTION_BOOK_DEPTH));
      }
    }
    return topics;
  }

  async #addOptionTopics(topics: readonly string[]): Promise<void> {
    const byShard = new Map<number, string[]>();
    for (const topic of topics) {
      const shard = this.#plan.assign(topic);
      byShard.set(shard, [...(byShard.get(shard) ?? []), topic]);
    }
    const done: Promise<void>[] = [];
    for (const [shard, shardTopics] of byShard) {
      const stream = this.#optionStream(shard);
      done.push(stream.subscribe(shardTopics));
    }
    await Promise.all(done);
  }

  async #removeOptionTopics(topics: readonly string[]): Promise<void> {
    const byShard = new Map<number, string[]>();
    for (const topic of topics) {
      const shard = this.#plan.remove(topic);
      if (shard !== undefined) byShard.set(shard, [...(byShard.get(shard) ?? []), topic]);
    }
    await Promise.all(
      [...byShard].map(([shard, shardTopics]) =>
        this.#optionStream(shard).unsubscribe(shardTopics),
      ),
    );
  }

  /** The shard's stream, created (and, once the feed runs, connected) on first use. */
  #optionStream(shard: number): MarketStream {
    let stream = this.#optionStreams[shard];
    if (stream === undefined) {
      stream = this.#marketStream('option', shard === 0 ? MAIN_STREAM : `option-${shard + 1}`);
      this.#optionStreams[shard] = stream;
      if (this.#launched && !this.#stopping) {
        const added = stream;
        added.start().catch((error: unknown) => {
          this.#sink.status(added.stream, 'error', { detail: messageOf(error) });
        });
      }
    }
    return stream;
  }

  #marketStream(kind: MarketSocketKind, stream: string): MarketStream {
    const options = this.#options;
    return new MarketStream({
      kind,
      stream,
      url: kind === 'option' ? options.urls.option : options.urls.linear,
      pingIntervalMs: options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      subscribeChunk: options.subscribeChunk ?? DEFAULT_SUBSCRIBE_CHUNK,
      staleAfterMs: this.#staleAfterMs,
      topCheckAfterMs: this.#topCheckAfterMs,
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
      ...(options.rateLimitBackoff === undefined
        ? {}
        : { rateLimitBackoff: options.rateLimitBackoff }),
      pacer: new RequestPacer({ ...WS_OPS_PACE, now: this.#now }),
      sink: this.#sink,
      ...(stream === MAIN_STREAM
        ? { roundTripIntervalMs: options.roundTripIntervalMs ?? DEFAULT_ROUND_TRIP_INTERVAL_MS }
        : {}),
    });
  }

  #reads(pacer: RequestPacer): RateLimitedReads {
    return new RateLimitedReads({
      pacer,
      ...(this.#options.rateLimitBackoff === undefined
        ? {}
        : { backoff: this.#options.rateLimitBackoff }),
      onRateLimited: (delayMs, detail) => this.#sink.rateLimited('rest', delayMs, detail),
    });
  }

  // ——— The venue's clock and the daily listing ———

  #venueTime(ts: number): void {
    if (this.#venueNow !== null && ts <= this.#venueNow) {
      this.#retryRefreshIfDue();
      return;
    }
    this.#venueNow = ts;
    if (this.#nextRefresh === null) {
      // The listing was loaded before any venue time was known: if the first message is
      // only just past 08:00, that load may have come before the new listing.
      this.#nextRefresh = nextListingTime(ts - FIRST_LOAD_SLACK_MS);
    }
    if (ts >= this.#nextRefresh) {
      this.#nextRefresh = nextListingTime(ts);
      void this.#refresh();
      return;
    }
    this.#retryRefreshIfDue();
  }

  #retryRefreshIfDue(): void {
    if (this.#refreshRetryAt === null || this.#now() < this.#refreshRetryAt) return;
    this.#refreshRetryAt = null;
    void this.#refresh();
  }

  /** Reloads the listing and follows it, on the sockets already open. */
  async #refresh(): Promise<void> {
    if (this.#refreshing) {
      this.#refreshAgain = true;
      return;
    }
    this.#refreshing = true;
    try {
      do {
        this.#refreshAgain = false;
        const venueNow = this.#venueNow ?? this.#now();
        const changes = await this.#listing.refresh(venueNow, venueNow);
        if (this.#stopping) return;
        await Promise.all([
          this.#removeOptionTopics(
            changes.removed.flatMap((name) => [
              tickerTopic(name),
              bookTopic(name, OPTION_BOOK_DEPTH),
            ]),
          ),
          this.#addOptionTopics(this.#optionTopics(changes.added)),
        ]);
      } while (this.#refreshAgain && !this.#stopping);
    } catch (error) {
      if (this.#stopping) return;
      this.#refreshRetryAt = this.#now() + REFRESH_RETRY_MS;
      this.#sink.status('rest', 'error', {
        detail: `instrument refresh failed: ${messageOf(error)}`,
      });
    } finally {
      this.#refreshing = false;
    }
  }

  #check(): void {
    const now = this.#now();
    for (const stream of this.#optionStreams) stream.check(now);
    this.#linear.check(now);
  }

  // ——— Output ———

  #makeSink(): FeedSink {
    return {
      emit: (event) => this.#emit(event),
      status: (stream, status, extra) => this.#status(stream, status, extra),
      socketStatus: (event) => this.#socketStatus(event),
      raw: (frame, stream, localTs) => {
        if (this.#stopping) return;
        for (const listener of this.#rawListeners) listener(frame, stream, localTs);
      },
      count: (counter: CounterName, by = 1) => {
        this.#counts[counter] += by;
      },
      malformed: (stream, detail) => {
        this.#counts.malformed += 1;
        this.#log(`bybit ${stream}: malformed frame skipped: ${detail}`);
        const count = this.#malformed.admit(stream, this.#now());
        if (count !== null) {
          this.#status(stream, 'malformed', {
            detail: `${count} malformed frame${count === 1 ? '' : 's'} skipped, last: ${detail}`,
          });
        }
      },
      rateLimited: (stream, delayMs, detail) => {
        this.#counts.rateLimited += 1;
        this.#log(`bybit ${stream}: rate limited, backing off ${delayMs} ms: ${detail}`);
        this.#status(stream, 'rate-limited', { delayMs, detail });
      },
      venueTime: (ts) => this.#venueTime(ts),
      log: (line) => this.#log(line),
      now: () => this.#now(),
    };
  }

  #emit(event: FeedEvent): void {
    if (this.#stopping) return;
    for (const listener of this.#listeners) listener(event);
  }

  #status(stream: string, status: FeedStatus, extra: StatusExtra = {}): void {
    if (this.#stopping) return;
    this.#dispatchStatus({
      kind: 'status',
      venue: VENUE,
      ts: this.#now(),
      stream,
      status,
      ...extra,
    });
  }

  /** Socket statuses pass while stopping, so listeners see each socket close. */
  #socketStatus(event: StatusEvent): void {
    if (this.#silenced) return;
    if (event.status === 'live') {
      if (this.#beenLive.has(event.stream)) this.#counts.reconnects += 1;
      this.#beenLive.add(event.stream);
    }
    if (event.status === 'reconnecting' || event.status === 'error') {
      this.#log(
        `bybit ${event.stream}: ${event.status}${event.detail === undefined ? '' : `: ${event.detail}`}`,
      );
    }
    this.#dispatchStatus(event);
  }

  #dispatchStatus(event: StatusEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
