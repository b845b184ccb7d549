// The stale-data watchdog on a running clock (a stall needs time to pass): a stream that stops
// is reported stale, and fresh when it resumes; one that stays stopped while the socket is
// open is reconnected.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openSim, startFeed, waitUntil } from './harness.js';

describe('deribit feed: stale streams', () => {
  it('reports a stalled stream stale within the watchdog time, then fresh', async () => {
    // Notifications held for 1.2 s, 2 s after the connection opens; replies still flow.
    const sim = await openSim({
      manualClock: false,
      faults: { stallEverySec: 2, stallForSec: 1.2 },
    });
    const probe = await startFeed(sim, { staleAfterMs: 500, heartbeatSec: 2 });
    try {
      await waitUntil('a stale status', () => probe.statuses('stale').length > 0, 4_000);
      const stale = probe.statuses('stale');
      const families = stale.map((event) => event.detail ?? '');
      assert.ok(
        families.some((detail) => detail.includes('tickers')),
        families.join('; '),
      );
      const tickers = stale.find((event) => event.detail?.includes('tickers'));
      assert.ok((tickers?.instruments?.length ?? 0) > 100, 'names every option it covers');
      // Reported once the watchdog time has passed without a ticker, at the next check.
      const reportedAt = tickers?.ts ?? NaN;
      const silence = reportedAt - probe.lastArrival('ticker', reportedAt);
      assert.ok(silence >= 500, `stale after only ${silence} ms of silence`);

      await waitUntil('fresh again', () => probe.statuses('fresh').length >= stale.length, 3_000);
      assert.equal(probe.statuses('reconnecting').length, 0, 'a pause is not a reconnect');
      assert.equal(probe.feed.counters().reconnects, 0);
    } finally {
      await probe.feed.stop();
      await sim.close();
    }
  });

  it('reconnects a stream stalled three watchdog periods on an open socket', async () => {
    const sim = await openSim({
      manualClock: false,
      faults: { stallEverySec: 1, stallForSec: 5 },
    });
    const probe = await startFeed(sim, { staleAfterMs: 300, heartbeatSec: 2 });
    try {
      await waitUntil('a reconnect', () => probe.statuses('reconnecting').length > 0, 4_000);
      const reconnecting = probe.statuses('reconnecting')[0];
      assert.match(reconnecting?.detail ?? '', /wedged/);
      const stale = probe.statuses('stale')[0];
      assert.ok(stale !== undefined && stale.ts <= (reconnecting?.ts ?? 0));
      assert.ok((reconnecting?.ts ?? 0) - stale.ts >= 3 * 300 - 100, 'not before three periods');
      await waitUntil('live again', () => probe.feed.counters().reconnects === 1, 4_000);
    } finally {
      await probe.feed.stop();
      await sim.close();
    }
  });
});
