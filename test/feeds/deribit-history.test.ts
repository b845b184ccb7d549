// Deribit history loaders against the real sim over loopback (HTTP JSON-RPC), the live
// volatility index through the real feed, and the parsers on the venue's documented examples.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkBars, HOUR_MS, MINUTE_MS } from '../../src/analytics/index.js';
import {
  deribitVolatilityIndexFromMessage,
  loadDeribitCandles,
  loadDeribitVolatilityIndex,
  parseChartData,
  parseVolatilityIndexData,
} from '../../src/feeds/deribit/history.js';
import { DeribitHttpCaller } from '../../src/feeds/deribit/http-caller.js';
import { VenueReplyError } from '../../src/feeds/common/errors.js';
import { WireFormatError } from '../../src/feeds/wire-fields.js';
import type { RunningSim } from '../../src/sim/server.js';
import { readJson } from '../support/fixtures.js';
import { openSim, startFeed, START, waitUntil } from './deribit-feed/harness.js';

const DAY = 86_400_000;

describe('deribit history loaders on the sim', () => {
  let sim: RunningSim;
  let rpc: DeribitHttpCaller;

  before(async () => {
    sim = await openSim({ currencies: ['BTC', 'ETH'] });
    for (let i = 0; i < 12; i++) sim.advance(10_000);
    rpc = new DeribitHttpCaller(sim.urls.deribitHttp);
  });
  after(() => sim.close());

  it('pages chart data by time window: two days of minutes in pages of 1,000 are every minute once, ending at the live index', async () => {
    const to = sim.world.exchanges.deribit.now();
    const from = to - 2 * DAY;
    const bars = await loadDeribitCandles(rpc, {
      instrument: 'BTC-PERPETUAL',
      periodMs: MINUTE_MS,
      from,
      to,
      pageCandles: 1000,
    });
    checkBars(bars, MINUTE_MS);
    assert.equal(bars.length, 2 * 1440);
    assert.ok(Math.abs(bars.at(-1)!.close - sim.world.exchanges.deribit.indexPrice('BTC')) <= 0.01);
    const whole = await loadDeribitCandles(rpc, {
      instrument: 'BTC-PERPETUAL',
      periodMs: MINUTE_MS,
      from,
      to,
    });
    assert.deepEqual(whole, bars);
  });

  it('a year of hourly candles', async () => {
    const bars = await loadDeribitCandles(rpc, {
      instrument: 'ETH-PERPETUAL',
      periodMs: HOUR_MS,
      from: START - 365 * DAY,
      to: START - 1,
    });
    assert.equal(bars.length, 365 * 24);
    checkBars(bars, HOUR_MS);
  });

  it('follows continuation to the start of the range: 90 days of hourly DVOL in decimals', async () => {
    const to = sim.world.exchanges.deribit.now();
    const candles = await loadDeribitVolatilityIndex(rpc, {
      currency: 'BTC',
      periodMs: HOUR_MS,
      from: to - 90 * DAY,
      to,
    });
    assert.equal(candles.length, 90 * 24);
    checkBars(candles, HOUR_MS);
    for (const c of candles) assert.ok(c.low > 0.2 && c.high < 2, `${c.low}–${c.high}`);
    assert.ok(Math.abs(candles.at(-1)!.close - sim.world.model.volIndex('BTC')) < 1e-4);
  });

  it('a venue error comes back as VenueReplyError, a resolution the venue lacks as a RangeError', async () => {
    await assert.rejects(
      loadDeribitCandles(rpc, { instrument: 'BTC-NOPE', periodMs: HOUR_MS, from: 0, to: 1 }),
      VenueReplyError,
    );
    await assert.rejects(
      loadDeribitCandles(rpc, {
        instrument: 'BTC-PERPETUAL',
        periodMs: 7 * MINUTE_MS,
        from: 0,
        to: 1,
      }),
      RangeError,
    );
  });

  it('the feed asked for it emits volatility-index events the market state keeps; not asked, none', async () => {
    const probe = await startFeed(sim, { volatilityIndex: true });
    const plain = await startFeed(sim);
    try {
      for (let i = 0; i < 3; i++) sim.advance(1000);
      // The three steps' values arrive in turn: the last one is the model's.
      const latest = sim.world.model.volIndex('BTC');
      await waitUntil('the latest vol index', () => {
        const value = probe.market.volatilityIndex('deribit', 'BTC')?.value;
        return value !== undefined && Math.abs(value - latest) < 1e-4;
      });
      const event = probe.market.volatilityIndex('deribit', 'BTC')!;
      assert.equal(event.index, 'btc_usd');
      assert.equal(plain.count('volatility-index'), 0);
    } finally {
      await probe.feed.stop();
      await plain.feed.stop();
    }
  });
});

describe('deribit history parsers on documented shapes', () => {
  it('reads the documented get_volatility_index_data example (its 2020 candles are decimals; DVOL is published in percent)', () => {
    const reply = readJson('deribit', 'docs-volatility-index-data-2020.json') as {
      result: unknown;
    };
    const { candles, continuation } = parseVolatilityIndexData(reply.result, MINUTE_MS);
    assert.equal(continuation, null);
    assert.deepEqual(
      candles.map((c) => c.ts),
      [1598019300000, 1598019360000, 1598019420000],
    );
    assert.ok(Math.abs(candles[0]!.close - 0.00212860821) < 1e-15);
  });

  it('reads the documented deribit_volatility_index notification into a decimal level', () => {
    const { data } = readJson('deribit', 'docs-volatility-index-notification.json') as {
      data: unknown;
    };
    const message = {
      jsonrpc: '2.0',
      method: 'subscription',
      params: { channel: 'deribit_volatility_index.btc_usd', data },
    };
    assert.deepEqual(deribitVolatilityIndexFromMessage(message), {
      kind: 'volatility-index',
      venue: 'deribit',
      base: 'BTC',
      index: 'btc_usd',
      ts: 1619777946007,
      value: 1.2936,
    });
    const wrong = {
      ...message,
      params: { ...message.params, channel: 'deribit_volatility_index.eth_usd' },
    };
    assert.throws(() => deribitVolatilityIndexFromMessage(wrong), WireFormatError);
    assert.equal(deribitVolatilityIndexFromMessage({ method: 'heartbeat' }), null);
  });

  it('chart data: no_data is no bars, a filling sample is dropped, ragged columns and broken candles are errors', () => {
    const empty = {
      status: 'no_data',
      ticks: [],
      open: [],
      high: [],
      low: [],
      close: [],
      volume: [],
      cost: [],
    };
    assert.deepEqual(parseChartData(empty, MINUTE_MS), []);
    const result = {
      status: 'ok',
      ticks: [0, 60_000, 120_000],
      open: [100, 101, 101],
      high: [102, 101, 103],
      low: [99, 101, 100],
      close: [101, 101, 102],
      volume: [5, 0, 2],
      cost: [500, 0, 200],
    };
    assert.deepEqual(
      parseChartData(result, MINUTE_MS).map((b) => b.ts),
      [0, 120_000],
    );
    assert.throws(
      () => parseChartData({ ...result, close: [101, 101] }, MINUTE_MS),
      WireFormatError,
    );
    assert.throws(() => parseChartData({ ...result, high: [100, 101, 103] }, MINUTE_MS), /high/);
    assert.throws(() => parseChartData({ ...result, status: 'error' }, MINUTE_MS), WireFormatError);
  });
});
