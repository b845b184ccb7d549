// The sim lists a coin other than BTC and ETH as Deribit does today: USDC-linear options and a
// perpetual under `currency: "USDC"`, on the `<coin>_usdc` index, with no DVOL. Record shapes
// are checked against the venue's own USDC records (the SOL_USDC-PERPETUAL fixture).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSim } from '../../../src/sim/server.js';
import { readJson } from '../../support/fixtures.js';
import type { RpcClient } from '../support/rpc-client.js';
import { connect, errorCode, ok, openSim } from './harness.js';

type Row = Record<string, unknown>;

const usdcRecords = readJson('deribit', 'instruments-USDC-2021-07-22.json') as Row[];
const sortedKeys = (row: Row): string[] => Object.keys(row).sort();

describe('deribit sim: a USDC-linear coin', () => {
  let sim: RunningSim;
  let client: RpcClient;

  before(async () => {
    sim = await openSim({ currencies: ['BTC', 'SOL'] });
    client = await connect(sim);
  });
  after(async () => {
    await client.close();
    await sim.close();
  });

  it('lists SOL_USDC options and the perpetual under USDC, shaped as the venue records', async () => {
    const records = ok<Row[]>(await client.call('public/get_instruments', { currency: 'USDC' }));
    const names = records.map((record) => String(record['instrument_name']));
    assert.ok(names.length > 50);
    assert.ok(
      names.every((name) => name.startsWith('SOL_USDC-')),
      names[0],
    );
    const perpetual = records.find((r) => r['instrument_name'] === 'SOL_USDC-PERPETUAL');
    const venuePerpetual = usdcRecords.find((r) => r['instrument_name'] === 'SOL_USDC-PERPETUAL');
    assert.ok(perpetual && venuePerpetual);
    assert.deepEqual(sortedKeys(perpetual), sortedKeys(venuePerpetual));
    for (const field of [
      'quote_currency',
      'settlement_currency',
      'price_index',
      'future_type',
      'contract_size',
      'min_trade_amount',
      'tick_size',
    ]) {
      assert.equal(perpetual[field], venuePerpetual[field], field);
    }
    const option = records.find((r) => r['kind'] === 'option')!;
    assert.equal(option['quote_currency'], 'USDC');
    assert.equal(option['settlement_currency'], 'USDC');
    assert.equal(option['price_index'], 'sol_usdc');
    assert.equal(option['base_currency'], 'SOL');
    assert.equal(option['contract_size'], 10);
    // No dated SOL futures, and nothing of SOL under the BTC listing.
    assert.deepEqual(
      records.filter((r) => r['kind'] === 'future').map((r) => r['instrument_name']),
      ['SOL_USDC-PERPETUAL'],
    );
    const btc = ok<Row[]>(await client.call('public/get_instruments', { currency: 'BTC' }));
    assert.ok(btc.every((r) => String(r['instrument_name']).startsWith('BTC-')));
  });

  it('answers currency "any" with every listing, and refuses SOL as a currency', async () => {
    const any = ok<Row[]>(
      await client.call('public/get_instruments', { currency: 'any', kind: 'option' }),
    );
    const bases = new Set(any.map((r) => r['base_currency']));
    assert.deepEqual([...bases].sort(), ['BTC', 'SOL']);
    assert.equal(
      errorCode(await client.call('public/get_instruments', { currency: 'SOL' })),
      -32602,
    );
  });

  it('prices the sol_usdc index, and publishes no DVOL for SOL', async () => {
    const price = ok<Row>(await client.call('public/get_index_price', { index_name: 'sol_usdc' }));
    assert.ok(Number(price['index_price']) > 0);
    assert.equal(
      errorCode(await client.call('public/get_index_price', { index_name: 'sol_usd' })),
      -32602,
    );
    const now = sim.world.clock.now();
    assert.equal(
      errorCode(
        await client.call('public/get_volatility_index_data', {
          currency: 'SOL',
          start_timestamp: now - 86_400_000,
          end_timestamp: now,
          resolution: '3600',
        }),
      ),
      -32602,
    );
    const subscribed = ok<string[]>(
      await client.call('public/subscribe', {
        channels: [
          'deribit_price_index.sol_usdc',
          'deribit_volatility_index.sol_usdc',
          'deribit_volatility_index.btc_usd',
        ],
      }),
    );
    assert.deepEqual(subscribed.sort(), [
      'deribit_price_index.sol_usdc',
      'deribit_volatility_index.btc_usd',
    ]);
  });
});
