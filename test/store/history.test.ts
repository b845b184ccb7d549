import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { openRedis, parseRedisUrl, type RedisClient } from '../../src/store/connect.js';
import {
  HISTORY_FIELDS,
  historyText,
  MINUTE_MS,
  readHistory,
  writeHistoryMinute,
  type HistoryRow,
  type HistoryValues,
} from '../../src/store/history.js';
import { keySchema } from '../../src/store/keys.js';
import {
  sharedCluster,
  sharedRedis,
  startRedis,
  testPrefix,
  type RedisServer,
} from '../support/redis.js';

const T0 = Date.UTC(2026, 5, 1, 12, 0);
const CALL = 'BTC-26JUN26-100000-C';
const PUT = 'BTC-26JUN26-100000-P';
const DAY = 86_400_000;

function values(mark: number, extra: Partial<HistoryValues> = {}): HistoryValues {
  const base = Object.fromEntries(HISTORY_FIELDS.map((name) => [name, null])) as Record<
    string,
    number | null
  >;
  return { ...base, mark, bid: mark - 0.0005, ask: mark + 0.0005, ...extra } as HistoryValues;
}

function row(instrument: string, mark: number, extra: Partial<HistoryValues> = {}): HistoryRow {
  return { instrument, values: values(mark, extra) };
}

const LIMITS = { retentionMs: 30 * DAY, maxEntries: 50_000 };

describe('minute history script', () => {
  let stopRedis: () => Promise<void>;
  let client: RedisClient;

  before(async () => {
    const redis = await sharedRedis();
    stopRedis = () => redis.stop();
    client = await openRedis(parseRedisUrl(redis.url));
  });
  after(async () => {
    client.disconnect();
    await stopRedis();
  });

  it('writes one entry per instrument with id <minute>-0 and the fields as decimal text', async () => {
    const coin = keySchema(testPrefix()).coin('deribit', 'BTC');
    const added = await writeHistoryMinute(
      client,
      coin,
      T0,
      [row(CALL, 0.0215, { gamma: 1.2e-7, delta: 0.25, index: 90_000.5 }), row(PUT, 0.04)],
      LIMITS,
    );
    assert.equal(added, 2);
    const raw = await client.xrange(coin.history(CALL), '-', '+');
    assert.equal(raw.length, 1);
    const [id, flat] = raw[0]!;
    assert.equal(id, `${T0}-0`);
    const fields = Object.fromEntries(
      Array.from({ length: flat.length / 2 }, (_, i): [string, string] => [
        flat[2 * i]!,
        flat[2 * i + 1]!,
      ]),
    );
    assert.deepEqual(Object.keys(fields), [...HISTORY_FIELDS]);
    // Never exponent form, '' where there is no value.
    assert.equal(fields['gamma'], '0.00000012');
    assert.equal(fields['mark'], '0.0215');
    assert.equal(fields['index'], '90000.5');
    assert.equal(fields['vega'], '');
    assert.equal(await client.xlen(coin.history(PUT)), 1);
  });

  it("keeps the venue's prices whole and what ivtrade computed to six significant digits", async () => {
    const coin = keySchema(testPrefix()).coin('deribit', 'BTC');
    await writeHistoryMinute(
      client,
      coin,
      T0,
      [
        row(CALL, 0.0215123456789, {
          mark_iv: 0.55231498765,
          gamma: 1.23456789e-7,
          forward: 90012.123456789,
        }),
      ],
      LIMITS,
    );
    const [entry] = await readHistory(client, coin, CALL, 0, T0 + DAY);
    assert.equal(entry!.values.mark, 0.0215123456789);
    assert.equal(entry!.values.mark_iv, 0.552315);
    assert.equal(entry!.values.gamma, 1.23457e-7);
    assert.equal(entry!.values.forward, 90012.12346);
    assert.equal(historyText('vega', null), '');
  });

  it('keeps a minute written twice as one entry, the first write standing', async () => {
    const coin = keySchema(testPrefix()).coin('deribit', 'BTC');
    assert.equal(await writeHistoryMinute(client, coin, T0, [row(CALL, 0.02)], LIMITS), 1);
    assert.equal(await writeHistoryMinute(client, coin, T0, [row(CALL, 0.03)], LIMITS), 0);
    // A late older minute is skipped too: ids only grow.
    assert.equal(
      await writeHistoryMinute(client, coin, T0 - MINUTE_MS, [row(CALL, 0.01)], LIMITS),
      0,
    );
    const entries = await readHistory(client, coin, CALL, 0, T0 + DAY);
    assert.deepEqual(
      entries.map((entry) => [entry.ts, entry.values.mark]),
      [[T0, 0.02]],
    );
    // The next minute is a new entry, and an instrument new to the stream joins the same call.
    assert.equal(
      await writeHistoryMinute(
        client,
        coin,
        T0 + MINUTE_MS,
        [row(CALL, 0.025), row(PUT, 0.05)],
        LIMITS,
      ),
      2,
    );
    assert.equal(await client.xlen(coin.history(CALL)), 2);
  });

  it('reads a range by time, both ends inclusive, blanks as null', async () => {
    const coin = keySchema(testPrefix()).coin('bybit', 'ETH');
    for (let m = 0; m < 10; m += 1) {
      await writeHistoryMinute(
        client,
        coin,
        T0 + m * MINUTE_MS,
        [row('ETH-X', 0.01 * (m + 1))],
        LIMITS,
      );
    }
    const entries = await readHistory(
      client,
      coin,
      'ETH-X',
      T0 + 2 * MINUTE_MS,
      T0 + 5 * MINUTE_MS,
    );
    assert.deepEqual(
      entries.map((entry) => entry.ts),
      [2, 3, 4, 5].map((m) => T0 + m * MINUTE_MS),
    );
    assert.equal(entries[0]!.values.mark, 0.03);
    assert.equal(entries[0]!.values.theta, null);
    assert.deepEqual(await readHistory(client, coin, 'ETH-NONE', 0, T0 + DAY), []);
  });

  it('sets the key to expire after the retention, renewed by each write', async () => {
    const coin = keySchema(testPrefix()).coin('deribit', 'BTC');
    await writeHistoryMinute(client, coin, T0, [row(CALL, 0.02)], LIMITS);
    const ttl = await client.pttl(coin.history(CALL));
    assert.ok(ttl > 29 * DAY && ttl <= 30 * DAY, `pttl ${ttl}`);
    // A delisted instrument is no longer written: its history goes with the retention.
    const short = { retentionMs: 300, maxEntries: 100 };
    await writeHistoryMinute(client, coin, T0 + MINUTE_MS, [row(PUT, 0.02)], short);
    assert.equal(await client.exists(coin.history(PUT)), 1);
    const deadline = Date.now() + 10_000;
    while ((await client.exists(coin.history(PUT))) === 1) {
      assert.ok(Date.now() < deadline, 'the history key did not expire');
      await sleep(50);
    }
  });

  it('refuses a minute that does not start on the minute', async () => {
    const coin = keySchema(testPrefix()).coin('deribit', 'BTC');
    await assert.rejects(
      writeHistoryMinute(client, coin, T0 + 1_000, [row(CALL, 0.02)], LIMITS),
      /starts on the minute/,
    );
  });
});

describe('minute history trimming', () => {
  // Small stream nodes so approximate trimming (~) acts on a few entries, as it does on
  // thousands with the default node size.
  let server: RedisServer;
  let client: RedisClient;

  before(async () => {
    server = await startRedis({ args: ['--stream-node-max-entries', '2'] });
    client = await openRedis(parseRedisUrl(server.url));
  });
  after(async () => {
    client.disconnect();
    await server.stop();
  });

  it('trims by count', async () => {
    const coin = keySchema(testPrefix()).coin('deribit', 'BTC');
    const limits = { retentionMs: 30 * DAY, maxEntries: 5 };
    for (let m = 0; m < 40; m += 1) {
      await writeHistoryMinute(client, coin, T0 + m * MINUTE_MS, [row(CALL, 0.02)], limits);
    }
    const length = await client.xlen(coin.history(CALL));
    assert.ok(length >= 5 && length <= 7, `length ${length}`);
    const entries = await readHistory(client, coin, CALL, 0, T0 + DAY);
    assert.equal(entries.at(-1)!.ts, T0 + 39 * MINUTE_MS, 'the newest minutes stay');
  });

  it('trims by time, measured back from now', async () => {
    const coin = keySchema(testPrefix()).coin('deribit', 'BTC');
    const limits = { retentionMs: 10 * MINUTE_MS, maxEntries: 50_000 };
    for (let m = 0; m < 40; m += 1) {
      const minute = T0 + m * MINUTE_MS;
      await writeHistoryMinute(client, coin, minute, [row(CALL, 0.02)], limits, minute + 5_000);
    }
    const entries = await readHistory(client, coin, CALL, 0, T0 + DAY);
    const oldestKept = T0 + 39 * MINUTE_MS + 5_000 - 10 * MINUTE_MS;
    // Approximate: at most a node's worth (2 entries) older than the cut survives.
    assert.ok(entries[0]!.ts >= oldestKept - 2 * MINUTE_MS, `oldest ${entries[0]!.ts - T0}`);
    assert.ok(entries.length >= 9 && entries.length <= 12, `${entries.length} entries`);
  });
});

describe('minute history on a cluster', () => {
  let stopCluster: () => Promise<void>;
  let client: RedisClient;

  before(async () => {
    const cluster = await sharedCluster();
    stopCluster = () => cluster.stop();
    client = await openRedis(parseRedisUrl(cluster.url));
  });
  after(async () => {
    client.disconnect();
    await stopCluster();
  });

  it('writes a coin of many instruments in one call (one slot) and reads it back', async () => {
    const keys = keySchema(testPrefix());
    for (const coin of ['BTC', 'ETH', 'SOL']) {
      const rows = Array.from({ length: 50 }, (_, i) => row(`${coin}-26JUN26-${i}-C`, i / 100));
      assert.equal(
        await writeHistoryMinute(client, keys.coin('deribit', coin), T0, rows, LIMITS),
        50,
      );
      assert.equal(
        await writeHistoryMinute(client, keys.coin('deribit', coin), T0, rows, LIMITS),
        0,
      );
      const entries = await readHistory(
        client,
        keys.coin('deribit', coin),
        `${coin}-26JUN26-7-C`,
        0,
        T0,
      );
      assert.equal(entries[0]?.values.mark, 0.07);
    }
  });
});
