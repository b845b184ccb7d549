// With credentials: the connection logs in (and keeps its token fresh), follows raw channels,
// loads the account, streams our orders, fills and positions, and places orders through
// feed.orders. Nothing secret reaches a log line, a status or a recorded frame.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FeedEvent, FillEvent, OrderEvent, PositionEvent } from '../../../src/book/events.js';
import type { OrderApi } from '../../../src/feeds/feed.js';
import type { RunningSim } from '../../../src/sim/server.js';
import { RpcClient } from '../../sim/support/rpc-client.js';
import {
  credentialsOf,
  openSim,
  simOptions,
  startFeed,
  tickersCaughtUp,
  VENUE,
  waitUntil,
  type FeedProbe,
} from './harness.js';

describe('deribit feed: private', () => {
  let sim: RunningSim;
  let probe: FeedProbe;
  let orders: OrderApi;
  let option: string;

  before(async () => {
    // Two-second tokens: the refresh falls due during the test.
    sim = await openSim({ tokenTtlSec: 2 });
    probe = await startFeed(sim, { credentials: credentialsOf(sim) });
    assert.ok(probe.feed.orders !== null);
    orders = probe.feed.orders;
    sim.advance(1000);
    await waitUntil('every ticker', () => tickersCaughtUp(sim, probe));
    const exchange = sim.world.exchanges.deribit;
    const found = simOptions(sim).find(
      (name) =>
        (exchange.ticker(name)?.bestAskPrice ?? null) !== null &&
        (exchange.ticker(name)?.markPrice ?? 0) > 0.02,
    );
    assert.ok(found !== undefined);
    option = found;
  });
  after(async () => {
    await probe.feed.stop();
    await sim.close();
  });

  it('loads the account on connecting, after subscribing its streams', () => {
    const snapshots = probe.events.filter((event) => event.kind === 'account-snapshot');
    assert.equal(snapshots.length, 1);
    const snapshot = snapshots[0];
    assert.ok(snapshot?.kind === 'account-snapshot');
    assert.deepEqual(
      snapshot.balances.map((b) => b.currency),
      ['BTC'],
    );
    assert.equal(snapshot.balances[0]?.equity, 10, 'a new paper account holds 10 BTC');
    assert.deepEqual(snapshot.positions, []);
  });

  it('follows raw tickers, as the venue allows only a logged-in connection', () => {
    const channels = new Set(
      probe.rawFrames.map(
        (frame) => (JSON.parse(frame) as { params: { channel: string } }).params.channel,
      ),
    );
    const optionTickers = [...channels].filter((c) => /^ticker\..*-[CP]\./.test(c));
    assert.ok(optionTickers.length > 0);
    assert.ok(
      optionTickers.every((c) => c.endsWith('.raw')),
      optionTickers[0],
    );
  });

  it('places, fills, edits and cancels through feed.orders, with the account streamed', async () => {
    const mark = probe.events.length;
    const bought = await orders.place({
      instrument: option,
      side: 'buy',
      kind: 'market',
      amount: '0.1',
      label: 'private-buy',
    });
    assert.equal(bought.order.status, 'filled');
    assert.equal(bought.fills.length >= 1, true);
    await waitUntil('its stream events', () =>
      probe.events.slice(mark).some((e) => e.kind === 'position' && e.instrument === option),
    );
    const streamed = probe.events.slice(mark);
    const order = streamed.find(
      (e): e is OrderEvent => e.kind === 'order' && e.orderId === bought.order.orderId,
    );
    assert.equal(order?.status, 'filled');
    assert.equal(order?.label, 'private-buy');
    const fills = streamed.filter(
      (e): e is FillEvent => e.kind === 'fill' && e.orderId === bought.order.orderId,
    );
    assert.deepEqual(fills.map((f) => f.tradeId).sort(), bought.fills.map((f) => f.tradeId).sort());
    const position = streamed.findLast(
      (e): e is PositionEvent => e.kind === 'position' && e.instrument === option,
    );
    assert.equal(position?.size, 0.1);

    const mark2 = probe.events.length;
    const markPrice = sim.world.exchanges.deribit.ticker(option)?.markPrice ?? 0;
    const low = (p: number): string => (Math.round(p * 2000) / 2000).toFixed(4);
    const resting = await orders.place({
      instrument: option,
      side: 'buy',
      kind: 'limit',
      amount: '0.1',
      price: low(markPrice * 0.6),
      postOnly: true,
      label: 'private-rest',
    });
    assert.equal(resting.order.status, 'open');
    const edited = await orders.edit({
      orderId: resting.order.orderId,
      amount: '0.2',
      price: low(markPrice * 0.65),
    });
    assert.equal(edited.order.amount, 0.2);
    const cancelled = await orders.cancel(resting.order.orderId);
    assert.equal(cancelled.status, 'cancelled');
    await waitUntil('the cancel streamed', () =>
      probe.events
        .slice(mark2)
        .some(
          (e: FeedEvent) =>
            e.kind === 'order' && e.orderId === resting.order.orderId && e.status === 'cancelled',
        ),
    );
  });

  it('refreshes its token before it runs out, and stays logged in', async () => {
    await waitUntil(
      'a token refresh',
      () => probe.logs.some((line) => line.includes('access token refreshed')),
      4_000,
    );
    // Past the first token's lifetime: private requests still work on the same connection.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const n = await orders.cancelAll({ currency: 'BTC' });
    assert.equal(n, 0);
    assert.equal(probe.feed.counters().reconnects, 0);
  });

  it('never lets a secret out', () => {
    const { clientSecret } = credentialsOf(sim);
    const said = [
      ...probe.logs,
      ...probe.events.flatMap((event) => (event.kind === 'status' ? [JSON.stringify(event)] : [])),
      ...probe.rawFrames,
    ];
    for (const text of said) {
      assert.ok(!text.includes(clientSecret), text);
      assert.ok(!/access_token|refresh_token/.test(text), text);
      assert.ok(!text.includes('"channel":"user.'), 'private frames are never recorded');
    }
  });

  it('leaves its orders open when its connection goes: cancel-on-disconnect is opt-in', async () => {
    const markPrice = sim.world.exchanges.deribit.ticker(option)?.markPrice ?? 0;
    const placed = await orders.place({
      instrument: option,
      side: 'buy',
      kind: 'limit',
      amount: '0.1',
      price: (Math.round(markPrice * 0.6 * 2000) / 2000).toFixed(4),
      label: 'private-stays',
    });
    const exchange = sim.world.exchanges.deribit;
    assert.equal(exchange.openOrders('paper').length, 1);
    assert.equal(
      probe.feed.cancelsOnDisconnect(placed.order.orderId),
      false,
      'the goodbye line says they stay open',
    );
    await probe.feed.stop();
    // The sim has seen the connection close (and acted on it) once it counts none.
    await waitUntil('the connection closed', () => sim.venues.deribit.connectionCount() === 0);
    assert.equal(exchange.openOrders('paper').length, 1, 'the order outlives the session');
    exchange.cancelAll('paper');
  });

  it('with cancelOnDisconnect, has its orders cancelled by the venue when its connection goes', async () => {
    const cod = await startFeed(sim, { credentials: credentialsOf(sim), cancelOnDisconnect: true });
    const markPrice = sim.world.exchanges.deribit.ticker(option)?.markPrice ?? 0;
    assert.ok(cod.feed.orders !== null);
    const price = (Math.round(markPrice * 0.6 * 2000) / 2000).toFixed(4);
    const placed = await cod.feed.orders.place({
      instrument: option,
      side: 'buy',
      kind: 'limit',
      amount: '0.1',
      price,
      label: 'private-cod',
    });
    // An order of another connection (another session, the website): Deribit leaves it be.
    const other = await RpcClient.connect(sim.urls.deribitWs);
    const { clientId, clientSecret } = credentialsOf(sim);
    await other.call('public/auth', {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    });
    const elsewhere = await other.call('private/buy', {
      instrument_name: option,
      amount: 0.1,
      type: 'limit',
      price: Number(price),
      label: 'placed-elsewhere',
    });
    assert.equal(elsewhere.error, undefined, JSON.stringify(elsewhere.error));
    const otherId = (elsewhere.result as { order: { order_id: string } }).order.order_id;
    const exchange = sim.world.exchanges.deribit;
    assert.equal(exchange.openOrders('paper').length, 2);
    assert.equal(cod.feed.cancelsOnDisconnect(placed.order.orderId), true);
    assert.equal(cod.feed.cancelsOnDisconnect(otherId), false, 'not placed on this connection');
    await cod.feed.stop();
    await waitUntil('cancel on disconnect', () => exchange.openOrders('paper').length === 1);
    assert.deepEqual(
      exchange.openOrders('paper').map((order) => order.orderId),
      [otherId],
      "the other connection's order stays",
    );
    await other.close();
    exchange.cancelAll('paper');
    assert.equal(VENUE, cod.feed.venue);
  });

  it('reads an account-wide cancel-on-disconnect set elsewhere, and leaves it as it is', async () => {
    // As if set on the website: the account scope, through a connection of its own.
    const website = await RpcClient.connect(sim.urls.deribitWs);
    const { clientId, clientSecret } = credentialsOf(sim);
    await website.call('public/auth', {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    });
    const set = await website.call('private/enable_cancel_on_disconnect', { scope: 'account' });
    assert.equal(set.error, undefined);
    const feed = await startFeed(sim, { credentials: credentialsOf(sim) });
    try {
      assert.ok(feed.feed.orders !== null);
      const markPrice = sim.world.exchanges.deribit.ticker(option)?.markPrice ?? 0;
      const placed = await feed.feed.orders.place({
        instrument: option,
        side: 'buy',
        kind: 'limit',
        amount: '0.1',
        price: (Math.round(markPrice * 0.6 * 2000) / 2000).toFixed(4),
        label: 'private-account-cod',
      });
      assert.equal(
        feed.feed.cancelsOnDisconnect(placed.order.orderId),
        true,
        'the goodbye line must not say "stay open"',
      );
      assert.ok(feed.logs.some((line) => /account cancels open orders on disconnect/.test(line)));
    } finally {
      await feed.feed.stop();
    }
    const still = await website.call('private/get_cancel_on_disconnect', { scope: 'account' });
    assert.deepEqual(still.result, { scope: 'account', enabled: true }, 'not changed by ivtrade');
    await website.call('private/disable_cancel_on_disconnect', { scope: 'account' });
    await website.close();
  });
});
