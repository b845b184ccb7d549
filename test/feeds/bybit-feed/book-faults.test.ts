// Books under a lossy venue: dropped, duplicated and reordered book changes. Each break of a
// book's `u` chain is reported as a gap and healed by resubscribing that book alone; a lost
// last change (no later update to show it) is caught by the ticker's top; at the end every
// book's top is the sim's.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSim } from '../../../src/sim/server.js';
import {
  feedTop,
  openSim,
  sameTop,
  simOptions,
  simTop,
  sleep,
  startFeed,
  waitUntil,
  type FeedProbe,
} from './harness.js';

/** Books whose last gap has not yet been followed by a resync. */
function unhealed(probe: FeedProbe): string[] {
  const lastGap = new Map<string, number>();
  const lastResync = new Map<string, number>();
  probe.events.forEach((event, index) => {
    if (event.kind !== 'status') return;
    const name = event.instruments?.[0];
    if (name === undefined) return;
    if (event.status === 'gap') lastGap.set(name, index);
    if (event.status === 'resynced') lastResync.set(name, index);
  });
  return [...lastGap]
    .filter(([name, index]) => (lastResync.get(name) ?? -1) < index)
    .map(([n]) => n);
}

describe('bybit feed: dropped, duplicated and reordered book changes', () => {
  let sim: RunningSim;
  let probe: FeedProbe;

  before(async () => {
    sim = await openSim({
      faults: { dropBookChanges: 0.05, duplicateBookChanges: 0.05, reorderBookChanges: 0.05 },
    });
    probe = await startFeed(sim, { allBooks: true });
    for (let step = 0; step < 12; step++) {
      sim.advance(500);
      await sleep(20);
    }
    const names = [...simOptions(sim), 'BTCUSDT'];
    await waitUntil(
      () => {
        const off = names.filter((name) => !sameTop(feedTop(probe, name), simTop(sim, name)));
        return `every book to reach the sim top; ${off.length} still off, e.g. ${off[0]}`;
      },
      () => names.every((name) => sameTop(feedTop(probe, name), simTop(sim, name))),
    );
    await waitUntil(
      () => `every gap to be resynced: ${unhealed(probe).join(', ')}`,
      () => unhealed(probe).length === 0,
    );
  });
  after(async () => {
    await probe.feed.stop();
    await sim.close();
  });

  it('reports each gap for its book and resynchronises that book', () => {
    const counters = probe.feed.counters();
    const gaps = probe.statuses('gap');
    const resynced = probe.statuses('resynced');
    assert.ok(counters.gaps > 5, `${counters.gaps} gaps`);
    assert.equal(gaps.length, counters.gaps);
    for (const gap of gaps) assert.equal(gap.instruments?.length, 1);
    assert.equal(counters.resyncs, resynced.length);
    // Every book that broke came back, each after its last gap (awaited in before).
    assert.deepEqual(unhealed(probe), []);
    assert.equal(counters.reconnects, 0, 'a gap costs one book, not the connection');
  });

  it('ends with every book at the sim top (checked in before)', () => {
    const names = simOptions(sim);
    assert.ok(names.every((name) => sameTop(feedTop(probe, name), simTop(sim, name))));
  });
});

describe('bybit feed: corrupted snapshots', () => {
  it('subscribes a book again, after a backoff, until a whole snapshot lands: every book ends live', async () => {
    const sim = await openSim({ faults: { malformedFrames: 0.2 } });
    const probe = await startFeed(sim, { allBooks: true, topCheckAfterMs: 600_000 });
    try {
      for (let step = 0; step < 4; step++) {
        sim.advance(1000);
        await sleep(100);
      }
      const options = simOptions(sim);
      const notLive = (): string[] =>
        options.filter((name) => probe.market.books.get('bybit', name)?.state !== 'live');
      await waitUntil(
        () => `every book live; ${notLive().length} not, e.g. ${notLive()[0]}`,
        () => notLive().length === 0,
        20_000,
      );
      const counters = probe.feed.counters();
      assert.ok(counters.malformed > 50, `${counters.malformed} malformed`);
      assert.ok(counters.resyncs > 0);
      assert.equal(counters.reconnects, 0, 'healed book by book, not by reconnecting');
    } finally {
      await probe.feed.stop();
      await sim.close();
    }
  });
});
