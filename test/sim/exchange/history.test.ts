import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ACCOUNT,
  BTC_CALL,
  BTC_INDEX,
  BTC_PERP,
  ETH_CALL,
  inverseVenue,
  OTHER,
  WEEKLY,
} from './harness.js';

describe('trade and order history', () => {
  it('keeps each account its own fills, filterable by currency, kind, instrument, order and time', () => {
    const venue = inverseVenue();
    const { exchange } = venue;
    const call = exchange.place(ACCOUNT, {
      instrument: BTC_CALL.name,
      side: 'buy',
      amount: 3,
      type: 'limit',
      price: 0.007,
      label: 'c',
    });
    venue.time += 1_000;
    const perp = exchange.place(ACCOUNT, {
      instrument: BTC_PERP.name,
      side: 'sell',
      amount: 100,
      type: 'market',
      label: 'p',
    });
    venue.time += 1_000;
    exchange.place(OTHER, {
      instrument: ETH_CALL.name,
      side: 'buy',
      amount: 1,
      type: 'market',
      label: 'o',
    });
    const mine = exchange.fills(ACCOUNT);
    assert.deepEqual(
      mine.map((f) => [f.instrument, f.price, f.amount]),
      [...call.fills, ...perp.fills].map((f) => [f.instrument, f.price, f.amount]),
    );
    assert.equal(mine.length, 3, 'two call levels and one perpetual level');
    assert.deepEqual(
      exchange.fills(ACCOUNT, { kind: 'option' }).map((f) => f.orderId),
      call.fills.map((f) => f.orderId),
    );
    assert.deepEqual(exchange.fills(ACCOUNT, { orderId: perp.order.orderId }), perp.fills);
    assert.deepEqual(exchange.fills(ACCOUNT, { instrument: BTC_PERP.name }), perp.fills);
    assert.deepEqual(exchange.fills(ACCOUNT, { since: perp.fills[0]!.ts }), perp.fills);
    assert.deepEqual(exchange.fills(ACCOUNT, { until: perp.fills[0]!.ts - 1 }), call.fills);
    assert.equal(exchange.fills(ACCOUNT, { currency: 'ETH' }).length, 0);
    assert.equal(exchange.fills(OTHER, { currency: 'ETH' }).length, 1);
    assert.equal(exchange.fills('nobody').length, 0);
  });

  it('lists closed orders, not open ones, and keeps them and their fills after expiry', () => {
    const venue = inverseVenue();
    const { exchange } = venue;
    const resting = exchange.place(ACCOUNT, {
      instrument: BTC_CALL.name,
      side: 'buy',
      amount: 1,
      type: 'limit',
      price: 0.001,
      label: 'rest',
    });
    const filled = exchange.place(ACCOUNT, {
      instrument: BTC_CALL.name,
      side: 'buy',
      amount: 1,
      type: 'limit',
      price: 0.007,
      label: 'fill',
    });
    venue.time += 1_000;
    const cancelled = exchange.place(ACCOUNT, {
      instrument: BTC_CALL.name,
      side: 'sell',
      amount: 1,
      type: 'limit',
      price: 0.02,
      label: 'gone',
    });
    exchange.cancel(ACCOUNT, cancelled.order.orderId);
    assert.deepEqual(
      exchange.orderHistory(ACCOUNT).map((o) => [o.orderId, o.state]),
      [
        [filled.order.orderId, 'filled'],
        [cancelled.order.orderId, 'cancelled'],
      ],
    );
    assert.equal(exchange.orderHistory(OTHER).length, 0);

    venue.time = WEEKLY;
    venue.step({ expired: [{ name: BTC_CALL.name, settlementPrice: BTC_INDEX }] });
    assert.equal(exchange.instrument(BTC_CALL.name), undefined, 'delisted');
    const history = exchange.orderHistory(ACCOUNT, { currency: 'BTC', kind: 'option' });
    assert.deepEqual(
      history.map((o) => o.orderId),
      [filled.order.orderId, cancelled.order.orderId, resting.order.orderId],
      'the resting order was cancelled by settlement and is history now',
    );
    assert.deepEqual(
      exchange.fills(ACCOUNT, { currency: 'BTC', kind: 'option' }).map((f) => f.orderId),
      filled.fills.map((f) => f.orderId),
    );
  });
});
