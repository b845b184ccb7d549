// `ivtrade serve` as a server runs it: the built binary on the embedded sim, publishing into a
// real redis-server; a SIGTERM stops it cleanly (its heartbeat key gone); a missing or bad
// --redis is a usage error that names the problem and never echoes a password.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openRedis, parseRedisUrl, type RedisClient } from '../../src/store/connect.js';
import { keySchema, QUOTE_FIELDS, QUOTE_LISTING_FIELD } from '../../src/store/keys.js';
import { sharedRedis, testPrefix } from '../support/redis.js';
import { sleep } from '../support/wait.js';
import { BIN, runBin, type Run } from './support/run-bin.js';

describe('ivtrade serve', () => {
  let redis: { url: string; stop(): Promise<void> };
  let client: RedisClient;
  let home: string;
  before(async () => {
    redis = await sharedRedis();
    client = await openRedis(parseRedisUrl(redis.url));
    home = mkdtempSync(join(tmpdir(), 'ivtrade-serve-cli-'));
  });
  after(async () => {
    client.disconnect();
    await redis.stop();
    rmSync(home, { recursive: true, force: true });
  });
  const env = (): NodeJS.ProcessEnv => ({ HOME: home, XDG_STATE_HOME: join(home, 'state') });

  it('publishes the sim venue into Redis and stops cleanly on SIGTERM', async () => {
    const prefix = testPrefix('serve');
    const keys = keySchema(prefix);
    const coin = keys.coin('deribit', 'BTC');
    const venue = keys.venue('deribit');
    const child = spawn(
      process.execPath,
      [
        BIN,
        'serve',
        '--venue',
        'sim',
        '--currency',
        'BTC',
        '--redis',
        redis.url,
        '--redis-prefix',
        prefix,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env['PATH'], ...env() } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const quote = await client.hget(coin.quote('BTC-PERPETUAL'), 'bid');
        if (quote !== null && quote !== '' && (await client.exists(venue.alive)) === 1) break;
        assert.ok(Date.now() < deadline, `nothing published; stderr: ${stderr}`);
        await sleep(100);
      }
      const snapshot = await client.hgetall(coin.snapshot);
      const specs = Object.keys(snapshot).filter((name) => name.startsWith('i:'));
      assert.ok(specs.length > 20, `${specs.length} instruments`);
      assert.ok(specs.includes('i:BTC-PERPETUAL'));
      const quoted = Object.keys(snapshot).find((name) => /^t:.*-C$/.test(name));
      assert.ok(quoted !== undefined, 'an option ticker published');
      const fields = await client.hkeys(coin.quote(quoted.slice(2)));
      assert.deepEqual(fields.sort(), [...QUOTE_FIELDS, QUOTE_LISTING_FIELD].sort());
      // The listing in the quote hash is the snapshot's, byte for byte.
      assert.equal(
        await client.hget(coin.quote(quoted.slice(2)), QUOTE_LISTING_FIELD),
        snapshot[`i:${quoted.slice(2)}`],
      );
      assert.ok(Number(snapshot['~seq']) > 0);
      const alive = JSON.parse((await client.get(venue.alive))!) as { pid: number };
      assert.equal(alive.pid, child.pid);
      assert.equal(await client.hget(venue.meta, 'mode'), 'SIM');
      assert.equal(await client.hget(venue.meta, 'currencies'), 'BTC');
      assert.equal(await client.sismember(keys.venues, 'deribit'), 1);
      const ttl = await client.pttl(venue.alive);
      assert.ok(ttl > 0 && ttl <= 2_000, `alive ttl ${ttl}`);

      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
      assert.equal(await client.exists(venue.alive), 0, 'alive deleted on a clean stop');
      const lines = stdout
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { kind: string; hedger?: string; prefix?: string });
      const started = lines.find((line) => line.kind === 'serve');
      assert.equal(started?.hedger, 'off');
      assert.equal(started?.prefix, prefix);
      assert.match(stderr, /ivtrade serve: \d+ updates written to Redis/);
      assert.match(stderr, /session closed/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    }
  });

  const usage = (args: readonly string[]): Promise<Run> =>
    runBin(['serve', '--venue', 'sim', ...args], env());

  it('without --redis: exit 2 with an example', async () => {
    const result = await usage([]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--redis is required.*redis:\/\/127\.0\.0\.1:6379/);
  });

  it('a --redis that is not a Redis URL: exit 2, no password echoed', async () => {
    const scheme = await usage(['--redis', 'http://127.0.0.1:6379']);
    assert.equal(scheme.code, 2);
    assert.match(scheme.stderr, /redis:\/\/ or rediss:\/\//);
    const db = await usage(['--redis', 'redis://u:hunter2@127.0.0.1:6379/x']);
    assert.equal(db.code, 2);
    assert.match(db.stderr, /database/);
    assert.doesNotMatch(db.stderr, /hunter2/);
    const prefix = await usage(['--redis', redis.url, '--redis-prefix', 'a:b']);
    assert.equal(prefix.code, 2);
    assert.match(prefix.stderr, /--redis-prefix/);
    const maxlen = await usage(['--redis', redis.url, '--stream-maxlen', '0']);
    assert.equal(maxlen.code, 2);
  });

  it('a Redis that does not answer: exit 1 naming it, no password echoed', async () => {
    const result = await usage(['--redis', 'redis://:hunter2@127.0.0.1:1']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
    assert.doesNotMatch(result.stderr, /hunter2/);
  });
});
