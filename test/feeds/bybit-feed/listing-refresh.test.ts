// The daily listing at 08:00 UTC on the venue's clock (the sim's, moved by hand): expired
// options leave, new ones arrive with tickers, all on the sockets already open.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSim } from '../../../src/sim/server.js';
import { openSim, simOptions, startFeed, VENUE, waitUntil, type FeedProbe } from './harness.js';

const HOUR_MS = 3_600_000;

describe('bybit feed: the 08:00 listing refresh', () => {
  let sim: RunningSim;
  let probe: FeedProbe;
  let listedBefore: Set<string>;
  let eventsAtStart: number;

  before(async () => {
    sim = await openSim();
    // Every option's book too, so books of expiring options are dropped as well.
    probe = await startFeed(sim, { allBooks: true });
    listedBefore = new Set(sim.world.exchanges.bybit.instruments().map((i) => i.spec.name));
    eventsAtStart = probe.events.length;
    sim.advance(HOUR_MS);
    const listed = (): string[] => sim.world.exchanges.bybit.instruments().map((i) => i.spec.name);
    await waitUntil('the registry to hold the new listing', () => {
      const registry = probe.market.registry(VENUE);
      return registry.size === listed().length && listed().every((n) => registry.get(n));
    });
    sim.advance(1000);
    await waitUntil('every listed option to have a ticker', () =>
      simOptions(sim).every((name) => probe.tickers.has(name)),
    );
    // The first book of a new option arrives on its own topic, in its own time.
    await waitUntil('every new option to have a book', () => {
      const booked = new Set(
        probe.events
          .slice(eventsAtStart)
          .flatMap((e) => (e.kind === 'book-snapshot' ? [e.instrument] : [])),
      );
      return simOptions(sim).every((name) => listedBefore.has(name) || booked.has(name));
    });
  });
  after(async () => {
    await probe.feed.stop();
    await sim.close();
  });

  it('spreads the option topics over two connections, within the venue limits', () => {
    // 326 tickers and 326 books are more than 21,000 characters of topic names.
    const live = probe.statuses('live').map((s) => s.stream);
    assert.deepEqual(live.sort(), ['linear', 'option', 'option-2']);
  });

  it('retires the expired options and adds the new ones, once each', () => {
    const listed = new Set(sim.world.exchanges.bybit.instruments().map((i) => i.spec.name));
    const later = probe.events.slice(eventsAtStart);
    const removed = later.flatMap((e) => (e.kind === 'instrument-removed' ? [e.instrument] : []));
    const added = later.flatMap((e) => (e.kind === 'instrument-added' ? [e.spec.name] : []));
    const expected = {
      removed: [...listedBefore].filter((name) => !listed.has(name)).sort(),
      added: [...listed].filter((name) => !listedBefore.has(name)).sort(),
    };
    assert.ok(expected.removed.length > 0 && expected.added.length > 0);
    assert.deepEqual({ removed: removed.sort(), added: added.sort() }, expected);
    const refresh = probe.statuses('instruments').at(-1);
    assert.match(
      refresh?.detail ?? '',
      new RegExp(`${expected.added.length} added, ${expected.removed.length} removed`),
    );
  });

  it('follows the new options and books without reconnecting, and nothing of the old', () => {
    const later = probe.events.slice(eventsAtStart);
    assert.deepEqual(
      later.filter((e) => e.kind === 'status').map((e) => (e.kind === 'status' ? e.status : '')),
      ['instruments'],
      'no connection change and no refused subscription',
    );
    assert.equal(probe.feed.counters().reconnects, 0);
    const listed = new Set(simOptions(sim));
    const booked = new Set(
      later.flatMap((e) => (e.kind === 'book-snapshot' ? [e.instrument] : [])),
    );
    for (const name of listed) {
      if (!listedBefore.has(name)) assert.ok(booked.has(name), `no book for new ${name}`);
    }
    const removedAt = new Map<string, number>();
    later.forEach((event, index) => {
      if (event.kind === 'instrument-removed') removedAt.set(event.instrument, index);
    });
    later.forEach((event, index) => {
      if (event.kind !== 'ticker' && event.kind !== 'book-delta') return;
      const gone = removedAt.get(event.instrument);
      assert.ok(gone === undefined || index < gone, `${event.instrument} quoted after removal`);
    });
  });
});
