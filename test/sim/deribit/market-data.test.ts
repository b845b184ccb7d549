// Public market-data methods over WebSocket and HTTP, checked against the venue's real
// records (../fixtures/deribit) and against src/pricing at the sim's own prices.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { black76Greeks, black76Price, yearFraction } from '../../../src/pricing/index.js';
import type { RunningSim } from '../../../src/sim/server.js';
import { field, readJson, readJsonLines, recordedMessage } from '../../support/fixtures.js';
import type { RpcClient } from '../support/rpc-client.js';
import { connect, errorCode, liquidOption, ok, openSim, sortedKeys } from './harness.js';

type Row = Record<string, unknown>;

const captured = readJsonLines('deribit', 'ws-capture-2021-07-22.jsonl').map(({ value }) =>
  recordedMessage(value),
);
const fixtureTicker = captured.find((m) =>
  String(field(m, 'params', 'channel')).startsWith('ticker.'),
);
const fixtureReply = captured.find((m) => field(m, 'id') !== undefined);
const solRecords = readJson('deribit', 'instruments-SOL-2021-07-22.json') as Row[];

describe('deribit sim: market data', () => {
  let sim: RunningSim;
  let client: RpcClient;

  before(async () => {
    sim = await openSim();
    client = await connect(sim);
  });
  after(async () => {
    await client.close();
    await sim.close();
  });

  it('frames replies like the venue: jsonrpc, id, result, usIn/usOut/usDiff, testnet', async () => {
    const reply = await client.call('public/get_time');
    assert.deepEqual(sortedKeys(reply), sortedKeys(fixtureReply));
    assert.equal(reply.result, sim.world.exchanges.deribit.now());
    assert.equal(reply['usIn'], sim.world.exchanges.deribit.now() * 1000);
    assert.equal(reply['usDiff'], 0);
    assert.equal(reply['testnet'], false);
    assert.deepEqual(ok(await client.call('public/test')), { version: '1.2.26' });
  });

  it('lists instruments with every field of the venue records', async () => {
    const records = ok<Row[]>(await client.call('public/get_instruments', { currency: 'BTC' }));
    const listed = sim.world.exchanges.deribit.instruments({ currency: 'BTC' });
    assert.equal(records.length, listed.length);
    const solOption = solRecords.find((r) => r['kind'] === 'option');
    const solFuture = solRecords.find((r) => r['kind'] === 'future');
    const option = records.find((r) => r['kind'] === 'option');
    const perpetual = records.find((r) => r['instrument_name'] === 'BTC-PERPETUAL');
    assert.ok(option && perpetual && solOption && solFuture);
    assert.deepEqual(sortedKeys(option), [...sortedKeys(solOption), 'tick_size_steps'].sort());
    assert.deepEqual(sortedKeys(perpetual), sortedKeys(solFuture));
    assert.deepEqual(option['tick_size_steps'], [{ above_price: 0.005, tick_size: 0.0005 }]);
    assert.equal(perpetual['settlement_period'], 'perpetual');
    assert.equal(perpetual['expiration_timestamp'], 32503708800000);
    assert.equal(perpetual['contract_size'], 10);
    assert.equal(perpetual['kind'], 'future');
    assert.equal(option['price_index'], 'btc_usd');
    const spec = listed.find((i) => i.spec.name === option['instrument_name']);
    assert.ok(spec);
    assert.equal(option['creation_timestamp'], spec.listedAt);
    assert.equal(option['expiration_timestamp'], spec.spec.expiry);
    const periods = new Set(records.map((r) => r['settlement_period']));
    for (const period of periods)
      assert.ok(['day', 'week', 'month', 'perpetual'].includes(String(period)));
    // Fridays of week-only series and the daily ones are told apart by the expiry itself.
    for (const record of records.filter((r) => r['kind'] === 'option')) {
      const expiry = new Date(Number(record['expiration_timestamp']));
      if (expiry.getUTCDay() !== 5) assert.equal(record['settlement_period'], 'day');
    }

    const options = ok<Row[]>(
      await client.call('public/get_instruments', { currency: 'BTC', kind: 'option' }),
    );
    assert.ok(options.length > 0 && options.every((r) => r['kind'] === 'option'));
    const futures = ok<Row[]>(
      await client.call('public/get_instruments', { currency: 'BTC', kind: 'future' }),
    );
    assert.ok(futures.some((r) => r['instrument_name'] === 'BTC-PERPETUAL'));
    assert.equal(
      errorCode(await client.call('public/get_instruments', { currency: 'XRP' })),
      -32602,
    );
  });

  it('publishes option tickers shaped like the capture, agreeing with src/pricing', async () => {
    const option = liquidOption(sim);
    const spec = option.spec;
    assert.equal(spec.kind, 'option');
    if (spec.kind !== 'option') return;
    const ticker = ok<Row>(await client.call('public/ticker', { instrument_name: spec.name }));
    const fixtureData = field(fixtureTicker, 'params', 'data');
    assert.deepEqual(sortedKeys(ticker), sortedKeys(fixtureData));
    assert.deepEqual(sortedKeys(ticker['greeks']), sortedKeys(field(fixtureData, 'greeks')));
    for (const key of sortedKeys(field(fixtureData, 'stats')))
      assert.ok(key in (ticker['stats'] as Row));

    const F = Number(ticker['underlying_price']);
    const T = yearFraction(Number(ticker['timestamp']), spec.expiry);
    const markIv = Number(ticker['mark_iv']) / 100;
    const expected = black76Greeks(F, spec.strike, T, markIv, spec.type);
    const greeks = ticker['greeks'] as Row;
    assert.ok(Math.abs(Number(greeks['delta']) - expected.delta) < 2e-4, 'delta');
    assert.ok(Math.abs(Number(greeks['gamma']) - expected.gamma) < 1e-5, 'gamma');
    assert.ok(
      Math.abs(Number(greeks['vega']) - expected.vega) <= 0.002 * expected.vega + 1e-5,
      'vega',
    );
    assert.ok(
      Math.abs(Number(greeks['theta']) - expected.theta) <= 0.002 * Math.abs(expected.theta) + 1e-5,
      'theta',
    );
    // Two-decimal IVs pin a price to within a hundredth of a vol point of vega.
    const ivTolerance = (expected.vega * 0.01) / F + 1e-8;
    const priceAt = (ivPercent: number): number =>
      black76Price(F, spec.strike, T, ivPercent / 100, spec.type) / F;
    assert.ok(
      Math.abs(priceAt(Number(ticker['mark_iv'])) - Number(ticker['mark_price'])) < ivTolerance,
      'mark',
    );
    assert.ok(Number(ticker['bid_iv']) > 0 && Number(ticker['ask_iv']) > Number(ticker['bid_iv']));
    assert.ok(
      Math.abs(priceAt(Number(ticker['bid_iv'])) - Number(ticker['best_bid_price'])) < ivTolerance,
      'bid',
    );
    assert.ok(
      Math.abs(priceAt(Number(ticker['ask_iv'])) - Number(ticker['best_ask_price'])) < ivTolerance,
      'ask',
    );
    assert.equal(ticker['interest_rate'], 0);
    assert.equal(ticker['state'], 'open');
  });

  it('publishes perpetual tickers with funding fields and no option fields', async () => {
    const ticker = ok<Row>(
      await client.call('public/ticker', { instrument_name: 'BTC-PERPETUAL' }),
    );
    for (const key of [
      'funding_8h',
      'current_funding',
      'interest_value',
      'mark_price',
      'best_bid_price',
      'estimated_delivery_price',
    ]) {
      assert.ok(key in ticker, key);
    }
    assert.ok(!('greeks' in ticker) && !('mark_iv' in ticker));
    assert.equal(
      errorCode(await client.call('public/ticker', { instrument_name: 'BTC-1JAN99-1-C' })),
      13020,
    );
  });

  it('answers get_order_book with levels best first and the book change id', async () => {
    const book = ok<Row>(
      await client.call('public/get_order_book', { instrument_name: 'BTC-PERPETUAL', depth: 3 }),
    );
    const core = sim.world.exchanges.deribit.book('BTC-PERPETUAL', 3);
    assert.ok(core);
    assert.deepEqual(
      book['bids'],
      core.bids.map(([p, a]) => [p, a]),
    );
    assert.deepEqual(
      book['asks'],
      core.asks.map(([p, a]) => [p, a]),
    );
    assert.equal(book['change_id'], core.changeId);
    const bids = book['bids'];
    assert.ok(bids.length === 3 && bids[0]![0]! > bids[1]![0]!);
    assert.equal(book['best_bid_price'], bids[0]![0]);
    assert.equal(
      errorCode(
        await client.call('public/get_order_book', { instrument_name: 'BTC-PERPETUAL', depth: 0 }),
      ),
      -32602,
    );
  });

  it('answers the index price, and the same over HTTP GET', async () => {
    const index = ok<Row>(await client.call('public/get_index_price', { index_name: 'btc_usd' }));
    const price = sim.world.exchanges.deribit.indexPrice('BTC');
    assert.ok(Math.abs(Number(index['index_price']) - price) < 0.01);
    assert.deepEqual(sortedKeys(index), ['estimated_delivery_price', 'index_price']);

    const response = await fetch(
      `${sim.urls.deribitHttp}/public/get_index_price?index_name=btc_usd`,
    );
    assert.equal(response.status, 200);
    const body = (await response.json()) as Row;
    assert.deepEqual(body['result'], index);
    assert.equal(body['jsonrpc'], '2.0');
    assert.equal(
      errorCode(await client.call('public/get_index_price', { index_name: 'doge_usd' })),
      -32602,
    );
  });

  it('answers unknown methods and bad params with JSON-RPC errors', async () => {
    const unknown = await client.call('public/no_such_method');
    assert.deepEqual(unknown.error, { code: -32601, message: 'Method not found' });
    const bad = await client.call('public/get_order_book', {});
    assert.equal(bad.error?.code, -32602);
    assert.equal(bad.error?.message, 'Invalid params');
    assert.deepEqual(sortedKeys(bad.error?.data), ['param', 'reason']);
    assert.equal(field(bad.error, 'data', 'param'), 'instrument_name');

    const response = await fetch(`${sim.urls.deribitHttp}/public/nothing_here`);
    assert.equal(response.status, 400);
    assert.equal(field(await response.json(), 'error', 'code'), -32601);
  });

  it('rejects subscribing over HTTP', async () => {
    const response = await fetch(
      `${sim.urls.deribitHttp}/public/subscribe?channels=ticker.BTC-PERPETUAL.100ms`,
    );
    assert.equal(field(await response.json(), 'error', 'code'), 10030);
  });
});
