/**
 * The Deribit feed: one JSON-RPC WebSocket carrying every option's ticker, the followed books,
 * the index, the hedge instrument's ticker and top, and (with credentials) the account. It
 * heals itself: every (re)connection logs in again, reloads the listing, resubscribes and
 * reloads the account; a broken book is resubscribed alone; a quiet stream is reported, and a
 * wedged one reconnected. What leaves it is normalized events only.
 */
import type {
  AccountEvent,
  BookEvent,
  FeedEvent,
  FeedStatus,
  StatusEvent,
  TickerEvent,
} from '../../book/events.js';
import { InstrumentRegistry, type InstrumentChange } from '../../instruments/registry.js';
import { chunks } from '../common/chunks.js';
import { ConnectionLostError, VenueReplyError } from '../common/errors.js';
// Venue-neutral (normalized events only); belongs in ../common, see the report.
import { TopCrossCheck } from '../common/top-check.js';
import type { SocketSession } from '../common/managed-socket.js';
import { FillTracker, reconciledLine } from '../common/fill-tracker.js';
import { SnapshotRetry } from '../common/snapshot-retry.js';
import type { RpcCaller } from '../common/rpc-caller.js';
import { StaleWatchdog } from '../common/stale-watchdog.js';
import type {
  CommonFeedOptions,
  Feed,
  FeedCounters,
  FeedListener,
  OrderApi,
  RawFrameListener,
  VenueHistory,
} from '../feed.js';
import { WireFormatError, isRecord, type WireRecord } from '../wire-fields.js';
import { deribitAccountEventsFromMessage, deribitPrivateChannels } from './account.js';
import { loadDeribitAccountSnapshot } from './account-snapshot.js';
import { loadDeribitFillsSince } from './missed-fills.js';
import { DeribitAuthSession, type DeribitCredentials } from './auth-session.js';
import { deribitCoinMarket, deribitCurrenciesOf } from './coin-markets.js';
import { deribitBookFromMessage } from './book.js';
import { BookSequencer } from './book-sequencer.js';
import { deribitHedgeTickerFromMessage } from './hedge-ticker.js';
import { deribitVolatilityIndexFromMessage } from './history.js';
import { deribitIndexFromMessage } from './index-price.js';
import { DailyRefresh, loadDeribitInstruments } from './instrument-refresh.js';
import { MalformedReport } from './malformed-report.js';
import { DeribitOrderApi } from './orders.js';
import { DeribitRpcClient } from './rpc-client.js';
import { deribitHistory } from './venue-history.js';
import {
  bookChannel,
  hedgeTopChannel,
  marketChannels,
  optionChannels,
  type ChannelFamily,
} from './subscriptions.js';
import { deribitTickerFromMessage } from './ticker.js';
import { deribitTradesFromMessage } from './trades.js';

const VENUE = 'deribit';
/** Deribit serves everything over one connection; this names it in status events. */
const STREAM = 'ws';

/** Defaults: stale after 5 s, channels per subscribe request 200, log to stderr. */
export interface DeribitFeedOptions extends CommonFeedOptions {
  /** From configuration, never hard-coded. */
  wsUrl: string;
  /** The coins to follow, e.g. ['BTC', 'ETH', 'SOL'] (SOL's chain is USDC-linear). */
  currencies: readonly string[];
  /** Never logged. */
  credentials?: DeribitCredentials | null;
  /** public/set_heartbeat interval (default 10, the venue's minimum). */
  heartbeatSec?: number;
  /**
   * Ask the venue to cancel this connection's orders when it drops (default false: orders
   * outlive the session, as the trader left them). Only with credentials.
   */
  cancelOnDisconnect?: boolean;
  /** Follow the venue's volatility index (DVOL) per currency: `volatility-index` events. */
  volatilityIndex?: boolean;
}

const DEFAULT_HEARTBEAT_SEC = 10;
const DEFAULT_STALE_AFTER_MS = 5_000;
const DEFAULT_SUBSCRIBE_CHUNK = 200;
// A book and its ticker leave the venue within one 100 ms batch of each other; a second of
// disagreement is ten batches, and the longest a lost last change is served unmarked.
const DEFAULT_TOP_CHECK_AFTER_MS = 1_000;
/** Checks per watchdog period: a stale stream is reported within 1¼ of the period. */
const WATCHDOG_CHECKS_PER_PERIOD = 4;
/** The longest between checks: a lost snapshot is asked for again on this beat at the latest. */
const MAX_WATCHDOG_INTERVAL_MS = 250;
/** A family stale this many periods on an open socket means the stream is wedged. */
const WEDGED_AFTER_PERIODS = 3;
/** No connection's plan made (socket epochs start at 1). */
const NO_EPOCH = -1;

interface MutableCounters {
  messages: number;
  malformed: number;
  gaps: number;
  resyncs: number;
  reconnects: number;
  rateLimited: number;
}

export class DeribitFeed implements Feed {
  readonly venue = VENUE;
  readonly orders: OrderApi | null;
  readonly history: VenueHistory;

  private readonly rpc: DeribitRpcClient;
  private readonly coins: readonly string[];
  private readonly allBooks: boolean;
  private readonly hedges: readonly string[];
  private hedgeTops: ReadonlySet<string>;
  private readonly hedgeFutures: boolean;
  private readonly volatilityIndex: boolean;
  private readonly staleAfterMs: number;
  private readonly topCheckAfterMs: number;
  private readonly tops = new TopCrossCheck();
  private readonly subscribeChunk: number;
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private readonly auth: DeribitAuthSession | null;
  private readonly cancelOnDisconnect: boolean;
  /** What the venue will do to open orders when this connection closes (see setUp). */
  private venueCancels = false;
  /** Orders placed over the current connection: the ones its cancel-on-disconnect covers. */
  private readonly placedHere = new Set<string>();
  /** Fills emitted, so each goes out once, and where to read history after a reconnect. */
  private readonly fills = new FillTracker();
  private readonly registry = new InstrumentRegistry(VENUE);
  private readonly sequencer = new BookSequencer();
  private readonly watchdog: StaleWatchdog;
  private readonly refresh = new DailyRefresh();
  private readonly malformed: MalformedReport;
  private readonly listeners = new Set<FeedListener>();
  private readonly rawListeners = new Set<RawFrameListener>();
  /** Books followed on request (all options' books are followed too with allBooks). */
  private readonly watched = new Set<string>();
  /** When each stale family went stale, to tell a pause from a wedged stream. */
  private readonly staleSince = new Map<ChannelFamily, number>();
  private readonly counts: MutableCounters = {
    messages: 0,
    malformed: 0,
    gaps: 0,
    resyncs: 0,
    reconnects: 0,
    rateLimited: 0,
  };
  /** Whether the current connection logged in (raw channels, private/subscribe). */
  private authenticated = false;
  /** The connection whose market subscriptions are planned: later changes go out themselves. */
  private plannedEpoch = NO_EPOCH;
  /** Latest venue timestamp seen in market data. */
  private venueNow = -Infinity;
  /** Listing reloads run one at a time, in order (refresh vs reconnect). */
  private listing: Promise<void> = Promise.resolve();
  private refreshing = false;
  /** Broken books waiting for their resubscription. */
  private readonly resyncQueue = new Set<string>();
  /** Books whose snapshot is awaited: subscribed again, with backoff, until it lands. */
  private readonly snapshots = new SnapshotRetry();
  private resyncRunning = false;
  private watchdogTimer: NodeJS.Timeout | null = null;
  private stopping = false;
  private silenced = false;

  constructor(options: DeribitFeedOptions) {
    if (options.currencies.length === 0) throw new RangeError('DeribitFeed needs a currency');
    this.coins = options.currencies.map((coin) => coin.toUpperCase());
    this.allBooks = options.allBooks ?? false;
    this.hedges = [
      ...new Set([
        ...(options.hedgeInstruments ??
          this.coins.map((coin) => deribitCoinMarket(coin).perpetual)),
        ...(options.moreHedgeInstruments ?? []),
      ]),
    ];
    this.hedgeTops = new Set(this.hedges.map(hedgeTopChannel));
    this.hedgeFutures = options.hedgeFutures ?? false;
    this.volatilityIndex = options.volatilityIndex ?? false;
    this.staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    this.topCheckAfterMs = options.topCheckAfterMs ?? DEFAULT_TOP_CHECK_AFTER_MS;
    this.subscribeChunk = options.subscribeChunk ?? DEFAULT_SUBSCRIBE_CHUNK;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    for (const book of options.books ?? []) this.watched.add(book);
    this.watchdog = new StaleWatchdog(this.staleAfterMs);
    this.malformed = new MalformedReport({
      log: this.log,
      now: this.now,
      emit: (count, detail) =>
        this.status('malformed', {
          detail: `${count} malformed frame${count === 1 ? '' : 's'} skipped; last: ${detail}`,
        }),
    });
    const credentials = options.credentials ?? null;
    this.cancelOnDisconnect = options.cancelOnDisconnect ?? false;
    this.auth =
      credentials === null
        ? null
        : new DeribitAuthSession(credentials, {
            log: this.log,
            onLost: (detail) => {
              this.status('error', { detail: `authentication lost: ${detail}` });
              this.rpc.socket.reconnect('authentication lost');
            },
          });
    this.rpc = new DeribitRpcClient({
      url: options.wsUrl,
      stream: STREAM,
      heartbeatSec: options.heartbeatSec ?? DEFAULT_HEARTBEAT_SEC,
      ...(options.requestTimeoutMs !== undefined
        ? { requestTimeoutMs: options.requestTimeoutMs }
        : {}),
      ...(options.connectTimeoutMs !== undefined
        ? { connectTimeoutMs: options.connectTimeoutMs }
        : {}),
      ...(options.backoff !== undefined ? { backoff: options.backoff } : {}),
      ...(options.roundTripIntervalMs !== undefined
        ? { roundTripIntervalMs: options.roundTripIntervalMs }
        : {}),
      now: this.now,
      onConnected: (rpc, session) => this.setUp(rpc, session),
      onNotification: (message, text, localTs) => this.onNotification(message, text, localTs),
      onMalformed: (detail) => this.onMalformed(detail),
      onStatus: (event) => this.onSocketStatus(event),
      onDisconnected: () => this.onDisconnected(),
      onFrame: () => {
        this.counts.messages += 1;
      },
    });
    this.orders =
      credentials === null
        ? null
        : new DeribitOrderApi(this.rpc, { onPlaced: (orderId) => this.placedHere.add(orderId) });
    this.history = deribitHistory(this.rpc);
  }

  async start(): Promise<void> {
    this.armWatchdog();
    try {
      await this.rpc.start();
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.watchdogTimer !== null) clearInterval(this.watchdogTimer);
    this.watchdogTimer = null;
    this.auth?.end();
    this.malformed.stop();
    await this.rpc.stop();
    this.silenced = true;
  }

  onEvent(listener: FeedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onRawFrame(listener: RawFrameListener): () => void {
    this.rawListeners.add(listener);
    return () => this.rawListeners.delete(listener);
  }

  async watchBooks(instruments: readonly string[]): Promise<void> {
    const added = instruments.filter((name) => !this.watched.has(name));
    for (const name of added) this.watched.add(name);
    const fresh = this.allBooks
      ? added.filter((name) => this.registry.option(name) === undefined)
      : added;
    for (const name of fresh) this.snapshots.requested(name);
    try {
      await this.followNow(
        fresh.map((name) => bookChannel(name, this.authenticated)),
        true,
      );
    } finally {
      for (const name of fresh) this.snapshots.acknowledged(name, this.now());
    }
  }

  async unwatchBooks(instruments: readonly string[]): Promise<void> {
    const removed = instruments.filter((name) => this.watched.delete(name));
    const dropped = this.allBooks
      ? removed.filter((name) => this.registry.option(name) === undefined)
      : removed;
    for (const name of dropped) this.forgetBook(name);
    await this.followNow(
      dropped.map((name) => bookChannel(name, this.authenticated)),
      false,
    );
  }

  counters(): FeedCounters {
    return { ...this.counts };
  }

  roundTripMs(): number | null {
    return this.rpc.roundTripMs;
  }

  // ——— Connection set-up ———

  /** Every connection: log in, reload the listing, subscribe, reload the account. */
  private async setUp(rpc: RpcCaller, session: SocketSession): Promise<void> {
    this.authenticated = false;
    // A new connection has placed nothing: what the old one placed, the venue cancelled as it
    // dropped (with cancel-on-disconnect) or left open (without).
    this.placedHere.clear();
    if (this.auth !== null) {
      await this.auth.logIn(rpc);
      if (this.cancelOnDisconnect) {
        await rpc.call('private/enable_cancel_on_disconnect', { scope: 'connection' });
        this.venueCancels = true;
      } else {
        this.venueCancels = await this.accountCancelsOnDisconnect(rpc);
      }
      this.authenticated = true;
    }
    await this.serially(() => this.reloadListing(rpc, 'connected'));
    // From here on, listing and watch changes subscribe on this connection themselves.
    this.plannedEpoch = session.epoch;
    const plan = this.plan();
    for (const book of plan.books) this.snapshots.requested(book);
    await this.subscribe(rpc, marketChannels(plan));
    for (const book of plan.books) this.snapshots.acknowledged(book, this.now());
    if (this.authenticated) {
      const resumeFrom = this.fills.resumeFrom();
      // Subscribed before the snapshot, so no change between the two can fall in the gap.
      await this.subscribe(
        rpc,
        deribitPrivateChannels(deribitCurrenciesOf(this.coins), true),
        'private',
      );
      const snapshot = await loadDeribitAccountSnapshot(
        rpc,
        deribitCurrenciesOf(this.coins),
        this.venueTime(),
      );
      this.emit(snapshot);
      this.fills.streaming(snapshot.ts);
      if (resumeFrom !== null) await this.reconcileFills(rpc, resumeFrom);
    }
    this.watchFamilies();
  }

  /**
   * The snapshot gave positions as they are now, but session PnL and the hedger count fills:
   * the ones that happened while the connection was down are read back from the trade history
   * and emitted like streamed ones, oldest first, skipping any already emitted. The stream is
   * subscribed first, so a fill made during the read comes one way or the other, once.
   */
  private async reconcileFills(rpc: RpcCaller, since: number): Promise<void> {
    try {
      const history = await loadDeribitFillsSince(rpc, deribitCurrenciesOf(this.coins), since);
      const missed = this.fills.missed(history);
      for (const fill of missed) this.emit(fill);
      this.log(reconciledLine(VENUE, missed.length));
    } catch (error) {
      // A venue refusal (say, a key without trade:read) costs the missed fills, not the feed.
      if (!(error instanceof VenueReplyError)) throw error;
      this.log(`${VENUE}: could not read the trade history after reconnecting: ${error.message}`);
    }
  }

  /**
   * An account-wide cancel-on-disconnect (set on the website) cancels on quit all the same;
   * ivtrade leaves the setting alone but must not say the orders stay open. A venue that will
   * not say is taken at its default (off), and logged.
   */
  private async accountCancelsOnDisconnect(rpc: RpcCaller): Promise<boolean> {
    try {
      const reply = await rpc.call('private/get_cancel_on_disconnect', { scope: 'account' });
      const enabled = isRecord(reply) && reply['enabled'] === true;
      if (enabled) this.log('deribit: the account cancels open orders on disconnect (its setting)');
      return enabled;
    } catch (error) {
      // Only the venue's own refusal (say, a key without account:read) is survivable here.
      if (!(error instanceof VenueReplyError)) throw error;
      this.log(`deribit: cancel-on-disconnect setting unknown: ${error.message}`);
      return false;
    }
  }

  /** Deribit cancels on disconnect only the orders the connection itself placed. */
  cancelsOnDisconnect(orderId: string): boolean {
    return this.venueCancels && this.placedHere.has(orderId);
  }

  private plan(): Parameters<typeof marketChannels>[0] {
    const options = this.optionNames();
    const books = this.allBooks ? [...new Set([...options, ...this.watched])] : [...this.watched];
    return {
      options,
      books,
      coins: this.coins,
      hedgeInstruments: this.hedgeNames(),
      volatilityIndex: this.volatilityIndex,
      authenticated: this.authenticated,
    };
  }

  /** The hedges named at the start, and with `hedgeFutures` every dated future of the coins. */
  private hedgeNames(): string[] {
    if (!this.hedgeFutures) return [...this.hedges];
    const futures = [...this.registry.all()]
      .filter((spec) => spec.kind === 'future' && this.coins.includes(spec.base))
      .map((spec) => spec.name)
      .sort();
    const names = [...new Set([...this.hedges, ...futures])];
    // The tops of those followed since: each one's channel must be read as a hedge's.
    this.hedgeTops = new Set(names.map(hedgeTopChannel));
    return names;
  }

  private optionNames(): string[] {
    return this.registry
      .bases()
      .flatMap((base) => this.registry.optionsOf(base).map((o) => o.name));
  }

  private isBookFollowed(instrument: string): boolean {
    return (
      this.watched.has(instrument) ||
      (this.allBooks && this.registry.option(instrument) !== undefined)
    );
  }

  /** Subscribes in chunks; channels the venue leaves out of its reply are reported. */
  private async subscribe(
    rpc: RpcCaller,
    channels: readonly string[],
    scope: 'market' | 'private' = 'market',
  ): Promise<void> {
    if (channels.length === 0) return;
    const method =
      this.authenticated || scope === 'private' ? 'private/subscribe' : 'public/subscribe';
    const replies = await Promise.all(
      chunks(channels, this.subscribeChunk).map((chunk) => rpc.call(method, { channels: chunk })),
    );
    const accepted = new Set<string>();
    for (const reply of replies) {
      if (Array.isArray(reply))
        for (const name of reply) if (typeof name === 'string') accepted.add(name);
    }
    const refused = channels.filter((name) => !accepted.has(name));
    if (refused.length > 0) {
      this.status('error', {
        detail: `${refused.length} channel${refused.length === 1 ? '' : 's'} refused, e.g. ${refused[0] ?? ''}`,
      });
    }
  }

  private async unsubscribe(rpc: RpcCaller, channels: readonly string[]): Promise<void> {
    if (channels.length === 0) return;
    const method = this.authenticated ? 'private/unsubscribe' : 'public/unsubscribe';
    await Promise.all(
      chunks(channels, this.subscribeChunk).map((chunk) => rpc.call(method, { channels: chunk })),
    );
  }

  /**
   * (Un)subscribes on the live connection if its plan is already made; otherwise the next
   * setup includes the change. A connection lost meanwhile is not an error: the reconnect
   * subscribes from the current sets.
   */
  private async followNow(channels: readonly string[], follow: boolean): Promise<void> {
    if (channels.length === 0 || this.plannedEpoch !== this.rpc.socket.epoch) return;
    try {
      if (follow) await this.subscribe(this.rpc, channels);
      else await this.unsubscribe(this.rpc, channels);
    } catch (error) {
      if (!(error instanceof ConnectionLostError)) throw error;
    }
  }

  // ——— Instruments ———

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.listing.then(task, task);
    this.listing = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Loads the listing and emits what changed; returns the changes. */
  private async reloadListing(rpc: RpcCaller, why: string): Promise<InstrumentChange[]> {
    const listing = await loadDeribitInstruments(rpc, this.coins);
    const ts = this.venueTime();
    const changes: InstrumentChange[] = [
      ...this.registry.sync(listing.specs, ts),
      // Still listed past its expiry (the venue settles a few minutes late): gone for us.
      ...this.registry.expire(ts),
    ];
    let added = 0;
    let removed = 0;
    for (const change of changes) {
      if (change.kind === 'instrument-added') added += 1;
      else {
        removed += 1;
        this.forgetBook(change.instrument);
        this.watched.delete(change.instrument);
      }
      this.emit(change);
    }
    const rejected = listing.rejected.length;
    this.status('instruments', {
      detail: `${why}: ${added} added, ${removed} removed, ${this.registry.size} listed${rejected > 0 ? `, ${rejected} unreadable` : ''}`,
    });
    for (const bad of listing.rejected.slice(0, 3)) {
      this.log(`deribit: instrument ${bad.name ?? `#${bad.index}`} skipped: ${bad.reason}`);
    }
    this.refresh.arm(ts);
    return changes;
  }

  /** The daily refresh: reload without reconnecting, follow new listings, drop retired ones. */
  private startRefresh(): void {
    if (this.refreshing || this.stopping) return;
    this.refreshing = true;
    void this.serially(async () => {
      const before = new Set(this.optionNames());
      const changes = await this.reloadListing(this.rpc, 'daily refresh');
      const follow: string[] = [];
      const drop: string[] = [];
      const books: string[] = [];
      for (const change of changes) {
        if (change.kind === 'instrument-added') {
          if (change.spec.kind !== 'option' || before.has(change.spec.name)) continue;
          if (this.isBookFollowed(change.spec.name)) books.push(change.spec.name);
          follow.push(
            ...optionChannels(
              change.spec.name,
              this.isBookFollowed(change.spec.name),
              this.authenticated,
            ),
          );
        } else if (before.has(change.instrument)) {
          drop.push(...optionChannels(change.instrument, true, this.authenticated));
        }
      }
      await this.followNow(drop, false);
      for (const book of books) this.snapshots.requested(book);
      try {
        await this.followNow(follow, true);
      } finally {
        for (const book of books) this.snapshots.acknowledged(book, this.now());
      }
    })
      .catch((error: unknown) => {
        if (this.stopping) return;
        // Retried at the next connection, or with the next listing time.
        this.status('error', { detail: `instrument refresh failed: ${messageOf(error)}` });
        this.refresh.arm(this.venueTime());
      })
      .finally(() => {
        this.refreshing = false;
      });
  }

  /** The venue's clock: its latest message or reply timestamp; ours before either. */
  private venueTime(): number {
    const latest = Math.max(this.venueNow, this.rpc.serverTime);
    return Number.isFinite(latest) ? latest : this.now();
  }

  // ——— Inbound ———

  private onNotification(message: WireRecord, text: string, localTs: number): void {
    const params = message['params'];
    const channel = isRecord(params) ? params['channel'] : undefined;
    if (typeof channel !== 'string') {
      this.onMalformed('a subscription notification without a channel');
      return;
    }
    try {
      if (channel.startsWith('user.')) {
        this.onAccount(message);
        return;
      }
      // Public only: replies (the auth reply holds tokens) and user.* never get here.
      this.emitRaw(text, localTs);
      if (channel.startsWith('ticker.')) this.onTicker(message, localTs);
      else if (channel.startsWith('book.')) this.onBook(message, channel, localTs);
      else if (channel.startsWith('deribit_price_index.')) this.onIndex(message, localTs);
      else if (channel.startsWith('deribit_volatility_index.')) this.onVolatilityIndex(message);
      else if (channel.startsWith('trades.')) this.onTrades(message);
    } catch (error) {
      if (!(error instanceof WireFormatError)) throw error;
      this.onMalformed(error.message);
    }
  }

  private onTicker(message: WireRecord, localTs: number): void {
    const option = deribitTickerFromMessage(message);
    if (option !== null) {
      this.touch('tickers', localTs);
      // A late message of a retired option must not bring it back downstream.
      if (this.registry.option(option.instrument) === undefined) return;
      this.tops.onTicker(option, localTs);
      this.emitMarket(option);
      return;
    }
    const hedge: TickerEvent | null = deribitHedgeTickerFromMessage(message);
    if (hedge === null) return;
    this.touch('hedge', localTs);
    this.tops.onTicker(hedge, localTs);
    this.emitMarket(hedge);
  }

  private onBook(message: WireRecord, channel: string, localTs: number): void {
    const event = deribitBookFromMessage(message);
    if (event === null) return;
    if (this.hedgeTops.has(channel)) {
      this.touch('hedge', localTs);
      // A followed book of the same instrument carries its top already, change by change.
      if (!this.isBookFollowed(event.instrument)) this.emitMarket(event);
      return;
    }
    // A book sends only when it changes: its silence says nothing about the connection.
    this.onBookEvent(event, localTs);
  }

  private onBookEvent(event: BookEvent, localTs: number): void {
    if (event.kind === 'book-snapshot') {
      const verdict = this.sequencer.snapshot(event.instrument, event.sequence);
      this.snapshots.arrived(event.instrument);
      if (verdict !== 'first') this.counts.resyncs += 1;
      this.tops.onBook(event, localTs);
      this.emitMarket(event);
      if (verdict === 'after-gap') {
        this.status('resynced', { instruments: [event.instrument] });
      }
      return;
    }
    const verdict = this.sequencer.change(event.instrument, event.prevSequence, event.sequence);
    if (verdict === 'apply') {
      this.tops.onBook(event, localTs);
      this.emitMarket(event);
    } else if (verdict === 'gap') {
      this.tops.forgetBook(event.instrument);
      this.counts.gaps += 1;
      // Passed on so the consumer's book breaks too, rather than serving stale levels.
      this.emitMarket(event);
      this.status('gap', {
        instruments: [event.instrument],
        detail: `change ${event.sequence} follows ${event.prevSequence}, not the last applied`,
      });
      this.resync(event.instrument);
    } else if (verdict === 'awaiting-snapshot') {
      this.snapshots.changeWhileWaiting(event.instrument, localTs);
    }
  }

  /**
   * Queues a broken book for resubscription; its deltas are ignored until the new snapshot.
   * Books broken together (a burst of drops across many books) share one unsubscribe and one
   * subscribe, so a bad second on the wire costs two requests, not two per book.
   */
  private resync(instrument: string): void {
    this.snapshots.requested(instrument);
    this.resyncQueue.add(instrument);
    if (this.resyncRunning) return;
    this.resyncRunning = true;
    setImmediate(() => void this.drainResyncs());
  }

  private async drainResyncs(): Promise<void> {
    while (this.resyncQueue.size > 0 && !this.stopping) {
      const books = [...this.resyncQueue];
      this.resyncQueue.clear();
      const channels = (names: readonly string[]): string[] =>
        names.map((name) => bookChannel(name, this.authenticated));
      try {
        await this.followNow(channels(books), false);
        const stillBroken = books.filter(
          (name) => this.isBookFollowed(name) && this.snapshots.isWaiting(name),
        );
        await this.followNow(channels(stillBroken), true);
      } catch (error) {
        if (!this.stopping) {
          this.status('error', {
            instruments: books,
            detail: `resync failed: ${messageOf(error)}`,
          });
        }
      } finally {
        // A failed request is retried like a lost snapshot: after the backoff.
        const now = this.now();
        for (const name of books) this.snapshots.acknowledged(name, now);
      }
    }
    this.resyncRunning = false;
  }

  private onIndex(message: WireRecord, localTs: number): void {
    const event = deribitIndexFromMessage(message);
    if (event === null) return;
    this.touch('index', localTs);
    this.emitMarket(event);
  }

  /**
   * Option prints for the tape. The USDC listing's channel carries every linear coin's, so a
   * print of an instrument this feed does not list is dropped. Prints come when trades happen:
   * no watchdog family (a quiet tape is not a stale one).
   */
  private onTrades(message: WireRecord): void {
    const trades = deribitTradesFromMessage(message);
    if (trades === null) return;
    for (const trade of trades) {
      if (this.registry.get(trade.instrument) !== undefined) this.emitMarket(trade);
    }
  }

  // About once a second and not needed to trade: no watchdog family of its own.
  private onVolatilityIndex(message: WireRecord): void {
    const event = deribitVolatilityIndexFromMessage(message);
    if (event !== null) this.emitMarket(event);
  }

  private onAccount(message: WireRecord): void {
    const events: AccountEvent[] | null = deribitAccountEventsFromMessage(
      message,
      this.venueTime(),
    );
    if (events === null) return;
    for (const event of events) {
      // A fill already read back from history after a reconnect goes out once.
      if (event.kind === 'fill' && !this.fills.admit(event)) continue;
      this.emit(event);
    }
  }

  /** Market events move the venue clock, which is what the daily refresh runs on. */
  private emitMarket(event: FeedEvent & { readonly ts: number }): void {
    if (event.ts > this.venueNow) {
      this.venueNow = event.ts;
      if (this.refresh.due(event.ts)) this.startRefresh();
    }
    this.emit(event);
  }

  private onMalformed(detail: string): void {
    this.counts.malformed += 1;
    this.malformed.report(detail);
  }

  // ——— Health ———

  private onSocketStatus(event: StatusEvent): void {
    if (event.status === 'live' && this.rpc.socket.epoch > 1) this.counts.reconnects += 1;
    if (event.status === 'rate-limited') this.counts.rateLimited += 1;
    this.emit(event);
  }

  private onDisconnected(): void {
    this.authenticated = false;
    this.plannedEpoch = NO_EPOCH;
    this.auth?.end();
    // Books that were live stop being so with their connection: say it, so no consumer
    // serves their last levels as current while the reconnect runs.
    const live = [
      ...new Set([
        ...this.plan().books.filter((name) => this.sequencer.isIntact(name)),
        // Their tops come as whole snapshots, live until the connection goes.
        ...this.hedgeNames(),
      ]),
    ];
    this.sequencer.connectionLost();
    this.snapshots.clear();
    this.tops.clear();
    if (live.length > 0 && !this.stopping) {
      this.status('gap', { instruments: live, detail: 'the connection was lost' });
    }
  }

  private forgetBook(instrument: string): void {
    this.sequencer.forget(instrument);
    this.snapshots.forget(instrument);
    this.tops.forgetBook(instrument);
  }

  /** Books whose top has disagreed with their ticker too long: their last change was lost. */
  private checkTops(now: number): void {
    for (const instrument of this.tops.takeDisagreeing(now - this.topCheckAfterMs)) {
      if (!this.sequencer.markBroken(instrument)) continue;
      this.counts.gaps += 1;
      this.status('gap', {
        instruments: [instrument],
        detail: `its top has disagreed with the ticker for ${this.topCheckAfterMs} ms`,
      });
      this.resync(instrument);
    }
  }

  /**
   * Starts watching every family this connection subscribed that the venue sends steadily:
   * the index, and the tickers (each carries the index and mark, which move all the time).
   * Books are not watched: a quiet book is old, not stale, and the heartbeat and the
   * tickers already tell whether the connection carrying it is alive.
   */
  private watchFamilies(): void {
    const now = this.now();
    const families: ChannelFamily[] = ['index', 'hedge'];
    if (this.registry.size > 0) families.push('tickers');
    for (const family of families) {
      // A family still stale from before is given this connection's full grace period.
      if (this.watchdog.isStale(family)) this.staleSince.set(family, now);
      else this.watchdog.touch(family, now);
    }
  }

  private touch(family: ChannelFamily, localTs: number): void {
    if (!this.watchdog.touch(family, localTs)) return;
    this.staleSince.delete(family);
    this.status('fresh', { instruments: this.covered(family), family });
  }

  private armWatchdog(): void {
    if (this.watchdogTimer !== null) return;
    const shortest = Math.min(this.staleAfterMs, this.topCheckAfterMs);
    const period = Math.max(
      1,
      Math.min(MAX_WATCHDOG_INTERVAL_MS, Math.floor(shortest / WATCHDOG_CHECKS_PER_PERIOD)),
    );
    this.watchdogTimer = setInterval(() => this.checkWatchdog(), period);
  }

  private checkWatchdog(): void {
    const now = this.now();
    for (const family of this.watchdog.check(now) as ChannelFamily[]) {
      this.staleSince.set(family, now);
      this.status('stale', {
        instruments: this.covered(family),
        family,
        lastDataTs: this.watchdog.lastSeen(family),
        detail: `no ${family} message for ${this.staleAfterMs} ms`,
      });
    }
    if (!this.rpc.socket.live) return;
    this.checkTops(now);
    if (this.plannedEpoch === this.rpc.socket.epoch) {
      for (const instrument of this.snapshots.takeDue(now)) {
        if (!this.isBookFollowed(instrument)) this.snapshots.forget(instrument);
        else this.resync(instrument);
      }
    }
    for (const [family, since] of this.staleSince) {
      if (now - since >= WEDGED_AFTER_PERIODS * this.staleAfterMs) {
        this.staleSince.clear();
        this.rpc.socket.reconnect(`${family} stream wedged`);
        return;
      }
    }
  }

  /** What a family's silence leaves without fresh data. */
  private covered(family: ChannelFamily): readonly string[] {
    switch (family) {
      case 'tickers':
        return this.optionNames();
      case 'books':
        return this.plan().books;
      case 'index':
        return this.coins.map((coin) => deribitCoinMarket(coin).indexName);
      case 'hedge':
        return this.hedgeNames();
    }
  }

  // ——— Outbound ———

  private status(
    status: FeedStatus,
    extra: Pick<StatusEvent, 'instruments' | 'detail' | 'family' | 'lastDataTs'> = {},
  ): void {
    this.emit({ kind: 'status', venue: VENUE, ts: this.now(), stream: STREAM, status, ...extra });
  }

  private emitRaw(text: string, localTs: number): void {
    for (const listener of this.rawListeners) {
      try {
        listener(text, STREAM, localTs);
      } catch (error) {
        this.log(`deribit: a raw frame listener failed: ${messageOf(error)}`);
      }
    }
  }

  private emit(event: FeedEvent): void {
    if (this.silenced) return;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.log(`deribit: an event listener failed: ${messageOf(error)}`);
      }
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
