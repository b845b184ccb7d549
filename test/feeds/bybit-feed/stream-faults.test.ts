// What a misbehaving venue does to the feed's streams: frames cut short (counted, logged,
// skipped, and what they would have changed fetched again), and a stream that stalls (stale,
// then fresh; reconnected when it stays silent).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSim } from '../../../src/sim/server.js';
import {
  closeMark,
  close,
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

function tickersAgree(sim: RunningSim, probe: FeedProbe): boolean {
  const exchange = sim.world.exchanges.bybit;
  return simOptions(sim).every((name) => {
    const mine = probe.tickers.get(name);
    const theirs = exchange.ticker(name);
    return (
      mine !== undefined &&
      theirs !== undefined &&
      close(mine.bid, theirs.bestBidPrice) &&
      close(mine.ask, theirs.bestAskPrice) &&
      closeMark(mine.mark, theirs.markPrice) &&
      close(mine.venueIv.mark, theirs.markIv, 1e-3)
    );
  });
}

describe('bybit feed: malformed frames', () => {
  let sim: RunningSim;
  let probe: FeedProbe;

  before(async () => {
    sim = await openSim({ faults: { malformedFrames: 0.03 } });
    probe = await startFeed(sim, { allBooks: true });
    for (let step = 0; step < 8; step++) {
      sim.advance(1000);
      await sleep(20);
    }
  });
  after(async () => {
    await probe.feed.stop();
    await sim.close();
  });

  it('counts each one, logs it on one line, reports it without a storm, and goes on', async () => {
    await waitUntil('tickers to agree with the sim', () => tickersAgree(sim, probe));
    const malformed = probe.feed.counters().malformed;
    assert.ok(malformed > 5, `${malformed} malformed frames`);
    const lines = probe.logs.filter((line) => line.includes('malformed frame skipped'));
    assert.equal(lines.length, malformed);
    for (const line of lines) assert.doesNotMatch(line, /\n/);
    const statuses = probe.statuses('malformed');
    assert.ok(statuses.length >= 1 && statuses.length < malformed, `${statuses.length} statuses`);
  });

  it('leaves every ticker and book where the sim has it', async () => {
    const names = [...simOptions(sim), 'BTCUSDT'];
    await waitUntil('every book to reach the sim top', () =>
      names.every((name) => sameTop(feedTop(probe, name), simTop(sim, name))),
    );
    assert.ok(tickersAgree(sim, probe));
  });
});

describe('bybit feed: a stalled stream', () => {
  let sim: RunningSim;
  let probe: FeedProbe;
  const staleAfterMs = 200;

  before(async () => {
    sim = await openSim({
      manualClock: false,
      speed: 20,
      stepWallMs: 50,
      faults: { stallEverySec: 1.2, stallForSec: 0.4 },
    });
    probe = await startFeed(sim, { staleAfterMs });
    await waitUntil('a stall to come and go', () => probe.statuses('fresh', 'option').length >= 2);
  });
  after(async () => {
    await probe.feed.stop();
    await sim.close();
  });

  it('marks the tickers stale, for every option, then fresh, without reconnecting', () => {
    const options = new Set(simOptions(sim));
    const stale = probe.statuses('stale', 'option');
    assert.ok(stale.length >= 2);
    for (const status of stale) {
      assert.ok(status.instruments!.length >= options.size - 60, 'stale covers the options');
      assert.match(status.detail ?? '', /no ticker data for 200 ms/);
    }
    const sequence = probe
      .statuses()
      .filter((s) => s.stream === 'option' && (s.status === 'stale' || s.status === 'fresh'))
      .map((s) => s.status);
    sequence.forEach((status, i) => assert.equal(status, i % 2 === 0 ? 'stale' : 'fresh'));
    assert.equal(probe.feed.counters().reconnects, 0, 'a short stall is waited out');
  });
});

describe('bybit feed: a stream that stays silent', () => {
  it('is reconnected after three watchdog periods without data', async () => {
    const sim = await openSim({
      manualClock: false,
      speed: 20,
      stepWallMs: 50,
      faults: { stallEverySec: 1, stallForSec: 2 },
    });
    const probe = await startFeed(sim, { staleAfterMs: 150, connectTimeoutMs: 2000 });
    try {
      await waitUntil('a reconnect', () => probe.feed.counters().reconnects >= 1, 6000);
      const dropped = probe
        .statuses('reconnecting')
        .find((s) => /no data for/.test(s.detail ?? ''));
      assert.ok(dropped !== undefined, 'reconnected for silence');
      const stale = probe.statuses('stale').find((s) => s.stream === dropped.stream);
      assert.ok(stale !== undefined && stale.ts <= dropped.ts, 'stale was reported first');
    } finally {
      await probe.feed.stop();
      await sim.close();
    }
  });
});

describe('bybit feed: a quiet book on a healthy connection', () => {
  it('is never reported stale: a book sends only when it changes, so its silence is no sign', async () => {
    const sim = await openSim({ manualClock: false, stepWallMs: 50 });
    const book = simOptions(sim).at(-1)!;
    const probe = await startFeed(sim, { staleAfterMs: 400, books: [book] });
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
