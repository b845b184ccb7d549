// Orders per rolling second: a batch takes all its slots or none, and slots come back one
// second after they were taken.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RateLimiter } from '../../src/gateway/rate-limiter.js';

describe('RateLimiter', () => {
  it('takes ten in a second and refuses the eleventh', () => {
    const limiter = new RateLimiter(10);
    for (let i = 0; i < 10; i += 1) assert.equal(limiter.tryTake(1, 1_000 + i * 50), true);
    assert.equal(limiter.tryTake(1, 1_499), false);
    assert.equal(limiter.used(1_499), 10);
  });

  it('rolls: a slot is free again one second after it was taken', () => {
    const limiter = new RateLimiter(2);
    assert.equal(limiter.tryTake(1, 0), true);
    assert.equal(limiter.tryTake(1, 400), true);
    assert.equal(limiter.tryTake(1, 999), false);
    assert.equal(limiter.waitMs(1, 999), 1);
    assert.equal(limiter.tryTake(1, 1_000), true, 'the first slot expired');
    assert.equal(limiter.tryTake(1, 1_399), false);
    assert.equal(limiter.waitMs(2, 1_399), 601);
    assert.equal(limiter.tryTake(2, 2_000), true);
  });

  it('takes a batch whole or not at all', () => {
    const limiter = new RateLimiter(10);
    assert.equal(limiter.tryTake(8, 0), true);
    assert.equal(limiter.tryTake(3, 10), false);
    assert.equal(limiter.used(10), 8, 'a refused batch takes nothing');
    assert.equal(limiter.tryTake(2, 10), true);
    assert.equal(limiter.tryTake(11, 5_000), false, 'more than the cap never fits');
    assert.equal(limiter.waitMs(11, 5_000), Infinity);
    assert.equal(limiter.tryTake(0, 20), true);
  });

  it('refuses a cap that is not a whole number', () => {
    assert.throws(() => new RateLimiter(2.5), RangeError);
    assert.throws(() => new RateLimiter(-1), RangeError);
  });
});
