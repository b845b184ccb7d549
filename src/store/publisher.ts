/**
 * Publishes one venue's state into Redis as the engine applies it, and keeps doing so when
 * Redis is slow, down or restarted:
 *
 * - market events coalesce per snapshot field (latest wins) in a map with at most one entry
 *   per field: a spec, a ticker, a book and a trade per instrument, an index per pair. Redis
 *   slower than the feed costs intermediate quotes, never memory;
 * - account and status events go to an ordered queue that is never coalesced nor dropped;
 * - a flush loop (every few ms, or at once when much is pending; one flush in flight) sends
 *   each coin's batch and the venue's batch through the store scripts, pipelined;
 * - when Redis comes back (ioredis 'ready'), or a coin's snapshot is found missing (a restart
 *   with nothing persisted, a flush), the full current state is published again from the
 *   engine's: specs, latest tickers, indices, followed books, an account snapshot, statuses.
 *
 * It also writes `meta` at start, refreshes `alive` (PX 2000) every 500 ms, and adds the
 * venue to the set of venues served.
 */
import os from 'node:os';
import type {
  AccountSnapshotEvent,
  BookSnapshotEvent,
  FeedEvent,
  MarketEvent,
  StatusEvent,
  TickerEvent,
} from '../book/events.js';
import type { OrderBook } from '../book/order-book.js';
import type { InstrumentSpec } from '../instruments/types.js';
import {
  bookField,
  indexField,
  instrumentField,
  tickerField,
  volIndexField,
  type VenueEvent,
} from './codec.js';
import type { RedisClient } from './connect.js';
import type { KeySchema } from './keys.js';
import { SCHEMA_VERSION } from './keys.js';
import {
  DEFAULT_STREAM_MAXLEN,
  indexRemovalMarks,
  PartialWriteError,
  writeMarket,
  writeVenue,
} from './store-writer.js';

/** What the publisher reads of the engine: its events and its current state. */
export interface PublisherSource {
  readonly venue: string;
  onEvent(listener: (event: FeedEvent) => void): () => void;
  /** A listed instrument's spec. */
  specOf(instrument: string): InstrumentSpec | undefined;
  /** Every listed instrument. */
  specs(): Iterable<InstrumentSpec>;
  /** Tickers the engine keeps (futures and perpetuals; option tickers live in chains). */
  tickers(): Iterable<TickerEvent>;
  /** Books followed (held or watched instruments). */
  books(): Iterable<OrderBook>;
  book(instrument: string): OrderBook | undefined;
  /** The account as the engine knows it now. */
  account(): AccountSnapshotEvent;
  /** The venue's time now (for a spec whose listing event was not seen). */
  now(): number;
}

export interface PublisherOptions {
  readonly client: RedisClient;
  readonly keys: KeySchema;
  readonly source: PublisherSource;
  /** The updates streams' MAXLEN ~. */
  readonly maxlen?: number;
  /** Fields of the `meta` hash beside venue, schema, started, host and pid. */
  readonly meta?: Readonly<Record<string, string>>;
  /** Book levels per side in a published book (default 10). */
  readonly bookLevels?: number;
  /**
   * Flush this long after the first pending update (default 0: at the next turn of the event
   * loop, so what one burst of venue messages brought goes together). A timer of 0 would wait
   * a whole ms; a busy feed still batches: what comes during a flush in flight waits for it
   * and goes in the next.
   */
  readonly flushDelayMs?: number;
  /** Flush at once when this many market updates are pending (default 512). */
  readonly flushAt?: number;
  /** Period of the `alive` refresh (default 500 ms; the key lives 2 s). */
  readonly aliveEveryMs?: number;
  /** Something went wrong that an operator should see (Redis errors; never a secret). */
  readonly onProblem?: (text: string) => void;
  /** A full snapshot was published (at start and after every Redis recovery). */
  readonly onRepublish?: (reason: string) => void;
}

/** Counters for the bench and the operator. */
export interface PublisherStats {
  /** Market events taken in (book events count as one "book changed" each). */
  marketIn: number;
  /** Market updates superseded in the pending map before they were sent. */
  coalesced: number;
  /** Updates written (market and venue, each with its stream entry). */
  written: number;
  /** Updates the scripts dropped as older than what Redis held. */
  staleDropped: number;
  /** Market updates lost to a failed write (their state is republished on recovery). */
  marketFailed: number;
  /** Venue events written. */
  accountWritten: number;
  /** Market updates pending now (≤ one per field). */
  pendingMarket: number;
  /** Account and status events not yet confirmed written: queued, or in a call in flight. */
  pendingAccount: number;
  /** The most account events that ever waited. */
  maxPendingAccount: number;
  flushes: number;
  republishes: number;
  errors: number;
}

/** A pending book is "this book changed": its levels are read from the engine when sent. */
interface BookMark {
  readonly kind: 'book-mark';
  readonly instrument: string;
}

type PendingMarket = MarketEvent | BookMark;

const ALIVE_TTL_MS = 2_000;
const DEFAULT_FLUSH_DELAY_MS = 0;
/** Flushes sent and not yet answered: one encoded while Redis runs the one before. */
const FLUSHES_IN_FLIGHT = 2;

/** A scheduled flush: a timer, or an immediate when it is due now. */
interface FlushWake {
  readonly now: boolean;
  cancel(): void;
}

export class Publisher {
  readonly #client: RedisClient;
  readonly #keys: KeySchema;
  readonly #source: PublisherSource;
  readonly #venue: string;
  readonly #options: PublisherOptions;
  readonly #maxlen: number;
  /** Per coin, per field: what is waiting to be sent. */
  readonly #pending = new Map<string, Map<string, PendingMarket>>();
  #pendingCount = 0;
  readonly #accountQueue: VenueEvent[] = [];
  /** Account events in a call Redis has not answered yet (a hung Redis holds them there). */
  #accountInFlight = 0;
  /** The coin of every instrument seen listed (a removal's spec is gone by the time we hear). */
  readonly #coinOf = new Map<string, string>();
  /** Latest spec listing, ticker and index events per coin and field, for a republish. */
  readonly #latest = new Map<string, Map<string, MarketEvent>>();
  /** Latest status per connection stream. */
  readonly #statuses = new Map<string, StatusEvent>();
  /** The published books' own sequences. */
  readonly #bookSeq = new Map<string, number>();
  readonly #coinsPublished = new Set<string>();
  /** Removal marks being indexed (see indexRemovalMarks): stop waits for them. */
  readonly #indexing = new Set<Promise<void>>();
  readonly #stats: PublisherStats = {
    marketIn: 0,
    coalesced: 0,
    written: 0,
    staleDropped: 0,
    marketFailed: 0,
    accountWritten: 0,
    pendingMarket: 0,
    pendingAccount: 0,
    maxPendingAccount: 0,
    flushes: 0,
    republishes: 0,
    errors: 0,
  };
  #unsubscribe: (() => void) | null = null;
  #flushTimer: FlushWake | null = null;
  #aliveTimer: NodeJS.Timeout | null = null;
  /** Flushes whose calls were sent and are not all answered yet (at most FLUSHES_IN_FLIGHT). */
  readonly #inFlight = new Set<Promise<void>>();
  /** A flush is being prepared or encoded: the next one waits for its calls to be sent. */
  #dispatching = false;
  /** The account write in flight: account events go one write at a time, in order. */
  #accountWrite: Promise<boolean> | null = null;
  #republishReason: string | null = null;
  #retryAt = 0;
  #failures = 0;
  #roundTripMs: number | null = null;
  #started = false;
  #startedAt = Date.now();
  #aliveInFlight = false;
  #stopped = false;
  readonly #onReady = (): void => this.republish('redis reconnected');

  constructor(options: PublisherOptions) {
    this.#options = options;
    this.#client = options.client;
    this.#keys = options.keys;
    this.#source = options.source;
    this.#venue = options.source.venue;
    this.#maxlen = options.maxlen ?? DEFAULT_STREAM_MAXLEN;
    // Listening from construction: a composition that builds the publisher before starting
    // the feeds misses nothing; what came before is in the snapshot published at start.
    this.#unsubscribe = this.#source.onEvent((event) => this.take(event));
  }

  /** Writes meta, the venues set and a full snapshot, and starts the alive heartbeat. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    this.#startedAt = Date.now();
    this.#client.on('ready', this.#onReady);
    try {
      await this.#writeMeta();
    } catch (error) {
      this.#problem(`could not write meta: ${describe(error)}`);
    }
    this.republish('start');
    await this.#alive();
    this.#aliveTimer = setInterval(() => void this.#alive(), this.#options.aliveEveryMs ?? 500);
    this.#aliveTimer.unref();
  }

  /** Flushes what is pending (for up to `deadlineMs`), deletes `alive` and stops. */
  async stop(deadlineMs = 2_000): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#client.off('ready', this.#onReady);
    if (this.#aliveTimer !== null) clearInterval(this.#aliveTimer);
    this.#flushTimer?.cancel();
    this.#flushTimer = null;
    const drain = async (): Promise<void> => {
      for (let round = 0; round < 5; round += 1) {
        while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
        await Promise.all(this.#indexing);
        if (this.#pendingCount === 0 && this.#accountQueue.length === 0) break;
        this.#retryAt = 0;
        await this.#flush();
      }
      if (this.#started) await this.#client.del(this.#keys.venue(this.#venue).alive);
    };
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      drain().catch((error: unknown) => this.#problem(`final flush failed: ${describe(error)}`)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, deadlineMs))),
    ]);
    clearTimeout(timer);
  }

  stats(): PublisherStats {
    this.#stats.pendingMarket = this.#pendingCount;
    this.#stats.pendingAccount = this.#accountQueue.length + this.#accountInFlight;
    return { ...this.#stats };
  }

  /** Takes one event the engine has applied. */
  take(event: FeedEvent): void {
    if (this.#stopped || event.venue !== this.#venue) return;
    switch (event.kind) {
      case 'order':
      case 'fill':
      case 'position':
      case 'balance':
      case 'account-snapshot':
        this.#queueAccount(event);
        break;
      case 'status':
        this.#statuses.set(event.stream, event);
        this.#queueAccount(event);
        break;
      case 'book-snapshot':
      case 'book-delta':
        this.#takeMarket(event.instrument, bookField(event.instrument), {
          kind: 'book-mark',
          instrument: event.instrument,
        });
        break;
      case 'ticker': {
        // The busiest event: its coin and field found once.
        const coin = this.#coinFor(event.instrument);
        if (coin === undefined) break;
        const field = tickerField(event.instrument);
        this.#latestOf(coin).set(field, event);
        this.#put(coin, field, event);
        break;
      }
      case 'trade':
        this.#takeMarket(event.instrument, `~trade:${event.instrument}`, event);
        break;
      case 'index': {
        const field = indexField(event.base, event.quote);
        this.#latestOf(event.base).set(field, event);
        this.#put(event.base, field, event);
        break;
      }
      case 'volatility-index': {
        const field = volIndexField(event.base);
        this.#latestOf(event.base).set(field, event);
        this.#put(event.base, field, event);
        break;
      }
      case 'instrument-added':
        this.#coinOf.set(event.spec.name, event.spec.base);
        this.#remember(event.spec.name, instrumentField(event.spec.name), event);
        this.#takeMarket(event.spec.name, instrumentField(event.spec.name), event, true);
        break;
      case 'instrument-removed':
        this.#removed(event);
        break;
    }
  }

  /**
   * Publishes the full current state again at the next flush: after Redis came back (it may
   * have restarted empty) or when asked.
   */
  republish(reason: string): void {
    if (this.#stopped) return;
    this.#republishReason ??= reason;
    this.#retryAt = 0;
    this.#schedule(true);
  }

  #coinFor(instrument: string): string | undefined {
    return this.#coinOf.get(instrument) ?? this.#source.specOf(instrument)?.base;
  }

  #latestOf(coin: string): Map<string, MarketEvent> {
    let latest = this.#latest.get(coin);
    if (latest === undefined) {
      latest = new Map();
      this.#latest.set(coin, latest);
    }
    return latest;
  }

  #remember(instrument: string, field: string, event: MarketEvent): void {
    const coin = this.#coinFor(instrument);
    if (coin !== undefined) this.#latestOf(coin).set(field, event);
  }

  #takeMarket(instrument: string, field: string, item: PendingMarket, moveLast = false): void {
    const coin = this.#coinFor(instrument);
    // Quotes of an instrument not (or no longer) listed belong to no coin's snapshot.
    if (coin === undefined) return;
    this.#put(coin, field, item, moveLast);
  }

  #put(coin: string, field: string, item: PendingMarket, moveLast = false): void {
    this.#stats.marketIn += 1;
    let pending = this.#pending.get(coin);
    if (pending === undefined) {
      pending = new Map();
      this.#pending.set(coin, pending);
    }
    if (pending.has(field)) {
      this.#stats.coalesced += 1;
      // A listing moves behind what was pending, so it is sent in the order it happened.
      if (moveLast) pending.delete(field);
    } else {
      this.#pendingCount += 1;
    }
    pending.set(field, item);
    this.#schedule(this.#pendingCount >= (this.#options.flushAt ?? 512));
  }

  #removed(event: Extract<MarketEvent, { kind: 'instrument-removed' }>): void {
    const instrument = event.instrument;
    const coin = this.#coinOf.get(instrument);
    this.#coinOf.delete(instrument);
    this.#bookSeq.delete(instrument);
    if (coin === undefined) return;
    const latest = this.#latest.get(coin);
    const pending = this.#pending.get(coin);
    for (const field of [
      instrumentField(instrument),
      tickerField(instrument),
      bookField(instrument),
      `~trade:${instrument}`,
    ]) {
      latest?.delete(field);
      if (pending?.delete(field) === true) {
        this.#pendingCount -= 1;
        this.#stats.coalesced += 1;
      }
    }
    this.#put(coin, instrumentField(instrument), event);
  }

  #queueAccount(event: VenueEvent): void {
    this.#accountQueue.push(event);
    if (this.#accountQueue.length > this.#stats.maxPendingAccount) {
      this.#stats.maxPendingAccount = this.#accountQueue.length;
    }
    this.#schedule(this.#accountQueue.length >= 64);
  }

  #schedule(now: boolean): void {
    if (this.#stopped || !this.#started) return;
    // The flush being encoded, or the last of those in flight, schedules the next; a second
    // flush goes while one is in flight only for a full batch (small ones cost Redis more).
    if (this.#dispatching || this.#inFlight.size >= (now ? FLUSHES_IN_FLIGHT : 1)) return;
    const wait = Math.max(
      now ? 0 : (this.#options.flushDelayMs ?? DEFAULT_FLUSH_DELAY_MS),
      this.#retryAt - Date.now(),
    );
    if (this.#flushTimer !== null) {
      if (wait > 0 || this.#flushTimer.now) return;
      this.#flushTimer.cancel();
    }
    const fire = (): void => {
      this.#flushTimer = null;
      void this.#flush();
    };
    if (wait > 0) {
      const timer = setTimeout(fire, wait);
      this.#flushTimer = { now: false, cancel: () => clearTimeout(timer) };
    } else {
      const immediate = setImmediate(fire);
      this.#flushTimer = { now: true, cancel: () => clearImmediate(immediate) };
    }
  }

  /**
   * One flush: what is pending is encoded and sent, and the next flush may start as soon as
   * these calls are on the connection, while Redis still runs them (two in flight at most):
   * Redis runs one flush's calls while the next is encoded, instead of waiting for it. Calls
   * on one connection run in the order sent, so a coin's updates stay in order.
   */
  #flush(): Promise<void> {
    if (this.#dispatching || this.#inFlight.size >= FLUSHES_IN_FLIGHT) {
      return Promise.all(this.#inFlight).then(() => undefined);
    }
    this.#dispatching = true;
    const run = this.#sendAll()
      .finally(() => {
        this.#dispatching = false;
        this.#inFlight.delete(run);
        this.#scheduleMore();
      })
      .catch((error: unknown) => this.#problem(`flush failed: ${describe(error)}`));
    this.#inFlight.add(run);
    return run;
  }

  /** After a flush was sent or answered: more pending goes at once when much is waiting. */
  #scheduleMore(): void {
    if (this.#pendingCount > 0 || this.#accountQueue.length > 0 || this.#republishReason)
      this.#schedule(this.#pendingCount >= (this.#options.flushAt ?? 512));
  }

  async #sendAll(): Promise<void> {
    if (this.#republishReason !== null) {
      // An empty Redis lost meta and the venues set too.
      const wrote = await this.#writeMeta().then(
        () => true,
        () => false,
      );
      if (!wrote) {
        this.#failures += 1;
        this.#retryAt = Date.now() + Math.min(50 * 2 ** Math.min(this.#failures, 5), 1_000);
        return;
      }
      this.#queueFullState(this.#republishReason);
    }
    const sendAccount = this.#accountWrite === null && this.#accountQueue.length > 0;
    if (this.#pendingCount === 0 && !sendAccount) return;
    this.#stats.flushes += 1;
    const byCoin = [...this.#pending];
    this.#pending.clear();
    this.#pendingCount = 0;
    const writes: Promise<boolean>[] = [];
    if (sendAccount) {
      const account = this.#sendAccount(this.#accountQueue.splice(0));
      this.#accountWrite = account;
      writes.push(account.finally(() => (this.#accountWrite = null)));
    }
    // Every call of this flush is encoded and sent before the first await below.
    for (const [coin, pending] of byCoin) writes.push(this.#sendCoin(coin, pending));
    this.#dispatching = false;
    this.#scheduleMore();
    const results = await Promise.all(writes);
    if (results.every(Boolean)) {
      this.#failures = 0;
      this.#retryAt = 0;
    } else {
      // Redis is failing: try again later rather than spin (market updates keep coalescing).
      this.#failures += 1;
      this.#retryAt = Date.now() + Math.min(50 * 2 ** Math.min(this.#failures, 5), 1_000);
    }
  }

  async #sendAccount(events: VenueEvent[]): Promise<boolean> {
    this.#accountInFlight = events.length;
    try {
      const count = await writeVenue(
        this.#client,
        this.#keys.venue(this.#venue),
        this.#venue,
        events,
        {
          maxlen: this.#maxlen,
        },
      );
      this.#count(count.written, count.dropped);
      this.#stats.accountWritten += count.written;
      return true;
    } catch (error) {
      const done = error instanceof PartialWriteError ? error.done : 0;
      // Never dropped: what was not confirmed goes back in front of what came since.
      this.#accountQueue.unshift(...events.slice(done));
      this.#failed(`venue write failed (${events.length - done} events kept)`, error);
      return false;
    } finally {
      this.#accountInFlight = 0;
    }
  }

  async #sendCoin(coin: string, pending: Map<string, PendingMarket>): Promise<boolean> {
    const events: MarketEvent[] = [];
    for (const item of pending.values()) {
      if (item.kind !== 'book-mark') events.push(item);
      else {
        const book = this.#bookEvent(item.instrument);
        if (book !== null) events.push(book);
      }
    }
    try {
      const count = await writeMarket(
        this.#client,
        this.#keys.coin(this.#venue, coin),
        this.#venue,
        coin,
        events,
        { maxlen: this.#maxlen, specOf: (name) => this.#source.specOf(name) },
      );
      this.#count(count.written, count.dropped);
      if (!this.#coinsPublished.has(coin)) {
        this.#coinsPublished.add(coin);
        // Marks an older version left unindexed, once per coin and Redis: then pruned as any.
        const indexing = indexRemovalMarks(this.#client, this.#keys.coin(this.#venue, coin))
          .then(
            () => undefined,
            (error: unknown) =>
              this.#problem(`${coin}'s removal marks not indexed: ${describe(error)}`),
          )
          .finally(() => this.#indexing.delete(indexing));
        this.#indexing.add(indexing);
      }
      return true;
    } catch (error) {
      // Put back what is not superseded since: a failing Redis costs no memory beyond one
      // entry per field, and the latest state is sent once it answers.
      let target = this.#pending.get(coin);
      if (target === undefined) {
        target = new Map();
        this.#pending.set(coin, target);
      }
      let kept = 0;
      for (const [field, item] of pending) {
        const held = target.get(field);
        // A later flush in flight may have failed first and put back a newer update.
        if (held !== undefined && !newer(item, held)) continue;
        if (held === undefined) this.#pendingCount += 1;
        target.set(field, item);
        kept += 1;
      }
      this.#stats.marketFailed += pending.size - kept;
      this.#failed(`${coin} write failed`, error);
      return false;
    }
  }

  #count(written: number, dropped: number): void {
    this.#stats.written += written;
    this.#stats.staleDropped += dropped;
  }

  #failed(what: string, error: unknown): void {
    this.#stats.errors += 1;
    // One line per outage, not one per flush attempt.
    if (this.#failures === 0) this.#problem(`${what}: ${describe(error)}`);
  }

  #problem(text: string): void {
    this.#options.onProblem?.(text);
  }

  /** The followed book's top levels as a snapshot event, or null when it is not good. */
  #bookEvent(instrument: string): BookSnapshotEvent | null {
    const book = this.#source.book(instrument);
    // A broken book publishes nothing: the gap's status says why its levels stopped moving.
    if (book?.good !== true) return null;
    const depth = book.depth(this.#options.bookLevels ?? 10);
    const sequence = (this.#bookSeq.get(instrument) ?? 0) + 1;
    this.#bookSeq.set(instrument, sequence);
    return {
      kind: 'book-snapshot',
      venue: this.#venue,
      instrument,
      ts: book.ts,
      sequence,
      bids: depth.bids.flat(),
      asks: depth.asks.flat(),
    };
  }

  /** Everything the engine knows now, merged into what is pending (pending is as new). */
  #queueFullState(reason: string): void {
    this.#republishReason = null;
    this.#stats.republishes += 1;
    const now = this.#source.now();
    for (const spec of this.#source.specs()) {
      this.#coinOf.set(spec.name, spec.base);
      const field = instrumentField(spec.name);
      const latest = this.#latestOf(spec.base);
      if (!latest.has(field)) {
        latest.set(field, { kind: 'instrument-added', venue: this.#venue, ts: now, spec });
      }
    }
    for (const ticker of this.#source.tickers()) {
      const coin = this.#coinFor(ticker.instrument);
      if (coin === undefined) continue;
      const latest = this.#latestOf(coin);
      const held = latest.get(tickerField(ticker.instrument));
      if (held === undefined || held.ts < ticker.ts)
        latest.set(tickerField(ticker.instrument), ticker);
    }
    for (const [coin, latest] of this.#latest) {
      // Listings first, so a reader never meets a quote of an instrument it does not know.
      const ordered = [...latest].sort(([a], [b]) => rank(a) - rank(b));
      for (const [field, event] of ordered) this.#putIfAbsent(coin, field, event);
    }
    for (const book of this.#source.books()) {
      if (book.venue !== this.#venue) continue;
      const coin = this.#coinFor(book.instrument);
      if (coin !== undefined) {
        this.#putIfAbsent(coin, bookField(book.instrument), {
          kind: 'book-mark',
          instrument: book.instrument,
        });
      }
    }
    // After whatever is queued: the snapshot is the state those events led to.
    this.#accountQueue.push(this.#source.account(), ...this.#statuses.values());
    this.#options.onRepublish?.(reason);
  }

  #putIfAbsent(coin: string, field: string, item: PendingMarket): void {
    let pending = this.#pending.get(coin);
    if (pending === undefined) {
      pending = new Map();
      this.#pending.set(coin, pending);
    }
    if (pending.has(field)) return;
    pending.set(field, item);
    this.#pendingCount += 1;
  }

  async #writeMeta(): Promise<void> {
    const keys = this.#keys.venue(this.#venue);
    await this.#client.hset(keys.meta, {
      ...this.#options.meta,
      venue: this.#venue,
      schema: String(SCHEMA_VERSION),
      started: String(this.#startedAt),
      host: os.hostname(),
      pid: String(process.pid),
    });
    await this.#client.sadd(this.#keys.venues, this.#venue);
  }

  /**
   * Refreshes `alive`, and checks each coin's snapshot is still there: a Redis restarted
   * without persistence (or a flushed one) is found even when no reconnect was seen.
   */
  async #alive(): Promise<void> {
    // A hung Redis (paused, not closed) must not pile up heartbeats behind the first.
    if (this.#stopped || this.#aliveInFlight) return;
    this.#aliveInFlight = true;
    const keys = this.#keys.venue(this.#venue);
    const started = performance.now();
    try {
      const value = JSON.stringify({
        ts: Date.now(),
        pid: process.pid,
        host: os.hostname(),
        roundTripMs: this.#roundTripMs,
      });
      await this.#client.set(keys.alive, value, 'PX', ALIVE_TTL_MS);
      this.#roundTripMs = Math.round((performance.now() - started) * 100) / 100;
      const coins = [...this.#coinsPublished];
      const present = await Promise.all(
        coins.map((coin) => this.#client.exists(this.#keys.coin(this.#venue, coin).snapshot)),
      );
      const missing = coins.filter((_, i) => present[i] === 0);
      if (missing.length > 0 && this.#republishReason === null) {
        for (const coin of missing) this.#coinsPublished.delete(coin);
        this.republish(`snapshot of ${missing.join(', ')} missing from redis`);
      }
    } catch {
      // Redis is down: the flush loop reports it, and 'ready' republishes when it returns.
    } finally {
      this.#aliveInFlight = false;
    }
  }
}

/** Whether `a` is a newer update of its field than `b` (a book mark is read when sent). */
function newer(a: PendingMarket, b: PendingMarket): boolean {
  return a.kind !== 'book-mark' && b.kind !== 'book-mark' && a.ts > b.ts;
}

function rank(field: string): number {
  return field.startsWith('i:') ? 0 : 1;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
