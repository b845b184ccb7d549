// Orders through the private API: fills against the book, positions, resting orders, edits,
// cancels, reduce-only, IV-priced orders, the venue's error codes, user.* notifications and
// cancel-on-disconnect.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { black76Price, yearFraction } from '../../../src/pricing/index.js';
import type { OptionSpec } from '../../../src/instruments/types.js';
import type { RunningSim } from '../../../src/sim/server.js';
import type { RpcClient } from '../support/rpc-client.js';
import {
  authedClient,
  channelOf,
  dataOf,
  errorCode,
  liquidOption,
  ok,
  openSim,
  present,
  sortedKeys,
  waitFor,
} from './harness.js';

type Row = Record<string, unknown>;
interface Placed {
  order: Row;
  trades: Row[];
}

describe('deribit sim: orders', () => {
  let sim: RunningSim;
  let client: RpcClient;
  let option: OptionSpec;

  before(async () => {
    sim = await openSim();
    client = await authedClient(sim);
    const spec = liquidOption(sim).spec;
    assert.equal(spec.kind, 'option');
    option = spec;
  });
  beforeEach(async () => {
    ok(await client.call('private/cancel_all'));
  });
  after(async () => {
    await client.close();
    await sim.close();
  });

  const top = (): { bid: number; ask: number } => {
    const ticker = sim.world.exchanges.deribit.ticker(option.name);
    const bid = ticker?.bestBidPrice;
    const ask = ticker?.bestAskPrice;
    assert.ok(present(bid) && present(ask));
    return { bid, ask };
  };
  // Deribit's option grid: 0.0001 up to 0.005, 0.0005 above.
  const below = (price: number, ticks: number): number => {
    let p = price;
    for (let i = 0; i < ticks; i++) p = Math.round((p - (p > 0.005 ? 0.0005 : 0.0001)) * 1e8) / 1e8;
    return p;
  };
  const above = (price: number, ticks: number): number => {
    let p = price;
    for (let i = 0; i < ticks; i++)
      p = Math.round((p + (p >= 0.005 ? 0.0005 : 0.0001)) * 1e8) / 1e8;
    return p;
  };
  const buy = (params: Row) =>
    client.call('private/buy', { instrument_name: option.name, ...params });
  const sell = (params: Row) =>
    client.call('private/sell', { instrument_name: option.name, ...params });

  it('fills a marketable buy at the best ask and opens a position', async () => {
    const { ask } = top();
    const placed = ok<Placed>(await buy({ amount: 0.1, type: 'limit', price: ask, label: 'take' }));
    assert.equal(placed.order['order_state'], 'filled');
    assert.equal(placed.order['label'], 'take');
    assert.equal(placed.order['average_price'], ask);
    assert.equal(placed.trades.length, 1);
    const trade = placed.trades[0]!;
    assert.equal(trade['price'], ask);
    assert.equal(trade['amount'], 0.1);
    assert.equal(trade['liquidity'], 'T');
    assert.equal(trade['label'], 'take');
    for (const key of [
      'trade_id',
      'trade_seq',
      'order_id',
      'fee',
      'fee_currency',
      'iv',
      'index_price',
      'mark_price',
    ]) {
      assert.ok(key in trade, key);
    }
    const positions = ok<Row[]>(
      await client.call('private/get_positions', { currency: 'BTC', kind: 'option' }),
    );
    const position = positions.find((p) => p['instrument_name'] === option.name);
    assert.ok(position !== undefined);
    assert.equal(position['size'], 0.1);
    assert.equal(position['direction'], 'buy');
    assert.equal(position['average_price'], ask);
    assert.equal(position['kind'], 'option');
    const single = ok<Row>(
      await client.call('private/get_position', { instrument_name: option.name }),
    );
    assert.equal(single['size'], 0.1);
  });

  it('rests a passive bid, edits it, and fills it once it crosses the ask', async () => {
    const { bid, ask } = top();
    const resting = ok<Placed>(await buy({ amount: 0.2, price: bid, label: 'rest' }));
    assert.equal(resting.order['order_state'], 'open');
    assert.equal(resting.trades.length, 0);
    const id = resting.order['order_id'];
    const open = ok<Row[]>(
      await client.call('private/get_open_orders_by_currency', { currency: 'BTC', kind: 'option' }),
    );
    assert.deepEqual(
      open.map((o) => o['order_id']),
      [id],
    );

    const grown = ok<Placed>(
      await client.call('private/edit', { order_id: id, amount: 0.3, price: bid }),
    );
    assert.equal(grown.order['amount'], 0.3);
    assert.equal(grown.order['order_state'], 'open');

    const crossed = ok<Placed>(
      await client.call('private/edit', { order_id: id, amount: 0.3, price: ask }),
    );
    assert.ok(crossed.trades.length >= 1);
    assert.ok(crossed.trades.every((t) => t['price'] === ask));
    const state = ok<Row>(await client.call('private/get_order_state', { order_id: id }));
    assert.equal(state['filled_amount'], crossed.order['filled_amount']);
  });

  it('fills a resting order when the simulated market trades through it', async () => {
    const ticker = sim.world.exchanges.deribit.ticker('BTC-PERPETUAL');
    const bestBid = ticker?.bestBidPrice;
    assert.ok(present(bestBid));
    const placed = ok<Placed>(
      await client.call('private/buy', {
        instrument_name: 'BTC-PERPETUAL',
        amount: 10,
        price: bestBid,
        post_only: true,
      }),
    );
    const id = String(placed.order['order_id']);
    let filled = false;
    for (let i = 0; i < 900 && !filled; i++) {
      sim.advance(1000);
      filled = sim.world.exchanges.deribit.order('paper', id)?.state === 'filled';
    }
    assert.ok(filled, 'the market never reached the resting bid');
    const state = ok<Row>(await client.call('private/get_order_state', { order_id: id }));
    assert.equal(state['order_state'], 'filled');
    assert.equal(state['average_price'], placed.order['price']);
  });

  it('cancels one order, all orders, and orders by label', async () => {
    const { bid } = top();
    const low = below(bid, 3);
    const a = ok<Placed>(await buy({ amount: 0.1, price: low, label: 'grid' }));
    ok<Placed>(await buy({ amount: 0.1, price: low, label: 'grid' }));
    ok<Placed>(await buy({ amount: 0.1, price: low, label: 'other' }));
    const cancelled = ok<Row>(
      await client.call('private/cancel', { order_id: a.order['order_id'] }),
    );
    assert.equal(cancelled['order_state'], 'cancelled');
    assert.equal(ok(await client.call('private/cancel_by_label', { label: 'grid' })), 1);
    assert.equal(ok(await client.call('private/cancel_by_label', { label: 'grid' })), 0);
    ok<Placed>(await buy({ amount: 0.1, price: low }));
    assert.equal(
      ok(await client.call('private/cancel_all_by_currency', { currency: 'BTC', kind: 'option' })),
      2,
    );
    ok<Placed>(await buy({ amount: 0.1, price: low }));
    ok<Placed>(await buy({ amount: 0.1, price: low }));
    assert.equal(
      ok(await client.call('private/cancel_all_by_instrument', { instrument_name: option.name })),
      2,
    );
    ok<Placed>(await buy({ amount: 0.1, price: low }));
    assert.equal(ok(await client.call('private/cancel_all')), 1);
    assert.deepEqual(
      ok(
        await client.call('private/get_open_orders_by_instrument', {
          instrument_name: option.name,
        }),
      ),
      [],
    );
  });

  it('rejects reduce-only orders that would grow the position', async () => {
    const positions = ok<Row[]>(
      await client.call('private/get_positions', { currency: 'BTC', kind: 'option' }),
    );
    const long = positions.find((p) => p['instrument_name'] === option.name);
    assert.ok(long !== undefined && Number(long['size']) > 0);
    const { ask, bid } = top();
    const grow = await buy({ amount: 0.1, price: bid, reduce_only: true });
    assert.equal(errorCode(grow), 11030);
    assert.equal((grow.error?.data as Row | undefined)?.['reason'], 'invalid_reduce_only_order');
    const shrink = ok<Placed>(await sell({ amount: 0.1, price: above(ask, 2), reduce_only: true }));
    assert.equal(shrink.order['reduce_only'], true);
  });

  it('prices an implv order at the Black-76 price of that IV on the forward', async () => {
    const ticker = ok<Row>(await client.call('public/ticker', { instrument_name: option.name }));
    const ivPercent = Math.max(5, Math.round(Number(ticker['mark_iv']) - 20));
    const placed = ok<Placed>(await buy({ amount: 0.1, price: ivPercent, advanced: 'implv' }));
    assert.equal(placed.order['advanced'], 'implv');
    assert.equal(placed.order['implv'], ivPercent);
    const core = sim.world.exchanges.deribit.ticker(option.name);
    const F = core?.underlyingPrice;
    assert.ok(core !== undefined && present(F));
    const raw =
      black76Price(
        F,
        option.strike,
        yearFraction(core.ts, option.expiry),
        ivPercent / 100,
        option.type,
      ) / F;
    const price = Number(placed.order['price']);
    const tick = raw > 0.005 ? 0.0005 : 0.0001;
    // A buy rounds down to the tick, never through the IV's price.
    assert.ok(price <= raw + 1e-12 && raw - price < tick + 1e-12, `${price} vs ${raw}`);
    assert.equal(
      errorCode(
        await client.call('private/buy', {
          instrument_name: 'BTC-PERPETUAL',
          amount: 10,
          price: 50,
          advanced: 'implv',
        }),
      ),
      11038,
    );
  });

  it('answers every order error with the venue code', async () => {
    const { bid, ask } = top();
    const cases: [string, Promise<Awaited<ReturnType<RpcClient['call']>>>, number][] = [
      ['off tick', buy({ amount: 0.1, price: bid + option.tickSize / 2 }), 10043],
      ['below minimum', buy({ amount: 0.05, price: bid }), 10002],
      ['off lot (option)', buy({ amount: 0.15, price: bid }), 10021],
      [
        'off lot (future)',
        client.call('private/buy', {
          instrument_name: 'BTC-PERPETUAL',
          amount: 15,
          type: 'market',
        }),
        10027,
      ],
      ['not enough funds', buy({ amount: 5000, price: bid }), 10009],
      ['order not found', client.call('private/cancel', { order_id: 'BTC-999999999' }), 10004],
      [
        'post only reject',
        buy({ amount: 0.1, price: ask, post_only: true, reject_post_only: true }),
        11054,
      ],
      [
        'unknown instrument',
        client.call('private/buy', { instrument_name: 'BTC-1JAN20-1-C', amount: 1, price: 1 }),
        13020,
      ],
      ['missing amount', buy({ price: bid }), -32602],
      ['long label', buy({ amount: 0.1, price: bid, label: 'x'.repeat(65) }), -32602],
      ['bad type', buy({ amount: 0.1, price: bid, type: 'iceberg' }), -32602],
      [
        'stop would trigger now',
        client.call('private/buy', {
          instrument_name: 'BTC-PERPETUAL',
          amount: 10,
          type: 'stop_market',
          trigger: 'mark_price',
          trigger_price: 1000,
        }),
        11036,
      ],
    ];
    for (const [what, reply, code] of cases) assert.equal(errorCode(await reply), code, what);

    const filled = ok<Placed>(await buy({ amount: 0.1, price: ask }));
    const again = await client.call('private/cancel', { order_id: filled.order['order_id'] });
    assert.equal(errorCode(again), 11044);
    assert.equal(again.error?.message, 'not_open_order');
  });

  it('notifies user.orders, user.trades, user.changes and user.portfolio', async () => {
    const names = [
      'user.orders.option.BTC.raw',
      'user.trades.any.any.100ms',
      `user.changes.${option.name}.100ms`,
      'user.changes.option.BTC.raw',
      'user.portfolio.btc',
    ];
    assert.deepEqual(ok(await client.call('private/subscribe', { channels: names })), names);
    const { ask } = top();
    const placed = ok<Placed>(await buy({ amount: 0.1, price: ask, label: 'watched' }));
    const orderId = placed.order['order_id'];
    const order = await waitFor(
      client,
      (m) => channelOf(m) === names[0] && dataOf(m)['order_id'] === orderId,
    );
    assert.equal(dataOf(order)['order_state'], 'filled');
    const trades = await waitFor(client, (m) => channelOf(m) === names[1]);
    assert.equal(dataOf<Row[]>(trades)[0]?.['order_id'], orderId);
    for (const name of [names[2]!, names[3]!]) {
      const change = dataOf(await waitFor(client, (m) => channelOf(m) === name));
      assert.deepEqual(sortedKeys(change), ['instrument_name', 'orders', 'positions', 'trades']);
      assert.equal(change['instrument_name'], option.name);
      assert.equal((change['orders'] as Row[])[0]?.['order_id'], orderId);
      assert.ok((change['positions'] as Row[]).length === 1);
    }
    const portfolio = dataOf(await waitFor(client, (m) => channelOf(m) === names[4]));
    assert.equal(portfolio['currency'], 'BTC');
    assert.ok('equity' in portfolio && 'delta_total' in portfolio);
    ok(await client.call('private/unsubscribe', { channels: names }));
  });

  it('cancels the orders of a connection that drops with cancel-on-disconnect', async () => {
    const other = await authedClient(sim);
    assert.equal(
      ok(await other.call('private/enable_cancel_on_disconnect', { scope: 'connection' })),
      'ok',
    );
    assert.deepEqual(
      ok(await other.call('private/get_cancel_on_disconnect', { scope: 'connection' })),
      {
        scope: 'connection',
        enabled: true,
      },
    );
    const { bid } = top();
    const placed = ok<Placed>(
      await other.call('private/buy', {
        instrument_name: option.name,
        amount: 0.1,
        price: below(bid, 1),
      }),
    );
    const id = placed.order['order_id'];
    // The same account's order on another connection: Deribit's cancel-on-disconnect covers
    // only the orders the dropping connection created.
    const mine = ok<Placed>(
      await client.call('private/buy', {
        instrument_name: option.name,
        amount: 0.1,
        price: below(bid, 1),
      }),
    ).order['order_id'];
    await other.close();
    let state = '';
    for (let i = 0; i < 100 && state !== 'cancelled'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      state = String(
        ok<Row>(await client.call('private/get_order_state', { order_id: id }))['order_state'],
      );
    }
    assert.equal(state, 'cancelled');
    const kept0 = ok<Row>(await client.call('private/get_order_state', { order_id: mine }));
    assert.equal(kept0['order_state'], 'open', "another connection's order stays");
    ok(await client.call('private/cancel', { order_id: mine }));

    // Without it, a dropped connection leaves its orders working.
    const plain = await authedClient(sim);
    const kept = ok<Placed>(
      await plain.call('private/buy', {
        instrument_name: option.name,
        amount: 0.1,
        price: below(bid, 1),
      }),
    );
    await plain.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const keptState = ok<Row>(
      await client.call('private/get_order_state', { order_id: kept.order['order_id'] }),
    );
    assert.equal(keptState['order_state'], 'open');
  });
});
