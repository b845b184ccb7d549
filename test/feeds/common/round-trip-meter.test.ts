import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RoundTripMeter } from '../../../src/feeds/common/round-trip-meter.js';

/** A clock the test moves by hand. */
function handClock(start = 1000): { now: () => number; move: (ms: number) => void } {
  let t = start;
  return { now: () => t, move: (ms) => (t += ms) };
}

describe('RoundTripMeter', () => {
  it('has no figure until the first reply, then the latest reply’s round trip', () => {
    const clock = handClock();
    const meter = new RoundTripMeter(clock.now);
    assert.equal(meter.latestMs, null);
    const first = meter.sent();
    clock.move(5);
    const second = meter.sent();
    assert.equal(meter.latestMs, null, 'a request alone measures nothing');
    clock.move(7);
    assert.equal(meter.replied(first), 12);
    assert.equal(meter.latestMs, 12);
    clock.move(1);
    assert.equal(meter.replied(second), 8);
    assert.equal(meter.latestMs, 8, 'the latest reply wins, not the largest');
  });

  it('forgets the figure on reset and ignores replies to requests sent before it', () => {
    const clock = handClock();
    const meter = new RoundTripMeter(clock.now);
    const before = meter.sent();
    const measured = meter.sent();
    clock.move(3);
    meter.replied(measured);
    assert.equal(meter.latestMs, 3);
    meter.reset();
    assert.equal(meter.latestMs, null);
    clock.move(100);
    assert.equal(meter.replied(before), null, 'a straggler from the old connection');
    assert.equal(meter.latestMs, null);
    const after = meter.sent();
    clock.move(2);
    assert.equal(meter.replied(after), 2);
    assert.equal(meter.latestMs, 2);
  });

  it('never reports a negative round trip from a clock that stepped back', () => {
    let t = 50;
    const meter = new RoundTripMeter(() => t);
    const stamp = meter.sent();
    t = 40;
    assert.equal(meter.replied(stamp), 0);
  });

  it('calls for a probe only when nothing was measured or probed for the quiet time', () => {
    const clock = handClock();
    const meter = new RoundTripMeter(clock.now);
    assert.equal(meter.probeDue(4000), true, 'nothing measured yet');
    meter.probed();
    assert.equal(meter.probeDue(4000), false, 'one probe out is enough');
    clock.move(3999);
    assert.equal(meter.probeDue(4000), false);
    clock.move(1);
    assert.equal(meter.probeDue(4000), true, 'its answer never came: another may go');
    meter.probed();
    const stamp = meter.sent();
    clock.move(10);
    meter.replied(stamp);
    clock.move(3995);
    assert.equal(meter.probeDue(4000), false, 'measured 3995 ms ago');
    clock.move(5);
    assert.equal(meter.probeDue(4000), true);
    const other = meter.sent();
    clock.move(1);
    meter.replied(other);
    clock.move(10);
    assert.equal(meter.probeDue(4000), false, 'any request measured counts, not only probes');
    meter.probed();
    meter.reset();
    assert.equal(meter.probeDue(4000), true, 'a new connection is measured at once');
  });
});
