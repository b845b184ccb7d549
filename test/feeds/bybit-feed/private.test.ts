// The private side against the simulator: the account snapshot after login, orders placed and
// cancelled through feed.orders, and their order, execution and position events on the
// private socket — which never reaches raw-frame listeners.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FillEvent, OrderEvent, PositionEvent } from '../../../src/book/events.js';
import type { RunningSim } from '../../../src/sim/server.js';
import {
  close,
  credentialsOf,
  openSim,
  startFeed,
  VENUE,
  waitUntil,
  type FeedProbe,
} from './harness.js';

/** A two-sided option a week or more out, nearest the money. */
function tradable(sim: RunningSim): { name: string; bid: number; ask: number } {
  const exchange = sim.world.exchanges.bybit;
  const now = exchange.now();
  let best: { name: string; bid: number; ask: number; distance: number } | null = null;
  for (const instrument of exchange.instruments({ kind: 'option' })) {
    const spec = instrument.spec;
    const ticker = exchange.ticker(spec.name);
    if (spec.kind !== 'option' || spec.expiry - now < 7 * 86_400_000) continue;
    const bid = ticker?.bestBidPrice ?? null;
    const ask = ticker?.bestAskPrice ?? null;
    const forward = ticker?.underlyingPrice ?? null;
    if (bid === null || ask === null || forward === null) continue;
    const distance = Math.abs(spec.strike - forward);
    if (best === null || distance < best.distance) best = { name: spec.name, bid, ask, distance };
  }
  assert.ok(best !== null, 'no two-sided option a week out');
  return best;
}

describe('bybit feed: account and orders', () => {
  let sim: RunningSim;
  let probe: FeedProbe;

  before(async () => {
    sim = await openSim();
    probe = await startFeed(sim, { credentials: credentialsOf(sim) });
  });
  after(async () => {
    await probe.feed.stop();
    await sim.close();
  });

  it('loads the account as a snapshot once the private socket is subscribed', () => {
    const snapshots = probe.events.filter((e) => e.kind === 'account-snapshot');
    assert.equal(snapshots.length, 1);
    const [snapshot] = snapshots;
    assert.deepEqual(snapshot?.positions, []);
    assert.deepEqual(snapshot?.orders, []);
    const usdt = snapshot?.balances.find((b) => b.currency === 'USDT');
    assert.ok(usdt !== undefined && usdt.equity > 0, 'the paper wallet');
    assert.ok(probe.statuses('live', 'private').length === 1);
  });

  it('places a taking order: order, execution and position events arrive', async () => {
    const orders = probe.feed.orders;
    assert.ok(orders !== null);
    const option = tradable(sim);
    const label = 'feed-test-take-1';
    const placed = await orders.place({
      instrument: option.name,
      side: 'buy',
      kind: 'limit',
      amount: '0.1',
      price: String(option.ask),
      timeInForce: 'ioc',
      label,
    });
    assert.equal(placed.order.label, label);
    await waitUntil('the fill and the position', () => {
      const position = probe.account.position(VENUE, option.name);
      return position !== undefined && close(position.size, 0.1);
    });
    const mine = probe.events.filter(
      (e): e is OrderEvent | FillEvent =>
        (e.kind === 'order' || e.kind === 'fill') && e.label === label,
    );
    assert.ok(mine.some((e) => e.kind === 'order' && e.status === 'filled'));
    const fills = mine.filter((e): e is FillEvent => e.kind === 'fill');
    assert.ok(fills.length >= 1);
    assert.ok(
      close(
        fills.reduce((sum, fill) => sum + fill.size, 0),
        0.1,
      ),
    );
    for (const fill of fills) assert.equal(fill.instrument, option.name);
    const positions = probe.events.filter(
      (e): e is PositionEvent => e.kind === 'position' && e.instrument === option.name,
    );
    assert.ok(positions.length >= 1);
    const [theirs] = sim.world.exchanges.bybit.positions(sim.apiKeys.bybit[0]!.accountId, {
      instrument: option.name,
    });
    assert.ok(
      theirs !== undefined && close(probe.account.position(VENUE, option.name)!.size, theirs.size),
    );
  });

  it('places a resting order and cancels it, both seen on the socket', async () => {
    const orders = probe.feed.orders!;
    const option = tradable(sim);
    const label = 'feed-test-rest-1';
    const placed = await orders.place({
      instrument: option.name,
      side: 'buy',
      kind: 'limit',
      amount: '0.1',
      price: String(option.bid),
      postOnly: true,
      label,
    });
    assert.equal(placed.order.status, 'open');
    await waitUntil(
      'the open order on the socket',
      () => probe.account.orderByLabel(VENUE, label)?.status === 'open',
    );
    const cancelled = await orders.cancel(placed.order.orderId);
    assert.equal(cancelled.status, 'cancelled');
    await waitUntil('the cancel on the socket', () =>
      probe.events.some((e) => e.kind === 'order' && e.label === label && e.status === 'cancelled'),
    );
  });

  it('keeps private frames away from raw listeners and logs', () => {
    for (const { frame, stream } of probe.raw) {
      assert.ok(stream === 'option' || stream === 'linear');
      assert.doesNotMatch(frame, /feed-test-|"execution|"wallet|"auth"/);
    }
    const secret = credentialsOf(sim).apiSecret;
    for (const line of probe.logs) assert.ok(!line.includes(secret));
    for (const status of probe.statuses()) assert.ok(!(status.detail ?? '').includes(secret));
  });
});
