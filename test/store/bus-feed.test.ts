// An attached screen's engine (BusFeed over a real redis-server) against the direct engine it
// mirrors: the embedded exchange on loopback (manual clock, so the market moves only when a
// test says so) through the real Deribit adapter, published with the real store writer. The
// read models must agree; a trimmed stream, a dead serve and a killed Redis must show as
// such, never as live quotes, and recover.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import type { CommandRunner } from '../../src/app/command-runner.js';
import { startCommands } from '../../src/app/exec-lines.js';
import { MarketEngine } from '../../src/app/market-engine.js';
import { ReadModel } from '../../src/app/read-model.js';
import type { FeedEvent, StatusEvent, TickerEvent } from '../../src/book/events.js';
import { DeribitFeed } from '../../src/feeds/deribit/feed.js';
import type { OptionSpec } from '../../src/instruments/types.js';
import { startSim, type RunningSim } from '../../src/sim/server.js';
import { BusFeed, BUS_DOWN, SERVE_NOT_RUNNING } from '../../src/store/bus-feed.js';
import { openRedis, parseRedisUrl, type RedisClient } from '../../src/store/connect.js';
import { keySchema, type KeySchema } from '../../src/store/keys.js';
import { marketCallArgs, venueCallArgs, writeVenue } from '../../src/store/store-writer.js';
import { venueWrite, type MarketWrite } from '../../src/store/codec.js';
import { withScripts } from '../../src/store/scripts.js';
import type { ViewRequest } from '../../src/view/types.js';
import {
  sharedCluster,
  sharedRedis,
  startRedis,
  testPrefix,
  type RedisServer,
} from '../support/redis.js';
import { waitUntil } from '../support/wait.js';
import { publisherSource } from '../../src/app/serve-session.js';
import { Publisher } from '../../src/store/publisher.js';
import { writeMarket } from '../../src/store/store-writer.js';
import { rankOfLast, writeSurfaceYear } from './support/surface-year.js';
import { VolHistory } from '../../src/app/vol-history.js';
import { deribitPriceTick } from '../../src/feeds/deribit/venue-history.js';

const VENUE = 'deribit';
const COINS = ['BTC'];
const START = Date.UTC(2026, 10, 20, 7, 0);
const VIEW: ViewRequest = {
  chain: null,
  expiry: null,
  strike: null,
  top: 0,
  rows: 60,
  surface: false,
};

interface Direct {
  readonly sim: RunningSim;
  readonly engine: MarketEngine;
  readonly model: ReadModel;
  readonly runner: CommandRunner;
  readonly now: () => number;
  /** Moves the market on and waits for the feed to deliver it. */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

function modelOf(engine: MarketEngine): ReadModel {
  return new ReadModel(engine, {
    venue: VENUE,
    mode: 'SIM',
    currencies: COINS,
    logPath: null,
  });
}

/** The sim and a direct engine, not yet started: mirrors subscribe before its first event. */
async function openDirect(): Promise<Direct & { start(): Promise<void> }> {
  const sim = await startSim({
    seed: 5,
    manualClock: true,
    start: START,
    currencies: COINS,
    minHeartbeatSec: 1,
  });
  sim.advance(1000);
  const key = sim.apiKeys.deribit[0]!;
  const feed = new DeribitFeed({
    wsUrl: sim.urls.deribitWs,
    currencies: COINS,
    credentials: { clientId: key.key, clientSecret: key.secret },
    heartbeatSec: 1,
    staleAfterMs: 600_000,
    volatilityIndex: true,
    log: () => undefined,
  });
  const engine = new MarketEngine([feed]);
  const model = modelOf(engine);
  const runner = startCommands(
    engine,
    VENUE,
    {},
    {
      note: () => undefined,
      info: () => undefined,
      help: () => undefined,
      quit: () => undefined,
    },
  );
  const now = (): number => sim.world.clock.now();
  const advance = async (ms: number): Promise<void> => {
    const before = model.version;
    sim.advance(ms);
    await waitUntil('the feed to deliver the sim step', () => model.version > before);
    await new Promise((resolve) => setTimeout(resolve, 50));
  };
  return {
    sim,
    engine,
    model,
    runner,
    now,
    advance,
    start: async () => {
      await engine.start();
      await waitUntil(
        'a priced chain',
        () => {
          if (model.snapshot(VIEW, now()).header.loading === null) return true;
          sim.advance(1000);
          return false;
        },
        10_000,
      );
    },
    close: async () => {
      runner.close();
      model.close();
      await engine.stop();
      await sim.close();
    },
  };
}

/** What a trader sees of the market and the account, on the same clock for both screens. */
function seen(model: ReadModel, now: number): unknown {
  // Every expiry priced at this instant, not only the one on screen: an update that arrived
  // after the last full settle must not read as a difference.
  model.engine.market.settle(now);
  const snapshot = model.snapshot(VIEW, now);
  return {
    chains: snapshot.chains,
    chain: snapshot.chain,
    index: snapshot.header.index,
    perpetual: snapshot.header.perpetual,
    positions: snapshot.positions,
    // Each screen numbers the orders it has seen (c3 and e3 act on its own numbers).
    orders: snapshot.orders.rows.map((row) => ({ ...row, age: null, number: null })),
  };
}

/** Where two JSON-like values first differ, as a path and both values; null if equal. */
function difference(a: unknown, b: unknown, path = ''): string | null {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return Object.is(a, b) ? null : `${path}: attached ${String(a)}, direct ${String(b)}`;
  }
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const name of names) {
    const found = difference(
      (a as Record<string, unknown>)[name],
      (b as Record<string, unknown>)[name],
      `${path}.${name}`,
    );
    if (found !== null) return found;
  }
  return null;
}

async function sameAsDirect(direct: Direct, model: ReadModel, what: string): Promise<void> {
  let last: string | null = null;
  await waitUntil(
    () => `${what}: the attached screen to show what the direct one does; ${last}`,
    () => {
      const now = direct.now();
      last = difference(seen(model, now), seen(direct.model, now));
      return last === null;
    },
    8_000,
  );
}

interface Attached {
  readonly bus: BusFeed;
  readonly engine: MarketEngine;
  readonly model: ReadModel;
  readonly statuses: StatusEvent[];
  close(): Promise<void>;
}

async function attach(url: string, prefix: string): Promise<Attached> {
  const bus = new BusFeed({ target: parseRedisUrl(url), venue: VENUE, prefix, pollMs: 100 });
  const engine = new MarketEngine([bus]);
  const model = modelOf(engine);
  const statuses: StatusEvent[] = [];
  engine.onEvent((event: FeedEvent) => {
    if (event.kind === 'status') statuses.push(event);
  });
  await engine.start();
  return {
    bus,
    engine,
    model,
    statuses,
    close: async () => {
      model.close();
      await engine.stop();
    },
  };
}

/** Every option the attached engine lists, and whether each is shown stale. */
function optionStates(engine: MarketEngine): { total: number; stale: number } {
  let total = 0;
  let stale = 0;
  for (const chain of engine.market.chains(VENUE)) {
    for (const option of chain.options) {
      total += 1;
      if (chain.option(option.name)?.stale === true) stale += 1;
    }
  }
  return { total, stale };
}

/** A call near the money with a two-sided touch, for orders. */
function tradableCall(engine: MarketEngine): OptionSpec {
  const chain = engine.market.chain(VENUE, 'BTC', 'BTC')!;
  const calls = chain.options.filter((spec) => {
    const quote = chain.option(spec.name);
    return spec.type === 'call' && quote?.bid !== null && quote?.ask !== null;
  });
  assert.ok(calls.length > 0, 'a call with a two-sided quote');
  return calls[Math.floor(calls.length / 2)]!;
}

async function openClient(url: string): Promise<RedisClient> {
  return openRedis(parseRedisUrl(url), { clientName: 'attach-test' });
}

/** Serve's publisher over the direct engine, writing into one Redis under one prefix. */
interface Served {
  readonly client: RedisClient;
  readonly keys: KeySchema;
  publisher: Publisher;
}

function publisherFor(client: RedisClient, keys: KeySchema): Publisher {
  return new Publisher({
    client,
    keys,
    source: publisherSource(direct.engine, VENUE),
    meta: { currencies: COINS.join(','), mode: 'SIM' },
    onProblem: () => undefined,
  });
}

async function serveInto(url: string, prefix: string): Promise<Served> {
  const client = await openClient(url);
  const keys = keySchema(prefix);
  return { client, keys, publisher: publisherFor(client, keys) };
}

let direct: Direct & { start(): Promise<void> };
let single: { url: string; stop(): Promise<void> };
let server: RedisServer;
let cluster: { url: string; stop(): Promise<void> };
// Every publisher hears the direct engine from its first event, as serve's does.
let served: Served;
let servedOwn: Served;
let servedCluster: Served;
let screen: Attached;

before(async () => {
  direct = await openDirect();
  single = await sharedRedis();
  // A Redis of its own to kill and restart.
  server = await startRedis();
  cluster = await sharedCluster();
  served = await serveInto(single.url, testPrefix('attach'));
  servedOwn = await serveInto(server.url, testPrefix('attachkill'));
  servedCluster = await serveInto(cluster.url, testPrefix('attachcl'));
  await direct.start();
  for (const each of [served, servedOwn, servedCluster]) await each.publisher.start();
  screen = await attach(single.url, served.keys.prefix);
});

after(async () => {
  await screen.close();
  for (const each of [served, servedOwn, servedCluster]) {
    await each.publisher.stop();
    each.client.disconnect();
  }
  await single.stop();
  await server.stop();
  await cluster.stop();
  await direct.close();
});

/** A ticker of `spec` quoted a cent wide from `bid`, as the tests write one by hand. */
function quoteAt(spec: OptionSpec, bid: number, ts: number, index: number): TickerEvent {
  return {
    kind: 'ticker',
    venue: VENUE,
    instrument: spec.name,
    ts,
    bid,
    bidSize: 1,
    ask: bid + 0.01,
    askSize: 1,
    mark: bid + 0.005,
    index,
    forward: null,
    venueIv: { bid: null, ask: null, mark: null },
    venueGreeks: null,
  };
}

describe('an attached screen on a single node', () => {
  it('shows the chains, tickers and index the direct screen shows, and follows them', async () => {
    await sameAsDirect(direct, screen.model, 'after the snapshot');
    assert.ok(optionStates(screen.engine).total > 10);
    assert.equal(optionStates(screen.engine).stale, 0);
    assert.deepEqual(screen.bus.serveAlive(), { ok: true, reason: null });
    assert.equal(screen.model.connection().state, 'live');
    await waitUntil('a measured round trip', () => typeof screen.bus.roundTripMs() === 'number');
    assert.deepEqual(screen.bus.meta()?.currencies, COINS);
    for (let step = 0; step < 3; step += 1) {
      await direct.advance(2_000);
      await sameAsDirect(direct, screen.model, `after step ${step + 1}`);
    }
    assert.ok(screen.bus.counters().messages > 0);
    // The venue's volatility index (DVOL) travels too: the attached header shows the same.
    await waitUntil('the venue vol index on both', () => {
      const there = direct.engine.market.volatilityIndex(VENUE, 'BTC');
      const here = screen.engine.market.volatilityIndex(VENUE, 'BTC');
      return there !== undefined && here !== undefined && here.ts === there.ts;
    });
    assert.deepEqual(
      screen.engine.market.volatilityIndex(VENUE, 'BTC'),
      direct.engine.market.volatilityIndex(VENUE, 'BTC'),
    );
  });

  it("takes IV rank from ivtrade's own 30-day index in serve's history, and shows the venue's DVOL as the venue's", async () => {
    const values = await writeSurfaceYear(
      served.client,
      served.keys.coin(VENUE, 'BTC'),
      'BTC',
      direct.now(),
      (day) => 0.55 + 0.2 * Math.cos(day / 30),
    );
    const bus = new BusFeed({
      target: parseRedisUrl(single.url),
      venue: VENUE,
      prefix: served.keys.prefix,
      pollMs: 100,
      priceTick: deribitPriceTick,
    });
    const engine = new MarketEngine([bus]);
    const history = new VolHistory(engine, VENUE, COINS);
    try {
      await engine.start();
      await history.start(direct.now());
      await direct.advance(2_000);
      await waitUntil(
        'the relayed DVOL',
        () => engine.market.volatilityIndex(VENUE, 'BTC') !== undefined,
      );
      const view = history.view('BTC', direct.now())!;
      assert.equal(view.status, 'ready');
      const expected = rankOfLast(values);
      assert.ok(view.ivRank.rank !== null && Math.abs(view.ivRank.rank - expected) < 1e-3);
      assert.match(view.ivRankSource, /ivtrade 30d index/);
      // The header's venue index is Deribit's DVOL, relayed: never ivtrade's own series.
      const dvol = direct.engine.market.volatilityIndex(VENUE, 'BTC')!;
      assert.equal(view.venueIndex?.kind, 'implied');
      assert.doesNotMatch(view.venueIndex.name, /ivtrade/);
      assert.ok(Math.abs(view.venueIndex.value! - dvol.value) < 0.05);
    } finally {
      history.stop();
      await engine.stop();
    }
  });

  it('shows the same open orders and positions', async () => {
    const call = tradableCall(direct.engine);
    const tick = new Decimal(call.tickSize);
    // A bid far under the market rests; a taker bid at the ask fills.
    direct.runner.run(`i ${call.name}; a1 ${tick.toString()}`, null);
    await direct.runner.settled();
    await waitUntil('the order resting', () => direct.engine.account.orders(VENUE).length === 1);
    await sameAsDirect(direct, screen.model, 'a resting order');
    assert.equal(screen.engine.account.orders(VENUE).length, 1);

    direct.runner.run('aw1', null);
    await direct.runner.settled();
    await waitUntil(
      'the position',
      () => direct.engine.account.position(VENUE, call.name) !== undefined,
    );
    await sameAsDirect(direct, screen.model, 'a position');
    assert.equal(
      screen.engine.account.position(VENUE, call.name)?.size,
      direct.engine.account.position(VENUE, call.name)?.size,
    );

    direct.runner.run('ca', null);
    await direct.runner.settled();
    await waitUntil('no open orders', () => direct.engine.account.orders(VENUE).length === 0);
    await sameAsDirect(direct, screen.model, 'orders cancelled');
    assert.equal(screen.engine.account.orders(VENUE).length, 0);
  });

  it('reads the snapshot again when its stream was trimmed under it, and shows nothing wrong', async () => {
    const { client, keys } = served;
    const chain = screen.engine.market.chain(VENUE, 'BTC', 'BTC')!;
    const [first, second] = chain.options.filter((spec) => chain.option(spec.name)?.bid !== null);
    assert.ok(first !== undefined && second !== undefined);
    const coin = keys.coin(VENUE, 'BTC');
    const ts = direct.now() + 1;
    const gapsBefore = screen.bus.counters().gaps;
    const quote = (spec: OptionSpec, bid: number): TickerEvent =>
      quoteAt(spec, bid, ts, chain.index);
    // The update and the trim in one transaction: the reader cannot have read the entry.
    const call = marketCallArgs(
      coin,
      [setWrite(`t:${first.name}`, ts, JSON.stringify(quote(first, 0.4321)))],
      1000,
    );
    const scripted = withScripts(client);
    const multi = scripted.multi() as unknown as {
      ivtWriteMarket(...args: (string | number | Buffer)[]): unknown;
      xtrim(key: string, how: string, count: number): unknown;
      exec(): Promise<unknown>;
    };
    multi.ivtWriteMarket(call.keys.length, ...call.keys, ...call.args);
    multi.xtrim(coin.updates, 'MAXLEN', 0);
    await multi.exec();
    assert.equal(await client.xlen(coin.updates), 0);
    // The next entry skips a sequence number.
    await writeMarket(client, coin, VENUE, 'BTC', [quote(second, 0.1234)]);
    await waitUntil(
      'the resnapshot',
      () =>
        screen.bus.counters().gaps > gapsBefore &&
        screen.engine.market.chain(VENUE, 'BTC', 'BTC')?.option(first.name)?.bid === 0.4321 &&
        screen.engine.market.chain(VENUE, 'BTC', 'BTC')?.option(second.name)?.bid === 0.1234,
    );
    assert.ok(screen.statuses.some((s) => s.status === 'gap' && /sequence/.test(s.detail ?? '')));
    assert.ok(screen.statuses.some((s) => s.status === 'resynced'));
    assert.equal(screen.model.connection().state, 'live');
    // What it shows now is exactly what a screen attaching afresh shows.
    const fresh = await attach(single.url, keys.prefix);
    try {
      const now = direct.now();
      assert.deepEqual(seen(screen.model, now), seen(fresh.model, now));
    } finally {
      await fresh.close();
    }
    // The direct screen never saw those test quotes: put the sim's back for the next tests.
    served.publisher.republish('test');
    await direct.advance(1_000);
  });

  it('applies every event of a batch entry in order; one that is not an event is skipped', async () => {
    const { client, keys } = served;
    const chain = screen.engine.market.chain(VENUE, 'BTC', 'BTC')!;
    const [first, second] = chain.options.filter((spec) => chain.option(spec.name)?.bid !== null);
    assert.ok(first !== undefined && second !== undefined);
    const coin = keys.coin(VENUE, 'BTC');
    const ts = direct.now() + 2;
    const before = screen.bus.counters();
    const quote = (spec: OptionSpec, bid: number): TickerEvent =>
      quoteAt(spec, bid, ts, chain.index);
    const set = (event: TickerEvent) =>
      setWrite(`t:${event.instrument}`, ts, JSON.stringify(event));
    // One call, so one entry of three events: a ticker, a stranger's event, a ticker.
    const call = marketCallArgs(
      coin,
      [
        set(quote(first, 0.2468)),
        { op: 'stream', ts, json: JSON.stringify({ kind: 'mystery', venue: VENUE }) },
        set(quote(second, 0.1357)),
      ],
      1000,
    );
    await withScripts(client).ivtWriteMarket(call.keys.length, ...call.keys, ...call.args);
    const last = await client.xrevrange(coin.updates, '+', '-', 'COUNT', 1);
    assert.deepEqual(
      last[0]![1].filter((_, at) => at % 2 === 0),
      ['s', 'e', 'e', 'e'],
    );
    await waitUntil(
      'both tickers of the entry',
      () =>
        screen.engine.market.chain(VENUE, 'BTC', 'BTC')?.option(first.name)?.bid === 0.2468 &&
        screen.engine.market.chain(VENUE, 'BTC', 'BTC')?.option(second.name)?.bid === 0.1357,
    );
    const after = screen.bus.counters();
    assert.equal(after.malformed, before.malformed + 1);
    assert.equal(after.gaps, before.gaps);
    served.publisher.republish('test');
    await direct.advance(1_000);
  });

  it('does not stay stale for a quiet family whose fresh it missed under a trim', async () => {
    const { client, keys } = served;
    const venueKeys = keys.venue(VENUE);
    const status = (state: 'stale' | 'live', ts: number): StatusEvent => ({
      kind: 'status',
      venue: VENUE,
      ts,
      stream: 'probe',
      status: state,
      ...(state === 'stale' ? { family: 'tickers', detail: 'no tickers message for 5 s' } : {}),
    });
    const ts = Date.now();
    await writeVenue(client, venueKeys, VENUE, [status('stale', ts)]);
    await waitUntil('the quiet family shown', () => screen.model.connection().state === 'stale');
    // Serve's next word on that stream is lost to a trim; the one after shows the gap.
    const call = venueCallArgs(venueKeys, [venueWrite(status('live', ts + 1))], 1000);
    const multi = withScripts(client).multi() as unknown as {
      ivtWriteVenue(...args: (string | number)[]): unknown;
      xtrim(key: string, how: string, count: number): unknown;
      exec(): Promise<unknown>;
    };
    multi.ivtWriteVenue(call.keys.length, ...call.keys, ...call.args);
    multi.xtrim(venueKeys.updates, 'MAXLEN', 0);
    await multi.exec();
    await writeVenue(client, venueKeys, VENUE, [status('live', ts + 2)]);
    await waitUntil('live again', () => screen.model.connection().state === 'live');
    assert.ok(screen.statuses.some((s) => s.stream === 'probe' && s.status === 'fresh'));
  });

  it("marks everything stale within 2 s of serve's heartbeat expiring, and comes back", async () => {
    const { client, keys } = served;
    const alive = keys.venue(VENUE).alive;
    // Serve dies: its publisher stops, and its last heartbeat lives out its 2 s.
    await served.publisher.stop();
    await client.set(alive, JSON.stringify({ ts: Date.now(), roundTripMs: 1 }), 'PX', 2_000);
    for (;;) {
      if ((await client.exists(alive)) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const gone = Date.now();
    await waitUntil(
      'every option stale and the connection down',
      () => {
        const { total, stale } = optionStates(screen.engine);
        return total > 0 && stale === total && screen.model.connection().state !== 'live';
      },
      2_000,
    );
    assert.ok(Date.now() - gone <= 2_000);
    const connection = screen.model.connection();
    assert.equal(connection.state, 'closed');
    assert.match(connection.detail ?? '', new RegExp(SERVE_NOT_RUNNING));
    assert.deepEqual(screen.bus.serveAlive(), { ok: false, reason: SERVE_NOT_RUNNING });
    assert.equal(screen.bus.roundTripMs(), null);
    const header = screen.model.snapshot(VIEW, direct.now()).header;
    assert.equal(header.indexStale, true);

    // A new serve publishes everything again. (Its engine is the old one here, so the market
    // stays still meanwhile: a real new serve would load every quote afresh from the venue.)
    served.publisher = publisherFor(client, keys);
    await served.publisher.start();
    await waitUntil('live again', () => screen.model.connection().state === 'live', 3_000);
    await sameAsDirect(direct, screen.model, 'serve back');
    assert.equal(optionStates(screen.engine).stale, 0);
    assert.deepEqual(screen.bus.serveAlive(), { ok: true, reason: null });
  });
});

describe('an attached screen when Redis dies', () => {
  let ownScreen: Attached;
  before(async () => {
    ownScreen = await attach(server.url, servedOwn.keys.prefix);
  });
  after(async () => {
    await ownScreen.close();
  });

  it('shows everything stale and the bus down, then live again once serve republishes', async () => {
    await sameAsDirect(direct, ownScreen.model, 'before the kill');
    await server.kill();
    const killed = Date.now();
    await waitUntil(
      'every option stale and the bus shown down',
      () => {
        const { total, stale } = optionStates(ownScreen.engine);
        return total > 0 && stale === total && ownScreen.model.connection().state === 'closed';
      },
      2_000,
    );
    assert.ok(Date.now() - killed <= 2_000);
    assert.match(ownScreen.model.connection().detail ?? '', /Redis down \(bus\)/);
    assert.deepEqual(ownScreen.bus.serveAlive(), { ok: false, reason: BUS_DOWN });

    // The market moves on while Redis is down: nothing of it may show as live.
    await direct.advance(2_000);
    assert.equal(optionStates(ownScreen.engine).stale, optionStates(ownScreen.engine).total);

    await server.restart();
    // Serve's publisher notices the restart and publishes everything again.
    await waitUntil('live again', () => ownScreen.model.connection().state === 'live', 10_000);
    await sameAsDirect(direct, ownScreen.model, 'after the restart');
    assert.equal(optionStates(ownScreen.engine).stale, 0);
    // And the tail follows the restarted streams.
    await direct.advance(2_000);
    await sameAsDirect(direct, ownScreen.model, 'a step after the restart');
  });
  it('shows the bus down when Redis hangs without closing its sockets, and recovers', async () => {
    await sameAsDirect(direct, ownScreen.model, 'before the pause');
    server.pause();
    try {
      await waitUntil(
        'every option stale and the bus shown down',
        () => {
          const { total, stale } = optionStates(ownScreen.engine);
          return total > 0 && stale === total && ownScreen.model.connection().state === 'closed';
        },
        2_000,
      );
      assert.deepEqual(ownScreen.bus.serveAlive(), { ok: false, reason: BUS_DOWN });
    } finally {
      server.resume();
    }
    await waitUntil('live again', () => ownScreen.model.connection().state === 'live', 10_000);
    await direct.advance(1_000);
    await sameAsDirect(direct, ownScreen.model, 'after the pause');
  });
});

describe('an attached screen on a Redis Cluster', () => {
  let clusterScreen: Attached;
  before(async () => {
    clusterScreen = await attach(cluster.url, servedCluster.keys.prefix);
  });
  after(async () => {
    await clusterScreen.close();
  });

  it('takes the snapshot and follows the tail of every stream', async () => {
    await sameAsDirect(direct, clusterScreen.model, 'the snapshot');
    for (let step = 0; step < 2; step += 1) {
      await direct.advance(2_000);
      await sameAsDirect(direct, clusterScreen.model, `step ${step + 1}`);
    }
    const call = tradableCall(direct.engine);
    direct.runner.run(`i ${call.name}; a1 ${call.tickSize}`, null);
    await direct.runner.settled();
    await waitUntil('the order resting', () => direct.engine.account.orders(VENUE).length === 1);
    await sameAsDirect(direct, clusterScreen.model, 'an order');
    assert.equal(clusterScreen.engine.account.orders(VENUE).length, 1);
    direct.runner.run('ca', null);
    await direct.runner.settled();
    await sameAsDirect(direct, clusterScreen.model, 'cancelled');
  });
});

/** A snapshot-field write with no quote hash, as the codec builds one. */
function setWrite(field: string, ts: number, json: string): MarketWrite {
  return { op: 'set', field, ts, json, quote: null };
}
