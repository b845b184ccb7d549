import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  closeSeries,
  ivRank,
  volRiskPremium,
  type SeriesPoint,
} from '../../src/analytics/index.js';

const DAY = 86_400_000;
const T0 = 1_735_689_600_000;

function daily(values: readonly number[]): SeriesPoint[] {
  return values.map((value, i) => ({ ts: T0 + i * DAY, value }));
}

describe('ivRank', () => {
  it('rank is where the last value sits between the year’s extremes, percentile how many earlier days were lower', () => {
    // 366 daily points: a year back from the last one, both ends included.
    const values = Array.from({ length: 366 }, (_, i) => 0.4 + (0.4 * ((i * 37) % 366)) / 365);
    values[365] = 0.5;
    const result = ivRank(daily(values));
    assert.notEqual(result.rank, null);
    if (result.rank === null) return;
    const min = Math.min(...values);
    const max = Math.max(...values);
    assert.ok(Math.abs(result.rank - ((0.5 - min) / (max - min)) * 100) < 1e-9);
    const below = values.slice(0, 365).filter((v) => v < 0.5).length;
    assert.ok(Math.abs(result.percentile - (below / 365) * 100) < 1e-9);
    assert.equal(result.count, 366);
    assert.equal(result.from, T0);
  });

  it('one spike a year ago pins the rank low while the percentile sees the usual days', () => {
    const values = [...Array.from({ length: 365 }, (_, i) => 0.5 + 0.1 * Math.sin(i)), 0.58];
    values[3] = 1.5;
    const result = ivRank(daily(values));
    assert.ok(
      result.rank !== null && result.rank < 20 && result.percentile > 70,
      JSON.stringify(result),
    );
  });

  it('only the last 365 days count', () => {
    const old = daily([3, ...Array.from({ length: 366 }, (_, i) => 0.5 + (i % 10) / 100)]);
    const result = ivRank(old);
    assert.ok(result.rank !== null);
    assert.equal(result.max, 0.59);
    assert.equal(result.count, 366);
  });

  it('a history shorter than the lookback is null with the count it had', () => {
    const result = ivRank(daily(Array.from({ length: 200 }, (_, i) => 0.5 + i / 1000)));
    assert.equal(result.rank, null);
    assert.equal(result.percentile, null);
    assert.equal(result.count, 200);
    assert.match('reason' in result ? result.reason : '', /199\.0 of 365 days with 200 points/);
    assert.equal(ivRank([]).count, 0);
  });

  it('a 30-day lookback from hourly points needs 30 days of them', () => {
    const hourly = Array.from({ length: 30 * 24 + 1 }, (_, i) => ({
      ts: T0 + i * 3_600_000,
      value: 0.5 + (i % 7) / 100,
    }));
    assert.notEqual(ivRank(hourly, 30).rank, null);
    assert.equal(ivRank(hourly.slice(2), 30).rank, null);
  });

  it('vol index candles rank by their closes', () => {
    const candles = Array.from({ length: 366 }, (_, i) => {
      const close = 0.4 + (i % 50) / 100;
      return {
        ts: T0 + i * DAY,
        open: 0.5,
        high: Math.max(0.5, close),
        low: Math.min(0.5, close),
        close,
      };
    });
    const series = closeSeries(candles);
    assert.deepEqual(series[3], { ts: T0 + 3 * DAY, value: candles[3]!.close });
    assert.equal(ivRank(series).count, 366);
  });

  it('a series that never moved has no rank', () => {
    assert.equal(ivRank(daily(Array.from({ length: 366 }, () => 0.5))).rank, null);
  });

  it('an unsorted series or a non-positive level is a RangeError', () => {
    assert.throws(
      () =>
        ivRank([
          { ts: 2, value: 0.5 },
          { ts: 1, value: 0.5 },
        ]),
      RangeError,
    );
    assert.throws(() => ivRank([{ ts: 1, value: 0 }]), RangeError);
    assert.throws(() => ivRank([{ ts: 1, value: Number.NaN }]), RangeError);
  });
});

describe('volRiskPremium', () => {
  it('is ATM IV minus RV, null when either is unknown', () => {
    assert.ok(Math.abs(volRiskPremium(0.55, 0.48)! - 0.07) < 1e-15);
    assert.ok(volRiskPremium(0.4, 0.6)! < 0);
    assert.equal(volRiskPremium(null, 0.5), null);
    assert.equal(volRiskPremium(0.5, null), null);
    assert.throws(() => volRiskPremium(Number.NaN, 0.5), RangeError);
  });
});
