import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StaleWatchdog } from '../../../src/feeds/common/stale-watchdog.js';

describe('StaleWatchdog', () => {
  it('reports a quiet key once, and fresh again when it is touched', () => {
    const watchdog = new StaleWatchdog(5000);
    assert.equal(watchdog.touch('ticker', 1000), false);
    assert.equal(watchdog.touch('book', 1000), false);
    assert.deepEqual(watchdog.check(5999), []);
    assert.equal(watchdog.touch('book', 4000), false);
    assert.deepEqual(watchdog.check(6000), ['ticker']);
    assert.equal(watchdog.isStale('ticker'), true);
    assert.equal(watchdog.isStale('book'), false);
    assert.deepEqual(watchdog.check(7000), [], 'reported once');
    assert.deepEqual(watchdog.staleKeys(), ['ticker']);
    assert.equal(watchdog.touch('ticker', 7100), true);
    assert.equal(watchdog.isStale('ticker'), false);
    assert.equal(watchdog.touch('ticker', 7200), false);
    assert.deepEqual(watchdog.check(9000), ['book']);
    assert.deepEqual(watchdog.check(12_200), ['ticker']);
  });

  it('does not move a key back in time on an out-of-order touch', () => {
    const watchdog = new StaleWatchdog(100);
    watchdog.touch('a', 500);
    watchdog.touch('a', 400);
    assert.deepEqual(watchdog.check(550), []);
    assert.deepEqual(watchdog.check(600), ['a']);
  });

  it('forgets removed keys and everything on clear', () => {
    const watchdog = new StaleWatchdog(10);
    watchdog.touch('a', 0);
    watchdog.touch('b', 0);
    watchdog.remove('a');
    assert.deepEqual(watchdog.check(100), ['b']);
    assert.equal(watchdog.isStale('a'), false);
    watchdog.clear();
    assert.equal(watchdog.isStale('b'), false);
    assert.deepEqual(watchdog.check(1000), []);
  });

  it('refuses a non-positive stale time', () => {
    assert.throws(() => new StaleWatchdog(0), RangeError);
  });
});
