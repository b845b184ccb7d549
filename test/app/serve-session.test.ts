// serve composed on the sim and a real Redis: extensions get the running session and are
// stopped in reverse order before the publisher's last flush; one that cannot start stops
// what had started.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MarketEngine } from '../../src/app/market-engine.js';
import { startServe, type ServeContext } from '../../src/app/serve-session.js';
import type { OpenFeeds } from '../../src/app/venue-feeds.js';
import { openRedis, parseRedisUrl, type RedisClient } from '../../src/store/connect.js';
import { keySchema } from '../../src/store/keys.js';
import { sharedCluster, sharedRedis, testPrefix } from '../support/redis.js';
import { sleep } from '../support/wait.js';
import { openSimBtcFeeds } from '../support/sim-feeds.js';

const quiet = {
  note: () => undefined,
  info: () => undefined,
  help: () => undefined,
  quit: () => undefined,
};

function simFeeds(seed: number): Promise<OpenFeeds> {
  return openSimBtcFeeds('deribit', { seed, speed: 1 });
}

function serveOn(client: RedisClient, prefix: string, opened: OpenFeeds) {
  return {
    engine: new MarketEngine(opened.feeds),
    venue: 'deribit',
    client,
    keys: keySchema(prefix),
    trading: {},
    output: quiet,
    print: () => undefined,
    currencies: ['BTC'],
    mode: 'SIM' as const,
  };
}

describe('startServe', () => {
  let redis: { url: string; stop(): Promise<void> };
  let cluster: { url: string; stop(): Promise<void> };
  before(async () => {
    redis = await sharedRedis();
    cluster = await sharedCluster();
  });
  after(async () => {
    await redis.stop();
    await cluster.stop();
  });

  it('runs extensions with the session and stops them in reverse, then flushes', async () => {
    const client = await openRedis(parseRedisUrl(redis.url));
    const opened = await simFeeds(8);
    const prefix = testPrefix('srv');
    const calls: string[] = [];
    let seen: ServeContext | null = null;
    try {
      const session = await startServe({
        ...serveOn(client, prefix, opened),
        extensions: [
          (context) => {
            seen = context;
            calls.push('start intents');
            return Promise.resolve(() => {
              calls.push('stop intents');
            });
          },
          () => {
            calls.push('start history');
            return Promise.resolve(async () => {
              // Still running when stopped: its last writes can reach Redis.
              assert.equal(await client.exists(keySchema(prefix).venue('deribit').alive), 1);
              calls.push('stop history');
            });
          },
        ],
      });
      const context = seen as ServeContext | null;
      assert.ok(context !== null);
      assert.equal(context.venue, 'deribit');
      assert.equal(context.keys.prefix, prefix);
      assert.equal(context.trading.hedge, null);
      assert.equal(typeof context.everyMinute(() => undefined), 'function');
      await sleep(300);
      assert.ok(session.stats().written > 0);
      await session.stop();
      assert.deepEqual(calls, ['start intents', 'start history', 'stop history', 'stop intents']);
      assert.equal(await client.exists(keySchema(prefix).venue('deribit').alive), 0);
    } finally {
      await opened.close();
      client.disconnect();
    }
  });

  it('an extension that cannot start stops the rest and rejects', async () => {
    const client = await openRedis(parseRedisUrl(redis.url));
    const opened = await simFeeds(9);
    const prefix = testPrefix('srv');
    const calls: string[] = [];
    try {
      await assert.rejects(
        startServe({
          ...serveOn(client, prefix, opened),
          extensions: [
            () => Promise.resolve(() => void calls.push('stopped first')),
            () => Promise.reject(new Error('no intents stream')),
          ],
        }),
        /no intents stream/,
      );
      assert.deepEqual(calls, ['stopped first']);
      assert.equal(await client.exists(keySchema(prefix).venue('deribit').alive), 0);
    } finally {
      await opened.close();
      client.disconnect();
    }
  });

  it('publishes into a 3-master cluster: every coin and the venue in their slots', async () => {
    const client = await openRedis(parseRedisUrl(cluster.url));
    const opened = await simFeeds(10);
    const prefix = testPrefix('srv');
    try {
      const options = serveOn(client, prefix, opened);
      const session = await startServe(options);
      const keys = keySchema(prefix);
      const deadline = Date.now() + 10_000;
      let specs = 0;
      const listed = options.engine.market.registry('deribit').size;
      while (specs !== listed) {
        assert.ok(Date.now() < deadline, `${specs} of ${listed} specs in the cluster`);
        await sleep(100);
        const snapshot = await client.hkeys(keys.coin('deribit', 'BTC').snapshot);
        specs = snapshot.filter((name) => name.startsWith('i:')).length;
      }
      assert.equal(await client.hget(keys.venue('deribit').meta, 'mode'), 'SIM');
      assert.equal(await client.exists(keys.venue('deribit').alive), 1);
      const state = await client.hkeys(keys.venue('deribit').state);
      assert.ok(
        state.some((name) => name.startsWith('b:')),
        state.join(' '),
      );
      await session.stop();
      assert.equal(session.stats().errors, 0);
      assert.equal(await client.exists(keys.venue('deribit').alive), 0);
    } finally {
      await opened.close();
      client.disconnect();
    }
  });
});
