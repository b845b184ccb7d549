// Bybit history and account-history routes where ccxt does not pin the wire format: funding
// history and premium candles (bybit-exchange.github.io/docs/v5/market/history-fund-rate,
// premium-index-kline), the transaction log's window and cursor, closed PnL's limits, the
// linear socket's kline and allLiquidation topics, and disconnection protection (v5/order/dcp).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SimExchange } from '../../../src/sim/contract.js';
import type { RunningSim } from '../../../src/sim/server.js';
import { authOp, BybitRest, BybitSocket } from './support/bybit-client.js';
import { liquidOption, sleep, START, startBybitSim } from './support/sim.js';

const DAY = 86_400_000;
const EIGHT_HOURS = 8 * 3_600_000;

describe('bybit sim: funding, premium and account history', () => {
  let sim: RunningSim;
  let exchange: SimExchange;
  let rest: BybitRest;

  before(async () => {
    sim = await startBybitSim();
    exchange = sim.world.exchanges.bybit;
    for (let i = 0; i < 6; i++) sim.advance(10_000);
    rest = new BybitRest(sim.urls.bybitRest, sim.apiKeys.bybit[0]!);
  });
  after(() => sim.close());

  it('funding/history: newest first, string fields, every 8 h; a start alone and a limit over 200 are refused', async () => {
    const reply = await rest.get(
      '/v5/market/funding/history',
      'category=linear&symbol=BTCUSDT&limit=5',
    );
    assert.equal(reply.retCode, 0);
    assert.equal(reply.result['category'], 'linear');
    const list = reply.result['list'] as Record<string, string>[];
    assert.equal(list.length, 5);
    for (const row of list) {
      assert.deepEqual(Object.keys(row).sort(), ['fundingRate', 'fundingRateTimestamp', 'symbol']);
      assert.equal(row['symbol'], 'BTCUSDT');
      assert.match(row['fundingRate']!, /^-?\d+(\.\d+)?$/);
    }
    const times = list.map((row) => Number(row['fundingRateTimestamp']));
    assert.equal(times[0], Math.floor(START / EIGHT_HOURS) * EIGHT_HOURS);
    for (let i = 1; i < times.length; i++) assert.equal(times[i - 1]! - times[i]!, EIGHT_HOURS);
    const startOnly = await rest.get(
      '/v5/market/funding/history',
      `category=linear&symbol=BTCUSDT&startTime=${START - DAY}`,
    );
    assert.equal(startOnly.retCode, 10001);
    const tooMany = await rest.get(
      '/v5/market/funding/history',
      'category=linear&symbol=BTCUSDT&limit=201',
    );
    assert.equal(tooMany.retCode, 10001);
    const option = await rest.get('/v5/market/funding/history', 'category=option&symbol=BTCUSDT');
    assert.equal(option.retCode, 10001);
  });

  it('premium-index-price-kline: five string columns, newest first; mark-price-kline the same shape', async () => {
    for (const path of ['/v5/market/premium-index-price-kline', '/v5/market/mark-price-kline']) {
      const reply = await rest.get(path, 'category=linear&symbol=BTCUSDT&interval=60&limit=30');
      assert.equal(reply.retCode, 0);
      const list = reply.result['list'] as string[][];
      assert.equal(list.length, 30);
      for (const row of list) {
        assert.equal(row.length, 5);
        for (const cell of row) assert.equal(typeof cell, 'string');
      }
      assert.equal(Number(list[0]![0]) - Number(list[1]![0]), 3_600_000);
    }
  });

  it('transaction-log: pages through nextPageCursor without repeats; a window over 7 days is refused', async () => {
    for (let i = 0; i < 3; i++) exchange.place('paper', marketBuy());
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 5; page++) {
      const reply = await rest.signedGet(
        '/v5/account/transaction-log',
        `limit=1${cursor === '' ? '' : `&cursor=${cursor}`}`,
      );
      assert.equal(reply.retCode, 0);
      const list = reply.result['list'] as Record<string, string>[];
      seen.push(...list.map((row) => row['id']!));
      cursor = reply.result['nextPageCursor'] as string;
      if (cursor === '') break;
    }
    assert.equal(seen.length, 3);
    assert.equal(new Set(seen).size, 3);
    const now = exchange.now();
    const wide = await rest.signedGet(
      '/v5/account/transaction-log',
      `startTime=${now - 8 * DAY}&endTime=${now}`,
    );
    assert.equal(wide.retCode, 10001);
  });

  it('closed-pnl: linear only, limit 1–100', async () => {
    const option = await rest.signedGet('/v5/position/closed-pnl', 'category=option');
    assert.equal(option.retCode, 10001);
    const limit = await rest.signedGet('/v5/position/closed-pnl', 'category=linear&limit=101');
    assert.equal(limit.retCode, 10001);
    const inverse = await rest.signedGet('/v5/position/closed-pnl', 'category=inverse');
    assert.deepEqual(inverse.result['list'], []);
  });

  it('kline topic: pushes the forming candle and confirms it when its minute ends; allLiquidation is acknowledged and silent', async () => {
    const socket = await BybitSocket.connect(sim.urls.bybitLinearWs);
    try {
      const ack = await socket.request({
        op: 'subscribe',
        req_id: 'k',
        args: ['kline.1.BTCUSDT', 'allLiquidation.BTCUSDT'],
      });
      assert.equal(ack['success'], true);
      for (let i = 0; i < 8; i++) sim.advance(10_000);
      await socket.sync();
      const frames = socket.topicFrames('kline.1.BTCUSDT');
      const rows = frames.flatMap((f) => f['data'] as Record<string, unknown>[]);
      assert.ok(rows.some((row) => row['confirm'] === true));
      const confirmed = rows.find((row) => row['confirm'] === true)!;
      assert.equal(Number(confirmed['end']) - Number(confirmed['start']), 59_999);
      const [candle] = sim.world.history.candles(
        'index',
        'BTC',
        60_000,
        Number(confirmed['start']),
        Number(confirmed['start']),
      );
      assert.equal(confirmed['close'], String(Math.round(candle!.close * 100) / 100));
      assert.equal(socket.topicFrames('allLiquidation.BTCUSDT').length, 0);
    } finally {
      await socket.close();
    }
  });

  it('dcp: a window set, the dcp-subscribed private socket gone, the option orders are cancelled after it', async () => {
    const option = liquidOption(exchange);
    const bid = exchange.book(option.spec.name, 1)!.bids[0]![0];
    const tick = option.spec.tickSize;
    const resting = exchange.place('paper', {
      instrument: option.spec.name,
      side: 'buy',
      type: 'limit',
      amount: option.spec.minSize,
      price: Math.max(tick, Math.round((bid * 0.5) / tick) * tick),
    }).order;
    const set = await rest.signedPost('/v5/order/disconnected-cancel-all', {
      product: 'OPTIONS',
      timeWindow: 3,
    });
    assert.equal(set.retCode, 0);
    const refused = await rest.signedPost('/v5/order/disconnected-cancel-all', { timeWindow: 2 });
    assert.equal(refused.retCode, 10001);
    const socket = await BybitSocket.connect(sim.urls.bybitPrivateWs);
    assert.equal(
      (await socket.request(authOp(sim.apiKeys.bybit[0]!, Date.now() + 10_000)))['success'],
      true,
    );
    assert.equal(
      (await socket.request({ op: 'subscribe', req_id: 'd', args: ['dcp'] }))['success'],
      true,
    );
    await socket.close();
    await sleep(1500);
    assert.equal(exchange.order('paper', resting.orderId)!.state, 'open');
    await sleep(2000);
    assert.equal(exchange.order('paper', resting.orderId)!.state, 'cancelled');
  });
});

function marketBuy() {
  return { instrument: 'BTCUSDT', side: 'buy', type: 'market', amount: 0.01 } as const;
}
