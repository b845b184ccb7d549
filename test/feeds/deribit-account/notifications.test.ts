// The private streams and the account snapshot, mapped with ivtrade's functions and compared
// with the exchange's own state: user.changes and user.portfolio on a bare client, and
// loadDeribitAccountSnapshot over the test RpcCaller.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AccountEvent, BalanceEvent, OrderEvent } from '../../../src/book/events.js';
import {
  deribitAccountEventsFromMessage,
  deribitPrivateChannels,
} from '../../../src/feeds/deribit/account.js';
import { loadDeribitAccountSnapshot } from '../../../src/feeds/deribit/account-snapshot.js';
import { DeribitOrderApi } from '../../../src/feeds/deribit/orders.js';
import type { OptionSpec } from '../../../src/instruments/types.js';
import type { RunningSim } from '../../../src/sim/server.js';
import {
  ACCOUNT,
  channelOf,
  connectAuthenticated,
  decimal,
  exchangeOf,
  near,
  notification,
  openSim,
  optionOf,
  ticksBelow,
  topOf,
  type TestRpc,
} from './support.js';

describe('Deribit private streams and snapshot on the simulator', () => {
  let sim: RunningSim;
  let rpc: TestRpc;
  let api: DeribitOrderApi;
  let option: OptionSpec;
  const channels = deribitPrivateChannels(['BTC'], true);

  before(async () => {
    sim = await openSim();
    rpc = await connectAuthenticated(sim);
    api = new DeribitOrderApi(rpc);
    option = optionOf(sim);
    assert.deepEqual(
      await rpc.call('private/subscribe', { channels }),
      ['user.changes.any.BTC.raw', 'user.portfolio.btc'],
      'the venue accepts every channel we ask for',
    );
  });
  after(async () => {
    await rpc.client.close();
    await sim.close();
  });

  /** Every account event the client has received so far, mapped by ivtrade. */
  const accountEvents = (): AccountEvent[] =>
    rpc.client.notifications.flatMap(
      (message) => deribitAccountEventsFromMessage(message, exchangeOf(sim).now()) ?? [],
    );

  it('asks for no private channel on an unauthenticated connection', () => {
    assert.deepEqual(deribitPrivateChannels(['BTC', 'eth', 'btc'], false), []);
    assert.deepEqual(deribitPrivateChannels(['BTC', 'eth', 'btc'], true), [
      'user.changes.any.BTC.raw',
      'user.portfolio.btc',
      'user.changes.any.ETH.raw',
      'user.portfolio.eth',
    ]);
  });

  it('maps the fill, the order, the position and the balance a marketable buy causes', async () => {
    const { ask } = topOf(sim, option.name);
    const placed = await api.place({
      instrument: option.name,
      side: 'buy',
      kind: 'limit',
      amount: '0.2',
      price: decimal(ask),
      label: 'watched-1',
    });
    const orderId = placed.order.orderId;
    await notification(
      rpc.client,
      (message) =>
        channelOf(message) === 'user.changes.any.BTC.raw' &&
        JSON.stringify(message).includes(`"order_id":"${orderId}"`),
    );
    await notification(rpc.client, (message) => channelOf(message) === 'user.portfolio.btc');
    const events = accountEvents();

    const orders = events.filter((e): e is OrderEvent => e.kind === 'order');
    assert.deepEqual(orders.at(-1), placed.order, 'the stream says what the reply said');
    const venueOrder = exchangeOf(sim).order(ACCOUNT, orderId);
    assert.equal(venueOrder?.state, 'filled');
    assert.equal(orders.at(-1)?.filled, venueOrder.filledAmount);

    const fills = events.filter((e) => e.kind === 'fill');
    assert.deepEqual(fills, placed.fills);

    // Cause before effect within the notification: the trades, the order, the position.
    const kinds = events.map((e) => e.kind).filter((kind) => kind !== 'balance');
    assert.deepEqual(kinds, [...placed.fills.map(() => 'fill'), 'order', 'position']);

    const position = events.find((e) => e.kind === 'position');
    const venuePosition = exchangeOf(sim).positions(ACCOUNT, { instrument: option.name })[0];
    assert.ok(position !== undefined && venuePosition !== undefined);
    assert.equal(position.instrument, option.name);
    assert.equal(position.size, venuePosition.size);
    assert.equal(position.size, 0.2);
    near(position.averagePrice, venuePosition.averagePrice, 1e-10);
    near(position.markPrice, venuePosition.markPrice);
    near(position.unrealizedPnl, venuePosition.unrealizedPnl);
    near(position.realizedPnl, venuePosition.realizedPnl);
    near(position.venueDelta, venuePosition.delta, 1e-6);
    assert.equal(position.ts, Math.max(...placed.fills.map((fill) => fill.ts)));

    const balance = events.findLast((e): e is BalanceEvent => e.kind === 'balance');
    assert.ok(balance !== undefined);
    const summary = exchangeOf(sim).summary(ACCOUNT, 'BTC');
    assert.equal(balance.currency, 'BTC');
    near(balance.equity, summary.equity);
    near(balance.balance, summary.balance);
    near(balance.available, summary.availableFunds);
    near(balance.initialMargin, summary.initialMargin);
    near(balance.maintenanceMargin, summary.maintenanceMargin);
    assert.ok(balance.balance < 10, 'the premium and fee left the balance');
  });

  it('follows a resting order from open to cancelled', async () => {
    const placed = await api.place({
      instrument: option.name,
      side: 'sell',
      kind: 'limit',
      amount: '0.1',
      price: decimal(topOf(sim, option.name).ask + 0.01),
      label: 'watched-2',
    });
    await api.cancel(placed.order.orderId);
    await notification(
      rpc.client,
      (message) =>
        JSON.stringify(message).includes(`"order_id":"${placed.order.orderId}"`) &&
        JSON.stringify(message).includes('"order_state":"cancelled"'),
    );
    const states = accountEvents()
      .filter((e): e is OrderEvent => e.kind === 'order' && e.orderId === placed.order.orderId)
      .map((e) => [e.status, e.reason, e.label, e.createdTs]);
    const created = exchangeOf(sim).order(ACCOUNT, placed.order.orderId)?.createdAt;
    assert.ok(created !== undefined);
    assert.deepEqual(states, [
      ['open', null, 'watched-2', created],
      ['cancelled', 'user_request', 'watched-2', created],
    ]);
  });

  it('loads a snapshot equal to the exchange: positions, open orders, balances', async () => {
    // A short perpetual and two resting orders (one a stop) alongside the long option.
    await api.place({
      instrument: 'BTC-PERPETUAL',
      side: 'sell',
      kind: 'market',
      amount: '100',
      label: 'perp-1',
    });
    const resting = await api.place({
      instrument: option.name,
      side: 'buy',
      kind: 'limit',
      amount: '0.3',
      price: ticksBelow(topOf(sim, option.name).bid, 4),
      label: 'snap-1',
    });
    const mark = exchangeOf(sim).ticker('BTC-PERPETUAL')?.markPrice;
    assert.ok(typeof mark === 'number');
    const stop = await api.place({
      instrument: 'BTC-PERPETUAL',
      side: 'buy',
      kind: 'stop-limit',
      amount: '10',
      price: String(Math.round(mark * 1.25)),
      trigger: 'index',
      triggerPrice: String(Math.round(mark * 1.2)),
      label: 'snap-2',
    });
    rpc.sent.length = 0;

    const ts = exchangeOf(sim).now();
    const snapshot = await loadDeribitAccountSnapshot(rpc, ['btc'], ts);

    assert.deepEqual(
      rpc.sent.map((request) => [request.method, request.params]),
      [
        ['private/get_positions', { currency: 'BTC' }],
        ['private/get_open_orders_by_currency', { currency: 'BTC' }],
        ['private/get_account_summary', { currency: 'BTC' }],
      ],
    );
    assert.equal(snapshot.kind, 'account-snapshot');
    assert.equal(snapshot.venue, 'deribit');
    assert.equal(snapshot.ts, ts);

    const venuePositions = exchangeOf(sim)
      .positions(ACCOUNT)
      .filter((position) => position.size !== 0);
    assert.deepEqual(
      snapshot.positions.map((p) => [p.instrument, p.size, p.ts]).sort(),
      venuePositions.map((p) => [p.instrument, p.size, ts]).sort(),
    );
    assert.ok(snapshot.positions.some((p) => p.instrument === 'BTC-PERPETUAL' && p.size === -100));
    for (const position of snapshot.positions) {
      const venue = venuePositions.find((p) => p.instrument === position.instrument);
      assert.ok(venue !== undefined);
      near(position.averagePrice, venue.averagePrice, 1e-8 * Math.max(1, venue.averagePrice));
      near(position.unrealizedPnl, venue.unrealizedPnl);
    }

    assert.deepEqual(
      snapshot.orders.map((o) => [o.orderId, o.createdTs]).sort(),
      exchangeOf(sim)
        .openOrders(ACCOUNT)
        .map((o) => [o.orderId, o.createdAt])
        .sort(),
    );
    assert.deepEqual(
      snapshot.orders.find((o) => o.orderId === resting.order.orderId),
      resting.order,
    );
    const stopOrder = snapshot.orders.find((o) => o.orderId === stop.order.orderId);
    assert.equal(stopOrder?.status, 'untriggered');
    assert.equal(stopOrder?.orderType, 'stop-limit');
    assert.equal(stopOrder?.price, Math.round(mark * 1.25));

    assert.equal(snapshot.balances.length, 1);
    const summary = exchangeOf(sim).summary(ACCOUNT, 'BTC');
    const balance = snapshot.balances[0];
    assert.equal(balance?.ts, ts);
    near(balance?.equity ?? null, summary.equity);
    near(balance?.available ?? null, summary.availableFunds);
    near(balance?.initialMargin ?? null, summary.initialMargin);
  });
});
