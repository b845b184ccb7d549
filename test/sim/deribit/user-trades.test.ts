// The account's trade history over the private API: get_user_trades_by_currency (and
// _and_time), by_instrument (and _and_time), by_order. Trades are the objects user.trades sent
// for the same fills; filters, sorting, count and has_more as the venue documents them; trades
// of an instrument that has expired are still served.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
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
  waitFor,
} from './harness.js';

type Trade = Record<string, unknown>;
interface TradePage {
  trades: Trade[];
  has_more: boolean;
}

const PERPETUAL = 'BTC-PERPETUAL';

describe('deribit sim: user trade history', () => {
  let sim: RunningSim;
  let client: RpcClient;
  let option: string;
  /** user.trades items, in the order they were sent. */
  const streamed = (): Trade[] =>
    client.notifications
      .filter((n) => channelOf(n) === 'user.trades.any.any.raw')
      .flatMap((n) => dataOf<Trade[]>(n));
  const ids = (trades: readonly Trade[]): string[] => trades.map((t) => String(t['trade_id']));
  const page = async (method: string, params: Record<string, unknown>): Promise<TradePage> =>
    ok<TradePage>(await client.call(method, params));

  /** Market orders, one second apart: each fills at once, so its state is final when sent. */
  const placed: { instrument: string; orderId: string; ts: number; tradeIds: string[] }[] = [];
  const trade = async (instrument: string, side: 'buy' | 'sell', amount: number): Promise<void> => {
    sim.advance(1000);
    const reply = ok<{ order: Trade; trades: Trade[] }>(
      await client.call(`private/${side}`, { instrument_name: instrument, amount, type: 'market' }),
    );
    assert.equal(reply.order['order_state'], 'filled');
    placed.push({
      instrument,
      orderId: String(reply.order['order_id']),
      ts: sim.world.exchanges.deribit.now(),
      tradeIds: ids(reply.trades),
    });
  };

  before(async () => {
    sim = await openSim({ currencies: ['BTC'] });
    client = await authedClient(sim);
    option = liquidOption(sim).spec.name;
    ok(await client.call('private/subscribe', { channels: ['user.trades.any.any.raw'] }));
    await trade(option, 'buy', 0.1);
    await trade(PERPETUAL, 'buy', 100);
    await trade(option, 'buy', 0.2);
    await trade(PERPETUAL, 'sell', 50);
    await trade(option, 'sell', 0.1);
    const total = placed.reduce((n, p) => n + p.tradeIds.length, 0);
    await waitFor(client, () => streamed().length === total);
  });
  after(async () => {
    await client.close();
    await sim.close();
  });

  it('reads back each trade as the very object user.trades sent for it', async () => {
    const all = await page('private/get_user_trades_by_currency', {
      currency: 'BTC',
      count: 1000,
      sorting: 'asc',
    });
    assert.equal(all.has_more, false);
    assert.deepEqual(all.trades, streamed());
    const option0 = all.trades.find((t) => t['instrument_name'] === option);
    assert.equal(typeof option0?.['iv'], 'number', 'option trades carry their IV');
    assert.equal(typeof option0?.['underlying_price'], 'number');
  });

  it('lists newest first by default, count 10, and says when more remain', async () => {
    const every = streamed();
    const byDefault = await page('private/get_user_trades_by_currency', { currency: 'BTC' });
    assert.deepEqual(ids(byDefault.trades), ids(every).reverse().slice(0, 10));
    assert.equal(byDefault.has_more, every.length > 10);
    const two = await page('private/get_user_trades_by_currency', {
      currency: 'BTC',
      count: 2,
      sorting: 'asc',
    });
    assert.deepEqual(ids(two.trades), ids(every).slice(0, 2));
    assert.equal(two.has_more, true);
    const any = await page('private/get_user_trades_by_currency', { currency: 'any', count: 1000 });
    assert.equal(any.trades.length, every.length);
  });

  it('filters by kind, trade id range and time', async () => {
    const every = streamed();
    const options = await page('private/get_user_trades_by_currency', {
      currency: 'BTC',
      kind: 'option',
      count: 1000,
    });
    assert.ok(options.trades.length > 0);
    assert.ok(options.trades.every((t) => t['instrument_name'] === option));
    const futures = await page('private/get_user_trades_by_currency', {
      currency: 'BTC',
      kind: 'future',
      count: 1000,
    });
    assert.ok(futures.trades.length > 0, 'perpetuals count as futures');
    assert.ok(futures.trades.every((t) => t['instrument_name'] === PERPETUAL));
    assert.equal(options.trades.length + futures.trades.length, every.length);

    const [, second, third] = every;
    assert.ok(second !== undefined && third !== undefined);
    const byId = await page('private/get_user_trades_by_currency', {
      currency: 'BTC',
      start_id: second['trade_id'],
      end_id: third['trade_id'],
      sorting: 'asc',
    });
    assert.deepEqual(ids(byId.trades), ids([second, third]));

    const [, middle] = placed;
    assert.ok(middle !== undefined);
    const since = await page('private/get_user_trades_by_currency_and_time', {
      currency: 'BTC',
      start_timestamp: middle.ts,
      end_timestamp: middle.ts,
      count: 1000,
    });
    assert.deepEqual(ids(since.trades).sort(), [...middle.tradeIds].sort());
    assert.equal(
      errorCode(
        await client.call('private/get_user_trades_by_currency_and_time', { currency: 'BTC' }),
      ),
      -32602,
      'the _and_time variant needs its timestamps',
    );
    const later = await page('private/get_user_trades_by_currency', {
      currency: 'BTC',
      start_timestamp: middle.ts + 1,
      count: 1000,
    });
    assert.ok(later.trades.every((t) => (t['timestamp'] as number) > middle.ts));
    assert.equal(
      later.trades.length,
      every.filter((t) => (t['timestamp'] as number) > middle.ts).length,
    );
  });

  it('refuses what the venue refuses', async () => {
    for (const params of [
      { currency: 'XRP' },
      { currency: 'BTC', count: 1001 },
      { currency: 'BTC', sorting: 'up' },
    ]) {
      const reply = await client.call('private/get_user_trades_by_currency', params);
      assert.equal(errorCode(reply), -32602, JSON.stringify(params));
    }
  });

  it('serves one instrument by sequence and time, and one order', async () => {
    const perpetual = streamed().filter((t) => t['instrument_name'] === PERPETUAL);
    const byInstrument = await page('private/get_user_trades_by_instrument', {
      instrument_name: PERPETUAL,
      sorting: 'asc',
      count: 1000,
    });
    assert.deepEqual(byInstrument.trades, perpetual);
    const first = perpetual[0];
    assert.ok(first !== undefined);
    const fromSeq = await page('private/get_user_trades_by_instrument', {
      instrument_name: PERPETUAL,
      start_seq: (first['trade_seq'] as number) + 1,
      sorting: 'asc',
      count: 1000,
    });
    assert.deepEqual(fromSeq.trades, perpetual.slice(1));
    const inTime = await page('private/get_user_trades_by_instrument_and_time', {
      instrument_name: PERPETUAL,
      start_timestamp: first['timestamp'],
      end_timestamp: first['timestamp'],
    });
    assert.deepEqual(
      ids(inTime.trades),
      ids(perpetual.filter((t) => t['timestamp'] === first['timestamp'])).reverse(),
    );

    const order = placed[2];
    assert.ok(order !== undefined);
    const byOrder = ok<Trade[]>(
      await client.call('private/get_user_trades_by_order', {
        order_id: order.orderId,
        sorting: 'asc',
      }),
    );
    assert.ok(Array.isArray(byOrder), 'by_order answers a bare list');
    assert.deepEqual(ids(byOrder), order.tradeIds);
    assert.deepEqual(
      byOrder,
      streamed().filter((t) => t['order_id'] === order.orderId),
    );
  });

  it('keeps serving the trades of an instrument after it expires', async () => {
    const exchange = sim.world.exchanges.deribit;
    const now = exchange.now();
    const soonest = exchange
      .instruments({ currency: 'BTC', kind: 'option' })
      .filter(
        (i) =>
          i.spec.kind === 'option' && (exchange.ticker(i.spec.name)?.bestAskPrice ?? null) !== null,
      )
      .sort((a, b) => (a.spec.expiry ?? 0) - (b.spec.expiry ?? 0))[0];
    assert.ok(soonest !== undefined);
    const name = soonest.spec.name;
    await trade(name, 'buy', 0.1);
    const before = await page('private/get_user_trades_by_instrument', { instrument_name: name });
    assert.equal(before.trades.length, placed.at(-1)?.tradeIds.length);
    sim.advance((soonest.spec.expiry ?? now) - exchange.now() + 60_000);
    assert.equal(exchange.instrument(name), undefined, 'the option has expired and is delisted');
    const after = await page('private/get_user_trades_by_instrument', { instrument_name: name });
    assert.deepEqual(ids(after.trades), ids(before.trades));
    const unknown = await client.call('private/get_user_trades_by_instrument', {
      instrument_name: 'BTC-1JAN20-1000-C',
    });
    assert.equal(errorCode(unknown), 13020);
  });
});
