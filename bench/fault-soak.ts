// The fault soak: both venues of the embedded exchange with book changes dropped, frames cut
// short and every connection closed a few seconds after it opens, followed by real feeds over
// loopback. The exchange runs in this process, so every sample compares each client's book
// top with the exchange's own book: a book the client serves as live whose top the exchange
// has not shown within the last moments is a wrong top, and the seconds of those add up to
// wrong-top-seconds (one book wrong for one second is one).
//
// Two clients follow every BTC option book of each venue at once, on their own connections:
// - ivtrade: the feeds and the engine as the app runs them;
// - the peer: the same feeds as they were before issue 16 where it matters here: the ticker
//   cross-check after 3 s, and a consumer that applies book events only, so a break the feed
//   finds without a gap in the chain (a lost last change, a dropped connection) is not marked.

import { MarketEngine } from '../src/app/market-engine.js';
import { MarketState } from '../src/book/market-state.js';
import type { OrderBook } from '../src/book/order-book.js';
import { BybitFeed } from '../src/feeds/bybit/feed.js';
import { DeribitFeed } from '../src/feeds/deribit/feed.js';
import type { Feed } from '../src/feeds/feed.js';
import type { FaultOptions } from '../src/sim/faults.js';
import { startSim, type RunningSim } from '../src/sim/server.js';
import type { Row } from './common.js';

export type SoakVenue = 'deribit' | 'bybit';

export interface FaultSoakConfig {
  readonly seconds: number;
  readonly venues: readonly SoakVenue[];
  readonly faults: Partial<FaultOptions>;
  readonly seed: number;
  /** How often client tops are compared with the exchange's. */
  readonly sampleMs?: number;
  /**
   * How far back the exchange's tops are remembered: a client showing any of them is in time.
   * Unauthenticated Deribit books come in 100 ms batches, so the client is that far behind by
   * design; three samples' worth (300 ms) also absorbs a busy event loop.
   */
  readonly toleranceMs?: number;
  /** Runs the peer client too (the bench does; the CI test measures ivtrade alone). */
  readonly withPeer: boolean;
}

export const SOAK_FAULTS: Partial<FaultOptions> = {
  dropBookChanges: 0.01,
  malformedFrames: 0.005,
  disconnectEverySec: 5,
};

export interface ClientFigures {
  /** Σ over samples of books served as live with a top the exchange did not show, × sample. */
  readonly wrongTopSeconds: number;
  /** Σ over samples of books followed, × sample: what wrongTopSeconds is a part of. */
  readonly bookSeconds: number;
  readonly books: number;
  /** Books never live during the last `liveWithinMs` of the run (a book broken for good). */
  readonly stuck: readonly string[];
  /** The longest any one book was served wrong without a break, ms. */
  readonly longestWrongMs: number;
  readonly gaps: number;
  readonly resyncs: number;
  readonly reconnects: number;
}

export interface VenueSoak {
  readonly venue: SoakVenue;
  readonly ivtrade: ClientFigures;
  readonly peer: ClientFigures | null;
}

/** A book that has not been live for this long at the end of the run is stuck. */
const LIVE_WITHIN_MS = 10_000;

interface Top {
  bid: number;
  bidSize: number;
  ask: number;
  askSize: number;
}

const NONE = -1;

function sameTop(a: Top, b: Top): boolean {
  return a.bid === b.bid && a.bidSize === b.bidSize && a.ask === b.ask && a.askSize === b.askSize;
}

function clientTop(book: OrderBook): Top {
  const bids = book.bids.count > 0;
  const asks = book.asks.count > 0;
  return {
    bid: bids ? book.bids.bestPrice : NONE,
    bidSize: bids ? book.bids.bestSize : NONE,
    ask: asks ? book.asks.bestPrice : NONE,
    askSize: asks ? book.asks.bestSize : NONE,
  };
}

function exchangeTop(sim: RunningSim, venue: SoakVenue, instrument: string): Top | null {
  const book = sim.world.exchanges[venue].book(instrument, 1);
  if (book === undefined) return null;
  const bid = book.bids[0];
  const ask = book.asks[0];
  return {
    bid: bid?.[0] ?? NONE,
    bidSize: bid?.[1] ?? NONE,
    ask: ask?.[0] ?? NONE,
    askSize: ask?.[1] ?? NONE,
  };
}

/** One client of one venue: its feed, where its books live, and what it was seen doing. */
class Client {
  wrongSamples = 0;
  bookSamples = 0;
  readonly lastLive = new Map<string, number>();
  readonly wrongSince = new Map<string, number>();
  longestWrongMs = 0;

  constructor(
    readonly feed: Feed,
    readonly market: MarketState,
    readonly stop: () => Promise<void>,
  ) {}

  figures(now: number, instruments: readonly string[], sampleMs: number): ClientFigures {
    const counters = this.feed.counters();
    return {
      wrongTopSeconds: (this.wrongSamples * sampleMs) / 1000,
      bookSeconds: (this.bookSamples * sampleMs) / 1000,
      books: instruments.length,
      stuck: instruments.filter(
        (name) => now - (this.lastLive.get(name) ?? -Infinity) > LIVE_WITHIN_MS,
      ),
      longestWrongMs: this.longestWrongMs,
      gaps: counters.gaps,
      resyncs: counters.resyncs,
      reconnects: counters.reconnects,
    };
  }
}

function makeFeed(sim: RunningSim, venue: SoakVenue, topCheckAfterMs?: number): Feed {
  const check = topCheckAfterMs === undefined ? {} : { topCheckAfterMs };
  const log = (): void => undefined;
  if (venue === 'deribit') {
    return new DeribitFeed({
      wsUrl: sim.urls.deribitWs,
      currencies: ['BTC'],
      allBooks: true,
      log,
      ...check,
    });
  }
  return new BybitFeed({
    urls: {
      option: sim.urls.bybitOptionWs,
      linear: sim.urls.bybitLinearWs,
      private: sim.urls.bybitPrivateWs,
      rest: sim.urls.bybitRest,
    },
    baseCoins: ['BTC'],
    allBooks: true,
    log,
    ...check,
  });
}

/** The app's client: the feed into the engine, which marks every break the feed reports. */
function ivtradeClient(sim: RunningSim, venue: SoakVenue): Client {
  const feed = makeFeed(sim, venue);
  const engine = new MarketEngine([feed]);
  return new Client(feed, engine.market, () => engine.stop());
}

/** The peer: a 3 s cross-check, and book events applied with every status ignored. */
function peerClient(sim: RunningSim, venue: SoakVenue): Client {
  const feed = makeFeed(sim, venue, 3_000);
  const market = new MarketState();
  feed.onEvent((event) => {
    switch (event.kind) {
      case 'book-snapshot':
      case 'book-delta':
      case 'ticker':
      case 'index':
      case 'instrument-added':
      case 'instrument-removed':
        market.apply(event);
    }
  });
  return new Client(feed, market, () => feed.stop());
}

function simOptions(sim: RunningSim, venue: SoakVenue): string[] {
  const exchange = sim.world.exchanges[venue];
  const all = exchange.instruments({ kind: 'option' }).map((instrument) => instrument.spec.name);
  return all.filter((name) => name.startsWith('BTC-'));
}

export async function runFaultSoak(
  config: FaultSoakConfig,
  log: (line: string) => void = () => undefined,
): Promise<VenueSoak[]> {
  const sampleMs = config.sampleMs ?? 100;
  const toleranceMs = config.toleranceMs ?? 300;
  const sim = await startSim({ seed: config.seed, currencies: ['BTC'], faults: config.faults });
  const clients = new Map<SoakVenue, { ivtrade: Client; peer: Client | null }>();
  try {
    for (const venue of config.venues) {
      clients.set(venue, {
        ivtrade: ivtradeClient(sim, venue),
        peer: config.withPeer ? peerClient(sim, venue) : null,
      });
    }
    const all = [...clients.values()].flatMap((pair) =>
      pair.peer === null ? [pair.ivtrade] : [pair.ivtrade, pair.peer],
    );
    await Promise.all(all.map((client) => client.feed.start()));
    const instruments = new Map(config.venues.map((venue) => [venue, simOptions(sim, venue)]));
    // The exchange's recent tops per book, newest last, as [time, top] pairs.
    const history = new Map<string, { at: number; top: Top }[]>();
    const started = Date.now();
    log(`fault soak: ${config.seconds} s, ${[...instruments.values()].flat().length} books`);
    let next = started + sampleMs;
    while (Date.now() - started < config.seconds * 1000) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
      next += sampleMs;
      const now = Date.now();
      for (const [venue, names] of instruments) {
        const pair = clients.get(venue)!;
        for (const name of names) {
          const truth = exchangeTop(sim, venue, name);
          if (truth === null) continue;
          const key = `${venue} ${name}`;
          const seen = history.get(key) ?? [];
          const last = seen[seen.length - 1];
          if (last === undefined || !sameTop(last.top, truth)) seen.push({ at: now, top: truth });
          // Keep the newest top older than the window too: it was still showing at its start.
          while (seen.length > 1 && seen[1]!.at <= now - toleranceMs) seen.shift();
          history.set(key, seen);
          for (const client of [pair.ivtrade, pair.peer]) {
            if (client !== null) sample(client, name, seen, now, sampleMs);
          }
        }
      }
    }
    const end = Date.now();
    return config.venues.map((venue) => {
      const pair = clients.get(venue)!;
      const names = instruments.get(venue)!;
      return {
        venue,
        ivtrade: pair.ivtrade.figures(end, names, sampleMs),
        peer: pair.peer?.figures(end, names, sampleMs) ?? null,
      };
    });
  } finally {
    for (const pair of clients.values()) {
      await pair.ivtrade.stop();
      await pair.peer?.stop();
    }
    await sim.close();
  }
}

function sample(
  client: Client,
  name: string,
  truths: readonly { at: number; top: Top }[],
  now: number,
  sampleMs: number,
): void {
  client.bookSamples += 1;
  const book = client.market.books.get(client.feed.venue, name);
  if (book === undefined || book.state !== 'live') {
    client.wrongSince.delete(name);
    return;
  }
  client.lastLive.set(name, now);
  const top = clientTop(book);
  if (truths.some((truth) => sameTop(truth.top, top))) {
    client.wrongSince.delete(name);
    return;
  }
  client.wrongSamples += 1;
  const since = client.wrongSince.get(name) ?? now - sampleMs;
  client.wrongSince.set(name, since);
  client.longestWrongMs = Math.max(client.longestWrongMs, now - since);
}

export interface FaultSoakBenchConfig {
  readonly seconds: number;
  readonly seed: number;
}

export interface FaultSoakBenchResult {
  readonly rows: Row[];
  readonly notes: string[];
}

/** The bench rows: wrong-top-seconds per venue, ivtrade against the pre-fix client. */
export async function runFaultSoakBench(
  config: FaultSoakBenchConfig,
  log: (line: string) => void,
): Promise<FaultSoakBenchResult> {
  const results = await runFaultSoak(
    {
      seconds: config.seconds,
      venues: ['deribit', 'bybit'],
      faults: SOAK_FAULTS,
      seed: config.seed,
      withPeer: true,
    },
    log,
  );
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const result of results) {
    const peer = result.peer!;
    rows.push({
      bench: 'faults',
      metric: `${result.venue} wrong-top-seconds in ${config.seconds} s`,
      better: 'lower',
      unit: 'count',
      ivtrade: round(result.ivtrade.wrongTopSeconds),
      peer: 'pre-fix client (3 s check, breaks unmarked)',
      peerValue: round(peer.wrongTopSeconds),
    });
    notes.push(
      `fault soak ${result.venue}: drop 1 %, malformed 0.5 %, disconnect every 5 s for ` +
        `${config.seconds} s, ${result.ivtrade.books} BTC option books; ivtrade ` +
        `${describe(result.ivtrade)}; peer ${describe(peer)}`,
    );
  }
  return { rows, notes };
}

function describe(figures: ClientFigures): string {
  return (
    `${figures.wrongTopSeconds.toFixed(1)} wrong-top-s of ${figures.bookSeconds.toFixed(0)} ` +
    `book-s, longest ${(figures.longestWrongMs / 1000).toFixed(1)} s, ${figures.gaps} gaps, ` +
    `${figures.resyncs} resyncs, ${figures.reconnects} reconnects, ${figures.stuck.length} stuck`
  );
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
