import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { rowsByCoin, startHistoryRecorder } from '../../src/app/history-recorder.js';
import { MarketEngine } from '../../src/app/market-engine.js';
import { openFeeds, type OpenFeeds } from '../../src/app/venue-feeds.js';
import { openRedis, parseRedisUrl, type RedisClient } from '../../src/store/connect.js';
import { HISTORY_FIELDS, MINUTE_MS, readHistory } from '../../src/store/history.js';
import { keySchema } from '../../src/store/keys.js';
import { readSurfaceHistory } from '../../src/store/surface-history.js';
import { sharedCluster, sharedRedis, testPrefix } from '../support/redis.js';

const VENUE = 'deribit';

describe('history recorder on the sim', () => {
  let opened: OpenFeeds;
  let engine: MarketEngine;
  const redis: { client: RedisClient; stop: () => Promise<void>; name: string }[] = [];

  before(async () => {
    opened = await openFeeds({
      venue: 'sim',
      currencies: ['BTC', 'ETH'],
      testnet: false,
      urlOverrides: [],
      books: [],
      private: false,
      simVenues: [VENUE],
      sim: { seed: 5, speed: 1 },
    });
    engine = new MarketEngine(opened.feeds);
    await engine.start();
    // Wait until both coins' chains carry quotes: what a minute's snapshot is made of.
    const deadline = Date.now() + 20_000;
    for (;;) {
      engine.market.settle(engine.venueNow(VENUE));
      const coins = rowsByCoin(engine.market.chains(VENUE));
      if ((coins.get('BTC')?.length ?? 0) > 20 && (coins.get('ETH')?.length ?? 0) > 20) break;
      assert.ok(Date.now() < deadline, 'the sim chains did not fill');
      await sleep(50);
    }
    const single = await sharedRedis();
    redis.push({
      client: await openRedis(parseRedisUrl(single.url)),
      stop: () => single.stop(),
      name: 'single node',
    });
    const cluster = await sharedCluster();
    redis.push({
      client: await openRedis(parseRedisUrl(cluster.url)),
      stop: () => cluster.stop(),
      name: 'cluster',
    });
  });

  after(async () => {
    for (const { client, stop } of redis) {
      client.disconnect();
      await stop();
    }
    await engine.stop();
    await opened.close();
  });

  for (const target of ['single node', 'cluster']) {
    it(`writes every quoted option each minute, as the chain shows it (${target})`, async () => {
      const { client } = redis.find((entry) => entry.name === target)!;
      const keys = keySchema(testPrefix());
      // The recorder's clock is driven here, a minute at a time from the venue's now.
      const start = Math.floor(engine.venueNow(VENUE) / MINUTE_MS) * MINUTE_MS + 30_000;
      let clock = start;
      const recorder = startHistoryRecorder({
        engine,
        client,
        keys,
        venue: VENUE,
        now: () => clock,
        checkEveryMs: 0,
      });
      try {
        // Still the minute it started in: not written (its start passed unrecorded).
        assert.equal(await recorder.tick(), 0);
        clock = start + MINUTE_MS;
        const minute1 = start + 30_000;
        const written = await recorder.tick();
        const coins = rowsByCoin(engine.market.chains(VENUE));
        const total = [...coins.values()].reduce((sum, rows) => sum + rows.length, 0);
        assert.equal(written, total);
        assert.ok(total > 40);
        // Every option of every coin has the minute, under its coin's keys, with the chain's
        // own IVs and greeks (the chain has not moved: the engine is driven by the same loop).
        for (const [coin, rows] of coins) {
          for (const { instrument } of rows) {
            const entries = await readHistory(
              client,
              keys.coin(VENUE, coin),
              instrument,
              0,
              minute1 + MINUTE_MS,
            );
            assert.equal(entries.length, 1, instrument);
            assert.equal(entries[0]!.ts, minute1);
          }
        }
        const [coin, rows] = [...coins][0]!;
        // A day or more out: minutes from expiry a deep OTM mark IV passes 500 %.
        const registry = engine.market.registry(VENUE);
        const sample = rows.find(
          (row) =>
            row.values.mark_iv !== null &&
            (registry.get(row.instrument)?.expiry ?? 0) - clock > 86_400_000,
        )!;
        const [stored] = await readHistory(
          client,
          keys.coin(VENUE, coin),
          sample.instrument,
          minute1,
          minute1,
        );
        // What was written is what the chain held at the minute (the sim keeps moving, so the
        // comparison is against the recorder's own rows of that instant, read back exactly).
        assert.ok(stored);
        for (const name of HISTORY_FIELDS) {
          assert.equal(
            typeof stored.values[name] === 'number' || stored.values[name] === null,
            true,
          );
        }
        assert.ok(
          stored.values.mark_iv! > 0.05 && stored.values.mark_iv! < 5,
          `mark IV ${stored.values.mark_iv}`,
        );
        assert.ok(Math.abs(stored.values.delta!) <= 1);
        assert.ok(stored.values.forward! > 0 && stored.values.index! > 0);

        // The same minute again writes nothing; the next one adds one entry per option.
        assert.equal(await recorder.tick(), 0);
        clock += MINUTE_MS;
        const again = await recorder.tick();
        assert.ok(again >= total - 5, `${again} of ${total}`);
        const [first, second] = await readHistory(
          client,
          keys.coin(VENUE, coin),
          sample.instrument,
          0,
          clock,
        );
        assert.deepEqual([first?.ts, second?.ts], [minute1, minute1 + MINUTE_MS]);
        assert.deepEqual(recorder.stats, {
          minutes: 2,
          entries: written + again,
          surfaces: 4,
          failures: 0,
        });

        // Each chain's fitted surface has its minutes too, read-outs by maturity and the grid.
        for (const chainCoin of ['BTC', 'ETH']) {
          const surfaces = await readSurfaceHistory(
            client,
            keys.coin(VENUE, chainCoin),
            chainCoin,
            0,
            clock,
          );
          assert.deepEqual(
            surfaces.map((entry) => entry.ts),
            [minute1, minute1 + MINUTE_MS],
          );
          const [entry] = surfaces;
          const atm30 = entry!.values['atm_30d']!;
          assert.ok(atm30 > 0.1 && atm30 < 3, `${chainCoin} 30-day ATM ${atm30}`);
          assert.ok(entry!.index30d! > 0.1 && entry!.index30d! < 3);
          assert.equal(entry!.delta, 'forward');
          assert.ok(['clean', 'repaired'].includes(entry!.arbitrage), entry!.arbitrage);
          const grid = entry!.grid as { rows: { days: number; atmIv: number | null }[] };
          assert.equal(grid.rows.find((row) => row.days === 30)!.atmIv, atm30);
        }
      } finally {
        await recorder.stop();
      }
    });
  }

  it('records on its own timer with the venue clock, each minute once', async () => {
    const { client } = redis[0]!;
    const keys = keySchema(testPrefix());
    let clock = Math.floor(engine.venueNow(VENUE) / MINUTE_MS) * MINUTE_MS + 59_900;
    const recorder = startHistoryRecorder({
      engine,
      client,
      keys,
      venue: VENUE,
      now: () => clock,
      checkEveryMs: 20,
    });
    try {
      clock += 200;
      const deadline = Date.now() + 10_000;
      while (recorder.stats.minutes < 1) {
        assert.ok(Date.now() < deadline, 'the timer never recorded');
        await sleep(20);
      }
      await sleep(200);
      assert.equal(recorder.stats.minutes, 1);
      assert.ok(recorder.stats.entries > 40);
    } finally {
      await recorder.stop();
    }
  });

  it('says a minute it could not write and goes on', async () => {
    const keys = keySchema(testPrefix());
    const single = await sharedRedis();
    const client = await openRedis(parseRedisUrl(single.url));
    client.disconnect();
    const errors: number[] = [];
    const minute0 = Math.floor(engine.venueNow(VENUE) / MINUTE_MS) * MINUTE_MS;
    let clock = minute0 + 1;
    const recorder = startHistoryRecorder({
      engine,
      client,
      keys,
      venue: VENUE,
      now: () => clock,
      checkEveryMs: 0,
      onError: (_error, minute) => errors.push(minute),
    });
    clock += MINUTE_MS;
    assert.equal(await recorder.tick(), 0);
    await recorder.stop();
    await single.stop();
    assert.deepEqual([...new Set(errors)], [minute0 + MINUTE_MS]);
    assert.equal(recorder.stats.failures, 4, "one failure per coin and per chain's surface");
  });
});
