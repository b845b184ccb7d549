import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Backoff, DEFAULT_BACKOFF } from '../../../src/feeds/common/backoff.js';

describe('Backoff', () => {
  it('defaults to 500 ms doubling up to 30 s with half the delay random', () => {
    assert.deepEqual(
      { ...DEFAULT_BACKOFF },
      { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.5 },
    );
  });

  it('grows exponentially and stops at the cap', () => {
    const backoff = new Backoff({ random: () => 0 });
    const delays = Array.from({ length: 10 }, () => backoff.next());
    assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
    assert.equal(backoff.attempt, 10);
  });

  it('keeps jittered delays within [d·(1−jitter), d]', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1000, factor: 3, jitter: 0.5 });
    const ceilings = [100, 300, 900, 1000, 1000];
    for (let round = 0; round < 200; round += 1) {
      backoff.reset();
      for (const ceiling of ceilings) {
        const delay = backoff.next();
        assert.ok(
          delay >= ceiling * 0.5 && delay <= ceiling,
          `${delay} outside [${ceiling / 2}, ${ceiling}]`,
        );
      }
    }
  });

  it('maps the random draw onto the jitter range', () => {
    let draw = 0.5;
    const backoff = new Backoff({ initialMs: 200, maxMs: 10_000, jitter: 0.5, random: () => draw });
    assert.equal(backoff.next(), 150);
    draw = 0.999999;
    assert.equal(backoff.next(), 200);
    const none = new Backoff({ initialMs: 200, jitter: 0, random: () => 0.9 });
    assert.equal(none.next(), 200);
  });

  it('starts over after reset', () => {
    const backoff = new Backoff({ initialMs: 10, random: () => 0 });
    backoff.next();
    backoff.next();
    assert.equal(backoff.attempt, 2);
    backoff.reset();
    assert.equal(backoff.attempt, 0);
    assert.equal(backoff.next(), 10);
  });

  it('stays finite after very many attempts', () => {
    const backoff = new Backoff({ initialMs: 1, maxMs: 5000, random: () => 0 });
    let last = 0;
    for (let i = 0; i < 5000; i += 1) last = backoff.next();
    assert.equal(last, 5000);
  });

  it('refuses options that make no sense', () => {
    assert.throws(() => new Backoff({ initialMs: 100, maxMs: 50 }), RangeError);
    assert.throws(() => new Backoff({ factor: 0.5 }), RangeError);
    assert.throws(() => new Backoff({ jitter: 1.5 }), RangeError);
  });
});
