// The publisher on the real sim and a real redis-server: what Redis holds after a session is
// what the engine holds; a paused Redis costs coalesced quotes, never memory nor an account
// event; a Redis killed and restarted empty gets the full state again.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CommandRunner } from '../../src/app/command-runner.js';
import { startCommands } from '../../src/app/exec-lines.js';
import { EngineMarket } from '../../src/app/gateway-market.js';
import { MarketEngine } from '../../src/app/market-engine.js';
import { publisherSource } from '../../src/app/serve-session.js';
import type { OpenFeeds } from '../../src/app/venue-feeds.js';
import type { FeedEvent, OrderEvent, TickerEvent } from '../../src/book/events.js';
import type { OptionSpec } from '../../src/instruments/types.js';
import { computeTickerAnalytics } from '../../src/book/ticker-analytics.js';
import { COMPUTED_DIGITS, decimalText, significantText } from '../../src/store/codec.js';
import { readEntry } from '../../src/store/bus-snapshot.js';
import { openRedis, parseRedisUrl, type RedisClient } from '../../src/store/connect.js';
import { keySchema, type KeySchema } from '../../src/store/keys.js';
import { Publisher } from '../../src/store/publisher.js';
import { sharedRedis, startRedis, testPrefix, type RedisServer } from '../support/redis.js';
import { sleep, waitFor, waitUntil } from '../support/wait.js';
import { openSimBtcFeeds } from '../support/sim-feeds.js';

const VENUE = 'deribit';
const WEEK_MS = 7 * 86_400_000;

interface Session {
  readonly opened: OpenFeeds;
  readonly engine: MarketEngine;
  readonly client: RedisClient;
  readonly keys: KeySchema;
  readonly publisher: Publisher;
  readonly runner: CommandRunner;
  readonly notes: string[];
  readonly problems: string[];
  readonly republished: string[];
}

async function openSession(
  url: string,
  seed: number,
  /** What Redis holds before the publisher starts (an older version's keys, say). */
  prepare?: (client: RedisClient, keys: KeySchema) => Promise<unknown>,
): Promise<Session> {
  const opened = await openSimBtcFeeds(VENUE, { seed, speed: 1 });
  const engine = new MarketEngine(opened.feeds);
  const client = await openRedis(parseRedisUrl(url));
  const keys = keySchema(testPrefix('pub'));
  await prepare?.(client, keys);
  const problems: string[] = [];
  const republished: string[] = [];
  const publisher = new Publisher({
    client,
    keys,
    source: publisherSource(engine, VENUE),
    meta: { mode: 'SIM', currencies: 'BTC' },
    onProblem: (text) => problems.push(text),
    onRepublish: (reason) => republished.push(reason),
  });
  await engine.start();
  await publisher.start();
  const notes: string[] = [];
  const runner = startCommands(
    engine,
    VENUE,
    {},
    {
      note: (text) => notes.push(text),
      info: () => undefined,
      help: () => undefined,
      quit: () => undefined,
    },
  );
  return { opened, engine, client, keys, publisher, runner, notes, problems, republished };
}

async function closeSession(session: Session): Promise<void> {
  session.runner.close();
  await session.engine.stop();
  await session.publisher.stop();
  await session.opened.close();
  session.client.disconnect();
}

/** A two-sided call a week or more out, nearest the money. */
function tradableCall(session: Session): Promise<OptionSpec> {
  const market = new EngineMarket(session.engine.market);
  return waitFor(
    'a two-sided call a week out',
    () => {
      let best: { spec: OptionSpec; distance: number } | null = null;
      for (const chain of session.engine.market.chains(VENUE)) {
        for (const spec of chain.options) {
          if (spec.type !== 'call' || spec.expiry - Date.now() < WEEK_MS) continue;
          const touch = market.touch(VENUE, spec.name);
          const forward = chain.row(spec.expiry)?.forward ?? NaN;
          if (touch.bid === null || touch.ask === null || !Number.isFinite(forward)) continue;
          const distance = Math.abs(spec.strike - forward);
          if (best === null || distance < best.distance) best = { spec, distance };
        }
      }
      return best?.spec;
    },
    10_000,
  );
}

function coinKeys(session: Session) {
  return session.keys.coin(VENUE, 'BTC');
}

function listedCount(session: Session): number {
  return session.engine.market.registry(VENUE).size;
}

async function snapshotFields(session: Session, prefix: string): Promise<Map<string, string>> {
  const hash = await session.client.hgetall(coinKeys(session).snapshot);
  return new Map(Object.entries(hash).filter(([name]) => name.startsWith(prefix)));
}

async function streamEvents(client: RedisClient, stream: string): Promise<FeedEvent[]> {
  const entries = await client.xrange(stream, '-', '+');
  return entries.flatMap(([, fields]) =>
    (readEntry(fields)?.events ?? []).filter((event) => event !== null),
  );
}

/** Polls an async condition (a Redis read) until it holds. */
async function pollUntil(
  what: string,
  done: () => Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done().catch(() => false))) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('Publisher on the sim into a real Redis', () => {
  let shared: { url: string; stop(): Promise<void> };
  before(async () => {
    shared = await sharedRedis();
  });
  after(async () => {
    await shared.stop();
  });

  it('indexes the removal marks an older version left in a coin it publishes', async () => {
    const mark = String(-(Date.now() - WEEK_MS));
    const session = await openSession(shared.url, 6, (client, keys) =>
      client.hset(keys.coin(VENUE, 'BTC').snapshot, {
        '~ts:i:BTC-1JAN26-90000-C': mark,
        '~ts:t:BTC-1JAN26-90000-C': mark,
      }),
    );
    try {
      await pollUntil(
        'the old mark in the removals set',
        async () =>
          (await session.client.zscore(coinKeys(session).removals, 'BTC-1JAN26-90000-C')) ===
          mark.slice(1),
      );
      assert.deepEqual(session.problems, []);
    } finally {
      await closeSession(session);
    }
  });

  it('leaves in Redis what the engine holds: specs, tickers, books, index, account', async () => {
    const session = await openSession(shared.url, 5);
    let stopped = false;
    try {
      const call = await tradableCall(session);
      session.runner.run(`i ${call.name}`, null);
      session.runner.run('as1', null); // a post-only bid resting at the bid
      await session.runner.settled();
      session.runner.run('aw1', null); // a taker at the ask: a fill and a position
      await session.runner.settled();
      await waitFor(
        () => `a resting order and a position; notes: ${session.notes.join(' | ')}`,
        () =>
          session.engine.account.position(VENUE, call.name) !== undefined &&
          session.engine.account.orders(VENUE).length >= 1
            ? true
            : undefined,
        10_000,
      );
      // The held option's book is followed: let a few of its updates through.
      await waitFor('the held book', () =>
        session.engine.market.books.get(VENUE, call.name)?.good === true ? true : undefined,
      );
      await sleep(500);
      // Stop the feeds first: then nothing moves, and what the publisher flushes is final.
      session.runner.close();
      await session.engine.stop();
      await session.publisher.stop();
      stopped = true;
      const { engine, client } = session;
      const registry = engine.market.registry(VENUE);

      const specs = await snapshotFields(session, 'i:');
      assert.equal(specs.size, registry.size);
      for (const spec of registry.all()) {
        const event = JSON.parse(specs.get(`i:${spec.name}`)!) as { spec: unknown };
        assert.deepEqual(event.spec, spec);
      }

      const tickers = await snapshotFields(session, 't:');
      assert.ok(tickers.size > registry.size / 2, `${tickers.size} tickers`);
      let options = 0;
      for (const spec of registry.all()) {
        const text = tickers.get(`t:${spec.name}`);
        if (text === undefined) continue;
        const quote = await client.hgetall(coinKeys(session).quote(spec.name));
        if (spec.kind !== 'option') {
          assert.equal(text, JSON.stringify(engine.market.ticker(VENUE, spec.name)));
          assert.equal(quote.mark_iv, '');
          continue;
        }
        const held = engine.market.chain(VENUE, spec.base, spec.quote)!.option(spec.name)!;
        assert.equal(quote.mark, decimalText(held.mark), spec.name);
        if (held.source === 'ticker') {
          assert.equal(quote.bid, decimalText(held.bid), spec.name);
          assert.equal(quote.ask, decimalText(held.ask), spec.name);
        }
        if (held.mark !== null && held.mark > 0 && quote.mark_iv !== '') {
          options += 1;
          // ivtrade's own mark IV of the ticker stored beside it (minutes from expiry a deep
          // out-of-the-money option's can pass 500 %: no fixed bound holds at every hour).
          const stored = JSON.parse(text) as TickerEvent;
          const mine = computeTickerAnalytics(stored, spec);
          assert.ok(Number(quote.mark_iv) > 0, quote.mark_iv);
          assert.equal(quote.mark_iv, significantText(mine.markIv, COMPUTED_DIGITS), spec.name);
          assert.notEqual(quote.delta, '');
        }
      }
      assert.ok(options > 10, `${options} options with IVs`);

      const bookText = (await snapshotFields(session, 'b:')).get(`b:${call.name}`);
      assert.ok(bookText !== undefined, 'the held option book is published');
      const book = JSON.parse(bookText) as { bids: number[]; asks: number[]; sequence: number };
      const depth = engine.market.books.get(VENUE, call.name)!.depth(10);
      assert.deepEqual(book.bids, depth.bids.flat());
      assert.deepEqual(book.asks, depth.asks.flat());

      const indices = await snapshotFields(session, 'x:');
      assert.ok(indices.size >= 1);
      for (const [field, text] of indices) {
        const [, base, quote] = field.split(':');
        assert.equal(text, JSON.stringify(engine.market.index(VENUE, base!, quote!)));
      }

      const venueKeys = session.keys.venue(VENUE);
      const state = await client.hgetall(venueKeys.state);
      const byPrefix = (prefix: string): Map<string, unknown> =>
        new Map(
          Object.entries(state)
            .filter(([name]) => name.startsWith(prefix))
            .map(([name, text]) => [name, JSON.parse(text) as unknown]),
        );
      assert.deepEqual(
        byPrefix('o:'),
        new Map(engine.account.orders(VENUE).map((o) => [`o:${o.orderId}`, o])),
      );
      assert.deepEqual(
        byPrefix('p:'),
        new Map(engine.account.positions(VENUE).map((p) => [`p:${p.instrument}`, p])),
      );
      assert.deepEqual(
        byPrefix('b:'),
        new Map(engine.account.balances(VENUE).map((b) => [`b:${b.currency}`, b])),
      );
      const fills = (await streamEvents(client, venueKeys.updates)).filter(
        (event) => event.kind === 'fill',
      );
      assert.deepEqual(
        fills.map((fill) => fill.tradeId).sort(),
        engine.account
          .fills(VENUE)
          .map((fill) => fill.tradeId)
          .sort(),
      );
      assert.equal(await client.exists(venueKeys.alive), 0, 'alive deleted on stop');
      assert.equal(await client.hget(venueKeys.meta, 'mode'), 'SIM');
      assert.equal(await client.sismember(session.keys.venues, VENUE), 1);
      const stats = session.publisher.stats();
      assert.equal(stats.pendingMarket, 0);
      assert.equal(stats.pendingAccount, 0);
      assert.ok(stats.written > 0);
      assert.deepEqual(session.problems, []);
    } finally {
      if (stopped) {
        await session.opened.close();
        session.client.disconnect();
      } else await closeSession(session);
    }
  });

  describe('with a Redis of its own', () => {
    let server: RedisServer;
    before(async () => {
      server = await startRedis();
    });
    after(async () => {
      await server.stop();
    });

    it('coalesces quotes while Redis hangs, keeps every order event, and catches up', async () => {
      const session = await openSession(server.url, 6);
      try {
        const call = await tradableCall(session);
        await waitUntil('the first flushes', () => session.publisher.stats().written > 100);
        const instruments = listedCount(session);
        server.pause();
        const atPause = session.publisher.stats();
        session.runner.run(`i ${call.name}`, null);
        session.runner.run('as1', null);
        await session.runner.settled();
        const order = await waitFor('the bid resting', () =>
          session.engine.account.orders(VENUE).find((o) => o.instrument === call.name),
        );
        session.runner.run('cc', null);
        await session.runner.settled();
        await waitFor('the bid cancelled', () =>
          session.engine.account.orders(VENUE).length === 0 ? true : undefined,
        );
        const samples: number[] = [];
        for (let i = 0; i < 6; i += 1) {
          await sleep(250);
          samples.push(session.publisher.stats().pendingMarket);
        }
        const paused = session.publisher.stats();
        // Bounded by fields, not by time: at most a spec, a ticker, a book and a trade per
        // instrument, and the index.
        for (const pending of samples) assert.ok(pending <= 4 * instruments + 2, `${pending}`);
        assert.ok(paused.marketIn - atPause.marketIn > paused.pendingMarket, 'quotes kept coming');
        assert.ok(paused.coalesced > atPause.coalesced, 'and coalesced');
        assert.ok(paused.pendingAccount >= 2, `${paused.pendingAccount} account events held`);

        server.resume();
        await waitUntil(
          'the account queue drained',
          () => session.publisher.stats().pendingAccount === 0,
          10_000,
        );
        const venueKeys = session.keys.venue(VENUE);
        const events = (await streamEvents(session.client, venueKeys.updates)).filter(
          (event): event is OrderEvent => event.kind === 'order' && event.orderId === order.orderId,
        );
        assert.deepEqual(
          events.map((event) => event.status),
          ['open', 'cancelled'],
        );
        assert.equal(await session.client.hexists(venueKeys.state, `o:${order.orderId}`), 0);
        // Quotes flow again.
        const before = session.publisher.stats().written;
        await waitUntil('quotes written again', () => session.publisher.stats().written > before);
      } finally {
        server.resume();
        await closeSession(session);
      }
    });

    it('publishes the full state again into a Redis restarted empty', async () => {
      const session = await openSession(server.url, 7);
      try {
        const call = await tradableCall(session);
        session.runner.run(`i ${call.name}`, null);
        session.runner.run('aw1', null);
        await session.runner.settled();
        await waitFor('the position', () => session.engine.account.position(VENUE, call.name));
        const venueKeys = session.keys.venue(VENUE);
        await waitUntil(
          'the position published',
          () => session.publisher.stats().pendingAccount === 0,
        );
        assert.equal(await session.client.hexists(venueKeys.state, `p:${call.name}`), 1);

        await server.kill();
        await sleep(300);
        await server.restart();

        const instruments = listedCount(session);
        await waitUntil(
          'a republish after the restart',
          () => session.republished.length >= 2,
          10_000,
        );
        await pollUntil('every spec published again', async () => {
          const specs = await snapshotFields(session, 'i:');
          return specs.size === instruments;
        });
        await pollUntil(
          'the account and meta back',
          async () =>
            (await session.client.exists(venueKeys.state, venueKeys.meta, venueKeys.alive)) === 3,
        );
        const state = await session.client.hgetall(venueKeys.state);
        assert.deepEqual(
          JSON.parse(state[`p:${call.name}`]!),
          session.engine.account.position(VENUE, call.name),
        );
        assert.ok(Object.keys(state).some((name) => name.startsWith('b:')));
        assert.equal(await session.client.hget(venueKeys.meta, 'venue'), VENUE);
        assert.equal(await session.client.sismember(session.keys.venues, VENUE), 1);
        const tickers = await snapshotFields(session, 't:');
        assert.ok(tickers.size > instruments / 2, `${tickers.size} tickers back`);
        // The new streams start again from 1 and run without a gap.
        const entries = await session.client.xrange(
          coinKeys(session).updates,
          '-',
          '+',
          'COUNT',
          3,
        );
        assert.equal(entries[0]![1][entries[0]![1].indexOf('s') + 1], '1');
      } finally {
        await closeSession(session);
      }
    });
  });
});
