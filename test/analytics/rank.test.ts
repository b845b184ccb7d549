import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  HOUR_MS,
  rankRow,
  realizedVol,
  sortRankRows,
  type RankRow,
  type SeriesPoint,
} from '../../src/analytics/index.js';
import { Random } from '../../src/sim/random.js';
import { gbmBars } from './gbm-bars.js';

const DAY = 86_400_000;

function dailySeries(end: number, values: (i: number) => number, days = 366): SeriesPoint[] {
  return Array.from({ length: days }, (_, i) => ({
    ts: end - (days - 1 - i) * DAY,
    value: values(i),
  }));
}

describe('rankRow', () => {
  const bars = gbmBars(new Random(5), { sigma: 0.5, periodMs: HOUR_MS, count: 40 * 24 });
  const asOf = bars.at(-1)!.ts + HOUR_MS;

  it('30-day Yang–Zhang RV on hourly bars, the ATM IV, their difference and the IV rank of the series', () => {
    const history = dailySeries(asOf, (i) => 0.4 + (0.2 * ((i * 7) % 10)) / 10);
    const row = rankRow({
      coin: 'BTC',
      hourBars: bars,
      asOf,
      atmIv30: 0.58,
      ivHistory: history,
      ivHistorySource: 'deribit DVOL',
    });
    const rv = realizedVol(bars, 'yang-zhang', { periodMs: HOUR_MS, days: 30, end: asOf }).vol!;
    assert.equal(row.rv30, rv);
    assert.ok(Math.abs(row.rv30 - 0.5) < 0.05);
    assert.equal(row.vrp, 0.58 - rv);
    assert.notEqual(row.ivRank, null);
    assert.equal(row.ivRankPoints, 366);
    assert.equal(row.ivRankSource, 'deribit DVOL');
    assert.deepEqual(row.notes, []);
  });

  it('what it cannot know is null, with the reason', () => {
    const row = rankRow({
      coin: 'SOL',
      hourBars: bars.slice(-24 * 10),
      asOf,
      atmIv30: null,
      ivHistory: [],
      ivHistorySource: 'none',
    });
    assert.equal(row.rv30, null);
    assert.equal(row.vrp, null);
    assert.equal(row.ivRank, null);
    assert.equal(row.notes.length, 3);
    assert.match(row.notes[0]!, /^RV: 240 of 720 bars/);
  });
});

describe('sortRankRows', () => {
  const row = (coin: string, rv30: number | null, vrp: number | null): RankRow => ({
    coin,
    rv30,
    atmIv30: null,
    vrp,
    ivRank: null,
    ivPercentile: null,
    ivRankPoints: 0,
    ivRankSource: '',
    estimator: 'yang-zhang',
    notes: [],
  });
  const rows = [
    row('ETH', 0.6, -0.02),
    row('BTC', 0.45, 0.05),
    row('SOL', null, null),
    row('XRP', 0.6, null),
  ];

  it('highest first, ties by coin, nulls last; ascending turns the numbers but keeps nulls last', () => {
    assert.deepEqual(
      sortRankRows(rows, 'rv').map((r) => r.coin),
      ['ETH', 'XRP', 'BTC', 'SOL'],
    );
    assert.deepEqual(
      sortRankRows(rows, 'rv', true).map((r) => r.coin),
      ['BTC', 'ETH', 'XRP', 'SOL'],
    );
    assert.deepEqual(
      sortRankRows(rows, 'vrp').map((r) => r.coin),
      ['BTC', 'ETH', 'SOL', 'XRP'],
    );
  });
});
