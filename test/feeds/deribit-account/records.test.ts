// Shapes the simulator does not send but the venue does (documented fields left out, trigger
// and take-profit orders, an order placed elsewhere without a label), malformed private
// messages, and the exact decimal spelling of amounts and IVs.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  deribitAccountEventsFromMessage,
  deribitFillFromWire,
  deribitOrderFromWire,
  deribitPositionFromWire,
} from '../../../src/feeds/deribit/account.js';
import { ivPercentNumber, wireNumber } from '../../../src/feeds/deribit/order-request.js';
import { VenueOrderError } from '../../../src/feeds/feed.js';
import { WireFormatError } from '../../../src/feeds/wire-fields.js';

const WHERE = 'test';

/** A trigger order as the venue's docs show it: no label, no post_only, no average yet. */
function stopOrder(): Record<string, unknown> {
  return {
    order_id: 'ETH-100234',
    order_state: 'untriggered',
    order_type: 'stop_market',
    time_in_force: 'good_til_cancelled',
    instrument_name: 'ETH-PERPETUAL',
    creation_timestamp: 1_700_000_000_000,
    last_update_timestamp: 1_700_000_000_500,
    direction: 'sell',
    price: 'market_price',
    amount: 40,
    filled_amount: 0,
    trigger: 'index_price',
    trigger_price: 1800,
    api: true,
  };
}

function subscription(channel: string, data: unknown): Record<string, unknown> {
  return { jsonrpc: '2.0', method: 'subscription', params: { channel, data } };
}

function trade(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    trade_id: 'ETH-1',
    order_id: 'ETH-100234',
    instrument_name: 'ETH-27NOV26-3000-C',
    timestamp: 1_700_000_001_000,
    direction: 'buy',
    price: 0.05,
    amount: 2,
    liquidity: 'M',
    fee: 0.0006,
    fee_currency: 'ETH',
    index_price: 3012.5,
    iv: 61.25,
    ...overrides,
  };
}

describe('Deribit private records', () => {
  it('reads a trigger order with the optional fields left out', () => {
    assert.deepEqual(deribitOrderFromWire(stopOrder(), WHERE), {
      kind: 'order',
      venue: 'deribit',
      ts: 1_700_000_000_500,
      orderId: 'ETH-100234',
      label: null,
      instrument: 'ETH-PERPETUAL',
      side: 'sell',
      orderType: 'stop-market',
      status: 'untriggered',
      price: null,
      iv: null,
      triggerPrice: 1800,
      amount: 40,
      filled: 0,
      averagePrice: null,
      postOnly: false,
      reduceOnly: false,
      reason: null,
      createdTs: 1_700_000_000_000,
    });
    const undated = stopOrder();
    delete undated['creation_timestamp'];
    assert.equal('createdTs' in deribitOrderFromWire(undated, WHERE), false, 'not guessed');
  });

  it('maps fired triggers to open, take-profits to the trigger kinds, IV orders to decimals', () => {
    const fired = deribitOrderFromWire(
      { ...stopOrder(), order_state: 'triggered', order_type: 'take_limit', price: 1795 },
      WHERE,
    );
    assert.equal(fired.status, 'open');
    assert.equal(fired.orderType, 'stop-limit');
    assert.equal(fired.price, 1795);
    const byIv = deribitOrderFromWire(
      {
        ...stopOrder(),
        instrument_name: 'ETH-27NOV26-3000-C',
        order_state: 'open',
        order_type: 'limit',
        price: 0.0415,
        advanced: 'implv',
        implv: 62.5,
        label: '',
        average_price: 0,
      },
      WHERE,
    );
    assert.equal(byIv.iv, 0.625);
    assert.equal(byIv.label, null);
    assert.equal(byIv.averagePrice, null);
  });

  it('names the field and the place when a record is malformed', () => {
    const noId = stopOrder();
    delete noId['order_id'];
    assert.throws(
      () => deribitOrderFromWire(noId, 'Deribit user.changes.any.ETH.raw orders[0]'),
      (error: unknown) =>
        error instanceof WireFormatError &&
        error.message ===
          'Deribit user.changes.any.ETH.raw orders[0]: "order_id" must be a string, missing',
    );
    assert.throws(
      () => deribitOrderFromWire({ ...stopOrder(), order_state: 'archived' }, WHERE),
      /"order_state" must be one of .*got "archived"/,
    );
    assert.throws(() => deribitFillFromWire(trade({ liquidity: 'X' }), WHERE), /"liquidity"/);
    assert.throws(
      () => deribitFillFromWire(trade({ fee: '0.1' }), WHERE),
      /"fee" must be a number/,
    );
  });

  it('reads a fill in percent IV and a position whose realized PnL must be derived', () => {
    const fill = deribitFillFromWire(trade(), WHERE);
    assert.equal(fill.iv, 0.6125);
    assert.equal(fill.liquidity, 'maker');
    assert.equal(fill.label, null);
    const position = deribitPositionFromWire(
      {
        instrument_name: 'ETH-27NOV26-3000-C',
        size: -2,
        average_price: 0.05,
        mark_price: 0.045,
        floating_profit_loss: 0.01,
        total_profit_loss: 0.015,
        delta: -1.1,
      },
      42,
      WHERE,
    );
    assert.equal(position.size, -2);
    assert.equal(position.ts, 42);
    assert.ok(Math.abs((position.realizedPnl ?? NaN) - 0.005) < 1e-15);
    assert.equal(position.venueDelta, -1.1);
  });
});

describe('deribitAccountEventsFromMessage', () => {
  it('is null for everything but the private account channels', () => {
    for (const message of [
      subscription('ticker.BTC-PERPETUAL.100ms', {}),
      subscription('user.access_log', {}),
      subscription('user.mmp_trigger.btc_usd', {}),
      { jsonrpc: '2.0', id: 3, result: [] },
      { jsonrpc: '2.0', method: 'heartbeat', params: { type: 'test_request' } },
      'not even an object',
    ]) {
      assert.equal(deribitAccountEventsFromMessage(message, 1), null);
    }
  });

  it('reads one order from a raw user.orders channel and a list from an aggregated one', () => {
    const single = deribitAccountEventsFromMessage(
      subscription('user.orders.future.ETH.raw', stopOrder()),
      1,
    );
    assert.deepEqual(
      single?.map((e) => e.kind),
      ['order'],
    );
    const list = deribitAccountEventsFromMessage(
      subscription('user.orders.any.any.100ms', [stopOrder(), stopOrder()]),
      1,
    );
    assert.equal(list?.length, 2);
    const fills = deribitAccountEventsFromMessage(
      subscription('user.trades.option.ETH.100ms', [trade(), trade({ trade_id: 'ETH-2' })]),
      1,
    );
    assert.deepEqual(
      fills?.map((e) => (e.kind === 'fill' ? e.tradeId : e.kind)),
      ['ETH-1', 'ETH-2'],
    );
  });

  it('stamps a lone position and a portfolio with the time the caller gives', () => {
    const changes = deribitAccountEventsFromMessage(
      subscription('user.changes.any.ETH.raw', {
        instrument_name: 'ETH-PERPETUAL',
        orders: [],
        trades: [],
        positions: [{ instrument_name: 'ETH-PERPETUAL', size: 100, average_price: 3000 }],
      }),
      1234,
    );
    assert.deepEqual(
      changes?.map((e) => [e.kind, e.ts]),
      [['position', 1234]],
    );
    const portfolio = deribitAccountEventsFromMessage(
      subscription('user.portfolio.eth', {
        currency: 'ETH',
        equity: 100.5,
        balance: 100,
        available_funds: 90,
        initial_margin: 10,
        maintenance_margin: 5,
      }),
      5678,
    );
    assert.deepEqual(portfolio, [
      {
        kind: 'balance',
        venue: 'deribit',
        ts: 5678,
        currency: 'ETH',
        equity: 100.5,
        balance: 100,
        available: 90,
        initialMargin: 10,
        maintenanceMargin: 5,
      },
    ]);
  });

  it('throws a WireFormatError for a private message missing what it must carry', () => {
    for (const message of [
      subscription('user.changes.any.ETH.raw', { instrument_name: 'ETH-PERPETUAL', trades: [] }),
      subscription('user.trades.any.ETH.raw', { not: 'a list' }),
      subscription('user.portfolio.eth', { currency: 'ETH' }),
      subscription('user.orders.any.ETH.raw', null),
    ]) {
      assert.throws(() => deribitAccountEventsFromMessage(message, 1), WireFormatError);
    }
  });
});

describe('exact decimals on the wire', () => {
  it('sends a decimal string as the JSON number that prints back the same', () => {
    assert.equal(wireNumber('amount', '0.1'), 0.1);
    assert.equal(wireNumber('amount', '000.50'), 0.5);
    assert.equal(wireNumber('price', '96500'), 96500);
    assert.equal(wireNumber('price', '0.123456789012345'), 0.123456789012345);
    assert.throws(() => wireNumber('price', '0.1234567890123456789'), VenueOrderError);
    assert.throws(() => wireNumber('price', '1e3'), /plain decimal/);
  });

  it('moves the decimal point of an IV to make Deribit percent', () => {
    assert.equal(ivPercentNumber('0.5512'), 55.12);
    assert.equal(ivPercentNumber('0.55'), 55);
    assert.equal(ivPercentNumber('1.2'), 120);
    assert.equal(ivPercentNumber('0.005'), 0.5);
    assert.equal(ivPercentNumber('0.07'), 7);
    // Float multiplication gives 56.00000000000001 here; shifting the point does not.
    assert.notEqual(0.56 * 100, 56);
    assert.equal(ivPercentNumber('0.56'), 56);
  });
});
