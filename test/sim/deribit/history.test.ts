// Candle and volatility index history over loopback: shapes as the venue's docs show them
// (docs.deribit.com, public/get_tradingview_chart_data and public/get_volatility_index_data),
// a year of history that meets the live index, the same for a seed, and the live vol channel.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSim } from '../../../src/sim/server.js';
import type { RpcClient } from '../support/rpc-client.js';
import {
  START,
  connect,
  dataOf,
  errorCode,
  ok,
  onChannel,
  openSim,
  waitFor,
  channelOf,
} from './harness.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

interface Chart {
  status: string;
  ticks: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
  cost: number[];
}

async function chart(sim: RunningSim, query: Record<string, string | number>): Promise<Chart> {
  const search = new URLSearchParams(
    Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
  );
  const response = await fetch(
    `${sim.urls.deribitHttp}/public/get_tradingview_chart_data?${search.toString()}`,
  );
  const body = (await response.json()) as { result: Chart };
  return body.result;
}

describe('deribit sim: history', () => {
  let sim: RunningSim;
  let client: RpcClient;

  before(async () => {
    sim = await openSim();
    // Steps every 10 s, as a running sim steps several times a second: every minute has ticks.
    for (let i = 0; i < 30; i++) sim.advance(10_000);
    client = await connect(sim);
  });
  after(async () => {
    await client.close();
    await sim.close();
  });

  it('chart data has the documented fields, one candle per minute, the last one at the live index', async () => {
    const now = sim.world.exchanges.deribit.now();
    const result = await chart(sim, {
      instrument_name: 'BTC-PERPETUAL',
      start_timestamp: now - 3 * 60 * MINUTE,
      end_timestamp: now,
      resolution: '1',
    });
    assert.deepEqual(Object.keys(result).sort(), [
      'close',
      'cost',
      'high',
      'low',
      'open',
      'status',
      'ticks',
      'volume',
    ]);
    assert.equal(result.status, 'ok');
    assert.equal(result.ticks.length, 180);
    for (let i = 1; i < result.ticks.length; i++)
      assert.equal(result.ticks[i]! - result.ticks[i - 1]!, MINUTE);
    result.ticks.forEach((_, i) => {
      assert.ok(result.high[i]! >= Math.max(result.open[i]!, result.close[i]!));
      assert.ok(result.low[i]! <= Math.min(result.open[i]!, result.close[i]!));
    });
    const index = sim.world.exchanges.deribit.indexPrice('BTC');
    assert.ok(Math.abs(result.close.at(-1)! - index) <= 0.01, `${result.close.at(-1)} vs ${index}`);
    // History ends where the live minute begins: the start minute opens at the start's index.
    const startMinute = Math.floor(START / MINUTE) * MINUTE;
    const at = result.ticks.indexOf(startMinute);
    assert.ok(at > 0);
    assert.ok(Math.abs(result.close[at - 1]! - result.open[at]!) <= 0.011);
  });

  it('serves a year back, and a seed gives the same candles every time', async () => {
    const query = {
      instrument_name: 'ETH-PERPETUAL',
      start_timestamp: START - 366 * DAY,
      end_timestamp: START - 365 * DAY,
      resolution: '60',
    };
    const first = await chart(sim, query);
    assert.equal(first.ticks.length, 25);
    const other = await openSim();
    try {
      const again = await chart(other, query);
      assert.deepEqual(again, first);
    } finally {
      await other.close();
    }
  });

  it('hourly candles are the minute candles aggregated', async () => {
    const from = START - 10 * DAY;
    const hours = await chart(sim, {
      instrument_name: 'BTC-PERPETUAL',
      start_timestamp: from,
      end_timestamp: from + 2 * 3_600_000 - 1,
      resolution: '60',
    });
    const minutes = await chart(sim, {
      instrument_name: 'BTC-PERPETUAL',
      start_timestamp: from,
      end_timestamp: from + 2 * 3_600_000 - 1,
      resolution: '1',
    });
    assert.equal(minutes.ticks.length, 120);
    assert.equal(hours.open[0], minutes.open[0]);
    assert.equal(hours.close[1], minutes.close[119]);
    assert.equal(hours.high[0], Math.max(...minutes.high.slice(0, 60)));
    assert.equal(hours.low[1], Math.min(...minutes.low.slice(60)));
  });

  it('a year of daily candles realises about the regime vols the live model uses', async () => {
    const days = await chart(sim, {
      instrument_name: 'BTC-PERPETUAL',
      start_timestamp: START - 365 * DAY,
      end_timestamp: START,
      resolution: '1D',
    });
    assert.ok(days.ticks.length >= 365);
    let sum = 0;
    for (let i = 1; i < days.close.length; i++)
      sum += Math.log(days.close[i]! / days.close[i - 1]!) ** 2;
    const vol = Math.sqrt((sum / (days.close.length - 1)) * 365);
    // Regimes run 0.36–0.90 for BTC; a year's mix lands between.
    assert.ok(vol > 0.3 && vol < 0.9, `realised ${vol}`);
  });

  it('before the history, an unknown instrument or resolution', async () => {
    const empty = await chart(sim, {
      instrument_name: 'BTC-PERPETUAL',
      start_timestamp: START - 600 * DAY,
      end_timestamp: START - 599 * DAY,
      resolution: '60',
    });
    assert.equal(empty.status, 'no_data');
    const unknown = await client.call('public/get_tradingview_chart_data', {
      instrument_name: 'XRP-PERPETUAL',
      start_timestamp: 0,
      end_timestamp: 1,
      resolution: '1',
    });
    assert.equal(errorCode(unknown), 13020);
    const badResolution = await client.call('public/get_tradingview_chart_data', {
      instrument_name: 'BTC-PERPETUAL',
      start_timestamp: 0,
      end_timestamp: 1,
      resolution: '7',
    });
    assert.equal(errorCode(badResolution), -32602);
  });

  it('volatility index data: [ts, open, high, low, close] in percent, paged by continuation, meeting the live level', async () => {
    const to = sim.world.exchanges.deribit.now();
    const from = to - 60 * DAY;
    const first = ok<{ data: number[][]; continuation: number | null }>(
      await client.call('public/get_volatility_index_data', {
        currency: 'BTC',
        start_timestamp: from,
        end_timestamp: to,
        resolution: '3600',
      }),
    );
    assert.equal(first.data.length, 1000);
    assert.ok(first.continuation !== null);
    const rest = ok<{ data: number[][]; continuation: number | null }>(
      await client.call('public/get_volatility_index_data', {
        currency: 'BTC',
        start_timestamp: from,
        end_timestamp: first.continuation,
        resolution: '3600',
      }),
    );
    assert.equal(rest.continuation, null);
    const all = [...rest.data, ...first.data];
    assert.equal(all.length, 60 * 24);
    for (let i = 1; i < all.length; i++) assert.equal(all[i]![0]! - all[i - 1]![0]!, 3_600_000);
    for (const [, open, high, low, close] of all) {
      assert.ok(high! >= Math.max(open!, close!) && low! <= Math.min(open!, close!));
      assert.ok(low! > 20 && high! < 200, `${low} – ${high} is not a BTC vol index in percent`);
    }
    const live = sim.world.model.volIndex('BTC') * 100;
    assert.ok(Math.abs(all.at(-1)![4]! - live) < 0.01, `${all.at(-1)![4]} vs ${live}`);
  });

  it('the deribit_volatility_index channel sends {volatility, timestamp, index_name}', async () => {
    ok(await client.call('public/subscribe', { channels: ['deribit_volatility_index.eth_usd'] }));
    sim.advance(2000);
    const message = await waitFor(
      client,
      (m) => channelOf(m) === 'deribit_volatility_index.eth_usd',
    );
    const data = dataOf(message);
    assert.deepEqual(Object.keys(data).sort(), ['index_name', 'timestamp', 'volatility']);
    assert.equal(data['index_name'], 'eth_usd');
    assert.equal(data['timestamp'], sim.world.exchanges.deribit.now());
    assert.ok(
      Math.abs((data['volatility'] as number) - sim.world.model.volIndex('ETH') * 100) < 0.01,
    );
    assert.ok(onChannel(client, 'deribit_volatility_index.eth_usd').length >= 1);
    const bad = await client.call('public/subscribe', {
      channels: ['deribit_volatility_index.xrp_usd'],
    });
    assert.deepEqual(ok<string[]>(bad), []);
  });
});
