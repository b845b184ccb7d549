/**
 * `ivtrade serve` composed: the engine, its one gateway and hedger (startTrading), and the
 * publisher writing everything into Redis. Other parts of serve plug in as extensions (the
 * intent executor, the history recorder): each gets the running session and returns how to
 * stop it.
 */
import type { AccountSnapshotEvent, TickerEvent } from '../book/events.js';
import { resolveLimits } from '../gateway/limits.js';
import type { RedisClient } from '../store/connect.js';
import type { KeySchema } from '../store/keys.js';
import { Publisher, type PublisherSource, type PublisherStats } from '../store/publisher.js';
import type { CommandOutput, MarketCap } from './command-runner.js';
import { startTrading, type Trading, type TradingSettings } from './exec-lines.js';
import type { MarketEngine } from './market-engine.js';

/** What the publisher reads of the engine, for one venue. */
export function publisherSource(engine: MarketEngine, venue: string): PublisherSource {
  const registry = (): ReturnType<MarketEngine['market']['registry']> =>
    engine.market.registry(venue);
  return {
    venue,
    onEvent: (listener) => engine.onEvent(listener),
    specOf: (instrument) => registry().get(instrument),
    specs: () => registry().all(),
    *tickers(): Iterable<TickerEvent> {
      for (const spec of registry().all()) {
        const ticker = spec.kind === 'option' ? undefined : engine.market.ticker(venue, spec.name);
        if (ticker !== undefined) yield ticker;
      }
    },
    *books() {
      for (const book of engine.market.books.all()) if (book.venue === venue) yield book;
    },
    book: (instrument) => engine.market.books.get(venue, instrument),
    account: () => accountSnapshot(engine, venue),
    now: () => engine.venueNow(venue),
  };
}

/**
 * The account as the engine holds it, as the event a venue sends on reconnect. Stamped with
 * its newest item's ts: a stamp of "now" could be ahead of the venue's clock and make the
 * store drop the next real update as older.
 */
export function accountSnapshot(engine: MarketEngine, venue: string): AccountSnapshotEvent {
  const orders = engine.account.orders(venue);
  const positions = engine.account.positions(venue);
  const balances = engine.account.balances(venue);
  const ts = Math.max(0, ...[...orders, ...positions, ...balances].map((item) => item.ts));
  return { kind: 'account-snapshot', venue, ts, orders, positions, balances };
}

/** A running serve, as an extension sees it. */
export interface ServeContext {
  readonly engine: MarketEngine;
  /** The venue traded and published (e.g. `deribit`; the sim's Deribit side for `--venue sim`). */
  readonly venue: string;
  /** The one gateway, command runner and hedger. */
  readonly trading: Trading;
  readonly client: RedisClient;
  readonly keys: KeySchema;
  readonly publisher: Publisher;
  /** A JSON line on serve's output. */
  readonly print: (fields: Record<string, unknown>) => void;
  /**
   * Calls `listener` at the start of every wall-clock minute with that minute's start (ms);
   * returns how to stop. Stopped with the session in any case.
   */
  everyMinute(listener: (minuteStart: number) => void): () => void;
}

/** Something that runs inside serve; resolves to how to stop it (awaited on shutdown). */
export type ServeExtension = (context: ServeContext) => Promise<() => Promise<void> | void>;

export interface ServeOptions {
  /** Built on the session's feeds, not started yet: serve starts it. */
  readonly engine: MarketEngine;
  readonly venue: string;
  readonly client: RedisClient;
  readonly keys: KeySchema;
  /** The hedger's settings, `on` false unless `--hedge`. */
  readonly trading: TradingSettings;
  readonly output: CommandOutput;
  readonly print: (fields: Record<string, unknown>) => void;
  readonly currencies: readonly string[];
  readonly mode: 'SIM' | 'LIVE' | 'TESTNET';
  readonly marketCap?: MarketCap;
  readonly streamMaxlen?: number;
  readonly extensions?: readonly ServeExtension[];
}

export interface ServeSession {
  readonly context: ServeContext;
  stats(): PublisherStats;
  /** Stops extensions, trading and feeds, then flushes the publisher and deletes `alive`. */
  stop(): Promise<void>;
}

export async function startServe(options: ServeOptions): Promise<ServeSession> {
  const { engine, venue, client, keys, print } = options;
  const publisher = new Publisher({
    client,
    keys,
    source: publisherSource(engine, venue),
    ...(options.streamMaxlen === undefined ? {} : { maxlen: options.streamMaxlen }),
    meta: {
      currencies: options.currencies.join(','),
      mode: options.mode,
      limits: JSON.stringify(resolveLimits(options.trading.limits)),
      marketCap: JSON.stringify(options.marketCap ?? options.trading.marketCap ?? null),
    },
    onProblem: (text) => print({ kind: 'redis', ts: Date.now(), level: 'error', text }),
    onRepublish: (reason) =>
      print({
        kind: 'redis',
        ts: Date.now(),
        level: 'info',
        text: `full snapshot published (${reason})`,
      }),
  });
  try {
    await engine.start();
  } catch (error) {
    await publisher.stop(0);
    throw error;
  }
  const trading = startTrading(engine, venue, options.trading, options.output);
  await publisher.start();
  const timers = new Set<() => void>();
  const context: ServeContext = {
    engine,
    venue,
    trading,
    client,
    keys,
    publisher,
    print,
    everyMinute(listener) {
      let timer: NodeJS.Timeout;
      const arm = (): void => {
        const now = Date.now();
        const next = now - (now % 60_000) + 60_000;
        timer = setTimeout(() => {
          listener(next);
          arm();
        }, next - now);
        timer.unref();
      };
      arm();
      const stop = (): void => {
        clearTimeout(timer);
        timers.delete(stop);
      };
      timers.add(stop);
      return stop;
    },
  };
  const stoppers: (() => Promise<void> | void)[] = [];
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      for (const stopOne of stoppers.reverse()) await stopOne();
      for (const stopTimer of [...timers]) stopTimer();
      trading.close();
      await engine.stop();
      // Last: the feeds' closing statuses are published too.
      await publisher.stop();
    })();
    return stopping;
  };
  try {
    for (const extension of options.extensions ?? []) stoppers.push(await extension(context));
  } catch (error) {
    // A serve missing a part it was built with does not run half-way: what started stops.
    await stop();
    throw error;
  }
  return { context, stats: () => publisher.stats(), stop };
}
