// The stale-data watchdog on a running clock (a stall needs time to pass): a stream that stops
// is reported stale, and fresh when it resumes; one that stays stopped while the socket is
// open is reconnected.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openSim, simOptions, sleep, startFeed, waitUntil } from './harness.js';

describe('deribit feed: stale streams', () => {
  it('reports a stalled stream stale within the watchdog time, then fresh', async () => {
    // Notifications held for 1.2 s, 2 s after the connection opens; replies still flow.
    const sim = await openSim({
      manualClock: false,
      faults: { stallEverySec: 2, stallForSec: 1.2 },
    });
    const probe = await startFeed(sim, { staleAfterMs: 500, heartbeatSec: 2 });
    try {
      // The families fall quiet together but are checked on a beat: wait for the tickers'.
      await waitUntil(
        'the tickers stale',
        () => probe.statuses('stale').some((event) => event.detail?.includes('tickers') === true),
        4_000,
      );
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

describe('deribit feed: a quiet book on a healthy connection', () => {
  it('is never reported stale: a book sends only when it changes, so its silence is no sign', async () => {
    const sim = await openSim({ manualClock: false, stepWallMs: 50 });
    const book = simOptions(sim).at(-1)!;
    const probe = await startFeed(sim, { staleAfterMs: 400, heartbeatSec: 1, books: [book] });
    try {
      await sleep(4_000);
      const arrivals = probe.events
        .map((event, index) => ({ event, at: probe.arrivals[index]! }))
        .filter(({ event }) => event.kind.startsWith('book-') && 'instrument' in event)
        .filter(({ event }) => (event as { instrument: string }).instrument === book)
        .map(({ at }) => at);
      const silences = arrivals.map((at, i) => (arrivals[i + 1] ?? Date.now()) - at);
      assert.ok(
        silences.some((ms) => ms > 1_000),
        `the book was quiet past the watchdog time: ${silences.join(', ')}`,
      );
      assert.ok(probe.count('ticker') > 100, 'the tickers flowed');
      assert.deepEqual(probe.statuses('stale'), [], 'nothing reported stale');
      assert.deepEqual(probe.statuses('fresh'), []);
    } finally {
      await probe.feed.stop();
      await sim.close();
    }
  });
});
