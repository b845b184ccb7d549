// `ivtrade --redis <url>`: flags that belong to serve exit 2 with a hint; what Redis serves
// decides the venue (none, several: exit 2 naming them); a served venue gets as far as the
// terminal check. (The screen itself: test/app/attached-screen, and the integrator's tmux run.)

import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openRedis, parseRedisUrl, type RedisClient } from '../../src/store/connect.js';
import { keySchema } from '../../src/store/keys.js';
import { sharedRedis, testPrefix } from '../support/redis.js';
import { runBin } from './support/run-bin.js';

let redis: { url: string; stop(): Promise<void> };
let client: RedisClient;

before(async () => {
  redis = await sharedRedis();
  client = await openRedis(parseRedisUrl(redis.url));
});

after(async () => {
  client.disconnect();
  await redis.stop();
});

async function serving(venues: readonly string[]): Promise<string> {
  const prefix = testPrefix('cli');
  const keys = keySchema(prefix);
  for (const venue of venues) {
    await client.sadd(keys.venues, venue);
    await client.hset(keys.venue(venue).meta, { venue, currencies: 'BTC', mode: 'SIM' });
  }
  return prefix;
}

describe('ivtrade --redis flags', () => {
  const cases: [string[], RegExp][] = [
    [['--seed', '3'], /--seed does not go with --redis: the sim runs in serve/],
    [['--sim-venue', 'bybit'], /--sim-venue does not go with --redis/],
    [['--testnet'], /--testnet does not go with --redis/],
    [['--url', 'deribit=ws://x'], /--url does not go with --redis/],
    [['--hedge'], /--hedge does not go with --redis: the hedger runs in serve/],
    [
      ['--max-notional', '1000'],
      /--max-notional does not go with --redis: the order gateway is serve's/,
    ],
    [['--cancel-on-disconnect'], /--cancel-on-disconnect does not go with --redis/],
  ];
  for (const [args, message] of cases) {
    it(`refuses --redis with ${args.join(' ')}: exit 2 and a hint`, async () => {
      const result = await runBin(['--redis', 'redis://127.0.0.1:1', ...args]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.match(result.stderr, /see 'ivtrade --help'/);
      assert.equal(result.stdout, '');
    });
  }

  it('takes the Redis password from --config, and refuses a file open to others (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ivt-attach-config-'));
    try {
      const file = join(dir, 'credentials.json');
      writeFileSync(file, JSON.stringify({ redis: { password: 'from-the-file' } }), {
        mode: 0o644,
      });
      const open = await runBin(['--redis', 'redis://127.0.0.1:1', '--config', file]);
      assert.equal(open.code, 2, open.stderr);
      assert.match(open.stderr, /chmod 600/);
      assert.doesNotMatch(open.stderr, /from-the-file/);
      chmodSync(file, 0o600);
      const closed = await runBin(['--redis', 'redis://127.0.0.1:1', '--config', file]);
      // Past the file: the Redis at port 1 is not there, said without the password.
      assert.equal(closed.code, 2, closed.stderr);
      assert.match(closed.stderr, /127\.0\.0\.1:1/);
      assert.doesNotMatch(closed.stderr, /from-the-file|chmod/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses --redis-prefix without --redis', async () => {
    const result = await runBin(['--redis-prefix', 'desk']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--redis-prefix needs --redis <url>/);
  });

  it('refuses a URL that is not Redis, and a Redis it cannot reach, without a password', async () => {
    const bad = await runBin(['--redis', 'http://127.0.0.1:6379']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /starts redis:\/\/ or rediss:\/\//);
    const down = await runBin(['--redis', 'redis://:topsecret@127.0.0.1:1']);
    assert.equal(down.code, 2);
    assert.match(down.stderr, /cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
    assert.doesNotMatch(down.stderr, /topsecret/);
  });

  it('exits 2 naming the venues when it cannot choose one', async () => {
    const none = await runBin(['--redis', redis.url, '--redis-prefix', await serving([])]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /nothing is served under prefix \S+ at redis:\/\/127\.0\.0\.1:\d+/);
    const prefix = await serving(['deribit', 'bybit']);
    const two = await runBin(['--redis', redis.url, '--redis-prefix', prefix]);
    assert.equal(two.code, 2);
    assert.match(two.stderr, /serves bybit, deribit: choose one with --venue/);
    const other = await runBin(['--redis', redis.url, '--redis-prefix', prefix, '--venue', 'sim']);
    assert.equal(other.code, 2);
    assert.match(
      other.stderr,
      /sim is not served under prefix \S+ at \S+ \(served: bybit, deribit\)/,
    );
  });

  it('attaches to the venue chosen, then needs a terminal like any screen', async () => {
    const prefix = await serving(['deribit', 'bybit']);
    const result = await runBin([
      '--redis',
      redis.url,
      '--redis-prefix',
      prefix,
      '--venue',
      'bybit',
    ]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /the screen needs a terminal/);
  });

  it('lists --redis and --redis-prefix in --help', async () => {
    const result = await runBin(['--help']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /--redis <url>/);
    assert.match(result.stdout, /--redis-prefix <prefix>/);
  });
});
