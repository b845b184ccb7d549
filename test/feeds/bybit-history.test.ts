// Bybit history loaders against the real sim over loopback, and the parsers on the venue's
// documented examples.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkBars, DAY_MS, HOUR_MS, MINUTE_MS } from '../../src/analytics/index.js';
import {
  loadBybitCandles,
  loadBybitHistoricalVolatility,
  parseHistoricalVolatility,
  parseKlineList,
} from '../../src/feeds/bybit/history.js';
import { BybitRestClient } from '../../src/feeds/bybit/rest.js';
import { WireFormatError } from '../../src/feeds/wire-fields.js';
import { startSim, type RunningSim } from '../../src/sim/server.js';
import { readJson } from '../support/fixtures.js';

const START = Date.UTC(2026, 10, 20, 7, 0);

describe('bybit history loaders on the sim', () => {
  let sim: RunningSim;
  let rest: BybitRestClient;

  before(async () => {
    sim = await startSim({ seed: 3, manualClock: true, start: START, currencies: ['BTC', 'ETH'] });
    for (let i = 0; i < 12; i++) sim.advance(10_000);
    rest = new BybitRestClient({ baseUrl: sim.urls.bybitRest });
  });
  after(() => sim.close());

  it('pages kline backwards, 1,000 at a time: three days of minutes, every minute once, the last at the live index', async () => {
    const to = sim.world.exchanges.bybit.now();
    const bars = await loadBybitCandles(rest, {
      symbol: 'BTCUSDT',
      periodMs: MINUTE_MS,
      from: to - 3 * DAY_MS + 1,
      to,
    });
    checkBars(bars, MINUTE_MS);
    assert.equal(bars.length, 3 * 1440);
    assert.ok(Math.abs(bars.at(-1)!.close - sim.world.exchanges.bybit.indexPrice('BTC')) <= 0.01);
  });

  it('index-price-kline gives the same bars here (the sim perpetual charts its index)', async () => {
    const query = {
      symbol: 'ETHUSDT',
      periodMs: HOUR_MS,
      from: START - 60 * DAY_MS,
      to: START - 1,
    };
    const trade = await loadBybitCandles(rest, query);
    const index = await loadBybitCandles(rest, { ...query, source: 'index' });
    assert.equal(trade.length, 60 * 24);
    assert.deepEqual(index, trade);
  });

  it('historical volatility over 45 days in 30-day windows: hourly, decimal, realised', async () => {
    const to = Math.floor(sim.world.exchanges.bybit.now() / HOUR_MS) * HOUR_MS;
    const points = await loadBybitHistoricalVolatility(rest, {
      baseCoin: 'BTC',
      period: 30,
      from: to - 45 * DAY_MS,
      to,
    });
    assert.equal(points.length, 45 * 24 + 1);
    for (let i = 1; i < points.length; i++)
      assert.equal(points[i]!.ts - points[i - 1]!.ts, HOUR_MS);
    for (const p of points) assert.ok(p.value > 0.2 && p.value < 1.2, String(p.value));
  });
});

describe('bybit history parsers on documented shapes', () => {
  it('reads the documented kline example: strings, newest first, into bars oldest first', () => {
    const reply = readJson('bybit', 'docs-kline-inverse.json') as { result: unknown };
    assert.deepEqual(parseKlineList(reply.result, HOUR_MS, 'trade'), [
      { ts: 1670608800000, open: 17071, high: 17073, low: 17027, close: 17055.5 },
    ]);
  });

  it('reads the documented historical-volatility example', () => {
    const reply = readJson('bybit', 'docs-historical-volatility.json') as { result: unknown };
    assert.deepEqual(parseHistoricalVolatility(reply.result), [
      { period: 30, points: [{ ts: 1672052400000, value: 0.45024716 }] },
    ]);
  });

  it('a filler trade candle is dropped, a broken one is an error', () => {
    const list = [
      ['120000', '10', '11', '9', '10.5', '3', '30'],
      ['60000', '10', '10', '10', '10', '0', '0'],
      ['0', '9', '10', '9', '10', '1', '9'],
    ];
    assert.deepEqual(
      parseKlineList({ list }, MINUTE_MS, 'trade').map((b) => b.ts),
      [0, 120000],
    );
    assert.equal(
      parseKlineList({ list: list.map((r) => r.slice(0, 5)) }, MINUTE_MS, 'index').length,
      3,
    );
    assert.throws(
      () => parseKlineList({ list: [['0', 'x', '1', '1', '1']] }, MINUTE_MS, 'index'),
      WireFormatError,
    );
    assert.throws(
      () => parseKlineList({ list: [['0', '1', '0.5', '1', '1']] }, MINUTE_MS, 'index'),
      /high/,
    );
  });
});
