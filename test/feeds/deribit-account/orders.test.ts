// DeribitOrderApi against the simulator: what it sends, and the typed results it makes of
// the venue's replies, checked against the exchange's own state.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { SimEvent } from '../../../src/sim/contract.js';
import type { RunningSim } from '../../../src/sim/server.js';
import type { OptionSpec } from '../../../src/instruments/types.js';
import { DeribitOrderApi } from '../../../src/feeds/deribit/orders.js';
import type { OrderRequest } from '../../../src/feeds/feed.js';
import {
  ACCOUNT,
  connectAuthenticated,
  decimal,
  exchangeOf,
  openSim,
  optionOf,
  orderError,
  otherOption,
  ticksBelow,
  topOf,
  type TestRpc,
} from './support.js';

describe('DeribitOrderApi on the simulator', () => {
  let sim: RunningSim;
  let rpc: TestRpc;
  let api: DeribitOrderApi;
  let option: OptionSpec;

  before(async () => {
    sim = await openSim();
    rpc = await connectAuthenticated(sim);
    api = new DeribitOrderApi(rpc, { timeoutMs: 3000 });
    option = optionOf(sim);
  });
  beforeEach(async () => {
    await api.cancelAll();
    rpc.sent.length = 0;
  });
  after(async () => {
    await rpc.client.close();
    await sim.close();
  });

  const limitBuy = (price: string, label: string, amount = '0.1'): OrderRequest => ({
    instrument: option.name,
    side: 'buy',
    kind: 'limit',
    amount,
    price,
    label,
  });

  it('places a resting limit order and maps it field by field', async () => {
    const price = ticksBelow(topOf(sim, option.name).bid, 3);
    const result = await api.place(limitBuy(price, 'rest-1'));

    assert.deepEqual(rpc.sent, [
      {
        method: 'private/buy',
        params: {
          instrument_name: option.name,
          amount: 0.1,
          type: 'limit',
          label: 'rest-1',
          price: Number(price),
        },
      },
    ]);
    const venue = exchangeOf(sim).order(ACCOUNT, result.order.orderId);
    assert.ok(venue !== undefined);
    assert.equal(venue.state, 'open');
    assert.deepEqual(result, {
      order: {
        kind: 'order',
        venue: 'deribit',
        ts: venue.updatedAt,
        orderId: venue.orderId,
        label: 'rest-1',
        instrument: option.name,
        side: 'buy',
        orderType: 'limit',
        status: 'open',
        price: Number(price),
        iv: null,
        triggerPrice: null,
        amount: 0.1,
        filled: 0,
        averagePrice: null,
        postOnly: false,
        reduceOnly: false,
        reason: null,
        createdTs: venue.createdAt,
      },
      fills: [],
    });
  });

  it('keeps the venue’s creation time on an order edited later', async () => {
    const price = ticksBelow(topOf(sim, option.name).bid, 10);
    const placed = await api.place(limitBuy(price, 'age-1'));
    sim.advance(1000);
    const edited = await api.edit({ orderId: placed.order.orderId, amount: '0.2', price });

    const venue = exchangeOf(sim).order(ACCOUNT, placed.order.orderId);
    assert.ok(venue !== undefined);
    assert.ok(venue.updatedAt > venue.createdAt, 'the edit came a step later');
    assert.equal(placed.order.createdTs, venue.createdAt);
    assert.equal(edited.order.createdTs, venue.createdAt);
    assert.equal(edited.order.ts, venue.updatedAt);
  });

  it('fills a marketable buy and returns its fills with fees', async () => {
    const { ask } = topOf(sim, option.name);
    const result = await api.place(limitBuy(decimal(ask), 'take-1'));

    assert.equal(result.order.status, 'filled');
    assert.equal(result.order.filled, 0.1);
    assert.equal(result.order.averagePrice, ask);
    assert.ok(result.fills.length >= 1);
    const venue = exchangeOf(sim).order(ACCOUNT, result.order.orderId);
    assert.ok(venue !== undefined);
    let size = 0;
    let fees = 0;
    for (const fill of result.fills) {
      assert.equal(fill.kind, 'fill');
      assert.equal(fill.orderId, result.order.orderId);
      assert.equal(fill.label, 'take-1');
      assert.equal(fill.instrument, option.name);
      assert.equal(fill.side, 'buy');
      assert.equal(fill.price, ask);
      assert.equal(fill.liquidity, 'taker');
      assert.equal(fill.feeCurrency, 'BTC');
      assert.ok(fill.fee > 0, 'a taker pays a fee');
      assert.ok(fill.iv !== null && fill.iv > 0.05 && fill.iv < 5, `iv ${fill.iv} is a decimal`);
      assert.ok(fill.indexPrice !== null && fill.indexPrice > 1000);
      size += fill.size;
      fees += fill.fee;
    }
    assert.equal(Math.round(size * 1e8) / 1e8, 0.1);
    assert.ok(Math.abs(fees - venue.commission) < 1e-9, `fees ${fees} vs ${venue.commission}`);
  });

  it('places a market order: no price on it, filled at the book', async () => {
    const result = await api.place({
      instrument: option.name,
      side: 'sell',
      kind: 'market',
      amount: '0.1',
      label: 'mkt-1',
    });
    assert.equal(rpc.sent[0]?.params['type'], 'market');
    assert.equal('price' in (rpc.sent[0]?.params ?? {}), false);
    assert.equal(result.order.orderType, 'market');
    assert.equal(result.order.price, null);
    assert.equal(result.order.status, 'filled');
    assert.ok(result.fills.every((fill) => fill.side === 'sell'));
  });

  it('prices an option by IV: percent on the wire, a decimal IV on the order', async () => {
    const markIv = exchangeOf(sim).ticker(option.name)?.markIv;
    assert.ok(typeof markIv === 'number');
    // Far enough under the market to rest; two decimals, as a gateway would round it.
    const iv = (Math.round(markIv * 100) / 100 - 0.15).toFixed(2);
    const result = await api.place({
      instrument: option.name,
      side: 'buy',
      kind: 'limit',
      amount: '0.1',
      iv,
      label: 'iv-1',
    });

    const sent = rpc.sent[0]?.params;
    assert.equal(sent?.['advanced'], 'implv');
    assert.equal(sent?.['price'], Math.round(Number(iv) * 10000) / 100);
    const venue = exchangeOf(sim).order(ACCOUNT, result.order.orderId);
    assert.ok(venue !== undefined && venue.iv !== null);
    assert.equal(venue.iv, Number(iv));
    assert.equal(result.order.iv, Number(iv));
    assert.equal(result.order.status, 'open');
    assert.equal(result.order.price, venue.price);
  });

  it('edits price and amount, then re-prices the order by IV', async () => {
    const { bid } = topOf(sim, option.name);
    const placed = await api.place(limitBuy(ticksBelow(bid, 4), 'edit-1'));
    const lower = ticksBelow(bid, 5);
    const edited = await api.edit({ orderId: placed.order.orderId, amount: '0.3', price: lower });

    assert.deepEqual(rpc.sent[1], {
      method: 'private/edit',
      params: { order_id: placed.order.orderId, amount: 0.3, price: Number(lower) },
    });
    assert.equal(edited.order.orderId, placed.order.orderId);
    assert.equal(edited.order.amount, 0.3);
    assert.equal(edited.order.price, Number(lower));
    assert.equal(edited.order.label, 'edit-1');
    const venue = exchangeOf(sim).order(ACCOUNT, placed.order.orderId);
    assert.equal(venue?.amount, 0.3);
    assert.equal(venue?.price, Number(lower));

    const byIv = await api.edit({ orderId: placed.order.orderId, amount: '0.3', iv: '0.2' });
    assert.deepEqual(rpc.sent[2]?.params, {
      order_id: placed.order.orderId,
      amount: 0.3,
      price: 20,
      advanced: 'implv',
    });
    assert.equal(byIv.order.iv, 0.2);
    assert.equal(exchangeOf(sim).order(ACCOUNT, placed.order.orderId)?.iv, 0.2);
  });

  it('cancels one order and says why it left the book', async () => {
    const placed = await api.place(limitBuy(ticksBelow(topOf(sim, option.name).bid, 3), 'cxl-1'));
    const cancelled = await api.cancel(placed.order.orderId);
    assert.deepEqual(rpc.sent[1], {
      method: 'private/cancel',
      params: { order_id: placed.order.orderId },
    });
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.reason, 'user_request');
    assert.equal(cancelled.orderId, placed.order.orderId);
    assert.equal(exchangeOf(sim).order(ACCOUNT, placed.order.orderId)?.state, 'cancelled');
  });

  it('cancels all orders of an instrument, of a currency, and of the account', async () => {
    const second = otherOption(sim, option.name);
    const low = ticksBelow(topOf(sim, option.name).bid, 3);
    const otherLow = ticksBelow(topOf(sim, second.name).bid, 3);
    await api.place(limitBuy(low, 'scope-a'));
    await api.place(limitBuy(low, 'scope-b'));
    await api.place({ ...limitBuy(otherLow, 'scope-c'), instrument: second.name });

    assert.equal(await api.cancelAll({ instrument: option.name }), 2);
    assert.deepEqual(rpc.sent.at(-1), {
      method: 'private/cancel_all_by_instrument',
      params: { instrument_name: option.name },
    });
    assert.deepEqual(
      exchangeOf(sim)
        .openOrders(ACCOUNT)
        .map((order) => order.label),
      ['scope-c'],
    );
    assert.equal(await api.cancelAll({ currency: 'btc' }), 1);
    assert.deepEqual(rpc.sent.at(-1), {
      method: 'private/cancel_all_by_currency',
      params: { currency: 'BTC' },
    });
    await api.place(limitBuy(low, 'scope-d'));
    assert.equal(await api.cancelAll(), 1);
    assert.equal(rpc.sent.at(-1)?.method, 'private/cancel_all');
    assert.equal(exchangeOf(sim).openOrders(ACCOUNT).length, 0);
  });

  it('cancels by label only the orders with that label', async () => {
    const low = ticksBelow(topOf(sim, option.name).bid, 3);
    await api.place(limitBuy(low, 'grid-a'));
    await api.place(limitBuy(low, 'grid-a'));
    await api.place(limitBuy(low, 'grid-b'));
    assert.equal(await api.cancelByLabel('grid-a'), 2);
    assert.deepEqual(rpc.sent.at(-1), {
      method: 'private/cancel_by_label',
      params: { label: 'grid-a' },
    });
    assert.equal(await api.cancelByLabel('grid-a'), 0);
    assert.deepEqual(
      exchangeOf(sim)
        .openOrders(ACCOUNT)
        .map((order) => order.label),
      ['grid-b'],
    );
  });

  it("looks an order up by its label, open or closed: the venue's word on a lost reply", async () => {
    const { ask } = topOf(sim, option.name);
    const taken = await api.place(limitBuy(decimal(ask), 'lost-1'));
    const found = await api.orderByLabel('lost-1', option.name);
    assert.deepEqual(rpc.sent.at(-1), {
      method: 'private/get_order_state_by_label',
      params: { currency: 'BTC', label: 'lost-1' },
    });
    assert.equal(found?.orderId, taken.order.orderId);
    assert.equal(found?.status, 'filled');
    assert.equal(found?.filled, 0.1);
    assert.equal(await api.orderByLabel('never-sent-1', option.name), null);
  });

  it('sends post-only as reject-post-only, reduce-only, and time in force', async () => {
    const { bid, ask } = topOf(sim, option.name);
    const passive = await api.place({ ...limitBuy(decimal(bid), 'po-1'), postOnly: true });
    assert.equal(rpc.sent[0]?.params['post_only'], true);
    assert.equal(rpc.sent[0]?.params['reject_post_only'], true);
    assert.equal(passive.order.postOnly, true);
    assert.equal(passive.order.status, 'open');

    const ioc = await api.place({
      ...limitBuy(ticksBelow(bid, 3), 'ioc-1'),
      timeInForce: 'ioc',
    });
    assert.equal(rpc.sent[1]?.params['time_in_force'], 'immediate_or_cancel');
    assert.equal(ioc.order.status, 'cancelled');

    await api.place(limitBuy(decimal(ask), 'long-1', '0.2'));
    const long = exchangeOf(sim).positions(ACCOUNT, { instrument: option.name })[0]?.size ?? 0;
    assert.ok(long > 0, 'the account should hold the option');
    const reduce = await api.place({
      instrument: option.name,
      side: 'sell',
      kind: 'limit',
      amount: '0.1',
      price: decimal(ask + 0.01),
      reduceOnly: true,
      label: 'ro-1',
    });
    assert.equal(rpc.sent.at(-1)?.params['reduce_only'], true);
    assert.equal(reduce.order.reduceOnly, true);
    assert.equal(reduce.order.side, 'sell');
  });

  it('places a stop-market order on the mark: untriggered, no price, its trigger kept', async () => {
    const mark = exchangeOf(sim).ticker('BTC-PERPETUAL')?.markPrice;
    assert.ok(typeof mark === 'number');
    const triggerPrice = String(Math.round(mark * 1.2));
    const result = await api.place({
      instrument: 'BTC-PERPETUAL',
      side: 'buy',
      kind: 'stop-market',
      amount: '10',
      trigger: 'mark',
      triggerPrice,
      label: 'stop-1',
    });
    assert.deepEqual(rpc.sent[0]?.params, {
      instrument_name: 'BTC-PERPETUAL',
      amount: 10,
      type: 'stop_market',
      label: 'stop-1',
      trigger: 'mark_price',
      trigger_price: Number(triggerPrice),
    });
    assert.equal(result.order.status, 'untriggered');
    assert.equal(result.order.orderType, 'stop-market');
    assert.equal(result.order.price, null);
    assert.equal(result.order.triggerPrice, Number(triggerPrice));
    assert.equal(exchangeOf(sim).order(ACCOUNT, result.order.orderId)?.state, 'untriggered');
  });

  it('refuses invalid requests without sending anything', async () => {
    const price = ticksBelow(topOf(sim, option.name).bid, 3);
    const unpriced: OrderRequest = {
      instrument: option.name,
      side: 'buy',
      kind: 'limit',
      amount: '0.1',
      label: 'ok-1',
    };
    const good: OrderRequest = { ...unpriced, price };
    const events: SimEvent[] = [];
    const unsubscribe = exchangeOf(sim).subscribe((event) => {
      if (event.type === 'order' || event.type === 'fill') events.push(event);
    });
    const invalid: [string, () => Promise<unknown>, RegExp][] = [
      ['limit without price', () => api.place(unpriced), /price is required/],
      [
        'IV on a perpetual',
        () => api.place({ ...unpriced, instrument: 'BTC-PERPETUAL', iv: '0.5' }),
        /iv is for options only/,
      ],
      ['IV and price', () => api.place({ ...good, iv: '0.5' }), /iv and price/],
      [
        'label too long',
        () => api.place({ ...good, label: 'x'.repeat(37) }),
        /label must be 1 to 36/,
      ],
      ['label with a space', () => api.place({ ...good, label: 'my order' }), /label must be/],
      ['empty label', () => api.place({ ...good, label: '' }), /label must be/],
      [
        'amount beyond a double',
        () => api.place({ ...good, amount: '0.12345678901234567' }),
        /amount 0\.12345678901234567 has more digits/,
      ],
      [
        'negative amount',
        () => api.place({ ...good, amount: '-0.1' }),
        /amount must be a plain decimal/,
      ],
      ['zero amount', () => api.place({ ...good, amount: '0.0' }), /amount must be positive/],
      [
        'exponent price',
        () => api.place({ ...good, price: '1e-3' }),
        /price must be a plain decimal/,
      ],
      [
        'price on a market order',
        () => api.place({ ...good, kind: 'market' }),
        /price is not taken/,
      ],
      [
        'stop without trigger price',
        () => api.place({ ...unpriced, kind: 'stop-market', trigger: 'mark' }),
        /triggerPrice is required/,
      ],
      [
        'trigger on a limit order',
        () => api.place({ ...good, trigger: 'mark', triggerPrice: '1' }),
        /trigger is for stop orders/,
      ],
      [
        'post-only IOC',
        () => api.place({ ...good, postOnly: true, timeInForce: 'ioc' }),
        /postOnly cannot/,
      ],
      [
        'edit with price and IV',
        () => api.edit({ orderId: 'BTC-1', amount: '0.1', price: '0.01', iv: '0.5' }),
        /iv and price/,
      ],
      ['cancel without id', () => api.cancel(''), /orderId/],
      ['cancel by a bad label', () => api.cancelByLabel('a/b'), /label must be/],
      ['cancel all of a bad currency', () => api.cancelAll({ currency: 'BTC;' }), /currency/],
    ];
    try {
      for (const [what, attempt, says] of invalid) {
        const error = await orderError(attempt);
        assert.equal(error.reason, 'invalid-params', what);
        assert.equal(error.code, null, what);
        assert.equal(error.venueMessage, null, what);
        assert.equal(error.outcomeUnknown, false, what);
        assert.match(error.message, /nothing sent/, what);
        assert.match(error.message, says, what);
      }
    } finally {
      unsubscribe();
    }
    assert.deepEqual(rpc.sent, []);
    assert.deepEqual(events, []);
    assert.equal(exchangeOf(sim).openOrders(ACCOUNT).length, 0);
  });
});
