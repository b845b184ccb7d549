// A venue that drops every connection every second or so, with the market running: each socket
// reports the loss and reconnects with backoff, subscribes everything again, resyncs its books,
// and the private socket reloads the account each time, so positions are neither doubled nor
// lost, including one traded while the sockets were coming and going.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSim } from '../../../src/sim/server.js';
import {
  close,
  credentialsOf,
  feedTop,
  openSim,
  sameTop,
  simTop,
  sleep,
  startFeed,
  VENUE,
  waitUntil,
  type FeedProbe,
} from './harness.js';

const STREAMS = ['option', 'linear', 'private'] as const;

/** The two most liquid options a week or more out. */
function nearMoney(sim: RunningSim, count: number): { name: string; ask: number }[] {
  const exchange = sim.world.exchanges.bybit;
  const now = exchange.now();
  return exchange
    .instruments({ kind: 'option' })
    .flatMap((instrument) => {
      const spec = instrument.spec;
      const ticker = exchange.ticker(spec.name);
      const forward = ticker?.underlyingPrice ?? null;
      const ask = ticker?.bestAskPrice ?? null;
      if (spec.kind !== 'option' || spec.expiry - now < 7 * 86_400_000) return [];
      if (forward === null || ask === null || ticker?.bestBidPrice === null) return [];
      return [{ name: spec.name, ask, distance: Math.abs(spec.strike - forward) }];
    })
    .sort((a, b) => a.distance - b.distance)
    .slice(0, count);
}

describe('bybit feed: server disconnects every ~1.2 s', () => {
  let sim: RunningSim;
  let probe: FeedProbe;
  let accountId: string;
  let traded: { name: string; ask: number }[];

  before(async () => {
    sim = await openSim({
      manualClock: false,
      speed: 10,
      stepWallMs: 100,
      faults: { disconnectEverySec: 1.2 },
    });
    accountId = sim.apiKeys.bybit[0]!.accountId;
    traded = nearMoney(sim, 2);
    const [first, second] = traded;
    assert.ok(first !== undefined && second !== undefined);
    // A position from before the feed started: it must come from the snapshots.
    sim.world.exchanges.bybit.place(accountId, {
      instrument: first.name,
      side: 'buy',
      amount: 0.2,
      type: 'limit',
      price: first.ask,
      timeInForce: 'immediate_or_cancel',
      label: 'before-start',
    });
    probe = await startFeed(sim, {
      credentials: credentialsOf(sim),
      books: [first.name],
    });
    await waitUntil(
      'two reconnects of every socket',
      () => STREAMS.every((stream) => probe.statuses('live', stream).length >= 3),
      8000,
    );
    // One traded while the sockets keep dropping: REST does not care.
    const ask = sim.world.exchanges.bybit.ticker(second.name)?.bestAskPrice;
    assert.ok(ask !== null && ask !== undefined);
    await probe.feed.orders!.place({
      instrument: second.name,
      side: 'buy',
      kind: 'limit',
      amount: '0.1',
      price: String(ask),
      timeInForce: 'ioc',
      label: 'during-drops',
    });
    await sleep(1500);
    // Freeze the market so the final state can be compared; disconnects go on.
    sim.world.stop();
    const live = probe.statuses('live', 'private').length;
    await waitUntil('one more private reconnect', () => {
      return probe.statuses('live', 'private').length > live;
    });
  });
  after(async () => {
    await probe.feed.stop();
    await sim.close();
  });

  it('reports each loss with its attempt and delay, and each recovery', () => {
    for (const stream of STREAMS) {
      const reconnecting = probe.statuses('reconnecting', stream);
      assert.ok(reconnecting.length >= 2, `${stream}: ${reconnecting.length} losses`);
      for (const status of reconnecting) {
        assert.ok((status.attempt ?? 0) >= 1);
        assert.ok((status.delayMs ?? -1) >= 0);
        assert.ok((status.detail ?? '') !== '');
      }
    }
    const lives = STREAMS.reduce((n, s) => n + probe.statuses('live', s).length, 0);
    assert.equal(probe.feed.counters().reconnects, lives - STREAMS.length);
  });

  it('resubscribes after every reconnect: tickers and the book come back', async () => {
    // The market is frozen, so tickers after a reconnect can only be its subscribe snapshots
    // (which may still be on their way when the socket has just gone live).
    await waitUntil('tickers after the latest option reconnect', () => {
      const events = probe.events;
      const lastLive = events.findLastIndex(
        (e) => e.kind === 'status' && e.status === 'live' && e.stream === 'option',
      );
      return lastLive >= 0 && events.slice(lastLive).some((e) => e.kind === 'ticker');
    });
    const [watched] = traded;
    await waitUntil('the watched book at the sim top', () =>
      sameTop(feedTop(probe, watched!.name), simTop(sim, watched!.name)),
    );
    assert.ok(probe.feed.counters().resyncs >= 2, 'the book was resynced on reconnects');
  });

  it('reloads the account on each private reconnect: no position doubled or lost', async () => {
    const snapshots = probe.events.filter((e) => e.kind === 'account-snapshot');
    assert.equal(snapshots.length, probe.statuses('live', 'private').length);
    const theirs = sim.world.exchanges.bybit.positions(accountId).filter((p) => p.size !== 0);
    assert.equal(theirs.length, 2);
    await waitUntil('the account to settle', () =>
      theirs.every((p) => close(probe.account.position(VENUE, p.instrument)?.size ?? 0, p.size)),
    );
    const mine = probe.account.positions(VENUE).filter((p) => p.size !== 0);
    assert.deepEqual(mine.map((p) => p.instrument).sort(), theirs.map((p) => p.instrument).sort());
    for (const position of theirs) {
      const held = probe.account.position(VENUE, position.instrument);
      assert.ok(held !== undefined && close(held.size, position.size), position.instrument);
    }
  });
});
