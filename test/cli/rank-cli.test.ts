// `ivtrade rank` on the embedded exchange: every chain of both venues with its realised vol,
// fitted ATM vol, VRP and IV rank from the venue's implied index, ordered as asked.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openRedis, parseRedisUrl } from '../../src/store/connect.js';
import { keySchema } from '../../src/store/keys.js';
import { rankOfLast, writeSurfaceYear } from '../store/support/surface-year.js';
import { sharedRedis, testPrefix } from '../support/redis.js';
import { runBin } from './support/run-bin.js';

interface RankLine {
  kind: string;
  venue: string;
  coin: string;
  quote: string;
  rv30: number | null;
  atmIv30: number | null;
  vrp: number | null;
  ivRank: number | null;
  ivPercentile: number | null;
  ivRankPoints: number;
  ivRankSource: string;
  index30d: number | null;
  venueIndex: number | null;
  venueIndexKind: string | null;
  notes: string[];
}

const parse = (stdout: string): RankLine[] =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as RankLine);

describe('ivtrade rank', () => {
  it('ranks every coin each venue lists options on by IV rank, nulls last, each figure or the reason it is missing', async () => {
    // No --currency: the coins are asked of each venue (the embedded one lists BTC, ETH, SOL).
    const run = await runBin(['rank', '--venue', 'sim', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const rows = parse(run.stdout);
    assert.deepEqual(rows.map((row) => `${row.venue} ${row.coin}/${row.quote}`).sort(), [
      'bybit BTC/USDT',
      'bybit ETH/USDT',
      'bybit SOL/USDT',
      'deribit BTC/BTC',
      'deribit ETH/ETH',
      'deribit SOL/USDC',
    ]);
    for (const row of rows) {
      assert.equal(row.kind, 'rank');
      assert.ok(
        row.rv30 !== null && row.rv30 > 0.1 && row.rv30 < 3,
        `${row.venue} ${row.coin}: RV ${row.rv30} (${row.notes.join('; ')})`,
      );
      assert.ok(row.atmIv30 !== null && row.atmIv30 > 0.1 && row.atmIv30 < 3);
      assert.ok(Math.abs(row.vrp! - (row.atmIv30 - row.rv30)) < 1e-4);
    }
    // Deribit's DVOL gives BTC and ETH an IV rank; Bybit publishes only realised vol, and
    // Deribit no DVOL for its USDC-linear SOL, so none there.
    const deribit = rows.filter((row) => row.venue === 'deribit' && row.coin !== 'SOL');
    for (const row of deribit) {
      // The venue's DVOL and ivtrade's 30-day index measure the same strip, one from the sim's
      // model, one from its quotes: within a couple of vol points, both above the ATM vol.
      assert.ok(row.venueIndex !== null && row.index30d !== null);
      assert.ok(Math.abs(row.index30d - row.venueIndex) < 0.025, `${row.index30d} vs DVOL`);
      assert.ok(row.venueIndex > row.atmIv30!, `DVOL ${row.venueIndex}, ATM ${row.atmIv30}`);
      assert.ok(row.ivRank !== null && row.ivRank >= 0 && row.ivRank <= 100);
      assert.ok(row.ivRankPoints >= 300, `${row.ivRankPoints} points`);
      assert.match(row.ivRankSource, /DVOL/);
      assert.equal(row.venueIndexKind, 'implied');
    }
    const bybit = rows.filter((row) => row.venue === 'bybit');
    for (const row of bybit) {
      assert.equal(row.ivRank, null);
      assert.equal(row.venueIndexKind, 'realized');
      assert.ok(row.notes.some((note) => /no implied vol index/.test(note)));
    }
    const sol = rows.find((row) => row.venue === 'deribit' && row.coin === 'SOL')!;
    assert.equal(sol.ivRank, null);
    assert.equal(sol.venueIndexKind, null);
    assert.ok(
      sol.notes.some((note) => /no implied vol index/.test(note)),
      sol.notes.join('; '),
    );
    assert.deepEqual(
      rows.slice(-4).map((row) => row.ivRank),
      [null, null, null, null],
    );
    assert.deepEqual(
      rows.slice(0, 2).map((row) => row.venue),
      ['deribit', 'deribit'],
    );
    assert.ok(deribit[0]!.ivRank! >= deribit[1]!.ivRank!);
  });

  it('orders by realised vol lowest first, and prints a table with its legend', async () => {
    const run = await runBin([
      'rank',
      '--venue',
      'sim',
      '--currency',
      'BTC',
      '--sort',
      'rv',
      '--asc',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n');
    assert.match(
      lines[0]!,
      /^venue\s+chain\s+RV30\s+ATM30\s+VRP\s+IVrank\s+IVpct\s+idx30\s+venue idx$/,
    );
    assert.match(lines[1]!, /^(deribit|bybit)\s+BTC\//);
    assert.match(run.stdout, /sorted by rv/);
    assert.match(run.stdout, /\(RV\)/);
  });

  it("takes IV rank from ivtrade's own 30-day index in Redis where the venue has no implied one", async () => {
    const redis = await sharedRedis();
    const client = await openRedis(parseRedisUrl(redis.url));
    const prefix = testPrefix('rank');
    const keys = keySchema(prefix);
    try {
      // A year of serve's surface minutes of Bybit's BTC chain, one a day.
      const values = await writeSurfaceYear(
        client,
        keys.coin('bybit', 'BTC'),
        'USDT',
        Date.now(),
        (day) => 0.5 + 0.3 * Math.sin(day / 20),
      );
      const run = await runBin([
        'rank',
        '--venue',
        'sim',
        '--currency',
        'BTC',
        '--json',
        '--redis',
        redis.url,
        '--redis-prefix',
        prefix,
      ]);
      assert.equal(run.code, 0, run.stderr);
      const rows = parse(run.stdout);
      const bybit = rows.find((row) => row.venue === 'bybit')!;
      const expected = rankOfLast(values);
      assert.ok(Math.abs(bybit.ivRank! - expected) < 1e-3, `${bybit.ivRank} vs ${expected}`);
      assert.equal(bybit.ivRankPoints, 365);
      assert.match(bybit.ivRankSource, /ivtrade 30d index, Redis minute history/);
      // Deribit's rank stays on its own DVOL.
      assert.match(rows.find((row) => row.venue === 'deribit')!.ivRankSource, /DVOL/);
    } finally {
      client.disconnect();
      await redis.stop();
    }
  });

  it('refuses an unknown sort key with exit 2', async () => {
    const run = await runBin(['rank', '--venue', 'sim', '--sort', 'gamma']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--sort/);
  });
});
