import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  barsPerYear,
  ESTIMATORS,
  HOUR_MS,
  MINUTE_MS,
  realizedVol,
  realizedVolTable,
  type Bar,
  type Estimator,
} from '../../src/analytics/index.js';
import { Random } from '../../src/sim/random.js';
import { gbmBars } from './gbm-bars.js';

function endOf(bars: readonly Bar[], periodMs: number): number {
  return bars[bars.length - 1]!.ts + periodMs;
}

function vol(bars: readonly Bar[], estimator: Estimator, periodMs: number, days: number): number {
  const result = realizedVol(bars, estimator, { periodMs, days, end: endOf(bars, periodMs) });
  assert.notEqual(result.vol, null, `${estimator}: ${'reason' in result ? result.reason : ''}`);
  return result.vol!;
}

// Standard error of σ̂ from n close-to-close returns: Var(σ̂²)/σ⁴ = 2/n, so σ̂/σ has sd 1/√(2n).
// Parkinson (≈5×), Garman–Klass (≈7×), Rogers–Satchell (≈6×) and Yang–Zhang are more efficient,
// so close-to-close's error bounds theirs; four of them leave a 1-in-15,000 chance of a false
// failure per assertion on a fixed seed that, once passed, always passes.
function tolerance(n: number): number {
  return 4 / Math.sqrt(2 * n);
}

describe('realised vol estimators recover a known σ', () => {
  for (const { periodMs, days, label } of [
    { periodMs: MINUTE_MS, days: 7, label: '1-minute bars over 7 days' },
    { periodMs: HOUR_MS, days: 90, label: '1-hour bars over 90 days' },
  ]) {
    it(`each estimator, ${label}, σ = 0.65, within 4 standard errors`, () => {
      const count = (days * 86_400_000) / periodMs;
      const bars = gbmBars(new Random(18), { sigma: 0.65, periodMs, count });
      for (const estimator of ESTIMATORS) {
        const estimate = vol(bars, estimator, periodMs, days);
        const error = Math.abs(estimate / 0.65 - 1);
        assert.ok(
          error < tolerance(count),
          `${estimator}: ${estimate} is ${error} off, tolerance ${tolerance(count)}`,
        );
      }
    });
  }

  it('a silent start of each period shows as the jump from the previous close: close-to-close and Yang–Zhang see all of σ, the range estimators only the part the bars cover', () => {
    // Each 1-minute bar's first 20 s pass unseen, so the bars cover 2/3 of the time.
    const count = 7 * 1440;
    const bars = gbmBars(new Random(7), {
      sigma: 0.5,
      periodMs: MINUTE_MS,
      count,
      silentShare: 1 / 3,
    });
    const seen = 0.5 * Math.sqrt(2 / 3);
    const expected: Record<Estimator, number> = {
      'close-to-close': 0.5,
      'yang-zhang': 0.5,
      parkinson: seen,
      'garman-klass': seen,
      'rogers-satchell': seen,
    };
    for (const estimator of ESTIMATORS) {
      const estimate = vol(bars, estimator, MINUTE_MS, 7);
      const error = Math.abs(estimate / expected[estimator] - 1);
      assert.ok(error < tolerance(count), `${estimator}: ${estimate} vs ${expected[estimator]}`);
    }
  });

  it('over 400 paths Garman–Klass and Yang–Zhang have far less variance than close-to-close, and every estimator of σ² is unbiased', () => {
    // 1-hour bars over 7 days: n = 168. Theory: Var(σ̂²_cc) = 2σ⁴/n; Garman–Klass's is ≈ 7.4×
    // smaller, Yang–Zhang's with no overnight move close to it (this seed: 7.7× and 7.5×). A ratio
    // of sample variances over 399 degrees of freedom each has a log sd of √(4/399) ≈ 0.1, so
    // falling from 7 to 4 would be a 5-sd event.
    const sigma = 0.8;
    const paths = 400;
    const random = new Random(2026);
    const variances: Record<Estimator, number[]> = {
      'close-to-close': [],
      parkinson: [],
      'garman-klass': [],
      'rogers-satchell': [],
      'yang-zhang': [],
    };
    for (let p = 0; p < paths; p++) {
      const bars = gbmBars(random, { sigma, periodMs: HOUR_MS, count: 168 });
      for (const estimator of ESTIMATORS) {
        variances[estimator].push(vol(bars, estimator, HOUR_MS, 7) ** 2);
      }
    }
    const stats = (xs: number[]): { mean: number; variance: number } => {
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
      return { mean, variance };
    };
    const cc = stats(variances['close-to-close']);
    for (const estimator of ESTIMATORS) {
      const { mean, variance } = stats(variances[estimator]);
      // Mean of 400 unbiased estimates of σ²: within 4 standard errors of the mean.
      const standardError = Math.sqrt(variance / paths);
      assert.ok(
        Math.abs(mean - sigma * sigma) < 4 * standardError,
        `${estimator}: mean σ̂² ${mean} vs ${sigma * sigma} (se ${standardError})`,
      );
    }
    for (const estimator of ['garman-klass', 'yang-zhang'] as const) {
      const ratio = cc.variance / stats(variances[estimator]).variance;
      assert.ok(ratio > 4, `${estimator}: close-to-close variance only ${ratio}× larger`);
    }
  });
});

describe('realised vol windows', () => {
  const bars = gbmBars(new Random(3), { sigma: 0.6, periodMs: HOUR_MS, count: 24 * 10 });
  const end = endOf(bars, HOUR_MS);

  it('annualises on 365 days of 24 hours: 525,600 one-minute and 8,760 one-hour bars a year', () => {
    assert.equal(barsPerYear(MINUTE_MS), 525_600);
    assert.equal(barsPerYear(HOUR_MS), 8_760);
  });

  it('a window longer than the history is null with the bars it had and needed', () => {
    const result = realizedVol(bars, 'parkinson', { periodMs: HOUR_MS, days: 30, end });
    assert.equal(result.vol, null);
    assert.equal(result.bars, 240);
    assert.equal(result.expectedBars, 720);
    assert.match('reason' in result ? result.reason : '', /240 of 720 bars .* 576 needed/);
  });

  it('a window with a fifth of its bars missing still counts, one with more does not', () => {
    const day = bars.slice(-24);
    const holed = (missing: number): Bar[] => day.filter((_, i) => i < 4 || i >= 4 + missing);
    assert.notEqual(
      realizedVol(holed(4), 'yang-zhang', { periodMs: HOUR_MS, days: 1, end }).vol,
      null,
    );
    assert.equal(
      realizedVol(holed(5), 'yang-zhang', { periodMs: HOUR_MS, days: 1, end }).vol,
      null,
    );
  });

  it('close-to-close counts a return across a missing bar as the periods it spans', () => {
    const flat = (ts: number, close: number): Bar => ({
      ts,
      open: close,
      high: close,
      low: close,
      close,
    });
    const series = Array.from({ length: 12 }, (_, i) =>
      flat(i * HOUR_MS, 100 * Math.exp(0.01 * (i % 2))),
    );
    const gapped = series.filter((_, i) => i !== 5);
    const whole = realizedVol(series, 'close-to-close', {
      periodMs: HOUR_MS,
      days: 0.5,
      end: 12 * HOUR_MS,
    });
    const holed = realizedVol(gapped, 'close-to-close', {
      periodMs: HOUR_MS,
      days: 0.5,
      end: 12 * HOUR_MS,
    });
    // 11 returns of ±0.01 over 11 periods; with bar 5 gone, 9 of ±0.01 and one of 0 over 11.
    assert.ok(Math.abs(whole.vol! - Math.sqrt((0.0001 * 11 * 8760) / 11)) < 1e-12);
    assert.ok(Math.abs(holed.vol! - Math.sqrt((0.0001 * 9 * 8760) / 11)) < 1e-12);
  });

  it('the bar still forming at the window end is left out', () => {
    const partial = realizedVol(bars, 'parkinson', { periodMs: HOUR_MS, days: 1, end: end - 1 });
    assert.equal(partial.bars, 23);
  });

  it('unsorted or impossible bars are a RangeError', () => {
    const swapped = [bars[1]!, bars[0]!, ...bars.slice(2)];
    assert.throws(
      () => realizedVol(swapped, 'parkinson', { periodMs: HOUR_MS, days: 1, end }),
      RangeError,
    );
    const bad = [...bars.slice(0, -1), { ...bars[bars.length - 1]!, high: 1 }];
    assert.throws(() => realizedVol(bad, 'parkinson', { periodMs: HOUR_MS, days: 1, end }), /high/);
    const offGrid = [...bars.slice(0, -1), { ...bars[bars.length - 1]!, ts: end - 1 }];
    assert.throws(
      () => realizedVol(offGrid, 'parkinson', { periodMs: HOUR_MS, days: 1, end }),
      /grid/,
    );
  });

  it('the table has every estimator over 1, 7, 30 and 90 days', () => {
    const table = realizedVolTable(bars, HOUR_MS, end);
    assert.deepEqual(
      table.map((row) => row.days),
      [1, 7, 30, 90],
    );
    assert.notEqual(table[1]!.results['garman-klass'].vol, null);
    assert.equal(table[2]!.results['garman-klass'].vol, null);
  });
});
