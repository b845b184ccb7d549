// Saved candle responses, as `replay --emit rv` reads them: replies saved from the sim over
// loopback (both venues, enveloped and bare) and the venues' documented examples.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HOUR_MS, MINUTE_MS } from '../../src/analytics/index.js';
import { barsFromSavedCandles } from '../../src/feeds/saved-candles.js';
import { WireFormatError } from '../../src/feeds/wire-fields.js';
import { startSim, type RunningSim } from '../../src/sim/server.js';
import { readJson } from '../support/fixtures.js';

const START = Date.UTC(2026, 10, 20, 7, 0);

describe('barsFromSavedCandles', () => {
  let sim: RunningSim;

  before(async () => {
    sim = await startSim({ seed: 2, manualClock: true, start: START, currencies: ['BTC'] });
  });
  after(() => sim.close());

  it('a saved Deribit chart data reply, enveloped or bare: the venue, the period, the bars', async () => {
    const from = START - 2 * 86_400_000;
    const response = await fetch(
      `${sim.urls.deribitHttp}/public/get_tradingview_chart_data?instrument_name=BTC-PERPETUAL&start_timestamp=${from}&end_timestamp=${START - 1}&resolution=60`,
    );
    const saved = (await response.json()) as { result: unknown };
    const read = barsFromSavedCandles(saved);
    assert.equal(read.venue, 'deribit');
    assert.equal(read.periodMs, HOUR_MS);
    assert.equal(read.bars.length, 48);
    assert.deepEqual(barsFromSavedCandles(saved.result), read);
  });

  it('a saved Bybit kline reply (newest first) and an index-price-kline one', async () => {
    const saved = (await (
      await fetch(
        `${sim.urls.bybitRest}/v5/market/kline?category=linear&symbol=BTCUSDT&interval=1&end=${START - 1}&limit=120`,
      )
    ).json()) as { result: unknown };
    const read = barsFromSavedCandles(saved);
    assert.equal(read.venue, 'bybit');
    assert.equal(read.periodMs, MINUTE_MS);
    assert.equal(read.bars.length, 120);
    assert.ok(read.bars[0]!.ts < read.bars[119]!.ts);
    const index = (await (
      await fetch(
        `${sim.urls.bybitRest}/v5/market/index-price-kline?category=linear&symbol=BTCUSDT&interval=1&end=${START - 1}&limit=120`,
      )
    ).json()) as { result: unknown };
    assert.deepEqual(barsFromSavedCandles(index).bars, read.bars);
  });

  it('one candle has no period to read; anything else is not a candle response', () => {
    assert.throws(
      () => barsFromSavedCandles(readJson('bybit', 'docs-kline-inverse.json')),
      /fewer than two/,
    );
    assert.throws(() => barsFromSavedCandles({ result: { data: [] } }), WireFormatError);
  });
});
