// ccxt.bybit's fetchMyTrades against the sim: the account's executions as
// `/v5/execution/list` serves them, each one a fill the exchange recorded.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { bybit } from 'ccxt';
import type { SimExchange } from '../../src/sim/contract.js';
import { startSim, type RunningSim } from '../../src/sim/server.js';
import { restClient } from './support/ccxt-sim.js';

const PERP = 'BTC/USDT:USDT';
const ACCOUNT = 'paper';

describe('ccxt.bybit fetchMyTrades against the sim', () => {
  let sim: RunningSim;
  let exchange: SimExchange;
  let client: bybit;

  before(async () => {
    sim = await startSim({ seed: 23, manualClock: true });
    exchange = sim.world.exchanges.bybit;
    client = restClient('bybit', sim) as bybit;
    await client.loadMarkets();
  });

  after(async () => {
    await sim.close();
  });

  it('lists each fill of a filled order with its id, order, price, amount, fee and side', async () => {
    const ask = exchange.book('BTCUSDT', 1)!.asks[0]![0];
    const placed = await client.createOrder(PERP, 'limit', 'buy', 0.02, ask);
    const fills = exchange.fills(ACCOUNT, { orderId: placed.id! });
    assert.ok(fills.length > 0);
    const trades = await client.fetchMyTrades(PERP);
    for (const fill of fills) {
      const trade = trades.find((t) => t.id === fill.tradeId);
      assert.ok(trade !== undefined, `fill ${fill.tradeId} not listed`);
      assert.equal(trade.order, placed.id);
      assert.equal(trade.price, fill.price);
      assert.equal(trade.amount, fill.amount);
      assert.equal(trade.side, 'buy');
      assert.equal(trade.takerOrMaker, 'taker');
      assert.ok(Math.abs(trade.fee!.cost! - fill.fee) < 1e-8);
    }
    const byOrder = await client.fetchOrderTrades(placed.id!, PERP);
    assert.deepEqual(byOrder.map((t) => t.id).sort(), fills.map((f) => f.tradeId).sort());
  });
});
