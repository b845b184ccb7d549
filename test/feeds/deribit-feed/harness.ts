// Shared set-up for the Deribit feed tests: the real simulator on loopback, the real feed, and
// a record of everything the feed emitted, fed into a MarketState as an engine would.

import assert from 'node:assert/strict';
import type {
  FeedEvent,
  FeedStatus,
  MarketEvent,
  StatusEvent,
  TickerEvent,
} from '../../../src/book/events.js';
import { MarketState } from '../../../src/book/market-state.js';
import { DeribitFeed, type DeribitFeedOptions } from '../../../src/feeds/deribit/feed.js';
import { startSim, type RunningSim, type SimServerOptions } from '../../../src/sim/server.js';

export const START = Date.UTC(2026, 10, 20, 7, 0);
export const VENUE = 'deribit';

export async function openSim(options: SimServerOptions = {}): Promise<RunningSim> {
  const sim = await startSim({
    seed: 1,
    manualClock: true,
    start: START,
    currencies: ['BTC'],
    minHeartbeatSec: 1,
    ...options,
  });
  if (options.manualClock !== false) sim.advance(1000);
  return sim;
}

const MARKET_KINDS = new Set<string>([
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

/** A started feed and everything it said, in order. */
export class FeedProbe {
  readonly events: FeedEvent[] = [];
  /** Local wall time each event arrived, by index. */
  readonly arrivals: number[] = [];
  readonly raw: string[] = [];
  readonly market = new MarketState();
  /** Latest ticker per instrument. */
  readonly tickers = new Map<string, TickerEvent>();

  constructor(
    readonly feed: DeribitFeed,
    readonly logs: string[] = [],
  ) {
    let relisted = false;
    feed.onEvent((event) => {
      this.events.push(event);
      this.arrivals.push(Date.now());
      if (event.kind === 'ticker') this.tickers.set(event.instrument, event);
      if (!isMarket(event)) return;
      const listing = event.kind === 'instrument-added' || event.kind === 'instrument-removed';
      // Chains are rebuilt from listing changes at the next settle, as an engine does before
      // it routes the next quote.
      if (relisted && !listing) this.market.settle(event.ts);
      relisted = listing;
      this.market.apply(event);
    });
    feed.onRawFrame((frame) => this.raw.push(frame));
  }

  statuses(status?: FeedStatus): StatusEvent[] {
    return this.events.filter(
      (event): event is StatusEvent =>
        event.kind === 'status' && (status === undefined || event.status === status),
    );
  }

  /** Local arrival time of the last event of `kind` before local time `ts`. */
  lastArrival(kind: FeedEvent['kind'], ts: number): number {
    let last = NaN;
    this.events.forEach((event, index) => {
      const at = this.arrivals[index] ?? NaN;
      if (event.kind === kind && at <= ts) last = at;
    });
    return last;
  }

  count(kind: FeedEvent['kind']): number {
    return this.events.filter((event) => event.kind === kind).length;
  }
}

export function simFeedOptions(
  sim: RunningSim,
  options: Partial<DeribitFeedOptions> = {},
): DeribitFeedOptions {
  return {
    wsUrl: sim.urls.deribitWs,
    currencies: ['BTC'],
    heartbeatSec: 1,
    // Manual-clock tests pause the market between steps; only the watchdog tests shorten it.
    staleAfterMs: 60_000,
    ...options,
  };
}

export function credentialsOf(sim: RunningSim): { clientId: string; clientSecret: string } {
  const key = sim.apiKeys.deribit[0];
  assert.ok(key !== undefined);
  return { clientId: key.key, clientSecret: key.secret };
}

/** Starts a feed on the sim with a probe attached before start (so nothing is missed). */
export async function startFeed(
  sim: RunningSim,
  options: Partial<DeribitFeedOptions> = {},
): Promise<FeedProbe> {
  const logs: string[] = [];
  const feed = new DeribitFeed(simFeedOptions(sim, { log: (line) => logs.push(line), ...options }));
  const probe = new FeedProbe(feed, logs);
  await feed.start();
  return probe;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `done`, failing with `what` after `timeoutMs` of wall time. */
export async function waitUntil(
  what: string,
  done: () => boolean,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Every option the sim lists for a currency. */
export function simOptions(sim: RunningSim, currency = 'BTC'): string[] {
  return sim.world.exchanges.deribit
    .instruments({ currency, kind: 'option' })
    .map((instrument) => instrument.spec.name);
}

/** True once the feed's latest ticker of every option is the sim's current one. */
export function tickersCaughtUp(sim: RunningSim, probe: FeedProbe, currency = 'BTC'): boolean {
  const exchange = sim.world.exchanges.deribit;
  return simOptions(sim, currency).every(
    (name) => probe.tickers.get(name)?.ts === exchange.ticker(name)?.ts,
  );
}

/** The sim's top of book of an instrument, as the feed's MarketState should hold it. */
export function simTop(
  sim: RunningSim,
  instrument: string,
): { bid: number | null; bidSize: number | null; ask: number | null; askSize: number | null } {
  const book = sim.world.exchanges.deribit.book(instrument, 1);
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

/** The feed's MarketState top of an instrument's book (null sides as null). */
export function feedTop(
  probe: FeedProbe,
  instrument: string,
): { bid: number | null; bidSize: number | null; ask: number | null; askSize: number | null } {
  const book = probe.market.books.get(VENUE, instrument);
  assert.ok(book !== undefined, `the feed built no book for ${instrument}`);
  assert.equal(book.state, 'live', `${instrument}'s book is ${book.state}`);
  const bid = book.bids.count > 0;
  const ask = book.asks.count > 0;
  return {
    bid: bid ? book.bids.bestPrice : null,
    bidSize: bid ? book.bids.bestSize : null,
    ask: ask ? book.asks.bestPrice : null,
    askSize: ask ? book.asks.bestSize : null,
  };
}

/** Waits until the feed has received no frame for `quietMs` (everything sent has arrived). */
export async function quiet(probe: FeedProbe, quietMs = 100, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = probe.feed.counters().messages;
  let since = Date.now();
  for (;;) {
    await sleep(10);
    const now = probe.feed.counters().messages;
    if (now !== seen) {
      seen = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return;
    }
    if (Date.now() > deadline) assert.fail('the feed never went quiet');
  }
}
