import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RoundTripMeter } from '../../../src/feeds/common/round-trip-meter.js';
import { RoundTripProbe } from '../../../src/feeds/common/round-trip-probe.js';
import { waitUntil } from '../../support/wait.js';

describe('RoundTripProbe', () => {
  it('probes a quiet connection once per interval and a busy one never', () => {
    let t = 0;
    const meter = new RoundTripMeter(() => t);
    let sent = 0;
    const probe = new RoundTripProbe({
      meter,
      intervalMs: 5000,
      ready: () => true,
      send: () => {
        sent += 1;
      },
    });
    probe.check();
    assert.equal(sent, 1, 'nothing measured yet: at once');
    // Checks every 1000 ms, as the timer would; the probe's answer never comes.
    for (t = 1000; t < 4000; t += 1000) probe.check();
    assert.equal(sent, 1);
    t = 4000;
    probe.check();
    assert.equal(sent, 2, 'the lost probe is followed by one more, not a burst');

    // Other requests measured every 2 s keep it silent.
    for (t = 5000; t <= 20_000; t += 1000) {
      if (t % 2000 === 0) meter.replied(meter.sent());
      probe.check();
    }
    assert.equal(sent, 2);
  });

  it('keeps the measurements no more than an interval apart on a quiet connection', () => {
    let t = 0;
    const meter = new RoundTripMeter(() => t);
    const measuredAt: number[] = [];
    const probe = new RoundTripProbe({
      meter,
      intervalMs: 5000,
      ready: () => true,
      send: () => {
        const stamp = meter.sent();
        t += 30;
        meter.replied(stamp);
        measuredAt.push(t);
      },
    });
    for (; t <= 30_000; t += 1000) probe.check();
    assert.ok(measuredAt.length >= 6, `${measuredAt.length} measurements in 30 s`);
    for (let i = 1; i < measuredAt.length; i++) {
      const gap = (measuredAt[i] ?? 0) - (measuredAt[i - 1] ?? 0);
      assert.ok(gap <= 5000, `measurements ${gap} ms apart`);
    }
  });

  it('sends nothing while the connection is not ready', () => {
    let ready = false;
    let sent = 0;
    const probe = new RoundTripProbe({
      meter: new RoundTripMeter(() => 0),
      ready: () => ready,
      send: () => {
        sent += 1;
      },
    });
    probe.check();
    assert.equal(sent, 0);
    ready = true;
    probe.check();
    assert.equal(sent, 1);
  });

  it('runs on its own timer between start and stop', async () => {
    const meter = new RoundTripMeter();
    let sent = 0;
    const probe = new RoundTripProbe({
      meter,
      intervalMs: 50,
      ready: () => true,
      send: () => {
        sent += 1;
        meter.replied(meter.sent());
      },
    });
    probe.start();
    try {
      await waitUntil('two probes', () => sent >= 2);
      assert.notEqual(meter.latestMs, null);
    } finally {
      probe.stop();
    }
    const stopped = sent;
    await new Promise((resolve) => setTimeout(resolve, 120));
    assert.equal(sent, stopped, 'no probe after stop');
  });

  it('refuses an interval that is not positive', () => {
    const options = { meter: new RoundTripMeter(), ready: () => true, send: () => undefined };
    assert.throws(() => new RoundTripProbe({ ...options, intervalMs: 0 }), RangeError);
  });
});
