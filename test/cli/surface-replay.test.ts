// `ivtrade replay --emit surface` on real and venue-shaped inputs: the recorded ETH chain as the
// saved public/get_book_summary_by_currency reply it came from, a saved Bybit option tickers
// reply from the embedded exchange, and the Deribit WebSocket capture's ticker notifications;
// `--emit rv` on candle replies saved from the embedded exchange.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ESTIMATORS } from '../../src/analytics/index.js';
import { startSim, type RunningSim } from '../../src/sim/server.js';
import { BybitRest } from '../sim/bybit/support/bybit-client.js';
import { startBybitSim } from '../sim/bybit/support/sim.js';
import { fixturePath } from '../support/paths.js';
import { runBin } from './support/run-bin.js';

const scratch = mkdtempSync(join(tmpdir(), 'ivt-surface-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const TEXT_COLUMNS = new Set([
  'quote_currency',
  'base_currency',
  'underlying_index',
  'instrument_name',
  'currency',
  'expire_date',
  'option_type',
]);

/** The CSV's rows back in the reply's shape: numbers as numbers, empty cells as null. */
function bookSummaryReply(): unknown {
  const csv = readFileSync(
    fixturePath('deribit', 'book-summary-ETH-options-2024-01-08.csv'),
    'utf8',
  );
  const [head, ...rows] = csv.trim().split('\n');
  const columns = head!.split(',');
  const result = rows.map((line) => {
    const cells = line.split(',');
    const row: Record<string, unknown> = {};
    columns.forEach((name, at) => {
      if (name === '' || name === 'expire_date' || name === 'strike_price') return;
      if (name === 'option_type') return;
      const cell = cells[at] ?? '';
      row[name] = cell === '' ? null : TEXT_COLUMNS.has(name) ? cell : Number(cell);
    });
    return row;
  });
  return { jsonrpc: '2.0', id: 7, result, usIn: 0, usOut: 0, usDiff: 0, testnet: false };
}

type Json = Record<string, unknown>;

const SVI_LIMITED = new Set(['2024-02-23', '2024-03-29']);

function surfaceLines(stdout: string): Json[] {
  return stdout
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Json);
}

interface ExpiryLine {
  expiry: string;
  fit: string;
  quality: { twoSided: number; insideSpread: number };
  arbitrage: { check: string; repaired: boolean }[];
  atmIv: number | null;
}

describe('replay --emit surface', () => {
  it('fits the saved ETH chain reply (pretty-printed): one line, the fit inside 95 % of spreads', async () => {
    const file = join(scratch, 'eth-book-summary.json');
    const reply = bookSummaryReply() as { result: Json[] };
    writeFileSync(file, JSON.stringify(reply, null, 2));
    const run = await runBin(['replay', file, '--emit', 'surface']);
    assert.equal(run.code, 0, run.stderr);
    const lines = surfaceLines(run.stdout);
    assert.equal(lines.length, 1);
    const line = lines[0]!;
    assert.equal(line['kind'], 'surface');
    assert.equal(line['venue'], 'deribit');
    assert.equal(line['coin'], 'ETH');
    const newest = Math.max(...reply.result.map((row) => Number(row['creation_timestamp'])));
    assert.equal(line['ts'], newest);
    assert.equal(line['deltaConvention'], 'forward');
    const expiries = line['expiries'] as ExpiryLine[];
    assert.equal(expiries.length, 11);
    let twoSided = 0;
    let inside = 0;
    for (const expiry of expiries) {
      // Raw SVI cannot follow these two smiles inside their tight spreads (test/surface's
      // eth-chain test proves no SVI does better): the misses are the model's.
      if (SVI_LIMITED.has(expiry.expiry)) continue;
      twoSided += expiry.quality.twoSided;
      inside += expiry.quality.insideSpread;
      // A flagged expiry says which check, and whether the refit cleared it.
      for (const flag of expiry.arbitrage) {
        assert.ok(['butterfly', 'calendar'].includes(flag.check));
        assert.equal(typeof flag.repaired, 'boolean');
      }
    }
    assert.ok(twoSided > 250, `${twoSided} two-sided quotes`);
    assert.ok(inside / twoSided >= 0.95, `${inside} of ${twoSided} inside the spread`);
    const grid = line['grid'] as { rows: { days: number; atmIv: number | null }[] };
    assert.deepEqual(
      grid.rows.map((row) => row.days),
      [1, 7, 14, 30, 60, 90, 180],
    );
    const atm30 = grid.rows.find((row) => row.days === 30)!.atmIv!;
    assert.ok(atm30 > 0.3 && atm30 < 1.2, `30-day ATM ${atm30}`);
    // The strip index and the fitted ATM vol read the same market: within a few vol points
    // (the strip carries the wings' premium, so it sits above ATM).
    const index = (line['index30d'] as { value: number; method: string }).value;
    assert.equal((line['index30d'] as { method: string }).method, 'interpolated');
    assert.ok(index > atm30 - 0.01 && index < atm30 + 0.08, `index ${index}, ATM ${atm30}`);
  });

  it("fits a saved Bybit option tickers reply from the embedded exchange's BTC chain", async () => {
    const sim: RunningSim = await startBybitSim({ currencies: ['BTC'] });
    try {
      const rest = new BybitRest(sim.urls.bybitRest, sim.apiKeys.bybit[0]!);
      const reply = await rest.get('/v5/market/tickers', 'category=option&baseCoin=BTC');
      const file = join(scratch, 'bybit-tickers.json');
      writeFileSync(file, JSON.stringify(reply));
      const run = await runBin(['replay', file, '--emit', 'surface']);
      assert.equal(run.code, 0, run.stderr);
      const [line, ...more] = surfaceLines(run.stdout);
      assert.equal(more.length, 0);
      assert.equal(line!['venue'], 'bybit');
      assert.equal(line!['coin'], 'BTC');
      const expiries = line!['expiries'] as ExpiryLine[];
      assert.ok(expiries.length >= 4, `${expiries.length} expiries`);
      // The sim quotes around an arbitrage-free SSVI surface: nothing left unrepaired.
      assert.equal(line!['arbitrageFree'], true);
      for (const expiry of expiries) assert.ok(expiry.atmIv !== null && expiry.atmIv > 0.1);
    } finally {
      await sim.close();
    }
  });

  it("prints each coin's surface per minute of the Deribit capture, and once at the end", async () => {
    const run = await runBin([
      'replay',
      fixturePath('deribit', 'ws-capture-2021-07-22.jsonl'),
      '--emit',
      'surface',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const lines = surfaceLines(run.stdout);
    const coins = new Set(lines.map((line) => line['coin']));
    assert.deepEqual([...coins].sort(), ['BTC', 'ETH']);
    for (const coin of coins) {
      const times = lines
        .filter((line) => line['coin'] === coin)
        .map((line) => line['ts'] as number);
      for (let at = 1; at < times.length; at += 1) assert.ok(times[at]! > times[at - 1]!);
    }
  });

  it('reports a malformed line by number, skips it and exits 1', async () => {
    const file = join(scratch, 'broken.jsonl');
    const capture = readFileSync(fixturePath('deribit', 'ws-capture-2021-07-22.jsonl'), 'utf8')
      .trim()
      .split('\n');
    writeFileSync(file, [capture[0], '{not json', ...capture.slice(1)].join('\n'));
    const run = await runBin(['replay', file, '--emit', 'surface']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^line 2: invalid JSON/m);
    assert.ok(surfaceLines(run.stdout).length > 0);
  });
});

describe('replay --emit rv', () => {
  it('reads saved Deribit chart data and Bybit kline replies: every estimator, four windows', async () => {
    const sim = await startSim({ seed: 3, manualClock: true, start: Date.UTC(2026, 5, 1) });
    try {
      sim.advance(1_000);
      const end = Date.UTC(2026, 5, 1);
      const start = end - 91 * 86_400_000;
      const deribit = await fetch(
        `${sim.urls.deribitHttp}/public/get_tradingview_chart_data?instrument_name=BTC-PERPETUAL` +
          `&resolution=60&start_timestamp=${start}&end_timestamp=${end}`,
      ).then((response) => response.json());
      const bybit = await fetch(
        `${sim.urls.bybitRest}/v5/market/kline?category=linear&symbol=BTCUSDT&interval=60` +
          `&start=${end - 30 * 86_400_000}&end=${end}&limit=1000`,
      ).then((response) => response.json());
      const file = join(scratch, 'candles.jsonl');
      writeFileSync(file, `${JSON.stringify(deribit)}\n${JSON.stringify(bybit)}\n`);
      const run = await runBin(['replay', file, '--emit', 'rv']);
      assert.equal(run.code, 0, run.stderr);
      const out = surfaceLines(run.stdout);
      assert.deepEqual(
        out.map((line) => `${String(line['venue'])} ${String(line['days'])}`),
        [
          'deribit 1',
          'deribit 7',
          'deribit 30',
          'deribit 90',
          'bybit 1',
          'bybit 7',
          'bybit 30',
          'bybit 90',
        ],
      );
      for (const line of out.slice(0, 4)) {
        assert.equal(line['period'], '1h');
        for (const estimator of ESTIMATORS) {
          const vol = line[estimator] as number;
          assert.ok(vol > 0.1 && vol < 2, `${estimator} ${vol}`);
        }
      }
      // Bybit's reply covers 30 days: the 90-day window says why it has no figure.
      const bybit90 = out[7]!;
      assert.equal(bybit90['yang-zhang'], null);
      assert.match(JSON.stringify(bybit90['reasons']), /bars/);
    } finally {
      await sim.close();
    }
  });

  it('refuses a reply it cannot read, by line, and exits 1', async () => {
    const file = join(scratch, 'one-candle.json');
    writeFileSync(
      file,
      JSON.stringify({
        result: {
          ticks: [0],
          open: [1],
          high: [1],
          low: [1],
          close: [1],
          volume: [0],
          cost: [0],
          status: 'ok',
        },
      }),
    );
    const run = await runBin(['replay', file, '--emit', 'rv']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /line 1: saved candles: fewer than two candles/);
    assert.equal(run.stdout, '');
  });
});
