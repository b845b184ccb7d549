// The public linear socket for the hedge perpetual: its own ack and pong envelopes, the perp
// ticker snapshot + deltas, books at the linear depths with their u chain, and trades.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSim } from '../../../src/sim/server.js';
import { BybitRest, BybitSocket, mergeTicker, type Json } from './support/bybit-client.js';
import { keysOf, recorded } from './support/fixture-shapes.js';
import { liquidOption, perpetual, startBybitSim } from './support/sim.js';

const LINEAR_TICKER_FIELDS = [
  'symbol',
  'tickDirection',
  'price24hPcnt',
  'lastPrice',
  'prevPrice24h',
  'highPrice24h',
  'lowPrice24h',
  'prevPrice1h',
  'markPrice',
  'indexPrice',
  'openInterest',
  'openInterestValue',
  'turnover24h',
  'volume24h',
  'nextFundingTime',
  'fundingRate',
  'bid1Price',
  'bid1Size',
  'ask1Price',
  'ask1Size',
];

describe('bybit public linear socket', () => {
  let sim: RunningSim;
  let rest: BybitRest;
  let perp: string;

  before(async () => {
    sim = await startBybitSim();
    rest = new BybitRest(sim.urls.bybitRest, sim.apiKeys.bybit[0]!);
    perp = perpetual(sim.world.exchanges.bybit).spec.name;
  });
  after(() => sim.close());

  it('acknowledges with {success, ret_msg, conn_id, req_id, op} and pongs as the linear socket does', async () => {
    const client = await BybitSocket.connect(sim.urls.bybitLinearWs);
    const ack = await client.request({
      op: 'subscribe',
      req_id: 'sub-1',
      args: [`tickers.${perp}`],
    });
    assert.deepEqual(keysOf(ack), ['conn_id', 'op', 'req_id', 'ret_msg', 'success']);
    assert.equal(ack['success'], true);
    assert.equal(ack['ret_msg'], '');
    assert.equal(ack['op'], 'subscribe');
    const option = liquidOption(sim.world.exchanges.bybit).spec.name;
    const failed = await client.request({
      op: 'subscribe',
      req_id: 'sub-2',
      args: [`tickers.${option}`],
    });
    assert.equal(failed['success'], false);
    assert.match(String(failed['ret_msg']), /tickers\.BTC-/);
    const again = await client.request({
      op: 'subscribe',
      req_id: 'sub-3',
      args: [`tickers.${perp}`],
    });
    assert.equal(again['success'], false);
    assert.match(String(again['ret_msg']), /already subscribed/);
    const pong = await client.request({ op: 'ping', req_id: 'ping-1' });
    assert.deepEqual(
      { success: pong['success'], ret_msg: pong['ret_msg'], op: pong['op'] },
      { success: true, ret_msg: 'pong', op: 'ping' },
    );
    assert.equal(pong['conn_id'], ack['conn_id']);
    const unsub = await client.request({
      op: 'unsubscribe',
      req_id: 'u',
      args: [`tickers.${perp}`],
    });
    assert.equal(unsub['success'], true);
    assert.equal(unsub['op'], 'unsubscribe');
    await client.close();
  });

  it('streams the perp ticker: every field in the snapshot, then only changes, agreeing with REST', async () => {
    const client = await BybitSocket.connect(sim.urls.bybitLinearWs);
    const topic = `tickers.${perp}`;
    await client.request({ op: 'subscribe', req_id: 's', args: [topic] });
    for (let i = 0; i < 10; i++) sim.advance(1000);
    await client.sync();
    const frames = client.topicFrames(topic);
    assert.ok(frames.length >= 3);
    const fixture = recorded('inverse perpetual ticker snapshot');
    assert.deepEqual(keysOf(frames[0]), keysOf(fixture));
    assert.equal(frames[0]!['type'], 'snapshot');
    const snapshot = frames[0]!['data'] as Record<string, string>;
    for (const key of LINEAR_TICKER_FIELDS) assert.equal(typeof snapshot[key], 'string', key);
    for (const key of keysOf(fixture['data'])) assert.ok(key in snapshot, key);
    assert.equal(snapshot['symbol'], perp);
    assert.ok(Number(snapshot['bid1Price']) < Number(snapshot['ask1Price']));
    assert.ok(Number(snapshot['nextFundingTime']) > sim.world.exchanges.bybit.now());
    for (const frame of frames.slice(1)) {
      assert.equal(frame['type'], 'delta');
      assert.ok(Object.keys(frame['data'] as object).length < LINEAR_TICKER_FIELDS.length);
    }
    const state = mergeTicker(frames);
    const reply = await rest.get('/v5/market/tickers', `category=linear&symbol=${perp}`);
    const row = (reply.result['list'] as Record<string, string>[])[0]!;
    for (const key of LINEAR_TICKER_FIELDS) {
      if (key === 'tickDirection') continue;
      assert.equal(row[key], state[key], key);
    }
    await client.close();
  });

  it('publishes orderbook.50 with a u chain and trades on publicTrade.{symbol}', async () => {
    const client = await BybitSocket.connect(sim.urls.bybitLinearWs);
    const book = `orderbook.50.${perp}`;
    const trades = `publicTrade.${perp}`;
    const ack = await client.request({
      op: 'subscribe',
      req_id: 'b',
      args: [book, trades, `orderbook.1.${perp}`],
    });
    assert.equal(ack['success'], true);
    const ask = sim.world.exchanges.bybit.ticker(perp)!.bestAskPrice!;
    const bought = await rest.signedPost('/v5/order/create', {
      category: 'linear',
      symbol: perp,
      side: 'Buy',
      orderType: 'Market',
      qty: '0.01',
    });
    assert.equal(bought.retCode, 0, bought.retMsg);
    for (let i = 0; i < 10; i++) sim.advance(1000);
    await client.sync();
    const frames = client.topicFrames(book);
    assert.ok(frames.length >= 2);
    assert.deepEqual(keysOf(frames[0]), ['cts', 'data', 'topic', 'ts', 'type']);
    assert.deepEqual(keysOf(frames[0]!['data']), ['a', 'b', 's', 'seq', 'u']);
    for (let i = 1; i < frames.length; i++) {
      assert.equal(frames[i]!['type'], 'delta');
      assert.equal(
        (frames[i]!['data'] as Json)['u'],
        Number((frames[i - 1]!['data'] as Json)['u']) + 1,
      );
    }
    assert.ok(client.topicFrames(`orderbook.1.${perp}`).length >= 1);
    const trade = client.topicFrames(trades)[0];
    assert.ok(trade !== undefined);
    const row = (trade['data'] as Json[])[0]!;
    assert.deepEqual(keysOf(row), ['BT', 'L', 'S', 'T', 'i', 'p', 's', 'seq', 'v']);
    assert.equal(row['s'], perp);
    assert.equal(row['S'], 'Buy');
    assert.equal(row['p'], String(ask));
    await client.close();
  });
});
