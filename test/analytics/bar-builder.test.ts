import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  aggregateBars,
  BarBuilder,
  HOUR_MS,
  MINUTE_MS,
  type Bar,
} from '../../src/analytics/index.js';
import { Random } from '../../src/sim/random.js';

const T0 = 1_767_225_600_000; // 2026-01-01T00:00Z, on every grid.

function bar(minute: number, open: number, high: number, low: number, close: number): Bar {
  return { ts: T0 + minute * MINUTE_MS, open, high, low, close };
}

describe('BarBuilder from ticks', () => {
  it('folds ticks into 1-minute bars: first tick opens, newest closes, extremes between', () => {
    const b = new BarBuilder(MINUTE_MS);
    for (const [s, p] of [
      [0, 100],
      [10, 103],
      [20, 99],
      [59.999, 101],
      [60, 102],
      [90, 104],
    ] as const) {
      b.tick(T0 + s * 1000, p);
    }
    assert.deepEqual(b.bars(), [bar(0, 100, 103, 99, 101), bar(1, 102, 104, 102, 104)]);
    assert.deepEqual(b.completedBars(T0 + 119_999), [bar(0, 100, 103, 99, 101)]);
  });

  it('a minute with no tick has no bar', () => {
    const b = new BarBuilder(MINUTE_MS);
    b.tick(T0 + 5_000, 100);
    b.tick(T0 + 3 * MINUTE_MS + 1, 101);
    assert.deepEqual(
      b.bars().map((x) => x.ts),
      [T0, T0 + 3 * MINUTE_MS],
    );
  });

  it('a late tick widens its bar and can open it, but never closes it', () => {
    const b = new BarBuilder(MINUTE_MS);
    b.tick(T0 + 20_000, 100);
    b.tick(T0 + 40_000, 101);
    b.tick(T0 + 30_000, 105); // late: newer than the first, older than the newest
    b.tick(T0 + 10_000, 98); // older than the first: the open
    assert.deepEqual(b.bars(), [bar(0, 98, 105, 98, 101)]);
  });

  it('a late tick for a closed bar amends that bar; one for a silent minute makes it; one older than all is dropped', () => {
    const b = new BarBuilder(MINUTE_MS);
    b.tick(T0 + MINUTE_MS + 1, 100);
    b.tick(T0 + 3 * MINUTE_MS + 1, 100);
    assert.equal(b.tick(T0 + MINUTE_MS + 2, 90), true);
    assert.equal(b.tick(T0 + 2 * MINUTE_MS + 5, 95), true);
    assert.equal(b.tick(T0 + 1, 80), false);
    assert.equal(b.droppedTicks, 1);
    assert.deepEqual(b.bars(), [
      bar(1, 100, 100, 90, 90),
      bar(2, 95, 95, 95, 95),
      bar(3, 100, 100, 100, 100),
    ]);
  });

  it('history loaded after live ticks: the venue opens an overlapping bar, highs and lows unite, the live tick closes', () => {
    const b = new BarBuilder(MINUTE_MS);
    b.tick(T0 + 2 * MINUTE_MS + 30_000, 110);
    b.tick(T0 + 2 * MINUTE_MS + 40_000, 107);
    b.load([bar(0, 100, 101, 99, 100), bar(1, 100, 102, 100, 102), bar(2, 102, 109, 101, 108)]);
    assert.deepEqual(b.bars(), [
      bar(0, 100, 101, 99, 100),
      bar(1, 100, 102, 100, 102),
      bar(2, 102, 110, 101, 107),
    ]);
    // An even older live tick no longer opens the bar: the venue saw the period start.
    b.tick(T0 + 2 * MINUTE_MS + 1, 90);
    assert.deepEqual(b.bars()[2], bar(2, 102, 110, 90, 107));
  });

  it('live ticks extend history loaded first', () => {
    const b = new BarBuilder(MINUTE_MS);
    b.load([bar(0, 100, 101, 99, 100), bar(1, 100, 102, 100, 101)]);
    b.tick(T0 + MINUTE_MS + 50_000, 103);
    b.tick(T0 + 2 * MINUTE_MS + 1, 104);
    assert.deepEqual(b.bars(), [
      bar(0, 100, 101, 99, 100),
      bar(1, 100, 103, 100, 103),
      bar(2, 104, 104, 104, 104),
    ]);
  });

  it('a 1-hour builder fed the same ticks equals the 1-minute bars aggregated', () => {
    const random = new Random(11);
    const minutes = new BarBuilder(MINUTE_MS);
    const hours = new BarBuilder(HOUR_MS);
    let price = 3000;
    let ts = T0;
    for (let i = 0; i < 20_000; i++) {
      ts += random.int(0, 4_000) + (random.chance(0.001) ? 10 * MINUTE_MS : 0);
      price *= Math.exp(0.0005 * random.normal());
      minutes.tick(ts, price);
      hours.tick(ts, price);
    }
    const aggregated = aggregateBars(minutes.bars(), MINUTE_MS, HOUR_MS);
    assert.ok(aggregated.length > 10);
    assert.deepEqual(hours.bars(), aggregated);
  });

  it('keeps at most maxBars, dropping the oldest', () => {
    const b = new BarBuilder(MINUTE_MS, { maxBars: 3 });
    for (let m = 0; m < 5; m++) b.tick(T0 + m * MINUTE_MS, 100 + m);
    assert.deepEqual(
      b.bars().map((x) => x.close),
      [102, 103, 104],
    );
  });

  it('a bad tick or bad history is an error and changes nothing', () => {
    const b = new BarBuilder(MINUTE_MS);
    b.tick(T0, 100);
    const before = b.bars();
    assert.throws(() => b.tick(T0 + 1, 0), RangeError);
    assert.throws(() => b.tick(T0 + 1, Number.NaN), RangeError);
    assert.throws(() => b.tick(Number.NaN, 100), RangeError);
    assert.throws(
      () => b.load([bar(5, 100, 100, 100, 100), { ...bar(6, 100, 100, 100, 100), ts: T0 + 1 }]),
      /grid/,
    );
    assert.throws(() => b.load([bar(5, 100, 99, 98, 100)]), /high/);
    assert.deepEqual(b.bars(), before);
    assert.throws(() => new BarBuilder(0), RangeError);
  });
});

describe('aggregateBars', () => {
  it('opens with the first minute, closes with the last, spans the extremes; an hour with no minutes has no bar', () => {
    const hourly = aggregateBars(
      [bar(0, 10, 12, 9, 11), bar(59, 11, 15, 11, 14), bar(120, 14, 14, 13, 13)],
      MINUTE_MS,
      HOUR_MS,
    );
    assert.deepEqual(hourly, [
      { ts: T0, open: 10, high: 15, low: 9, close: 14 },
      { ts: T0 + 2 * HOUR_MS, open: 14, high: 14, low: 13, close: 13 },
    ]);
    assert.throws(() => aggregateBars([], MINUTE_MS, 90_000), /cannot be made/);
  });
});
