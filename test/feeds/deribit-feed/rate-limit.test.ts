// too_many_requests: the feed backs off, reports it, and still completes its subscriptions
// without a storm of retries; orders are never retried, so none is ever placed twice.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VenueOrderError } from '../../../src/feeds/feed.js';
import {
  credentialsOf,
  openSim,
  simOptions,
  startFeed,
  tickersCaughtUp,
  VENUE,
  waitUntil,
} from './harness.js';

describe('deribit feed: rate limits', () => {
  it('backs off and completes every subscription, with few refusals', async () => {
    const sim = await openSim({ faults: { maxRequestsPerSec: 5 } });
    // Every book too: a dozen requests at start, over twice what the venue allows per second.
    const probe = await startFeed(sim, { allBooks: true, subscribeChunk: 100 });
    try {
      const limited = probe.statuses('rate-limited');
      assert.ok(limited.length >= 1, 'the venue said too many requests');
      for (const status of limited) assert.ok((status.delayMs ?? 0) > 0, 'with a backoff');
      const counters = probe.feed.counters();
      assert.equal(counters.rateLimited, limited.length);
      // A retry storm would meet the limit on every request for as long as it lasted.
      assert.ok(counters.rateLimited <= 10, `${counters.rateLimited} refusals`);
      assert.equal(probe.statuses('error').length, 0, 'no channel left behind');

      sim.advance(1000);
      await waitUntil('every ticker', () => tickersCaughtUp(sim, probe));
      for (const name of simOptions(sim)) {
        assert.equal(probe.market.books.get(VENUE, name)?.state, 'live', `${name}'s book`);
      }
    } finally {
      await probe.feed.stop();
      await sim.close();
    }
  });

  it('never retries an order the venue refused for the rate', async () => {
    const sim = await openSim({ faults: { maxRequestsPerSec: 4 } });
    const probe = await startFeed(sim, { credentials: credentialsOf(sim) });
    try {
      const orders = probe.feed.orders;
      assert.ok(orders !== null);
      const exchange = sim.world.exchanges.deribit;
      const option = simOptions(sim).find((name) => (exchange.ticker(name)?.markPrice ?? 0) > 0.02);
      assert.ok(option !== undefined);
      const mark = exchange.ticker(option)?.markPrice ?? 0;
      // A resting bid well under the market: placed, never filled.
      const price = (Math.round(mark * 0.6 * 2000) / 2000).toFixed(4);
      const labels = Array.from({ length: 8 }, (_, i) => `rl-test-${i}`);
      const outcomes = await Promise.allSettled(
        labels.map((label) =>
          orders.place({
            instrument: option,
            side: 'buy',
            kind: 'limit',
            amount: '0.1',
            price,
            postOnly: true,
            label,
          }),
        ),
      );
      const refused = labels.filter((_, i) => outcomes[i]?.status === 'rejected');
      assert.ok(refused.length >= 1, 'some orders met the limit');
      for (const outcome of outcomes) {
        if (outcome.status !== 'rejected') continue;
        assert.ok(outcome.reason instanceof VenueOrderError);
        assert.equal(outcome.reason.reason, 'rate-limited');
        assert.equal(outcome.reason.code, 10028);
      }
      const open = exchange.openOrders('paper');
      assert.equal(open.length, labels.length - refused.length, 'each accepted order once');
      for (const label of refused) {
        assert.equal(exchange.orderByLabel('paper', label), undefined, `${label} was resent`);
      }
    } finally {
      await probe.feed.stop();
      await sim.close();
    }
  });
});
