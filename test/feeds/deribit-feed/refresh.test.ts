// The daily listing change at 08:00 UTC, on venue time (a manual clock here): the feed reloads
// the listing without reconnecting, retires what expired, and follows the new listings.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InstrumentAddedEvent, InstrumentRemovedEvent } from '../../../src/book/events.js';
import {
  openSim,
  quiet,
  simOptions,
  startFeed,
  tickersCaughtUp,
  VENUE,
  waitUntil,
} from './harness.js';

const MINUTE = 60_000;

describe('deribit feed: the 08:00 listing refresh', () => {
  it('retires expired instruments and follows new listings on the same connection', async () => {
    const sim = await openSim();
    const probe = await startFeed(sim, { allBooks: true });
    try {
      const exchange = sim.world.exchanges.deribit;
      const listedBefore = new Set(
        exchange.instruments({ currency: 'BTC' }).map((i) => i.spec.name),
      );
      const mark = probe.events.length;
      // 07:00:01 → 08:01:01 a minute at a time; the listing changes as 08:00 passes.
      for (let step = 0; step < 61; step++) sim.advance(MINUTE);
      // Sixty-one simulated minutes of a whole chain's market: seconds of CPU, more on a
      // loaded machine (CI once took over 5 s here while another test file ran).
      await waitUntil('the refresh', () => probe.statuses('instruments').length === 2, 20_000);
      await quiet(probe);

      const listedAfter = new Set(
        exchange.instruments({ currency: 'BTC' }).map((i) => i.spec.name),
      );
      const later = probe.events.slice(mark);
      const removed = later
        .filter((e): e is InstrumentRemovedEvent => e.kind === 'instrument-removed')
        .map((e) => e.instrument);
      const added = later
        .filter((e): e is InstrumentAddedEvent => e.kind === 'instrument-added')
        .map((e) => e.spec.name);
      assert.deepEqual(removed.sort(), [...listedBefore].filter((n) => !listedAfter.has(n)).sort());
      assert.deepEqual(added.sort(), [...listedAfter].filter((n) => !listedBefore.has(n)).sort());
      assert.ok(
        removed.length > 0 && added.length > 0,
        `${removed.length} out, ${added.length} in`,
      );
      assert.ok(
        removed.every((name) => name.startsWith('BTC-20NOV26')),
        'today’s expiry went',
      );
      assert.match(probe.statuses('instruments')[1]?.detail ?? '', /^daily refresh: /);

      // Not a reconnect: one connection throughout.
      assert.equal(probe.statuses('connecting').length, 1);
      assert.equal(probe.statuses('reconnecting').length, 0);
      assert.equal(probe.feed.counters().reconnects, 0);

      // The new options are followed: tickers and books.
      sim.advance(1000);
      await waitUntil('tickers of the new listing', () => tickersCaughtUp(sim, probe));
      const newOptions = added.filter((name) => simOptions(sim).includes(name));
      assert.ok(newOptions.length > 0);
      await waitUntil('their books', () =>
        newOptions.every((name) => probe.market.books.get(VENUE, name)?.state === 'live'),
      );
      // Market state follows the feed: the expired expiry is gone from the chain.
      probe.market.settle(exchange.now());
      const chain = probe.market.chain(VENUE, 'BTC', 'BTC');
      assert.ok(chain !== undefined);
      for (const name of removed) assert.equal(chain.has(name), false, name);
      for (const name of newOptions) assert.notEqual(chain.option(name)?.mark ?? null, null, name);

      // The second look ten minutes later finds nothing new.
      for (let step = 0; step < 10; step++) sim.advance(MINUTE);
      await waitUntil('the second look', () => probe.statuses('instruments').length === 3, 20_000);
      assert.match(probe.statuses('instruments')[2]?.detail ?? '', /0 added, 0 removed/);
    } finally {
      await probe.feed.stop();
      await sim.close();
    }
  });
});
