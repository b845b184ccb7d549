// BybitOrderApi against the simulator over loopback: every order path, the exchange's own
// state as the judge, the venue's refusals mapped with their codes, and requests that are
// refused before sending (a pass-through proxy proves nothing went out).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OrderEvent } from '../../../src/book/events.js';
import { ConnectionLostError, RequestTimeoutError } from '../../../src/feeds/common/errors.js';
import { VenueOrderError, type OrderRequest } from '../../../src/feeds/feed.js';
import { bybitOrderError } from '../../../src/feeds/bybit/order-errors.js';
import { BybitOrderApi } from '../../../src/feeds/bybit/orders.js';
import { BybitApiError, BybitHttpError, BybitRestClient } from '../../../src/feeds/bybit/rest.js';
import type { OptionSpec } from '../../../src/instruments/types.js';
import type { SimExchange } from '../../../src/sim/contract.js';
import { startSim, type RunningSim } from '../../../src/sim/server.js';
import { liquidOption } from '../../sim/bybit/support/sim.js';
import { startLossyProxy, type LossyProxy } from './support/lossy-proxy.js';

const START = Date.UTC(2026, 10, 20, 7, 0);
const PERP = 'BTCUSDT';

/** The request without a limit price (exactOptionalPropertyTypes forbids `price: undefined`). */
function unpriced(request: OrderRequest): OrderRequest {
  const copy: { -readonly [K in keyof OrderRequest]: OrderRequest[K] } = { ...request };
  delete copy.price;
  return copy;
}

async function venueError(promise: Promise<unknown>): Promise<VenueOrderError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof VenueOrderError, `not a VenueOrderError: ${String(error)}`);
    return error;
  }
  assert.fail('expected a VenueOrderError');
}

describe('BybitOrderApi against the sim', () => {
  let sim: RunningSim;
  let exchange: SimExchange;
  let account: string;
  let rest: BybitRestClient;
  let api: BybitOrderApi;
  let option: OptionSpec;
  let serial = 0;
  const label = (): string => `ord-${++serial}`;

  /** A bid far enough below the market to rest, on the option's tick grid. */
  const restingBid = (ticks = 10): string =>
    String(exchange.ticker(option.name)!.bestBidPrice! - ticks * option.tickSize);
  const perpBid = (): string => (exchange.ticker(PERP)!.bestBidPrice! - 500).toFixed(1);
  const optionLimit = (overrides: Partial<OrderRequest> = {}): OrderRequest => ({
    instrument: option.name,
    side: 'buy',
    kind: 'limit',
    amount: '0.1',
    price: restingBid(),
    label: label(),
    ...overrides,
  });
  const ordersLabelled = (name: string) =>
    exchange.openOrders(account).filter((o) => o.label === name);

  before(async () => {
    sim = await startSim({ seed: 7, manualClock: true, start: START, currencies: ['BTC'] });
    exchange = sim.world.exchanges.bybit;
    const key = sim.apiKeys.bybit[0]!;
    account = key.accountId;
    rest = new BybitRestClient({
      baseUrl: sim.urls.bybitRest,
      credentials: { apiKey: key.key, apiSecret: key.secret },
    });
    api = new BybitOrderApi(rest);
    option = liquidOption(exchange).spec as OptionSpec;
  });
  after(() => sim.close());

  it('places a resting option limit order and maps every field from the venue state', async () => {
    const request = optionLimit();
    const { order, fills } = await api.place(request);
    const booked = exchange.order(account, order.orderId)!;
    assert.equal(booked.state, 'open');
    assert.deepEqual(fills, []);
    const expected: OrderEvent = {
      kind: 'order',
      venue: 'bybit',
      ts: booked.updatedAt,
      orderId: booked.orderId,
      label: request.label,
      instrument: option.name,
      side: 'buy',
      orderType: 'limit',
      status: 'open',
      price: Number(request.price),
      iv: null,
      triggerPrice: null,
      amount: 0.1,
      filled: 0,
      averagePrice: null,
      postOnly: false,
      reduceOnly: false,
      reason: null,
      createdTs: booked.createdAt,
    };
    assert.deepEqual(order, expected);
    assert.equal(booked.price, Number(request.price));
    assert.equal(booked.label, request.label);
  });

  it('places an option priced by IV (orderIv, no price) and amends the IV', async () => {
    const markIv = exchange.ticker(option.name)!.markIv!;
    const iv = (Math.round((markIv - 0.1) * 1000) / 1000).toFixed(3);
    const { order } = await api.place({ ...unpriced(optionLimit()), iv });
    const booked = exchange.order(account, order.orderId)!;
    assert.equal(order.iv, Number(iv));
    assert.equal(booked.iv, Number(iv));
    assert.equal(order.price, booked.price);
    assert.equal(order.status, 'open');

    const lower = (Number(iv) - 0.02).toFixed(3);
    const amended = await api.edit({ orderId: order.orderId, amount: '0.1', iv: lower });
    assert.equal(amended.order.iv, Number(lower));
    assert.equal(exchange.order(account, order.orderId)!.iv, Number(lower));
    assert.ok(amended.order.price! <= order.price!);
  });

  it('amends quantity and price', async () => {
    const { order } = await api.place(optionLimit());
    const price = restingBid(30);
    const { order: amended, fills } = await api.edit({
      orderId: order.orderId,
      amount: '0.3',
      price,
    });
    const booked = exchange.order(account, order.orderId)!;
    assert.deepEqual(fills, []);
    assert.equal(amended.amount, 0.3);
    assert.equal(amended.price, Number(price));
    assert.equal(booked.amount, 0.3);
    assert.equal(booked.price, Number(price));
  });

  it('keeps the venue’s creation time (createdTime) on an order amended later', async () => {
    const { order } = await api.place(optionLimit());
    sim.advance(1000);
    const { order: amended } = await api.edit({
      orderId: order.orderId,
      amount: '0.2',
      price: restingBid(25),
    });
    const booked = exchange.order(account, order.orderId)!;
    assert.ok(booked.updatedAt > booked.createdAt, 'the amend came a step later');
    assert.equal(order.createdTs, booked.createdAt);
    assert.equal(amended.createdTs, booked.createdAt);
    assert.equal(amended.ts, booked.updatedAt);
  });

  it('amends and cancels an order it did not place itself (looked up by id)', async () => {
    const { order } = await api.place(optionLimit());
    const fresh = new BybitOrderApi(rest);
    const amended = await fresh.edit({
      orderId: order.orderId,
      amount: '0.2',
      price: restingBid(12),
    });
    assert.equal(amended.order.amount, 0.2);
    const cancelled = await new BybitOrderApi(rest).cancel(order.orderId);
    assert.equal(cancelled.status, 'cancelled');
  });

  it('cancels, and a second cancel is 110001 not-found', async () => {
    const { order } = await api.place(optionLimit());
    const cancelled = await api.cancel(order.orderId);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.orderId, order.orderId);
    assert.equal(cancelled.reason, 'CancelByUser');
    assert.equal(exchange.order(account, order.orderId)!.state, 'cancelled');
    const again = await venueError(api.cancel(order.orderId));
    assert.equal(again.reason, 'not-found');
    assert.equal(again.code, 110001);
    assert.equal(again.venueMessage, 'Order does not exist');
    assert.match(again.message, /no such open order/);
  });

  it('cancels an unknown order id as not-found without sending a cancel', async () => {
    const error = await venueError(api.cancel('no-such-order'));
    assert.equal(error.reason, 'not-found');
    assert.equal(error.code, null);
  });

  it('cancelAll by instrument, by currency and unscoped returns the counts the venue cancelled', async () => {
    for (let i = 0; i < 3; i++) await api.place(optionLimit({ price: restingBid(20 + i) }));
    const openOn = (instrument: string) =>
      exchange.openOrders(account).filter((o) => o.instrument === instrument).length;
    const expected = openOn(option.name);
    assert.ok(expected >= 3);
    assert.equal(await api.cancelAll({ instrument: option.name }), expected);
    assert.equal(openOn(option.name), 0);

    await api.place(optionLimit());
    await api.place({
      instrument: PERP,
      side: 'buy',
      kind: 'limit',
      amount: '0.01',
      price: perpBid(),
      label: label(),
    });
    assert.equal(await api.cancelAll({ currency: 'BTC' }), 2);
    assert.equal(exchange.openOrders(account).length, 0);

    await api.place(optionLimit());
    await api.place({
      instrument: PERP,
      side: 'buy',
      kind: 'limit',
      amount: '0.01',
      price: perpBid(),
      label: label(),
    });
    assert.equal(await api.cancelAll(), 2);
    assert.equal(exchange.openOrders(account).length, 0);
    assert.equal(await api.cancelAll(), 0);
  });

  it('cancelByLabel cancels the one order with that orderLinkId, then finds none', async () => {
    const request = optionLimit();
    const { order } = await api.place(request);
    assert.equal(await api.cancelByLabel(request.label), 1);
    assert.equal(exchange.order(account, order.orderId)!.state, 'cancelled');
    assert.equal(await api.cancelByLabel(request.label), 0);
    assert.equal(await api.cancelByLabel('never-used-label'), 0);
  });

  it('orderByLabel finds an order by orderLinkId, open or closed, and null for one never sent', async () => {
    const request = optionLimit();
    const { order } = await api.place(request);
    assert.equal((await api.orderByLabel(request.label, option.name))?.status, 'open');
    await api.cancel(order.orderId);
    const closed = await api.orderByLabel(request.label, option.name);
    assert.equal(closed?.orderId, order.orderId);
    assert.equal(closed?.status, 'cancelled');
    assert.equal(await api.orderByLabel('never-used-label', option.name), null);
  });

  it('fills a marketable IOC order at once (fills come on the execution stream, not here)', async () => {
    const ask = exchange.ticker(option.name)!.bestAskPrice!;
    const { order, fills } = await api.place(
      optionLimit({ price: String(ask), timeInForce: 'ioc' }),
    );
    assert.deepEqual(fills, []);
    assert.equal(order.status, 'filled');
    assert.equal(order.filled, 0.1);
    assert.equal(order.averagePrice, ask);
    assert.equal(exchange.order(account, order.orderId)!.state, 'filled');
  });

  it('a PostOnly order that would take is created and cancelled by the venue, with its reason', async () => {
    const ask = exchange.ticker(PERP)!.bestAskPrice!;
    const { order } = await api.place({
      instrument: PERP,
      side: 'buy',
      kind: 'limit',
      amount: '0.01',
      price: ask.toFixed(1),
      postOnly: true,
      label: label(),
    });
    assert.equal(order.status, 'cancelled');
    assert.equal(order.postOnly, true);
    assert.equal(order.reason, 'EC_PostOnlyWillTakeLiquidity');
    assert.equal(order.filled, 0);
  });

  it('places a stop-market order on the mark as untriggered', async () => {
    const mark = exchange.ticker(PERP)!.markPrice;
    const trigger = (Math.floor(mark) - 2000).toFixed(1);
    const { order } = await api.place({
      instrument: PERP,
      side: 'sell',
      kind: 'stop-market',
      amount: '0.01',
      triggerPrice: trigger,
      trigger: 'mark',
      label: label(),
    });
    const booked = exchange.order(account, order.orderId)!;
    assert.equal(booked.state, 'untriggered');
    assert.equal(booked.trigger, 'mark_price');
    assert.equal(order.status, 'untriggered');
    assert.equal(order.orderType, 'stop-market');
    assert.equal(order.triggerPrice, Number(trigger));
    assert.equal(order.price, null);
    assert.equal(await api.cancelByLabel(order.label!), 1);
  });

  it('resolves a resend under the same label to the existing order, never a second one', async () => {
    const request = optionLimit();
    const first = await api.place(request);
    const resent = await api.place(request);
    assert.equal(resent.order.orderId, first.order.orderId);
    assert.equal(ordersLabelled(request.label).length, 1);
    // A different order under a used label is the caller's mistake, and says whose it is.
    const reused = await venueError(api.place({ ...request, amount: '0.2' }));
    assert.equal(reused.reason, 'duplicate-label');
    assert.equal(reused.code, 110072);
    assert.equal(reused.venueMessage, 'OrderLinkedID is duplicate');
    assert.match(reused.message, new RegExp(first.order.orderId));
    assert.equal(ordersLabelled(request.label).length, 1);
    assert.equal(exchange.order(account, first.order.orderId)!.amount, 0.1);
  });

  it('maps every refusal the sim sends to its reason, code and a readable message', async () => {
    const offTick = await venueError(
      api.place(optionLimit({ price: String(Number(restingBid()) + option.tickSize / 2) })),
    );
    assert.deepEqual([offTick.reason, offTick.code], ['invalid-price', 10001]);
    assert.match(offTick.message, /refused the price.*tickSize/);

    const offLot = await venueError(api.place(optionLimit({ amount: '0.015' })));
    assert.deepEqual([offLot.reason, offLot.code], ['invalid-amount', 10001]);
    assert.match(offLot.message, /refused the quantity/);

    const ask = exchange.ticker(option.name)!.bestAskPrice!;
    const huge = await venueError(
      api.place(optionLimit({ amount: '400', price: String(ask * 10) })),
    );
    assert.deepEqual([huge.reason, huge.code], ['insufficient-funds', 110007]);
    assert.match(huge.message, /not enough available balance/);

    const reduce = await venueError(
      api.place({
        instrument: PERP,
        side: 'sell',
        kind: 'market',
        amount: '0.01',
        reduceOnly: true,
        label: label(),
      }),
    );
    assert.deepEqual([reduce.reason, reduce.code], ['reduce-only-reject', 110017]);
    assert.match(reduce.message, /reduce-only order would not reduce/);

    const mark = exchange.ticker(PERP)!.markPrice;
    const trigger = await venueError(
      api.place({
        instrument: PERP,
        side: 'sell',
        kind: 'stop-market',
        amount: '0.01',
        triggerPrice: (Math.floor(mark) + 2000).toFixed(1),
        trigger: 'mark',
        label: label(),
      }),
    );
    assert.deepEqual([trigger.reason, trigger.code], ['invalid-price', 110092]);

    for (const failure of [offTick, offLot, huge, reduce, trigger]) {
      assert.equal(failure.venue, 'bybit');
      assert.equal(failure.outcomeUnknown, false);
    }
  });

  it('maps authentication refusals (10002, 10003, 10004) to unauthorized', async () => {
    const key = sim.apiKeys.bybit[0]!;
    const withCredentials = (apiKey: string, apiSecret: string, now = Date.now) =>
      new BybitOrderApi(
        new BybitRestClient({
          baseUrl: sim.urls.bybitRest,
          credentials: { apiKey, apiSecret },
          now,
        }),
      );
    const badSign = await venueError(withCredentials(key.key, 'wrong').place(optionLimit()));
    assert.deepEqual([badSign.reason, badSign.code], ['unauthorized', 10004]);
    assert.match(badSign.message, /refused the request signature/);
    assert.ok(!badSign.message.includes(key.key), 'the signed string is not echoed');
    assert.ok(!(badSign.venueMessage ?? '').includes(key.key));
    const badKey = await venueError(withCredentials('nobody', key.secret).place(optionLimit()));
    assert.deepEqual([badKey.reason, badKey.code], ['unauthorized', 10003]);
    const stale = await venueError(
      withCredentials(key.key, key.secret, () => Date.now() - 60_000).place(optionLimit()),
    );
    assert.deepEqual([stale.reason, stale.code], ['unauthorized', 10002]);
    assert.match(stale.message, /receive window/);
  });
});

describe('BybitOrderApi refuses bad requests before sending anything', () => {
  let sim: RunningSim;
  let proxy: LossyProxy;
  let api: BybitOrderApi;

  before(async () => {
    sim = await startSim({ seed: 7, manualClock: true, start: START, currencies: ['BTC'] });
    proxy = await startLossyProxy(sim.urls.bybitRest, () => 'pass');
    const key = sim.apiKeys.bybit[0]!;
    api = new BybitOrderApi(
      new BybitRestClient({
        baseUrl: proxy.url,
        credentials: { apiKey: key.key, apiSecret: key.secret },
      }),
    );
  });
  after(async () => {
    await proxy.close();
    await sim.close();
  });

  const base: OrderRequest = {
    instrument: 'BTC-27NOV26-90000-C-USDT',
    side: 'buy',
    kind: 'limit',
    amount: '0.1',
    price: '100',
    label: 'valid-label',
  };
  const cases: readonly (readonly [string, OrderRequest])[] = [
    ['price', unpriced(base)],
    ['iv', { ...unpriced(base), instrument: PERP, iv: '0.5' }],
    ['iv', { ...base, iv: '0.5' }],
    ['label', { ...base, label: 'x'.repeat(37) }],
    ['label', { ...base, label: 'has space' }],
    ['label', { ...base, label: '' }],
    ['amount', { ...base, amount: '1e-3' }],
    ['amount', { ...base, amount: '0' }],
    ['price', { ...base, price: '-5' }],
    ['kind', { ...base, kind: 'market-limit' }],
    ['price', { ...base, kind: 'market' }],
    ['triggerPrice', { ...base, kind: 'stop-limit' }],
    ['triggerPrice', { ...base, triggerPrice: '100' }],
    ['postOnly', { ...base, postOnly: true, timeInForce: 'ioc' }],
    ['timeInForce', { ...unpriced(base), kind: 'market', timeInForce: 'gtc' }],
  ];

  for (const [field, request] of cases) {
    it(`refuses ${JSON.stringify(field)} in ${JSON.stringify(request)}`, async () => {
      // Nothing is sent, so the instrument need not even be listed.
      const error = await venueError(api.place(request));
      assert.equal(error.reason, 'invalid-params');
      assert.equal(error.code, null);
      assert.equal(error.outcomeUnknown, false);
      assert.ok(error.message.includes(`"${field}"`), error.message);
      assert.deepEqual(proxy.requests, []);
    });
  }

  it('refuses a bad edit or label the same way', async () => {
    for (const attempt of [
      api.edit({ orderId: 'x', amount: 'abc' }),
      api.edit({ orderId: 'x', amount: '1', price: '1', iv: '0.5' }),
      api.cancelByLabel('bad label!'),
    ]) {
      const error = await venueError(attempt);
      assert.equal(error.reason, 'invalid-params');
      assert.equal(error.code, null);
    }
    assert.deepEqual(proxy.requests, []);
    assert.equal(sim.world.exchanges.bybit.openOrders('paper').length, 0);
  });
});

describe('bybitOrderError', () => {
  const table: readonly (readonly [number, string, string])[] = [
    [10001, 'params error: side invalid', 'invalid-params'],
    [10002, 'invalid request, please check your server timestamp', 'unauthorized'],
    [10003, 'API key is invalid.', 'unauthorized'],
    [10004, 'error sign! origin_string[1700000000000sim-bybit-key5000{}]', 'unauthorized'],
    [10006, 'Too many visits!', 'rate-limited'],
    [10016, 'Server error.', 'maintenance'],
    [110001, 'Order does not exist', 'not-found'],
    [110007, 'ab not enough for new order', 'insufficient-funds'],
    [110008, 'Order has been finished or canceled', 'not-open'],
    [110017, 'Reduce-only rule not satisfied', 'reduce-only-reject'],
    [110063, 'Settlement in progress! symbol not available for trades', 'maintenance'],
    [110072, 'OrderLinkedID is duplicate', 'duplicate-label'],
    [170999, 'something new', 'rejected'],
  ];

  it('maps each venue code to its reason and a sentence, keeping the code and the venue text', () => {
    for (const [code, retMsg, reason] of table) {
      const mapped = bybitOrderError(
        new BybitApiError(code, retMsg, '/v5/order/create'),
        'place x',
      );
      assert.equal(mapped.reason, reason, String(code));
      assert.equal(mapped.code, code);
      assert.equal(mapped.venue, 'bybit');
      assert.match(mapped.message, new RegExp(`^place x: .+ \\(Bybit ${code}: `));
      assert.equal(mapped.outcomeUnknown, code === 10016);
    }
  });

  it('never keeps the signed string Bybit echoes with 10004', () => {
    const mapped = bybitOrderError(
      new BybitApiError(10004, 'error sign! origin_string[1700000000000sim-bybit-key5000{}]', '/x'),
      'place x',
    );
    assert.equal(mapped.venueMessage, 'error sign! origin_string[…]');
    assert.ok(!mapped.message.includes('sim-bybit-key'));
  });

  it('marks timeouts, lost connections and gateway errors as outcome unknown', () => {
    const timeout = bybitOrderError(new RequestTimeoutError('POST /v5/order/create', 5000), 'p');
    assert.deepEqual(
      [timeout.reason, timeout.code, timeout.outcomeUnknown],
      ['timeout', null, true],
    );
    const lost = bybitOrderError(new ConnectionLostError('POST /v5/order/create'), 'p');
    assert.deepEqual([lost.reason, lost.outcomeUnknown], ['disconnected', true]);
    const gateway = bybitOrderError(
      new BybitHttpError(502, '/v5/order/create', 'bad gateway'),
      'p',
    );
    assert.deepEqual([gateway.reason, gateway.outcomeUnknown], ['maintenance', true]);
    const ipLimit = bybitOrderError(new BybitHttpError(403, '/v5/order/create', ''), 'p');
    assert.deepEqual([ipLimit.reason, ipLimit.outcomeUnknown], ['rate-limited', false]);
  });
});
