// A desk on a real 3-master Redis Cluster: serve (the sim's Deribit side, its one gateway, its
// hedger, the intent executor) and two attached screens, each an engine over a BusFeed with
// its own intents path. The same behaviour as on one node: an order typed on one screen rests
// at the venue and shows on both; `hon` on the other turns serve's hedger on and both see it;
// `cc` cancels. Then the slot check: every key that one script call touches hashes to one
// slot, and the desk's keys are spread over more than one master.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { attachedTrading, type SessionTrading } from '../../src/app/attached-trading.js';
import { openBusFeeds, planAttach } from '../../src/app/bus-feeds.js';
import { MarketEngine } from '../../src/app/market-engine.js';
import { serveExtensions } from '../../src/app/serve-extensions.js';
import { startServe, type ServeSession } from '../../src/app/serve-session.js';
import type { OpenFeeds } from '../../src/app/venue-feeds.js';
import type { BusFeed } from '../../src/store/bus-feed.js';
import { isCluster, openRedis, parseRedisUrl, type RedisClient } from '../../src/store/connect.js';
import { hashTagOf, keySchema } from '../../src/store/keys.js';
import { sharedCluster, testPrefix } from '../support/redis.js';
import { waitUntil } from '../support/wait.js';
import { openSimBtcFeeds } from '../support/sim-feeds.js';

const VENUE = 'deribit';

interface Screen {
  readonly engine: MarketEngine;
  readonly bus: BusFeed;
  readonly trading: SessionTrading;
  readonly notes: string[];
}

async function attach(url: string, prefix: string): Promise<Screen> {
  const plan = await planAttach({ url, prefix });
  const opened = openBusFeeds(plan);
  const engine = new MarketEngine(opened.feeds);
  await engine.start();
  const notes: string[] = [];
  const trading = await attachedTrading(engine, plan, opened.bus, {
    note: (text) => notes.push(text),
    orderReport: (text) => notes.push(text),
    info: () => undefined,
    help: () => undefined,
    quit: () => undefined,
  });
  return { engine, bus: opened.bus, trading, notes };
}

describe('serve and two attached screens on a Redis Cluster', () => {
  let cluster: { url: string; stop(): Promise<void> };
  let client: RedisClient;
  let opened: OpenFeeds;
  let session: ServeSession;
  let dir: string;
  const prefix = testPrefix('desk');
  const screens: Screen[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ivt-desk-'));
    cluster = await sharedCluster();
    client = await openRedis(parseRedisUrl(cluster.url));
    assert.ok(isCluster(client), 'the seed URL is found to be a cluster');
    opened = await openSimBtcFeeds('deribit', { seed: 17, speed: 1 });
    const quiet = { note: () => undefined, info: () => undefined, help: () => undefined };
    session = await startServe({
      engine: new MarketEngine(opened.feeds),
      venue: VENUE,
      client,
      keys: keySchema(prefix),
      trading: { hedge: { on: false, currency: 'BTC', logPath: join(dir, 'hedge.jsonl') } },
      output: { ...quiet, quit: () => undefined },
      print: () => undefined,
      currencies: ['BTC'],
      mode: 'SIM',
      extensions: serveExtensions({ intentMaxAgeMs: 5_000, historyRetentionMs: 86_400_000 }),
    });
    for (let n = 0; n < 2; n += 1) screens.push(await attach(cluster.url, prefix));
  });

  after(async () => {
    for (const screen of screens) {
      screen.trading.close();
      await screen.engine.stop();
    }
    await session.stop();
    await opened.close();
    client.disconnect();
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an order from one screen shows on both; hon from the other turns serve’s hedger on for both', async () => {
    const [one, two] = screens as [Screen, Screen];
    const served = session.context.engine;
    await waitUntil('both screens quoting', () =>
      screens.every((screen) =>
        screen.engine.market
          .chains(VENUE)
          .some((chain) => chain.options.some((spec) => chain.option(spec.name)?.bid !== null)),
      ),
    );
    const chain = one.engine.market.chains(VENUE)[0]!;
    const call = chain.options.find((spec) => chain.option(spec.name)?.bid !== null)!;
    one.trading.runner.run(`i ${call.name}; a1 ${call.tickSize}`, null);
    await one.trading.runner.settled();
    await waitUntil(
      () => `the order at serve and on both screens; notes: ${one.notes.join(' | ')}`,
      () =>
        served.account.orders(VENUE).length === 1 &&
        screens.every((screen) => screen.engine.account.orders(VENUE).length === 1),
      10_000,
    );
    assert.equal(two.engine.account.orders(VENUE)[0]!.instrument, call.name);

    two.trading.runner.run('hon', null);
    await two.trading.runner.settled();
    await waitUntil(
      () => `serve's hedger on, seen by both; notes: ${two.notes.join(' | ')}`,
      () =>
        session.context.trading.hedge?.hedger.state().mode === 'on' &&
        screens.every((screen) => screen.trading.remote?.hedgerState()?.mode === 'on'),
      10_000,
    );

    one.trading.runner.run('cc', null);
    await one.trading.runner.settled();
    await waitUntil(
      'the cancel at serve and on both screens',
      () =>
        served.account.orders(VENUE).length === 0 &&
        screens.every((screen) => screen.engine.account.orders(VENUE).length === 0),
      10_000,
    );
  });

  it('every key one script touches is in one slot, and the keys span the masters', async () => {
    if (!isCluster(client)) assert.fail('not a cluster');
    const keys: string[] = [];
    const masters = client.nodes('master');
    const perMaster: number[] = [];
    for (const node of masters) {
      let cursor = '0';
      let found = 0;
      do {
        const [next, batch] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1_000);
        cursor = next;
        keys.push(...batch);
        found += batch.length;
      } while (cursor !== '0');
      perMaster.push(found);
    }
    const schema = keySchema(prefix);
    const venue = schema.venue(VENUE);
    const coin = schema.coin(VENUE, 'BTC');
    const intents = schema.intents(VENUE);
    for (const key of [venue.state, venue.updates, venue.meta, venue.alive, venue.hedger]) {
      assert.ok(keys.includes(key), `${key} is written`);
    }
    for (const key of [coin.snapshot, coin.updates]) assert.ok(keys.includes(key), key);
    assert.ok(keys.includes(intents.requests), intents.requests);
    const slotOf = async (key: string): Promise<number> =>
      Number(await client.cluster('KEYSLOT', key));
    const byTag = new Map<string, Set<number>>();
    for (const key of keys) {
      const tag = hashTagOf(key);
      const slots = byTag.get(tag) ?? new Set<number>();
      slots.add(await slotOf(key));
      byTag.set(tag, slots);
    }
    for (const [tag, slots] of byTag) {
      assert.equal(slots.size, 1, `the keys tagged {${tag}} share one slot`);
    }
    // The three tags of a venue and its coin are three slots; on three masters, at least two.
    assert.ok(
      perMaster.filter((count) => count > 0).length >= 2,
      `keys on more than one master: ${perMaster.join(', ')}`,
    );
  });
});
