// Too many requests, on REST and on the sockets: each refusal is counted and reported, and
// followed by a pause at least as long as the venue's window before the same request goes
// again, so the feed still loads everything without a retry storm.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openSim, simOptions, startFeed, waitUntil } from './harness.js';

describe('bybit feed: too many requests', () => {
  it('backs off and retries, a bounded number of times, and still loads everything', async () => {
    const sim = await openSim({ faults: { maxRequestsPerSec: 4 } });
    try {
      const probe = await startFeed(sim, { instrumentPageLimit: 60, subscribeChunk: 60 });
      try {
        sim.advance(1000);
        await waitUntil('every option ticker', () =>
          simOptions(sim).every((name) => probe.tickers.has(name)),
        );
        const counters = probe.feed.counters();
        const limited = probe.statuses('rate-limited');
        assert.ok(counters.rateLimited >= 2, `${counters.rateLimited} refusals`);
        assert.equal(limited.length, counters.rateLimited);
        // Each refusal is followed by a pause at least as long as the venue's window.
        for (const status of limited) assert.ok((status.delayMs ?? 0) >= 1000);
        assert.ok(counters.rateLimited <= 12, `${counters.rateLimited} refusals: a storm`);
        assert.ok(limited.some((s) => s.stream === 'rest'));
        assert.ok(limited.some((s) => s.stream === 'option'));
        const registry = probe.market.registry('bybit');
        assert.equal(registry.size, sim.world.exchanges.bybit.instruments().length);
      } finally {
        await probe.feed.stop();
      }
    } finally {
      await sim.close();
    }
  });
});
