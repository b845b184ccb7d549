// An expiry's report uses the venue's own delivery price: each venue's delivery-price query
// against the sim answers the price the sim settled at, and on the screen a held option that
// expires is reported at that price, said to be the venue's, through the real Deribit feed.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bybitDeliveryPrice,
  parseBybitDeliveryPrices,
} from '../../src/feeds/bybit/delivery-prices.js';
import { BybitRestClient } from '../../src/feeds/bybit/rest.js';
import {
  deribitDeliveryPrice,
  parseDeliveryPrices,
} from '../../src/feeds/deribit/delivery-prices.js';
import { startSim } from '../../src/sim/server.js';
import { waitUntil } from '../support/wait.js';
import { FULL_VIEW, openSimScreen, START } from '../ui/support/sim-screen.js';
import { RpcClient } from '../sim/support/rpc-client.js';
import type { RpcCaller } from '../../src/feeds/common/rpc-caller.js';

const HOUR_MS = 3_600_000;
/** The sim's first daily expiry: 08:00 UTC on the start day. */
const FIRST_EXPIRY = Date.UTC(2026, 10, 20, 8, 0);

describe('delivery prices', () => {
  it('reads each venue reply as documented, and refuses a malformed one by name', () => {
    const deribit = parseDeliveryPrices({
      data: [
        { date: '2020-01-02', delivery_price: 7131.214606410254 },
        { date: '2019-12-21', delivery_price: 7150.943217777777 },
      ],
      records_total: 58,
    });
    assert.equal(deribit.get('2020-01-02'), 7131.214606410254);
    assert.throws(
      () => parseDeliveryPrices({ data: [{ date: '2/1/2020', delivery_price: 1 }] }),
      /Deribit get_delivery_prices data\[0\]: date must be YYYY-MM-DD/,
    );
    const bybit = parseBybitDeliveryPrices({
      category: 'option',
      nextPageCursor: '',
      list: [
        {
          symbol: 'ETH-26DEC22-1400-C',
          deliveryPrice: '1220.728594450',
          deliveryTime: '1672041600000',
        },
      ],
    });
    assert.equal(bybit.get(1672041600000), 1220.72859445);
    assert.throws(
      () =>
        parseBybitDeliveryPrices({ list: [{ symbol: 'x', deliveryPrice: '', deliveryTime: '1' }] }),
      /Bybit delivery-price list\[0\]: needs deliveryPrice and deliveryTime/,
    );
  });

  it("each venue's query answers the price the sim settled its expiry at", async () => {
    const sim = await startSim({ seed: 2, manualClock: true, start: START, currencies: ['BTC'] });
    const client = await RpcClient.connect(sim.urls.deribitWs);
    try {
      const rpc: RpcCaller = {
        call: async (method, params) => {
          const reply = await client.call(method, params);
          if (reply.error !== undefined) throw new Error(reply.error.message);
          return reply.result;
        },
      };
      assert.equal(await deribitDeliveryPrice(rpc, 'BTC', FIRST_EXPIRY), null);
      for (let step = 0; step < 2; step += 1) sim.advance(HOUR_MS);
      const deribit = sim.world.exchanges.deribit.deliveries('BTC');
      assert.ok(deribit.length > 0, 'the sim settled the first expiry');
      assert.equal(deribit[0]!.ts, FIRST_EXPIRY);
      assert.equal(await deribitDeliveryPrice(rpc, 'BTC', FIRST_EXPIRY), deribit[0]!.price);
      const rest = new BybitRestClient({ baseUrl: sim.urls.bybitRest });
      const bybit = sim.world.exchanges.bybit.deliveries('BTC');
      assert.ok(bybit.length > 0);
      assert.equal(await bybitDeliveryPrice(rest, 'BTC', FIRST_EXPIRY), bybit[0]!.price);
      assert.equal(await bybitDeliveryPrice(rest, 'BTC', FIRST_EXPIRY + 86_400_000), null);
    } finally {
      await client.close();
      await sim.close();
    }
  });

  it('the screen reports a held option settled at the venue delivery price', async () => {
    const screen = await openSimScreen();
    try {
      const feed = screen.engine.feed('deribit')!;
      const option = screen.sim.world.exchanges.deribit
        .instruments({ currency: 'BTC', kind: 'option' })
        .find(
          (instrument) =>
            instrument.spec.expiry === FIRST_EXPIRY &&
            (screen.sim.world.exchanges.deribit.book(instrument.spec.name)?.asks.length ?? 0) > 0,
        );
      assert.ok(option !== undefined, 'an option of the first expiry with an ask');
      const ask = screen.sim.world.exchanges.deribit.book(option.spec.name)!.asks[0]![0];
      await feed.orders!.place({
        instrument: option.spec.name,
        side: 'buy',
        kind: 'limit',
        amount: String(option.spec.minSize),
        price: String(ask),
        timeInForce: 'ioc',
        label: 'ivt-test-1',
      });
      await waitUntil('the position held', () =>
        screen.engine.account
          .positions('deribit')
          .some((position) => position.instrument === option.spec.name),
      );
      await screen.advance(HOUR_MS);
      await screen.advance(HOUR_MS);
      const delivered = screen.sim.world.exchanges.deribit.deliveries('BTC')[0]!.price;
      const shown = delivered.toLocaleString('en-US', { maximumFractionDigits: 2 });
      const messages = (): string[] =>
        (screen.model.snapshot(FULL_VIEW, screen.now()).messages ?? []).map(
          (message) => message.text,
        );
      await waitUntil(
        () => `the settlement at the delivery price (messages: ${messages().join(' | ')})`,
        () =>
          messages().some((text) =>
            text.startsWith(
              `20NOV26 settled at ${shown} (the venue's delivery price): ${option.spec.name}`,
            ),
          ),
      );
    } finally {
      await screen.close();
    }
  });
});
