// Shared set-up for the Deribit feed tests: the real simulator on loopback, the real feed, and
// a record of everything the feed emitted, fed into a MarketState as an engine would.

import assert from 'node:assert/strict';
import { DeribitFeed, type DeribitFeedOptions } from '../../../src/feeds/deribit/feed.js';
import { startSim, type RunningSim, type SimServerOptions } from '../../../src/sim/server.js';
import { FeedProbe as SharedFeedProbe } from '../../support/feed-probe.js';
import { sleep, waitUntil } from '../../support/wait.js';

export { sleep, waitUntil };
export type { RawFrame } from '../../support/feed-probe.js';

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

/** The feed probe, typed for this venue's feed. */
export class FeedProbe extends SharedFeedProbe<DeribitFeed> {}

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
