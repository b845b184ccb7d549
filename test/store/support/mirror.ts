// A stand-in for serve's publisher in attach tests: a direct engine's events written to Redis
// through the real writer (writeMarket / writeVenue, one script call per batch), serve's meta,
// the venues set and the `alive` heartbeat. It keeps the latest event of every snapshot field
// so a test can republish everything after a Redis restart, as serve does.

import type { MarketEngine } from '../../../src/app/market-engine.js';
import type { FeedEvent, MarketEvent } from '../../../src/book/events.js';
import type { InstrumentSpec } from '../../../src/instruments/types.js';
import { coinOfMarketEvent, type VenueEvent } from '../../../src/store/codec.js';
import type { RedisClient } from '../../../src/store/connect.js';
import type { KeySchema } from '../../../src/store/keys.js';
import { writeMarket, writeVenue } from '../../../src/store/store-writer.js';

export interface Mirror {
  /** Resolves once everything the engine said so far is written. */
  flushed(): Promise<void>;
  /** Writes the meta, the venues set and the latest of everything again (after a restart). */
  republish(): Promise<void>;
  /** The heartbeat: off lets the `alive` key expire (a dead serve), on sets it again. */
  alive(on: boolean): Promise<void>;
  /** Writes a coin's events as they are (a test's own updates). */
  write(coin: string, events: readonly MarketEvent[]): Promise<void>;
  stop(): Promise<void>;
}

const BOOK_LEVELS = 10;

export async function startMirror(
  engine: MarketEngine,
  client: RedisClient,
  keys: KeySchema,
  venue: string,
  coins: readonly string[],
  mode: 'SIM' | 'LIVE' | 'TESTNET',
): Promise<Mirror> {
  const specs = new Map<string, InstrumentSpec>();
  const specOf = (name: string): InstrumentSpec | undefined =>
    specs.get(name) ?? engine.market.registry(venue).get(name);
  /** Per coin, the latest event of each snapshot field (removed instruments leave). */
  const latest = new Map<string, Map<string, MarketEvent>>(coins.map((coin) => [coin, new Map()]));
  const statuses = new Map<string, VenueEvent>();
  let pending: FeedEvent[] = [];
  let chain: Promise<void> = Promise.resolve();
  let heartbeat: ReturnType<typeof setInterval> | null = null;

  const asBookSnapshot = (event: MarketEvent): MarketEvent | null => {
    if (event.kind !== 'book-delta') return event;
    const book = engine.market.books.get(venue, event.instrument);
    if (book?.state !== 'live') return null;
    const depth = book.depth(BOOK_LEVELS);
    return {
      kind: 'book-snapshot',
      venue,
      instrument: event.instrument,
      ts: event.ts,
      sequence: book.sequence,
      bids: depth.bids.flat(),
      asks: depth.asks.flat(),
    };
  };

  const remember = (coin: string, event: MarketEvent): void => {
    const fields = latest.get(coin)!;
    switch (event.kind) {
      case 'instrument-added':
        fields.set(`i:${event.spec.name}`, event);
        break;
      case 'instrument-removed':
        for (const letter of ['i', 't', 'b']) fields.delete(`${letter}:${event.instrument}`);
        break;
      case 'ticker':
        fields.set(`t:${event.instrument}`, event);
        break;
      case 'book-snapshot':
        fields.set(`b:${event.instrument}`, event);
        break;
      case 'index':
        fields.set(`x:${event.base}:${event.quote}`, event);
        break;
      default:
    }
  };

  const flush = async (): Promise<void> => {
    const batch = pending;
    pending = [];
    const market = new Map<string, MarketEvent[]>();
    const account: VenueEvent[] = [];
    for (const event of batch) {
      if (event.venue !== venue) continue;
      if (
        event.kind === 'status' ||
        event.kind === 'order' ||
        event.kind === 'fill' ||
        event.kind === 'position' ||
        event.kind === 'balance' ||
        event.kind === 'account-snapshot'
      ) {
        if (event.kind === 'status') statuses.set(event.stream, event);
        account.push(event);
        continue;
      }
      if (event.kind === 'instrument-added') specs.set(event.spec.name, event.spec);
      const coin = coinOfMarketEvent(event, specOf);
      const written = asBookSnapshot(event);
      if (coin === undefined || !latest.has(coin) || written === null) continue;
      remember(coin, written);
      market.set(coin, [...(market.get(coin) ?? []), written]);
    }
    const writes: Promise<unknown>[] = [...market].map(([coin, events]) =>
      writeMarket(client, keys.coin(venue, coin), venue, coin, events, { specOf }),
    );
    if (account.length > 0) writes.push(writeVenue(client, keys.venue(venue), venue, account));
    // Redis down: what was not written comes back with the republish, as serve's would.
    await Promise.allSettled(writes);
  };

  const unsubscribe = engine.onEvent((event) => {
    if (pending.length === 0) setImmediate(() => (chain = chain.then(flush)));
    pending.push(event);
  });

  const writeMeta = async (): Promise<void> => {
    await client.hset(keys.venue(venue).meta, {
      venue,
      currencies: coins.join(','),
      mode,
      schema: '1',
      started: String(Date.now()),
      host: 'test',
      pid: String(process.pid),
    });
    await client.sadd(keys.venues, venue);
  };

  const beat = async (): Promise<void> => {
    await client
      .set(
        keys.venue(venue).alive,
        JSON.stringify({ ts: Date.now(), pid: process.pid, host: 'test', roundTripMs: 1.5 }),
        'PX',
        2_000,
      )
      .catch(() => undefined);
  };

  const mirror: Mirror = {
    flushed: async () => {
      await new Promise((resolve) => setImmediate(resolve));
      await chain;
    },
    republish: async () => {
      await writeMeta();
      for (const [coin, fields] of latest) {
        const events = [...fields.values()].sort(
          (a, b) => Number(b.kind === 'instrument-added') - Number(a.kind === 'instrument-added'),
        );
        await writeMarket(client, keys.coin(venue, coin), venue, coin, events, { specOf });
      }
      if (!engine.venueTimeKnown(venue)) return;
      await writeVenue(client, keys.venue(venue), venue, [
        {
          kind: 'account-snapshot',
          venue,
          ts: engine.venueNow(venue),
          orders: engine.account.orders(venue),
          positions: engine.account.positions(venue),
          balances: engine.account.balances(venue),
        },
        ...statuses.values(),
      ]);
    },
    alive: async (on) => {
      if (heartbeat !== null) clearInterval(heartbeat);
      heartbeat = null;
      if (!on) return;
      await beat();
      heartbeat = setInterval(() => void beat(), 500);
    },
    write: async (coin, events) => {
      for (const event of events) remember(coin, event);
      await writeMarket(client, keys.coin(venue, coin), venue, coin, events, { specOf });
    },
    stop: async () => {
      unsubscribe();
      if (heartbeat !== null) clearInterval(heartbeat);
      await mirror.flushed();
    },
  };
  await writeMeta();
  // What the engine knew before the mirror started: the feed's start-up events.
  await mirror.republish();
  await mirror.alive(true);
  return mirror;
}
