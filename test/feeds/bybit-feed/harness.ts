// Shared set-up for the Bybit feed tests: the real simulator on loopback, the real feed, and a
// record of everything the feed emitted, applied to a MarketState and an AccountState as an
// engine would apply them.

import assert from 'node:assert/strict';
import { AccountState } from '../../../src/book/account-state.js';
import type {
  FeedEvent,
  FeedStatus,
  MarketEvent,
  StatusEvent,
  TickerEvent,
} from '../../../src/book/events.js';
import { MarketState } from '../../../src/book/market-state.js';
import { BybitFeed, type BybitFeedOptions } from '../../../src/feeds/bybit/feed.js';
import { startSim, type RunningSim, type SimServerOptions } from '../../../src/sim/server.js';

export const START = Date.UTC(2026, 10, 20, 7, 0);
export const VENUE = 'bybit';

export async function openSim(options: SimServerOptions = {}): Promise<RunningSim> {
  const sim = await startSim({
    seed: 5,
    manualClock: true,
    start: START,
    currencies: ['BTC'],
    ...options,
  });
  if (options.manualClock !== false) sim.advance(1000);
  return sim;
}

const MARKET_KINDS: ReadonlySet<string> = new Set([
  'ticker',
  'book-snapshot',
  'book-delta',
  'trade',
  'index',
  'instrument-added',
  'instrument-removed',
]);

function isMarket(event: FeedEvent): event is MarketEvent {
  return MARKET_KINDS.has(event.kind);
}

export interface RawFrame {
  readonly frame: string;
  readonly stream: string;
}

/** A feed and everything it said, in order. */
export class FeedProbe {
  readonly events: FeedEvent[] = [];
  readonly raw: RawFrame[] = [];
  readonly market = new MarketState();
  readonly account = new AccountState();
  /** Latest ticker per instrument. */
  readonly tickers = new Map<string, TickerEvent>();

  constructor(
    readonly feed: BybitFeed,
    readonly logs: string[],
  ) {
    let relisted = false;
    feed.onEvent((event) => {
      this.events.push(event);
      if (event.kind === 'ticker') this.tickers.set(event.instrument, event);
      if (isMarket(event)) {
        const listing = event.kind === 'instrument-added' || event.kind === 'instrument-removed';
        // Chains are rebuilt from listing changes at the next settle, as an engine does
        // before it routes the next quote.
        if (relisted && !listing) this.market.settle(event.ts);
        relisted = listing;
        this.market.apply(event);
      } else if (event.kind !== 'status') {
        this.account.apply(event);
      }
    });
    feed.onRawFrame((frame, stream) => this.raw.push({ frame, stream }));
  }

  statuses(status?: FeedStatus, stream?: string): StatusEvent[] {
    return this.events.filter(
      (event): event is StatusEvent =>
        event.kind === 'status' &&
        (status === undefined || event.status === status) &&
        (stream === undefined || event.stream === stream),
    );
  }

  count(kind: FeedEvent['kind']): number {
    return this.events.filter((event) => event.kind === kind).length;
  }
}

export function feedOptions(
  sim: RunningSim,
  options: Partial<BybitFeedOptions> = {},
): BybitFeedOptions {
  return {
    urls: {
      option: sim.urls.bybitOptionWs,
      linear: sim.urls.bybitLinearWs,
      private: sim.urls.bybitPrivateWs,
      rest: sim.urls.bybitRest,
    },
    baseCoins: ['BTC'],
    pingIntervalMs: 1000,
    // Manual-clock tests pause the market between steps; only the watchdog tests shorten it.
    staleAfterMs: 60_000,
    topCheckAfterMs: 300,
    backoff: { initialMs: 50, maxMs: 400 },
    rateLimitBackoff: { initialMs: 1000, maxMs: 2000, jitter: 0 },
    ...options,
  };
}

export function credentialsOf(sim: RunningSim): { apiKey: string; apiSecret: string } {
  const key = sim.apiKeys.bybit[0];
  assert.ok(key !== undefined);
  return { apiKey: key.key, apiSecret: key.secret };
}

/** Starts a feed on the sim with a probe attached before start, so nothing is missed. */
export async function startFeed(
  sim: RunningSim,
  options: Partial<BybitFeedOptions> = {},
): Promise<FeedProbe> {
  const logs: string[] = [];
  const feed = new BybitFeed(feedOptions(sim, { log: (line) => logs.push(line), ...options }));
  const probe = new FeedProbe(feed, logs);
  await feed.start();
  return probe;
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `done`, failing with `what` after `timeoutMs` of wall time. */
export async function waitUntil(
  what: string | (() => string),
  done: () => boolean,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) {
      assert.fail(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    }
    await sleep(5);
  }
}

/** Every option the sim lists now. */
export function simOptions(sim: RunningSim): string[] {
  return sim.world.exchanges.bybit
    .instruments({ kind: 'option' })
    .map((instrument) => instrument.spec.name);
}

export interface Top {
  readonly bid: number | null;
  readonly bidSize: number | null;
  readonly ask: number | null;
  readonly askSize: number | null;
}

/** The sim's top of an instrument's book. */
export function simTop(sim: RunningSim, instrument: string): Top {
  const book = sim.world.exchanges.bybit.book(instrument, 1);
  assert.ok(book !== undefined, `the sim has no book for ${instrument}`);
  const bid = book.bids[0];
  const ask = book.asks[0];
  return {
    bid: bid?.[0] ?? null,
    bidSize: bid?.[1] ?? null,
    ask: ask?.[0] ?? null,
    askSize: ask?.[1] ?? null,
  };
}

/** The top of the book the feed's events built in MarketState; null unless it is live. */
export function feedTop(probe: FeedProbe, instrument: string): Top | null {
  const book = probe.market.books.get(VENUE, instrument);
  if (book === undefined || book.state !== 'live') return null;
  const bid = book.bids.count > 0;
  const ask = book.asks.count > 0;
  return {
    bid: bid ? book.bids.bestPrice : null,
    bidSize: bid ? book.bids.bestSize : null,
    ask: ask ? book.asks.bestPrice : null,
    askSize: ask ? book.asks.bestSize : null,
  };
}

/** Venue numbers travel as decimal text cut to the tick: equal to the sim's to rounding. */
export function close(a: number | null, b: number | null, tolerance = 1e-9): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Marks travel with 4 decimals. */
export function closeMark(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 5.1e-5;
}

export function sameTop(a: Top | null, b: Top): boolean {
  return (
    a !== null &&
    close(a.bid, b.bid) &&
    close(a.bidSize, b.bidSize) &&
    close(a.ask, b.ask) &&
    close(a.askSize, b.askSize)
  );
}
