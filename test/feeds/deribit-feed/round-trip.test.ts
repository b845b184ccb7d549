// The connection's round trip, as the header shows it beside the connection state: measured
// from the first request of each connection, kept fresh by a cheap public/test in a quiet
// market, gone while the connection is, and as long as the venue takes to answer.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FeedEvent } from '../../../src/book/events.js';
import { isMeasured, roundTripSamples } from '../../support/round-trip.js';
import { openSim, startFeed, waitUntil } from './harness.js';

describe('deribit feed: round trip', () => {
  it('is measured as soon as the feed is up, and refreshed in a quiet market', async () => {
    const sim = await openSim();
    // The venue's heartbeat answers are timed too: slowed down here, the probe does the work.
    const probe = await startFeed(sim, { heartbeatSec: 10, roundTripIntervalMs: 200 });
    try {
      const first = probe.feed.roundTripMs();
      assert.ok(isMeasured(first), `round trip ${String(first)} at start`);
      // No market step, no request of ours: only the probe can measure again.
      const seen = new Set<number>([first]);
      await waitUntil(
        () => `three measurements, saw ${[...seen].join(', ')}`,
        () => {
          const now = probe.feed.roundTripMs();
          if (isMeasured(now)) seen.add(now);
          return seen.size >= 3;
        },
      );
    } finally {
      await probe.feed.stop();
      await sim.close();
    }
    assert.equal(probe.feed.roundTripMs(), null, 'stopped: no connection, no figure');
  });

  it('is null from a dropped connection until the next one answers', async () => {
    const sim = await openSim({ faults: { disconnectEverySec: 0.8 } });
    const observed: { status: string; roundTripMs: number | null }[] = [];
    const probe = await startFeed(sim, { backoff: { initialMs: 150, maxMs: 150, jitter: 0 } });
    const record = (event: FeedEvent): void => {
      if (event.kind !== 'status') return;
      observed.push({ status: event.status, roundTripMs: probe.feed.roundTripMs() });
    };
    const off = probe.feed.onEvent(record);
    const during: (number | null)[] = [];
    try {
      assert.ok(isMeasured(probe.feed.roundTripMs()));
      await waitUntil('two reconnects', () => {
        // Sampled while the feed waits out its backoff, the socket gone.
        if (observed.at(-1)?.status === 'reconnecting') during.push(probe.feed.roundTripMs());
        return probe.feed.counters().reconnects >= 2;
      });
    } finally {
      off();
      await probe.feed.stop();
      await sim.close();
    }
    const lost = observed.filter((o) => o.status === 'reconnecting' || o.status === 'connecting');
    const live = observed.filter((o) => o.status === 'live');
    assert.ok(lost.length >= 4, `${lost.length} loss statuses`);
    for (const o of lost) assert.equal(o.roundTripMs, null, `${o.status} with a round trip`);
    assert.ok(during.length > 0 && during.every((value) => value === null), 'null while away');
    assert.ok(live.length >= 2);
    for (const o of live) assert.ok(isMeasured(o.roundTripMs), 'measured by the time it is live');
  });

  it('grows with the time the venue takes to answer', async () => {
    const delayMs = 150;
    const sim = await openSim({ faults: { replyDelayMs: delayMs } });
    const probe = await startFeed(sim, { roundTripIntervalMs: 200 });
    try {
      const samples = await roundTripSamples(() => probe.feed.roundTripMs(), 5);
      for (const sample of samples) {
        // Node's timers may fire a millisecond before performance.now() says they are due.
        assert.ok(sample >= delayMs - 2, `round trip ${sample} ms under the ${delayMs} ms delay`);
      }
    } finally {
      await probe.feed.stop();
      await sim.close();
    }
  });
});
