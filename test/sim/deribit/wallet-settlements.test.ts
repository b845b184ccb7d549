// The paper account's wallet and account tree, settlement events and funding over loopback:
// the venue's shapes and error codes where the ccxt suite does not pin them (raw replies,
// params checks, the delivery rows after an expiry).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSim } from '../../../src/sim/server.js';
import type { RpcClient } from '../support/rpc-client.js';
import { authedClient, connect, errorCode, ok, openSim } from './harness.js';

interface SettlementPage {
  settlements: Record<string, unknown>[];
  continuation: string;
}

describe('deribit sim: paper wallet, account tree, settlements and funding', () => {
  let sim: RunningSim;
  let client: RpcClient;
  let anonymous: RpcClient;
  /** The option the account bought before it expired. */
  let held = '';

  before(async () => {
    sim = await openSim();
    client = await authedClient(sim);
    anonymous = await connect(sim);
    const exchange = sim.world.exchanges.deribit;
    // The nearest expiry's option with an ask: bought, then held through its delivery.
    const now = exchange.now();
    const options = exchange
      .instruments({ currency: 'BTC', kind: 'option' })
      .filter((i) => exchange.ticker(i.spec.name)?.bestAskPrice !== null)
      .sort((a, b) => (a.spec.expiry ?? 0) - (b.spec.expiry ?? 0));
    const option = options.find((i) => (i.spec.expiry ?? 0) > now)!;
    held = option.spec.name;
    const ask = exchange.ticker(held)!.bestAskPrice!;
    ok(
      await client.call('private/buy', {
        instrument_name: held,
        amount: option.spec.minSize,
        type: 'limit',
        price: ask,
      }),
    );
    // Past the expiry, in minute steps.
    while (exchange.now() <= option.spec.expiry! + 60_000) sim.advance(60_000);
  });
  after(async () => {
    await client.close();
    await anonymous.close();
    await sim.close();
  });

  it('deposits, withdrawals and transfers: none, after the params are checked', async () => {
    for (const method of ['get_deposits', 'get_withdrawals', 'get_transfers']) {
      const page = ok(await client.call(`private/${method}`, { currency: 'BTC', count: 5 }));
      assert.deepEqual(page, { count: 0, data: [] });
      assert.equal(errorCode(await client.call(`private/${method}`, { currency: 'XRP' })), -32602);
      assert.equal(
        errorCode(await client.call(`private/${method}`, { currency: 'BTC', count: 0 })),
        -32602,
      );
      assert.equal(
        errorCode(await anonymous.call(`private/${method}`, { currency: 'BTC' })),
        13009,
      );
    }
  });

  it('no deposit address; wallet writes refused 13021 forbidden', async () => {
    assert.equal(
      ok(await client.call('private/get_current_deposit_address', { currency: 'ETH' })),
      null,
    );
    const writes: [string, Record<string, unknown>][] = [
      ['private/create_deposit_address', { currency: 'BTC' }],
      ['private/withdraw', { currency: 'BTC', address: 'bc1qexample', amount: 0.1 }],
      ['private/submit_transfer_to_subaccount', { currency: 'BTC', amount: 1, destination: 7 }],
      ['private/submit_transfer_to_user', { currency: 'BTC', amount: 1, destination: 'x' }],
    ];
    for (const [method, params] of writes) {
      const reply = await client.call(method, params);
      assert.equal(errorCode(reply), 13021, method);
      assert.equal(reply.error?.message, 'forbidden');
    }
    // A malformed write is refused for its params first.
    assert.equal(errorCode(await client.call('private/withdraw', { currency: 'BTC' })), -32602);
  });

  it('get_subaccounts: the account as main, with its portfolio on request', async () => {
    const [plain] = ok<Record<string, unknown>[]>(await client.call('private/get_subaccounts'));
    assert.equal(plain!['type'], 'main');
    assert.equal(plain!['portfolio'], undefined);
    const [full] = ok<Record<string, unknown>[]>(
      await client.call('private/get_subaccounts', { with_portfolio: true }),
    );
    const btc = (full!['portfolio'] as Record<string, Record<string, unknown>>)['btc']!;
    const summary = sim.world.exchanges.deribit.summary('paper', 'BTC');
    assert.equal(btc['balance'], Math.round(summary.balance * 1e8) / 1e8);
    assert.equal(btc['currency'], 'btc');
  });

  it("settlements: the expired option's delivery, publicly and in the account's history", async () => {
    const delivery = sim.world.exchanges.deribit.deliveries().find((d) => d.instrument === held)!;
    assert.ok(delivery !== undefined, 'the option was delivered');
    const byInstrument = ok<SettlementPage>(
      await anonymous.call('public/get_last_settlements_by_instrument', {
        instrument_name: held,
      }),
    );
    assert.deepEqual(byInstrument.settlements, [
      {
        type: 'delivery',
        timestamp: delivery.ts,
        instrument_name: held,
        mark_price: Math.round(delivery.price * 100) / 100,
        index_price: Math.round(delivery.price * 100) / 100,
      },
    ]);
    assert.equal(byInstrument.continuation, 'none');
    const byCurrency = ok<SettlementPage>(
      await anonymous.call('public/get_last_settlements_by_currency', {
        currency: 'BTC',
        type: 'delivery',
        count: 1,
      }),
    );
    assert.equal(byCurrency.settlements.length, 1);
    const btcDeliveries = sim.world.exchanges.deribit
      .deliveries()
      .filter((d) => d.instrument.startsWith('BTC-'));
    // Every option of the expiry delivered at once: more than the one row asked for.
    assert.ok(btcDeliveries.length > 1);
    assert.equal(byCurrency.continuation, String(byCurrency.settlements[0]!['timestamp']));
    const none = ok<SettlementPage>(
      await anonymous.call('public/get_last_settlements_by_instrument', {
        instrument_name: 'BTC-PERPETUAL',
        type: 'bankruptcy',
      }),
    );
    assert.deepEqual(none.settlements, []);
    const mine = ok<SettlementPage>(
      await client.call('private/get_settlement_history_by_currency', { currency: 'BTC' }),
    );
    assert.equal(mine.settlements.length, 1);
    assert.equal(mine.settlements[0]!['instrument_name'], held);
    assert.ok((mine.settlements[0]!['position'] as number) > 0);
  });

  it('funding methods: perpetuals only, with an ordered range', async () => {
    const now = sim.world.exchanges.deribit.now();
    const option = sim.world.exchanges.deribit.instruments({ kind: 'option' })[0]!.spec.name;
    const range = { start_timestamp: now - 3_600_000, end_timestamp: now };
    const value = ok<number>(
      await anonymous.call('public/get_funding_rate_value', {
        instrument_name: 'BTC-PERPETUAL',
        ...range,
      }),
    );
    assert.equal(typeof value, 'number');
    assert.equal(
      errorCode(
        await anonymous.call('public/get_funding_rate_value', {
          instrument_name: option,
          ...range,
        }),
      ),
      -32602,
    );
    assert.equal(
      errorCode(
        await anonymous.call('public/get_funding_rate_history', {
          instrument_name: 'BTC-PERPETUAL',
          start_timestamp: now,
          end_timestamp: now - 1,
        }),
      ),
      -32602,
    );
  });
});
