// `ivtrade --redis`: which venue an attached screen shows (asked of Redis), the screen itself
// drawn headless over serve's real publisher, and an order sent through serve's intents.
// The embedded exchange (manual clock) through the Deribit adapter stands in for the venue.

import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { attachedTrading } from '../../src/app/attached-trading.js';
import { startTrading } from '../../src/app/exec-lines.js';
import { startIntentExecutor } from '../../src/app/intent-executor.js';
import { AttachError, openBusFeeds, planAttach } from '../../src/app/bus-feeds.js';
import { MarketEngine } from '../../src/app/market-engine.js';
import { publisherSource } from '../../src/app/serve-session.js';
import { DeribitFeed } from '../../src/feeds/deribit/feed.js';
import { BusFeed } from '../../src/store/bus-feed.js';
import { startSim, type RunningSim } from '../../src/sim/server.js';
import { openRedis, parseRedisUrl, type RedisClient } from '../../src/store/connect.js';
import { keySchema, type KeySchema } from '../../src/store/keys.js';
import { Publisher } from '../../src/store/publisher.js';
import { sharedRedis, startRedis, testPrefix } from '../support/redis.js';
import { waitUntil } from '../support/wait.js';

const VENUE = 'deribit';
const START = Date.UTC(2026, 10, 20, 7, 0);

/** A terminal for Ink that keeps what it was sent. */
class FakeStdout extends EventEmitter {
  readonly columns = 160;
  readonly rows = 48;
  readonly isTTY = true;
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    // Only the recent frames matter; the buffer stays small over a long render.
    if (this.text.length > 200_000) this.text = this.text.slice(-100_000);
    return true;
  }
}

/** Keys for Ink: raw mode is a no-op, writes arrive as typed input. */
class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  #pending: string | null = null;
  type(data: string): void {
    this.#pending = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read(): string | null {
    const data = this.#pending;
    this.#pending = null;
    return data;
  }
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

let sim: RunningSim;
let engine: MarketEngine;
let redis: { url: string; stop(): Promise<void> };
let client: RedisClient;
let keys: KeySchema;
let publisher: Publisher;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ivt-attached-'));
  sim = await startSim({
    seed: 7,
    manualClock: true,
    start: START,
    currencies: ['BTC'],
    minHeartbeatSec: 1,
  });
  sim.advance(1000);
  const key = sim.apiKeys.deribit[0]!;
  engine = new MarketEngine([
    new DeribitFeed({
      wsUrl: sim.urls.deribitWs,
      currencies: ['BTC'],
      credentials: { clientId: key.key, clientSecret: key.secret },
      heartbeatSec: 1,
      staleAfterMs: 600_000,
      log: () => undefined,
    }),
  ]);
  redis = await sharedRedis();
  client = await openRedis(parseRedisUrl(redis.url));
  keys = keySchema(testPrefix('screen'));
  publisher = new Publisher({
    client,
    keys,
    source: publisherSource(engine, VENUE),
    meta: { currencies: 'BTC', mode: 'SIM' },
    onProblem: () => undefined,
  });
  await engine.start();
  for (let step = 0; step < 5; step += 1) sim.advance(1000);
  await publisher.start();
});

after(async () => {
  await publisher.stop();
  client.disconnect();
  await redis.stop();
  await engine.stop();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('which venue an attached screen shows', () => {
  it('takes the one venue served, with its mode and coins from meta', async () => {
    const plan = await planAttach({ url: redis.url, prefix: keys.prefix });
    assert.equal(plan.venue, VENUE);
    assert.equal(plan.mode, 'SIM');
    assert.deepEqual(plan.currencies, ['BTC']);
    assert.equal(plan.via, redis.url.replace(/\/$/, ''));
  });

  it('names the choices when several venues are served, and refuses one not served', async () => {
    const prefix = testPrefix('two');
    const two = keySchema(prefix);
    await client.sadd(two.venues, 'deribit', 'bybit');
    for (const venue of ['deribit', 'bybit']) {
      await client.hset(two.venue(venue).meta, { venue, currencies: 'ETH', mode: 'LIVE' });
    }
    await assert.rejects(
      planAttach({ url: redis.url, prefix }),
      (error: Error) =>
        error instanceof AttachError &&
        /serves bybit, deribit: choose one with --venue/.test(error.message),
    );
    const chosen = await planAttach({ url: redis.url, prefix, venue: 'bybit' });
    assert.equal(chosen.venue, 'bybit');
    assert.equal(chosen.mode, 'LIVE');
    await assert.rejects(
      planAttach({ url: redis.url, prefix: keys.prefix, venue: 'bybit' }),
      /bybit is not served under prefix .* \(served: deribit\)/,
    );
  });

  it('says nothing is served, naming where without its password', async () => {
    const locked = await startRedis({ password: 'hunter2-secret' });
    try {
      const url = `redis://:hunter2-secret@127.0.0.1:${locked.port}`;
      await assert.rejects(planAttach({ url }), (error: Error) => {
        assert.ok(error instanceof AttachError);
        assert.match(
          error.message,
          new RegExp(`nothing is served under prefix ivt at redis://127.0.0.1:${locked.port}`),
        );
        assert.doesNotMatch(error.message, /hunter2/);
        return true;
      });
      await assert.rejects(
        planAttach({ url: `redis://127.0.0.1:${locked.port}` }),
        (error: Error) => error instanceof AttachError && !/hunter2/.test(error.message),
      );
    } finally {
      await locked.stop();
    }
  });
  it('a bus feed for a venue nothing serves refuses to start, saying so', async () => {
    const feed = new BusFeed({
      target: parseRedisUrl(redis.url),
      venue: VENUE,
      prefix: testPrefix('empty'),
    });
    await assert.rejects(feed.start(), /nothing is served for deribit under prefix \S+ at redis:/);
    assert.deepEqual(feed.serveAlive(), { ok: false, reason: 'not attached' });
  });
});

describe('the attached screen', () => {
  it('draws the venue via Redis, live, and quits on Ctrl-C', async () => {
    const plan = await planAttach({ url: redis.url, prefix: keys.prefix });
    const stdout = new FakeStdout();
    const stdin = new FakeStdin();
    // Ink draws nothing until it exits when it believes it runs in CI (`CI` set, as .ci/run
    // sets it): it reads the variable once, as it loads, so the screen is loaded here.
    process.env.CI = '0';
    const { runTui } = await import('../../src/app/tui-session.js');
    const session = runTui({
      plan,
      venue: plan.venue,
      mode: plan.mode,
      logPath: join(dir, 'screen.log'),
      historyPath: null,
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      env: { NO_COLOR: '1' },
    });
    const frame = (): string => stripVTControlCharacters(stdout.text.slice(-20_000));
    try {
      await waitUntil(
        () => `the attached header and a chain; last frame:\n${frame().slice(-3_000)}`,
        () =>
          /SIM\s+DERIBIT via redis:\/\/127\.0\.0\.1:\d+ live/.test(frame()) && /BTC/.test(frame()),
        10_000,
      );
    } finally {
      // Quit whatever happened, or the session (and this test file) would never end.
      stdin.type('\u0003');
    }
    const result = await session;
    assert.equal(result.failure, null);
  });

  it("sends an order as an intent to serve's one gateway; both engines see it; cc cancels it", async () => {
    const quiet = {
      note: () => undefined,
      info: () => undefined,
      help: () => undefined,
      quit: () => undefined,
    };
    const serveTrading = startTrading(engine, VENUE, {}, quiet);
    const executor = await startIntentExecutor({
      venue: VENUE,
      trading: serveTrading,
      redis: client,
      keys,
    });
    const plan = await planAttach({ url: redis.url, prefix: keys.prefix });
    const opened = openBusFeeds(plan);
    const attached = new MarketEngine(opened.feeds);
    const notes: string[] = [];
    await attached.start();
    const trading = await attachedTrading(attached, plan, opened.bus, {
      note: (text) => notes.push(text),
      orderReport: (text) => notes.push(text),
      info: () => undefined,
      help: () => undefined,
      quit: () => undefined,
    });
    try {
      assert.ok(
        trading.remote !== undefined,
        `the intents path opened; notes: ${notes.join(' | ')}`,
      );
      await waitUntil('a chain', () => attached.market.chains(VENUE).length > 0);
      const chain = attached.market.chains(VENUE)[0]!;
      const call = chain.options.find((spec) => chain.option(spec.name)?.bid !== null)!;
      trading.runner.run(`i ${call.name}; a1 ${call.tickSize}`, null);
      await trading.runner.settled();
      await waitUntil(
        () => `the order open at the venue and on the attached screen; notes: ${notes.join(' | ')}`,
        () =>
          engine.account.orders(VENUE).length === 1 && attached.account.orders(VENUE).length === 1,
      );
      const order = attached.account.orders(VENUE)[0]!;
      assert.equal(order.instrument, call.name);
      assert.match(order.label ?? '', /^ivt-/);
      assert.ok(
        notes.some((note) => note.includes(order.label!)),
        `serve's report came back to this screen: ${notes.join(' | ')}`,
      );
      trading.runner.run('cc', null);
      await trading.runner.settled();
      await waitUntil(
        () => `the cancel at both; notes: ${notes.join(' | ')}`,
        () =>
          engine.account.orders(VENUE).length === 0 && attached.account.orders(VENUE).length === 0,
      );
    } finally {
      trading.close();
      await executor.close();
      serveTrading.close();
      await attached.stop();
    }
  });
});
