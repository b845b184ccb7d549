import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VenueClock } from '../../src/book/venue-clock.js';

describe('VenueClock', () => {
  it('is the wall clock until the venue speaks, then the venue’s time carried forward', () => {
    let wall = 1_000_000;
    const clock = new VenueClock(() => wall);
    assert.equal(clock.now(), 1_000_000);
    // A sim running weeks behind the machine, and fast: its stamps rule.
    clock.observe(500);
    assert.equal(clock.now(), 500);
    wall += 40;
    assert.equal(clock.now(), 540);
    clock.observe(90_000);
    assert.equal(clock.now(), 90_000);
  });

  it('never runs backwards: a late message stamped earlier does not pull it back', () => {
    let wall = 0;
    const clock = new VenueClock(() => wall);
    clock.observe(10_000);
    wall = 300;
    assert.equal(clock.now(), 10_300);
    clock.observe(10_100);
    assert.equal(clock.now(), 10_300);
    clock.observe(Number.NaN);
    assert.equal(clock.now(), 10_300);
  });
});
