import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret } from '../../src/config/secret.js';
import {
  describeTarget,
  isCluster,
  openRedis,
  parseRedisUrl,
  RedisUrlError,
} from '../../src/store/connect.js';
import { hashTagOf, keySchema } from '../../src/store/keys.js';
import { sharedCluster, sharedRedis, startRedis } from '../support/redis.js';

describe('parseRedisUrl', () => {
  it('reads host, port, db, user and a password kept secret', () => {
    const target = parseRedisUrl('rediss://viewer:s3cr%40t@10.0.0.5:6380/2');
    assert.equal(target.host, '10.0.0.5');
    assert.equal(target.port, 6380);
    assert.equal(target.db, 2);
    assert.equal(target.tls, true);
    assert.equal(target.username, 'viewer');
    assert.equal(target.password?.reveal(), 's3cr@t');
    assert.equal(describeTarget(target), 'rediss://viewer@10.0.0.5:6380/2');
    assert.doesNotMatch(JSON.stringify(target), /s3cr/);
  });

  it('takes the password from elsewhere when the URL has none', () => {
    const target = parseRedisUrl('redis://127.0.0.1', { password: new Secret('pw') });
    assert.equal(target.port, 6379);
    assert.equal(target.password?.reveal(), 'pw');
  });

  it('refuses what is not a Redis URL, without echoing a password', () => {
    assert.throws(() => parseRedisUrl('http://h:1'), RedisUrlError);
    assert.throws(
      () => parseRedisUrl('redis://u:hunter2@h:1/x'),
      (error: Error) => /database/.test(error.message) && !/hunter2/.test(error.message),
    );
    assert.throws(
      () => parseRedisUrl('not a url :pw@'),
      (error: Error) => /not a Redis URL/.test(error.message),
    );
  });
});

describe('keySchema', () => {
  const keys = keySchema('ivt');
  it('puts every key of a coin, a venue and the intents in one slot each', () => {
    const coin = keys.coin('deribit', 'BTC');
    const tags = new Set(
      [
        coin.snapshot,
        coin.updates,
        coin.quote('BTC-PERPETUAL'),
        coin.history('BTC-27DEC26-100000-C'),
      ].map(hashTagOf),
    );
    assert.deepEqual([...tags], ['deribit:BTC']);
    const venue = keys.venue('deribit');
    assert.deepEqual(
      [
        ...new Set(
          [venue.state, venue.updates, venue.meta, venue.alive, venue.hedger].map(hashTagOf),
        ),
      ],
      ['deribit:@venue'],
    );
    const intents = keys.intents('deribit');
    assert.deepEqual(
      [...new Set([intents.requests, intents.taken('x'), intents.replies('s1')].map(hashTagOf))],
      ['deribit:@intents'],
    );
    assert.equal(coin.snapshot, 'ivt:{deribit:BTC}:2:snap');
    // The minute history keeps its own version: its format is unchanged since version 1.
    assert.equal(coin.history('BTC-PERPETUAL'), 'ivt:{deribit:BTC}:1:hist:BTC-PERPETUAL');
  });

  it('refuses names that would break the slot or the key space', () => {
    assert.throws(() => keys.coin('deribit', 'B}TC'));
    assert.throws(() => keySchema('a:b'));
  });
});

describe('openRedis against a real redis-server', () => {
  let single: { url: string; stop(): Promise<void> };
  let cluster: { url: string; stop(): Promise<void> };
  before(async () => {
    single = await sharedRedis();
    cluster = await sharedCluster();
  });
  after(async () => {
    await single.stop();
    await cluster.stop();
  });

  it('finds a single node is a single node', async () => {
    const client = await openRedis(parseRedisUrl(single.url));
    assert.equal(isCluster(client), false);
    assert.equal(await client.ping(), 'PONG');
    client.disconnect();
  });

  it('finds a cluster is a cluster from one seed URL', async () => {
    const client = await openRedis(parseRedisUrl(cluster.url));
    assert.equal(isCluster(client), true);
    const key = keySchema('tconnect').coin('deribit', 'BTC').snapshot;
    await client.hset(key, 'x', '1');
    assert.equal(await client.hget(key, 'x'), '1');
    await client.del(key);
    client.disconnect();
  });

  it('says which server refused a wrong password, without the password', async () => {
    const server = await startRedis({ password: 'right-one' });
    try {
      await assert.rejects(
        openRedis(parseRedisUrl(`redis://:wrong-one@127.0.0.1:${server.port}`)),
        (error: Error) =>
          error.message.includes(`127.0.0.1:${server.port}`) &&
          !error.message.includes('wrong-one'),
      );
      const client = await openRedis(parseRedisUrl(`redis://:right-one@127.0.0.1:${server.port}`));
      assert.equal(await client.ping(), 'PONG');
      client.disconnect();
    } finally {
      await server.stop();
    }
  });
});
