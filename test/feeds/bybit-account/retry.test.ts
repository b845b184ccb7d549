// Retry safety of order creation: a proxy between BybitOrderApi and the sim loses or holds
// back create replies while the sim still books the order. The retry goes out with the same
// orderLinkId, the venue refuses it as a duplicate, and the order that landed is returned;
// the exchange never holds two.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { VenueOrderError, type OrderRequest } from '../../../src/feeds/feed.js';
import { BybitOrderApi } from '../../../src/feeds/bybit/orders.js';
import { BybitRestClient } from '../../../src/feeds/bybit/rest.js';
import type { SimExchange } from '../../../src/sim/contract.js';
import { startSim, type RunningSim } from '../../../src/sim/server.js';
import { liquidOption } from '../../sim/bybit/support/sim.js';
import { startLossyProxy, type LossyProxy, type ReplyRule } from './support/lossy-proxy.js';

const START = Date.UTC(2026, 10, 20, 7, 0);
const CREATE = '/v5/order/create';

describe('BybitOrderApi create retry', () => {
  let sim: RunningSim;
  let exchange: SimExchange;
  let option: string;
  let tick: number;
  const proxies: LossyProxy[] = [];

  before(async () => {
    sim = await startSim({ seed: 7, manualClock: true, start: START, currencies: ['BTC'] });
    exchange = sim.world.exchanges.bybit;
    const spec = liquidOption(exchange).spec;
    option = spec.name;
    tick = spec.tickSize;
  });
  after(async () => {
    for (const proxy of proxies) await proxy.close();
    await sim.close();
  });

  /** An order API whose REST goes through a proxy that treats create replies as `rule` says. */
  async function apiBehind(
    rule: ReplyRule,
    timeoutMs = 2000,
  ): Promise<{ api: BybitOrderApi; proxy: LossyProxy }> {
    const proxy = await startLossyProxy(sim.urls.bybitRest, rule);
    proxies.push(proxy);
    const key = sim.apiKeys.bybit[0]!;
    const rest = new BybitRestClient({
      baseUrl: proxy.url,
      credentials: { apiKey: key.key, apiSecret: key.secret },
      timeoutMs,
    });
    return { api: new BybitOrderApi(rest), proxy };
  }

  const request = (label: string): OrderRequest => ({
    instrument: option,
    side: 'buy',
    kind: 'limit',
    amount: '0.1',
    price: String(exchange.ticker(option)!.bestBidPrice! - 15 * tick),
    label,
  });
  const creates = (proxy: LossyProxy) => proxy.requests.filter((r) => r.path === CREATE);
  const booked = (label: string) =>
    exchange.openOrders('paper').filter((order) => order.label === label);

  /** Cuts the connection of the first `count` create replies; everything else passes. */
  const cutFirstCreates =
    (count: number): ReplyRule =>
    (seen) => {
      if (seen.path !== CREATE) return 'pass';
      return count-- > 0 ? 'cut' : 'pass';
    };

  it('resolves a create whose reply was lost to the order that landed, via 110072', async () => {
    const { api, proxy } = await apiBehind(cutFirstCreates(1));
    const { order } = await api.place(request('lost-reply-1'));
    const sent = creates(proxy);
    assert.equal(sent.length, 2, 'one retry');
    assert.equal(sent[0]!.body, sent[1]!.body, 'the retry is the same order, same orderLinkId');
    assert.equal(
      (JSON.parse(sent[1]!.body) as { orderLinkId: string }).orderLinkId,
      'lost-reply-1',
    );
    const live = booked('lost-reply-1');
    assert.equal(live.length, 1, 'exactly one order on the exchange');
    assert.equal(order.orderId, live[0]!.orderId);
    assert.equal(order.status, 'open');
    assert.equal(order.label, 'lost-reply-1');
  });

  it('resolves a create whose reply came too late (timeout) the same way', async () => {
    let held = false;
    const { api, proxy } = await apiBehind((seen) => {
      if (seen.path !== CREATE || held) return 'pass';
      held = true;
      return { holdMs: 1500 };
    }, 300);
    const { order } = await api.place(request('late-reply-1'));
    assert.equal(creates(proxy).length, 2);
    const live = booked('late-reply-1');
    assert.equal(live.length, 1);
    assert.equal(order.orderId, live[0]!.orderId);
  });

  it('retries only once; when that reply is lost too, it finds the order by its label', async () => {
    const { api, proxy } = await apiBehind(cutFirstCreates(2));
    const { order } = await api.place(request('lost-twice-1'));
    assert.equal(creates(proxy).length, 2, 'never a third create');
    const live = booked('lost-twice-1');
    assert.equal(live.length, 1);
    assert.equal(order.orderId, live[0]!.orderId);
    const lookups = proxy.requests.filter((r) => r.path.startsWith('/v5/order/realtime?'));
    assert.ok(lookups.some((r) => r.path.includes('orderLinkId=lost-twice-1')));
  });

  it('says the outcome is unknown when neither the creates nor the lookup answer', async () => {
    // Every reply is lost: the sim books the order, the client can prove nothing.
    const { api, proxy } = await apiBehind(() => 'cut');
    let failure: unknown;
    try {
      await api.place(request('all-lost-1'));
    } catch (error) {
      failure = error;
    }
    assert.ok(failure instanceof VenueOrderError, String(failure));
    assert.equal(failure.outcomeUnknown, true);
    assert.equal(failure.reason, 'disconnected');
    assert.match(failure.message, /look it up by label/);
    assert.equal(creates(proxy).length, 2);
    assert.equal(booked('all-lost-1').length, 1, 'the first create landed, and only it');
  });

  it('does not retry a create the venue answered', async () => {
    const { api, proxy } = await apiBehind(() => 'pass');
    const huge = { ...request('refused-1'), amount: '400', price: '900000' };
    await assert.rejects(api.place(huge), (error: unknown) => {
      assert.ok(error instanceof VenueOrderError);
      assert.equal(error.code, 110007);
      return true;
    });
    assert.equal(creates(proxy).length, 1);
  });
});
