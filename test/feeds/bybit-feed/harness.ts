// Shared set-up for the Bybit feed tests: the real simulator on loopback, the real feed, and a
// record of everything the feed emitted, applied to a MarketState and an AccountState as an
// engine would apply them.

import assert from 'node:assert/strict';
import { BybitFeed, type BybitFeedOptions } from '../../../src/feeds/bybit/feed.js';
import { startSim, type RunningSim, type SimServerOptions } from '../../../src/sim/server.js';
import { FeedProbe as SharedFeedProbe } from '../../support/feed-probe.js';
import { sleep, waitUntil } from '../../support/wait.js';

export { sleep, waitUntil };
export type { RawFrame } from '../../support/feed-probe.js';

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

/** The feed probe, typed for this venue's feed. */
export class FeedProbe extends SharedFeedProbe<BybitFeed> {}

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
