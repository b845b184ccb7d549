// `ivtrade surface` against the embedded exchange: each chain's fitted surface as JSON lines
// or a table, rounds on a timer, and clear refusals of flags that make no sense.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runBin } from './support/run-bin.js';

type Json = Record<string, unknown>;

const lines = (stdout: string): Json[] =>
  stdout
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Json);

describe('ivtrade surface', () => {
  it('prints one JSON line per chain: every expiry fitted, grid, read-outs and the 30-day index', async () => {
    const run = await runBin([
      'surface',
      '--venue',
      'sim',
      '--currency',
      'BTC',
      '--json',
      '--count',
      '1',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const out = lines(run.stdout);
    assert.deepEqual(
      out.map((line) => [line['venue'], line['coin'], line['quote']].map(String).join(' ')).sort(),
      ['bybit BTC USDT', 'deribit BTC BTC'],
    );
    for (const line of out) {
      assert.equal(line['kind'], 'surface');
      assert.equal(line['deltaConvention'], 'forward');
      const expiries = line['expiries'] as { fit: string; atmIv: number | null; quality: Json }[];
      assert.ok(expiries.length >= 10, `${expiries.length} expiries`);
      // The sim quotes around an arbitrage-free surface: whatever a noisy quote made the first
      // fit break is repaired, never shown as clean while broken.
      assert.equal(line['arbitrageFree'], true);
      for (const expiry of expiries) assert.ok(expiry.atmIv !== null && expiry.atmIv > 0.2);
      const index = (line['index30d'] as { value: number | null }).value;
      const grid = (line['grid'] as { rows: { days: number; atmIv: number | null }[] }).rows;
      const atm30 = grid.find((row) => row.days === 30)!.atmIv!;
      assert.ok(index !== null && Math.abs(index - atm30) < 0.15, `index ${index}, ATM ${atm30}`);
    }
  });

  it('prints a table per chain each round, and stops after --count rounds', async () => {
    const run = await runBin([
      'surface',
      '--venue',
      'sim',
      '--currency',
      'ETH',
      '--every',
      '1s',
      '--count',
      '2',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const headers = run.stdout.split('\n').filter((line) => /30d index/.test(line));
    assert.equal(headers.length, 4, run.stdout);
    assert.ok(headers.every((line) => / ETH\//.test(line)));
    assert.match(run.stdout, /expiry +days +fit +ATM +RR25 +BF25 +RR10 +BF10 +inside +flags/);
  });

  it('refuses flags it cannot honour with exit 2 and a hint', async () => {
    const delta = await runBin(['surface', '--venue', 'sim', '--delta', 'spot']);
    assert.equal(delta.code, 2);
    assert.match(delta.stderr, /--delta/);
    const books = await runBin(['surface', '--venue', 'sim', '--books', 'all']);
    assert.equal(books.code, 2);
    assert.match(books.stderr, /--books has no use here/);
    const count = await runBin(['surface', '--venue', 'sim', '--count', '0']);
    assert.equal(count.code, 2);
    assert.match(count.stderr, /--count/);
  });
});
