// Bybit history routes over loopback, shaped as bybit-exchange.github.io/docs/v5 shows them:
// kline (newest first, string arrays of 7), index-price-kline (5), historical-volatility (a
// top-level category, `result` a list of {period, value, time}).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSim } from '../../../src/sim/server.js';
import { BybitRest, type Json } from './support/bybit-client.js';
import { START, startBybitSim } from './support/sim.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;

describe('bybit sim: history', () => {
  let sim: RunningSim;
  let rest: BybitRest;

  before(async () => {
    sim = await startBybitSim({ currencies: ['BTC', 'ETH'] });
    for (let i = 0; i < 12; i++) sim.advance(10_000);
    rest = new BybitRest(sim.urls.bybitRest, sim.apiKeys.bybit[0]!);
  });
  after(() => sim.close());

  it('kline: newest first, [start, open, high, low, close, volume, turnover] as strings, the newest at the live index', async () => {
    const end = sim.world.exchanges.bybit.now();
    const reply = await rest.get(
      '/v5/market/kline',
      `category=linear&symbol=BTCUSDT&interval=1&end=${end}&limit=300`,
    );
    assert.equal(reply.retCode, 0);
    assert.deepEqual(Object.keys(reply.result).sort(), ['category', 'list', 'symbol']);
    const list = reply.result['list'] as string[][];
    assert.equal(list.length, 300);
    for (const row of list) {
      assert.equal(row.length, 7);
      for (const cell of row) assert.equal(typeof cell, 'string');
    }
    for (let i = 1; i < list.length; i++)
      assert.equal(Number(list[i - 1]![0]) - Number(list[i]![0]), 60_000);
    const index = sim.world.exchanges.bybit.indexPrice('BTC');
    assert.ok(Math.abs(Number(list[0]![4]) - index) <= 0.01);
  });

  it('kline pages backwards by end and agrees with index-price-kline and with a fresh sim of the same seed', async () => {
    const end = START - 200 * DAY;
    const first = await rest.get(
      '/v5/market/kline',
      `category=linear&symbol=ETHUSDT&interval=60&end=${end}&limit=1000`,
    );
    const page1 = first.result['list'] as string[][];
    const oldest = Number(page1.at(-1)![0]);
    const second = await rest.get(
      '/v5/market/kline',
      `category=linear&symbol=ETHUSDT&interval=60&end=${oldest - 1}&limit=1000`,
    );
    const page2 = second.result['list'] as string[][];
    assert.equal(Number(page2[0]![0]), oldest - HOUR);
    const index = await rest.get(
      '/v5/market/index-price-kline',
      `category=linear&symbol=ETHUSDT&interval=60&end=${end}&limit=1000`,
    );
    assert.deepEqual(
      index.result['list'],
      page1.map((row) => row.slice(0, 5)),
    );
    const other = await startBybitSim({ currencies: ['BTC', 'ETH'] });
    try {
      const again = await new BybitRest(other.urls.bybitRest, other.apiKeys.bybit[0]!).get(
        '/v5/market/kline',
        `category=linear&symbol=ETHUSDT&interval=60&end=${end}&limit=1000`,
      );
      assert.deepEqual(again.result['list'], page1);
    } finally {
      await other.close();
    }
  });

  it('kline refuses what it does not serve', async () => {
    for (const query of [
      'category=linear&symbol=BTCUSDT&interval=7',
      'category=linear&symbol=BTCUSDT&interval=1&limit=1001',
      'category=linear&symbol=NOPE&interval=1',
      'category=spot&symbol=BTCUSDT&interval=1',
    ]) {
      const reply = await rest.get('/v5/market/kline', query);
      assert.equal(reply.retCode, 10001, query);
    }
  });

  it('historical volatility: hourly realised vol points in a range, the latest alone without one', async () => {
    const to = Math.floor(sim.world.exchanges.bybit.now() / HOUR) * HOUR;
    const reply = (await rest.get(
      '/v5/market/historical-volatility',
      `category=option&baseCoin=BTC&period=30&startTime=${to - DAY}&endTime=${to}`,
    )) as unknown as Json;
    assert.deepEqual(Object.keys(reply).sort(), ['category', 'result', 'retCode', 'retMsg']);
    assert.equal(reply['category'], 'option');
    const points = reply['result'] as { period: number; value: string; time: string }[];
    assert.equal(points.length, 25);
    for (const p of points) {
      assert.equal(p.period, 30);
      assert.ok(Number(p.value) > 0.2 && Number(p.value) < 1.2, p.value);
    }
    const latest = (await rest.get(
      '/v5/market/historical-volatility',
      'category=option&baseCoin=BTC&period=30',
    )) as unknown as Json;
    assert.deepEqual(latest['result'], [points.at(-1)]);
    const tooLong = await rest.get(
      '/v5/market/historical-volatility',
      `category=option&period=7&startTime=${to - 31 * DAY}&endTime=${to}`,
    );
    assert.equal(tooLong.retCode, 10001);
    const badPeriod = await rest.get(
      '/v5/market/historical-volatility',
      'category=option&period=8',
    );
    assert.equal(badPeriod.retCode, 10001);
  });
});
