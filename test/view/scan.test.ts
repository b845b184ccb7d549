import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatRecords } from '../../src/view/record-format.js';
import { HISTORY_COLUMNS, SCAN_COLUMNS, SCAN_TABLE_COLUMNS } from '../../src/view/scan-columns.js';
import { matches, parseSort, runScan, type ScanFilter } from '../../src/view/scan-query.js';
import { scanRow, type ScanRow } from '../../src/view/scan-rows.js';
import { recordedMarket, recordedSources } from '../support/recorded-market.js';

const rows: ScanRow[] = recordedSources(recordedMarket()).map(scanRow);
const names = (list: readonly ScanRow[]): string[] => list.map((row) => row.instrument);
const scan = (filter: ScanFilter, sort = 'expiry', limit?: number): string[] =>
  names(runScan(rows, filter, parseSort(sort), limit));

describe('scan rows from the store', () => {
  it('reads the quote hash text as numbers, blanks as null, with spreads', () => {
    const call = rows.find((row) => row.instrument === 'ETH-30JUL21-2800-C')!;
    assert.equal(call.coin, 'ETH');
    assert.equal(call.type, 'call');
    assert.equal(call.strike, 2800);
    assert.equal(call.expiry, Date.UTC(2021, 6, 30, 8));
    assert.deepEqual(
      [call.bid, call.ask, call.volume, call.openInterest],
      [0.0015, 0.0025, 869, 12685],
    );
    // ivtrade's own IVs, solved from the prices (the venue said 115.62/125.63).
    assert.ok(Math.abs(call.bidIv! - 1.1562) < 0.002 && Math.abs(call.askIv! - 1.2563) < 0.002);
    assert.ok(Math.abs(call.spreadIv! - (call.askIv! - call.bidIv!)) < 1e-12);
    assert.equal(call.spreadPct, 50);
    const empty = rows.find((row) => row.instrument === 'ETH-27AUG21-4000-P')!;
    assert.deepEqual(
      [empty.bid, empty.ask, empty.bidIv, empty.spreadIv, empty.spreadPct, empty.volume],
      [null, null, null, null, null, null],
    );
    assert.equal(empty.openInterest, 8);
  });

  it('has no quote where nothing was published', () => {
    const spec = recordedMarket().specs.get('BTC-24SEP21-8000-P')!;
    const row = scanRow({ venue: 'deribit', coin: 'BTC', spec, quote: null });
    assert.deepEqual([row.bid, row.markIv, row.volume, row.ts], [null, null, null, null]);
    assert.equal(row.strike, 8000);
  });
});

describe('scan filters', () => {
  it('by coin, type and expiry (inclusive)', () => {
    assert.deepEqual(scan({ coins: ['ETH'] }), [
      'ETH-23JUL21-2300-C',
      'ETH-30JUL21-2800-C',
      'ETH-27AUG21-4000-P',
    ]);
    assert.deepEqual(scan({ coins: ['ETH'], type: 'put' }), ['ETH-27AUG21-4000-P']);
    const jul30 = Date.UTC(2021, 6, 30, 8);
    assert.deepEqual(scan({ expiryFrom: jul30, expiryTo: jul30 }), [
      'ETH-30JUL21-2800-C',
      'BTC-30JUL21-24000-P',
    ]);
    assert.deepEqual(scan({ expiryFrom: Date.UTC(2022, 0, 1) }), [
      'BTC-25MAR22-30000-C',
      'BTC-24JUN22-15000-C',
    ]);
  });

  it('by mark IV in vol points; a row without an IV fails an IV bound', () => {
    assert.deepEqual(scan({ minIv: 120 }, 'iv'), [
      'BTC-24SEP21-8000-P',
      'BTC-31DEC21-300000-C',
      'ETH-30JUL21-2800-C',
    ]);
    assert.deepEqual(scan({ maxIv: 81 }, 'iv:asc'), ['BTC-24SEP21-34000-P', 'BTC-31DEC21-34000-P']);
    const noIv = { ...rows[0]!, markIv: null };
    assert.equal(matches(noIv, { minIv: 0 }), false);
    assert.equal(matches(noIv, {}), true);
  });

  it('by absolute delta, so calls and puts alike', () => {
    assert.deepEqual(scan({ minDelta: 0.4, maxDelta: 0.7 }, 'delta'), [
      'BTC-25MAR22-30000-C',
      'BTC-24SEP21-34000-P',
      'BTC-31DEC21-34000-P',
    ]);
  });

  it('by volume and open interest', () => {
    assert.deepEqual(scan({ minVolume: 100 }, 'volume'), [
      'ETH-30JUL21-2800-C',
      'BTC-30JUL21-24000-P',
      'ETH-23JUL21-2300-C',
    ]);
    assert.deepEqual(scan({ minOpenInterest: 1000 }, 'oi'), [
      'ETH-30JUL21-2800-C',
      'ETH-23JUL21-2300-C',
    ]);
  });

  it('by spread in vol points and in percent; one-sided rows fail a spread bound', () => {
    assert.deepEqual(scan({ maxSpreadIv: 2 }, 'spread'), [
      'BTC-31DEC21-34000-P',
      'BTC-31DEC21-300000-C',
      'BTC-24SEP21-34000-P',
    ]);
    assert.deepEqual(scan({ maxSpreadPct: 2 }, 'spread-pct'), [
      'BTC-31DEC21-34000-P',
      'BTC-24SEP21-34000-P',
    ]);
    assert.deepEqual(scan({ maxSpreadIv: 2, maxSpreadPct: 1.6 }), ['BTC-31DEC21-34000-P']);
  });
});

describe('scan sort and limit', () => {
  it('defaults: most first for measures, nearest/lowest/tightest first for the rest', () => {
    assert.deepEqual(parseSort('iv'), { key: 'iv', descending: true });
    assert.deepEqual(parseSort('oi'), { key: 'oi', descending: true });
    assert.deepEqual(parseSort('spread'), { key: 'spread', descending: false });
    assert.deepEqual(parseSort('strike:desc'), { key: 'strike', descending: true });
    assert.deepEqual(parseSort('IV:ASC'), { key: 'iv', descending: false });
    for (const bad of ['ivv', 'iv:up', 'iv:asc:x', '']) assert.equal(parseSort(bad), null, bad);
  });

  it('puts rows without the value last whichever the direction, ties in chain order', () => {
    for (const sort of ['volume', 'volume:asc']) {
      const sorted = runScan(rows, {}, parseSort(sort));
      const firstNull = sorted.findIndex((row) => row.volume === null);
      assert.ok(firstNull > 0 && sorted.slice(firstNull).every((row) => row.volume === null), sort);
    }
    assert.deepEqual(scan({}, 'strike', 3), [
      'ETH-23JUL21-2300-C',
      'ETH-30JUL21-2800-C',
      'ETH-27AUG21-4000-P',
    ]);
    assert.deepEqual(scan({ coins: ['BTC'] }, 'strike:desc', 2), [
      'BTC-31DEC21-300000-C',
      'BTC-24SEP21-34000-P',
    ]);
    // Same strike (34000): nearer expiry first.
    const ties = scan({ coins: ['BTC'] }, 'strike').filter((name) => name.includes('-34000-'));
    assert.deepEqual(ties, ['BTC-24SEP21-34000-P', 'BTC-31DEC21-34000-P']);
  });
});

describe('scan output formats', () => {
  const two = runScan(rows, { coins: ['ETH'] }, parseSort('strike'), 2);
  const empty = runScan(rows, { coins: ['ETH'], type: 'put' }, null);

  it('aligns a table, "-" where there is no value', () => {
    const text = formatRecords([...two, ...empty], SCAN_TABLE_COLUMNS, 'table');
    const lines = text.trimEnd().split('\n');
    assert.equal(lines.length, 4);
    assert.match(
      lines[0]!,
      /^venue\s+instrument\s+expiry\s+strike\s+type\s+bid\s+ask\s+bIV\s+aIV\s+mIV\s+sprdIV\s+sprd%\s+delta\s+volume\s+OI$/,
    );
    assert.match(
      lines[2]!,
      /^deribit\s+ETH-30JUL21-2800-C\s+30JUL21\s+2800\s+call\s+0\.0015\s+0\.0025\s+115\.\d\s+125\.\d\s+120\.\d\s+10\.0\s+50\.0\s+\+0\.03\s+869\s+12\.7k$/,
    );
    assert.match(
      lines[3]!,
      /ETH-27AUG21-4000-P\s+27AUG21\s+4000\s+put\s+-\s+-\s+-\s+-\s+117\.\d\s+-\s+-\s+-0\.96\s+-\s+8$/,
    );
    // Numbers are right-aligned: every line's OI column ends at the same place.
    assert.equal(new Set(lines.map((line) => line.length)).size, 1);
  });

  it('writes CSV with a header and empty cells, values as stored (IVs as decimals)', () => {
    const text = formatRecords(empty, SCAN_COLUMNS, 'csv');
    const [header, line] = text.trimEnd().split('\n');
    assert.equal(header, SCAN_COLUMNS.map((column) => column.key).join(','));
    assert.ok(
      header.startsWith('venue,instrument,expiry,strike,type,bid,ask,mark,bid_iv,ask_iv,mark_iv'),
    );
    const cells = Object.fromEntries(header.split(',').map((key, i) => [key, line!.split(',')[i]]));
    assert.equal(cells['instrument'], 'ETH-27AUG21-4000-P');
    assert.equal(cells['expiry'], '2021-08-27T08:00:00.000Z');
    assert.equal(cells['bid'], '');
    assert.ok(Math.abs(Number(cells['mark_iv']) - 1.171) < 0.005, cells['mark_iv']);
    assert.equal(cells['open_interest'], '8');
    assert.equal(formatRecords([], SCAN_COLUMNS, 'csv'), `${header}\n`);
  });

  it('writes one JSON object per line, null where none', () => {
    const lines = formatRecords(two, SCAN_COLUMNS, 'jsonl').trimEnd().split('\n');
    assert.equal(lines.length, 2);
    const object = JSON.parse(lines[1]!) as Record<string, unknown>;
    assert.equal(object['instrument'], 'ETH-30JUL21-2800-C');
    assert.equal(object['volume'], 869);
    assert.equal(object['strike'], 2800);
    assert.equal(object['type'], 'call');
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.equal(first['bid'], null);
    assert.deepEqual(
      Object.keys(object),
      SCAN_COLUMNS.map((column) => column.key),
    );
  });

  it('formats history minutes the same three ways', () => {
    const minute = {
      ts: Date.UTC(2026, 5, 1, 12, 3),
      values: { bid: 0.02, ask: null, mark_iv: 0.5512, delta: -0.25 },
    };
    const table = formatRecords([minute], HISTORY_COLUMNS, 'table').split('\n');
    assert.match(table[0]!, /^time \(UTC\)\s+bid\s+ask\s+mark\s+bIV\s+aIV\s+mIV\s+delta/);
    assert.match(table[1]!, /^2026-06-01 12:03\s+0\.0200\s+-\s+-\s+-\s+-\s+55\.1\s+-0\.25/);
    const csv = formatRecords([minute], HISTORY_COLUMNS, 'csv').split('\n');
    assert.equal(csv[1], '2026-06-01T12:03:00.000Z,0.02,,,,,0.5512,-0.25,,,,,');
    assert.deepEqual(JSON.parse(formatRecords([minute], HISTORY_COLUMNS, 'jsonl')), {
      time: '2026-06-01T12:03:00.000Z',
      bid: 0.02,
      ask: null,
      mark: null,
      bid_iv: null,
      ask_iv: null,
      mark_iv: 0.5512,
      delta: -0.25,
      gamma: null,
      vega: null,
      theta: null,
      forward: null,
      index: null,
    });
  });
});
