// ccxt's trade history calls against the sim's Deribit: fetchMyTrades
// (private/get_user_trades_by_instrument / _by_currency) and fetchOrderTrades
// (private/get_user_trades_by_order). Kept apart from ccxt-deribit.test.ts because those
// methods come with the sim's trade history endpoints (methods-trades.ts).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Exchange, Order } from 'ccxt';
import type { RunningSim } from '../../src/sim/server.js';
import { restClient } from './support/ccxt-sim.js';
import { ACCOUNT, PERP, PERP_ID, bestAsk, openSim } from './support/ccxt-deribit-session.js';

describe('ccxt deribit trade history against the sim', () => {
  let sim: RunningSim;
  let rest: Exchange;
  let bought: Order;
  let sold: Order;

  before(async () => {
    sim = await openSim();
    rest = restClient('deribit', sim);
    await rest.loadMarkets();
    bought = await rest.createOrder(PERP, 'limit', 'buy', 30, bestAsk(sim) + 50);
    sold = await rest.createOrder(PERP, 'market', 'sell', 20);
  });
  after(async () => {
    await sim.close();
  });

  it("fetchMyTrades returns the account's fills with their orders, prices and fees", async () => {
    const fills = sim.world.exchanges.deribit.fills(ACCOUNT, { instrument: PERP_ID });
    const trades = await rest.fetchMyTrades(PERP);
    assert.deepEqual(
      trades.map((trade) => trade.id).sort(),
      fills.map((fill) => fill.tradeId).sort(),
    );
    for (const trade of trades) {
      const fill = fills.find((f) => f.tradeId === trade.id)!;
      assert.equal(trade.order, fill.orderId);
      assert.equal(trade.price, fill.price);
      assert.equal(trade.amount, fill.amount);
      assert.equal(trade.side, fill.side);
      assert.equal(trade.fee?.currency, 'BTC');
    }
    const byCurrency = await rest.fetchMyTrades(undefined, undefined, undefined, { code: 'BTC' });
    assert.equal(byCurrency.length, fills.length);
  });

  it("fetchOrderTrades returns one order's fills", async () => {
    for (const order of [bought, sold]) {
      const trades = await rest.fetchOrderTrades(order.id!);
      assert.ok(trades.length >= 1);
      assert.ok(trades.every((trade) => trade.order === order.id));
      assert.equal(
        trades.reduce((sum, trade) => sum + trade.amount!, 0),
        order.filled,
      );
    }
  });
});
