/**
 * A Feed that reads one venue from Redis instead of from the venue: what `ivtrade serve`
 * publishes, replayed into normalized events so an attached screen's engine and read model
 * are exactly a direct screen's. A consistent snapshot first (one HGETALL per coin and one of
 * the venue state), then the live tail of every stream, each on a blocking connection of its
 * own (a cluster keeps each coin's stream in its own slot, so one XREAD cannot read them all).
 *
 * Nothing is shown as live that may not be: while Redis cannot be reached, or `serve` has
 * stopped refreshing its `alive` key, every instrument is marked stale and the connection
 * shown closed, saying which; when both are back the snapshot is read again.
 */
import type { FeedEvent, FeedStatus, StatusEvent } from '../book/events.js';
import type {
  Feed,
  FeedCounters,
  FeedListener,
  RawFrameListener,
  VenueHistory,
  VenueVolSeries,
} from '../feeds/feed.js';
import { BookAsks } from './book-requests.js';
import { aliveOf, metaOf, type BusMeta } from './bus-meta.js';
import {
  readCoinSnapshot,
  readEntry,
  readVenueSnapshot,
  STREAM_START,
  type StreamPosition,
} from './bus-snapshot.js';
import {
  describeTarget,
  isCluster,
  openRedis,
  type RedisClient,
  type RedisTarget,
} from './connect.js';
import { newScreenId } from './intents.js';
import { DEFAULT_PREFIX, keySchema, type KeySchema } from './keys.js';
import { readSurfaceDaily } from './surface-history.js';

export interface BusFeedOptions {
  readonly target: RedisTarget;
  /** The venue as its keys name it (`keys.venue(venue)`). */
  readonly venue: string;
  readonly prefix?: string;
  /** How often the `alive` key is read (default 500 ms): a dead serve shows within 2 s. */
  readonly pollMs?: number;
  /** How long one blocking read waits on the server (default 1000 ms). */
  readonly blockMs?: number;
  readonly now?: () => number;
  readonly log?: (line: string) => void;
  /**
   * The venue's live price that continues realised-vol bars (the venue's own rule, relayed
   * events being the venue's); with it the feed offers a history door (see `history`).
   */
  readonly priceTick?: VenueHistory['priceTick'];
}

/** Why orders cannot go now, for the order path: the words the screen shows. */
export interface ServeAlive {
  readonly ok: boolean;
  readonly reason: string | null;
}

export const SERVE_NOT_RUNNING = 'serve not running';
export const BUS_DOWN = 'Redis down (bus)';

/** Status stream names: the Redis connection and the serve process it relays. */
const BUS_STREAM = 'redis';
const SERVE_STREAM = 'serve';

type State = 'idle' | 'live' | 'bus-down' | 'serve-down' | 'stopped';

interface Tail {
  /** `BTC`, or `account` for the venue's stream: how messages name it. */
  readonly label: string;
  readonly coin: string | null;
  readonly stream: string;
  readonly snapshot: string;
  position: StreamPosition;
  /** Instruments the coin's listing holds, for what a snapshot no longer lists. */
  known: Set<string>;
  /** Instruments whose books the stream carries: broken when the stream is. */
  books: Set<string>;
  connection: RedisClient | null;
}

const ACCOUNT_KINDS: ReadonlySet<FeedEvent['kind']> = new Set([
  'order',
  'position',
  'balance',
  'account-snapshot',
]);

const READ_COUNT = 1_000;
const DAY_MS = 86_400_000;
const OWN_INDEX_NAME = "ivtrade 30d index (serve's history)";
const IDLE_MS = 25;
const RETRY_MS = 100;

export class BusFeed implements Feed {
  readonly venue: string;
  readonly orders = null;
  /** Serve follows held books; a lease is for the others (see watchBooks). */
  readonly followsHeldBooks = true;
  readonly #options: BusFeedOptions;
  readonly #keys: KeySchema;
  readonly #now: () => number;
  readonly #pollMs: number;
  readonly #blockMs: number;
  readonly #listeners = new Set<FeedListener>();
  #client: RedisClient | null = null;
  #bookAsks: BookAsks | null = null;
  #meta: BusMeta | null = null;
  #tails: Tail[] = [];
  #loops: Promise<void>[] = [];
  #state: State = 'idle';
  /** Bumped by every full resnapshot and every fall: reads begun before it are dropped. */
  #epoch = 0;
  #polling: Promise<void> | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #rtt: number | null = null;
  #everLive = false;
  /** The latest venue time of an account event emitted: a snapshot never goes back of it. */
  #accountTs = 0;
  /** Families serve reported quiet and not yet fresh, by `stream family`. */
  readonly #quiet = new Map<string, StatusEvent>();
  readonly #counts = {
    messages: 0,
    malformed: 0,
    gaps: 0,
    resyncs: 0,
    reconnects: 0,
    rateLimited: 0,
  };

  /**
   * The history an attached screen can have without a venue connection: no past candles
   * (serve relays none: realised vol builds from the live index serve relays), and as the
   * volatility series ivtrade's own 30-day index, one value a day from serve's surface minutes.
   */
  readonly history?: VenueHistory;

  constructor(options: BusFeedOptions) {
    this.#options = options;
    this.venue = options.venue;
    if (options.priceTick !== undefined) this.history = this.#historyDoor(options.priceTick);
    this.#keys = keySchema(options.prefix ?? DEFAULT_PREFIX);
    this.#now = options.now ?? Date.now;
    this.#pollMs = options.pollMs ?? 500;
    this.#blockMs = options.blockMs ?? 1_000;
  }

  #historyDoor(priceTick: VenueHistory['priceTick']): VenueHistory {
    return {
      candleSource: (base) => `${base} live index relayed by serve (no candles on the bus)`,
      candles: () => Promise.resolve([]),
      volSeriesName: (base) => `${base.toLowerCase()} volatility index`,
      volSeries: async (base, _periodMs, from, to): Promise<VenueVolSeries | null> => {
        const client = this.#client;
        if (client === null) throw new Error('not connected to Redis');
        const coin = this.#keys.coin(this.venue, base.toUpperCase());
        const days = Math.max(1, Math.ceil((to - from) / DAY_MS));
        // The coin's inverse chain first, then a linear one: whichever serve has minutes of.
        for (const quote of [base.toUpperCase(), 'USDT', 'USDC']) {
          const points = await readSurfaceDaily(client, coin, quote, 'index_30d', days, to);
          if (points.length > 0) {
            return { name: OWN_INDEX_NAME, kind: 'implied', points, own: true };
          }
        }
        return null;
      },
      priceTick,
    };
  }

  /** What serve said about the venue when this feed started; null before. */
  meta(): BusMeta | null {
    return this.#meta;
  }

  /** Whether an order could reach serve now, and if not why (the reason is for the trader). */
  serveAlive(): ServeAlive {
    switch (this.#state) {
      case 'live':
        return { ok: true, reason: null };
      case 'bus-down':
        return { ok: false, reason: BUS_DOWN };
      case 'serve-down':
        return { ok: false, reason: SERVE_NOT_RUNNING };
      case 'idle':
        return { ok: false, reason: 'not attached yet' };
      case 'stopped':
        return { ok: false, reason: 'not attached' };
    }
  }

  async start(): Promise<void> {
    const target = this.#options.target;
    const client = await openRedis(target, { clientName: 'ivtrade-attach' });
    this.#client = client;
    try {
      const venueKeys = this.#keys.venue(this.venue);
      const meta = metaOf(await client.hgetall(venueKeys.meta), this.venue);
      if (meta === null) {
        throw new Error(
          `nothing is served for ${this.venue} under prefix ${this.#keys.prefix} at ${describeTarget(target)} (start 'ivtrade serve')`,
        );
      }
      this.#meta = meta;
      this.#bookAsks = new BookAsks({ client, key: venueKeys.books, screenId: newScreenId() });
      this.#tails = [
        ...meta.currencies.map((coin) => {
          const keys = this.#keys.coin(this.venue, coin);
          return this.#tail(coin, coin, keys.updates, keys.snapshot);
        }),
        this.#tail('account', null, venueKeys.updates, venueKeys.state),
      ];
      // Said first, so the screen names Redis or serve, not a venue socket serve relayed,
      // when several connections are down at once.
      this.#status(BUS_STREAM, 'connecting');
      this.#status(SERVE_STREAM, 'connecting');
      for (const tail of this.#tails) {
        const connection: RedisClient = isCluster(client) ? client.duplicate() : client.duplicate();
        connection.on('error', () => undefined);
        tail.connection = connection;
        await connection.connect();
      }
      await this.#poll();
    } catch (error) {
      await this.stop();
      throw error;
    }
    if (this.#state === 'stopped') return;
    this.#timer = setInterval(() => void this.#poll(), this.#pollMs);
    this.#loops = this.#tails.map((tail) => this.#tailLoop(tail));
  }

  async stop(): Promise<void> {
    this.#state = 'stopped';
    this.#epoch += 1;
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    // Closing a blocking read's connection ends its read at once.
    for (const tail of this.#tails) tail.connection?.disconnect();
    await this.#bookAsks?.close();
    this.#bookAsks = null;
    await Promise.allSettled(this.#loops);
    await this.#polling?.catch(() => undefined);
    this.#client?.disconnect();
    this.#client = null;
  }

  onEvent(listener: FeedListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** An attached screen has no venue frames: serve saw them. */
  onRawFrame(listener: RawFrameListener): () => void {
    void listener;
    return () => undefined;
  }

  /**
   * Serve follows the books of what is held; for others it is asked with a lease this screen
   * renews (see book-requests.ts). The books arrive on the coin's stream like every other.
   */
  watchBooks(instruments: readonly string[]): Promise<void> {
    if (this.#bookAsks === null) return Promise.reject(new Error('not attached'));
    return this.#bookAsks.ask(instruments);
  }

  unwatchBooks(instruments: readonly string[]): Promise<void> {
    return this.#bookAsks?.drop(instruments) ?? Promise.resolve();
  }

  counters(): FeedCounters {
    return { ...this.#counts };
  }

  /** Serve's own round trip to the venue, as its heartbeat says; null while not live. */
  roundTripMs(): number | null {
    return this.#state === 'live' ? this.#rtt : null;
  }

  #tail(label: string, coin: string | null, stream: string, snapshot: string): Tail {
    return {
      label,
      coin,
      stream,
      snapshot,
      position: STREAM_START,
      known: new Set(),
      books: new Set(),
      connection: null,
    };
  }

  /** A method, so a state read after an await is not narrowed by one read before it. */
  #stopped(): boolean {
    return this.#state === 'stopped';
  }

  // ——— Liveness ———

  /** One look at the `alive` key; at most one at a time. */
  #poll(): Promise<void> {
    if (this.#polling !== null) return this.#polling;
    this.#polling = this.#checkAlive().finally(() => (this.#polling = null));
    return this.#polling;
  }

  async #checkAlive(): Promise<void> {
    const client = this.#client;
    if (client === null || this.#state === 'stopped') return;
    let text: string | null;
    try {
      text = await withTimeout(client.get(this.#keys.venue(this.venue).alive), 2 * this.#pollMs);
    } catch {
      this.#fall('bus-down');
      return;
    }
    if (this.#stopped()) return;
    const alive = aliveOf(text);
    if (alive === null) {
      // What serve left is still worth seeing at start, marked stale like everything else.
      if (this.#state === 'idle') await this.#snapshotAll().catch(() => undefined);
      this.#fall('serve-down');
      return;
    }
    this.#rtt = alive.roundTripMs;
    if (this.#state === 'live') return;
    try {
      if (!(await this.#snapshotAll())) return;
    } catch {
      this.#fall('bus-down');
      return;
    }
    if (this.#everLive) this.#counts.reconnects += 1;
    this.#everLive = true;
    this.#state = 'live';
    this.#status(BUS_STREAM, 'live');
    this.#status(SERVE_STREAM, 'live');
  }

  /** Redis or serve went away: everything shown goes stale, the connection shows why. */
  #fall(state: 'bus-down' | 'serve-down'): void {
    if (this.#state === 'stopped' || this.#state === state) return;
    this.#state = state;
    this.#epoch += 1;
    const why = state === 'bus-down' ? BUS_DOWN : SERVE_NOT_RUNNING;
    const stream = state === 'bus-down' ? BUS_STREAM : SERVE_STREAM;
    const instruments = this.#tails.flatMap((tail) => [...tail.known]);
    if (instruments.length > 0) this.#status(stream, 'stale', { instruments, detail: why });
    this.#breakBooks(this.#tails, stream, why);
    if (state === 'serve-down') this.#status(BUS_STREAM, 'live');
    this.#status(stream, 'closed', { detail: why });
    this.#options.log?.(`bus: ${why}`);
  }

  /**
   * Books carried by these streams are no longer current: their levels go and their options
   * fall back to tickers flagged stale, as when a venue connection drops, until a snapshot
   * brings them back (a book re-read with the same top would not clear the flag otherwise).
   */
  #breakBooks(tails: readonly Tail[], stream: string, why: string): void {
    const books = tails.flatMap((tail) => [...tail.books]);
    if (books.length > 0) this.#status(stream, 'gap', { instruments: books, detail: why });
  }

  // ——— Snapshots ———

  /** Every stream's snapshot, read together and emitted at once; false if overtaken. */
  async #snapshotAll(): Promise<boolean> {
    const client = this.#client;
    if (client === null) return false;
    this.#epoch += 1;
    const epoch = this.#epoch;
    const hashes = await Promise.all(this.#tails.map((tail) => client.hgetall(tail.snapshot)));
    if (epoch !== this.#epoch) return false;
    this.#tails.forEach((tail, i) => this.#applySnapshot(tail, hashes[i]!));
    return true;
  }

  #applySnapshot(tail: Tail, hash: Record<string, string>): void {
    const ts = this.#now();
    if (tail.coin === null) {
      const venue = readVenueSnapshot(hash, this.venue, this.#accountTs);
      this.#counts.malformed += venue.malformed;
      tail.position = venue.position;
      this.#emit(venue.account);
      for (const status of venue.statuses) this.#emit(status);
      this.#settleQuiet(venue.statuses);
      return;
    }
    const coin = readCoinSnapshot(hash, this.venue, ts);
    this.#counts.malformed += coin.malformed;
    tail.position = coin.position;
    for (const event of coin.events)
      if (event.kind === 'book-snapshot') tail.books.add(event.instrument);
    const listed = new Set(coin.listing.map((event) => event.spec.name));
    for (const instrument of tail.known) {
      if (!listed.has(instrument)) {
        this.#emit({ kind: 'instrument-removed', venue: this.venue, ts, instrument });
      }
    }
    tail.known = listed;
    for (const event of coin.listing) this.#emit(event);
    for (const event of coin.events) this.#emit(event);
  }

  /**
   * A family serve reported quiet, and whose stream's latest status (all the state hash
   * keeps) no longer says so, spoke again while this screen was not reading: without its
   * `fresh` the screen would show the connection stale for good.
   */
  #settleQuiet(statuses: readonly StatusEvent[]): void {
    const still = new Set(
      statuses.filter((s) => s.status === 'stale' && s.family !== undefined).map(quietKey),
    );
    for (const [key, event] of this.#quiet) {
      if (still.has(key)) continue;
      this.#quiet.delete(key);
      this.#emit({
        kind: 'status',
        venue: this.venue,
        ts: this.#now(),
        stream: event.stream,
        status: 'fresh',
        ...(event.family === undefined ? {} : { family: event.family }),
        ...(event.instruments === undefined ? {} : { instruments: event.instruments }),
        detail: "serve's latest status no longer reports it quiet",
      });
    }
  }

  /** A stream's sequence broke: its snapshot is read again and the tail goes on from it. */
  async #resync(tail: Tail, why: string): Promise<void> {
    const client = this.#client;
    if (client === null) return;
    const epoch = this.#epoch;
    this.#counts.gaps += 1;
    this.#status(BUS_STREAM, 'gap', {
      detail: `${tail.label} updates: ${why}; reading its snapshot`,
    });
    let hash: Record<string, string>;
    try {
      hash = await client.hgetall(tail.snapshot);
    } catch {
      void this.#poll();
      return;
    }
    if (epoch !== this.#epoch || this.#state !== 'live') return;
    this.#breakBooks([tail], BUS_STREAM, `${tail.label} updates broke`);
    this.#applySnapshot(tail, hash);
    this.#counts.resyncs += 1;
    this.#status(BUS_STREAM, 'resynced', { detail: `${tail.label} updates: snapshot read again` });
  }

  // ——— Tails ———

  async #tailLoop(tail: Tail): Promise<void> {
    while (this.#state !== 'stopped') {
      const connection = tail.connection;
      if (this.#state !== 'live' || connection === null) {
        await sleep(IDLE_MS);
        continue;
      }
      const epoch = this.#epoch;
      const from = tail.position;
      let reply: [string, [string, string[]][]][] | null;
      try {
        reply = await connection.xread(
          'COUNT',
          READ_COUNT,
          'BLOCK',
          this.#blockMs,
          'STREAMS',
          tail.stream,
          from.id,
        );
      } catch {
        if (this.#stopped()) return;
        // A read that failed may be the first sign of Redis going: look now, not at the tick.
        void this.#poll();
        await sleep(RETRY_MS);
        continue;
      }
      if (reply === null || epoch !== this.#epoch || this.#state !== 'live') continue;
      await this.#take(tail, reply[0]?.[1] ?? []);
    }
  }

  async #take(tail: Tail, entries: readonly [string, string[]][]): Promise<void> {
    for (const [id, fields] of entries) {
      const entry = readEntry(fields);
      const expected = tail.position.seq + 1;
      if (entry === null || entry.seq !== expected) {
        // Trimmed under a slow reader, or a Redis that restarted and counts from 1 again.
        const seen = entry === null ? 'an entry without a sequence' : `sequence ${entry.seq}`;
        await this.#resync(tail, `${seen} where ${expected} was due`);
        return;
      }
      tail.position = { id, seq: entry.seq };
      for (const event of entry.events) {
        this.#counts.messages += 1;
        if (event === null) {
          this.#counts.malformed += 1;
          continue;
        }
        if (event.kind === 'instrument-added') tail.known.add(event.spec.name);
        else if (event.kind === 'instrument-removed') {
          tail.known.delete(event.instrument);
          tail.books.delete(event.instrument);
        } else if (event.kind === 'book-snapshot') tail.books.add(event.instrument);
        this.#emit(event);
      }
    }
  }

  // ——— Out ———

  #status(
    stream: string,
    status: FeedStatus,
    extra: Pick<StatusEvent, 'instruments' | 'detail'> = {},
  ): void {
    this.#emit({ kind: 'status', venue: this.venue, ts: this.#now(), stream, status, ...extra });
  }

  #emit(event: FeedEvent): void {
    if (this.#state === 'stopped') return;
    if (event.kind === 'status' && event.family !== undefined) {
      if (event.status === 'stale') this.#quiet.set(quietKey(event), event);
      else if (event.status === 'fresh') this.#quiet.delete(quietKey(event));
    }
    if (ACCOUNT_KINDS.has(event.kind)) this.#accountTs = Math.max(this.#accountTs, event.ts);
    for (const listener of this.#listeners) listener(event);
  }
}

function quietKey(event: StatusEvent): string {
  return `${event.stream} ${event.family ?? ''}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `promise`, or a rejection after `ms`: a Redis that hangs (SIGSTOP) must read as down. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
