// The public option socket against the recorded shapes: acks, pong, ticker snapshot + deltas,
// depth-25 books with their u chain, and option trades by base coin.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { black76Greeks, impliedVol, yearFraction } from '../../../src/pricing/index.js';
import type { OptionSpec } from '../../../src/instruments/types.js';
import type { RunningSim } from '../../../src/sim/server.js';
import { BybitRest, BybitSocket, mergeTicker, type Json } from './support/bybit-client.js';
import { keysOf, recorded } from './support/fixture-shapes.js';
import { liquidOption, perpetual, startBybitSim } from './support/sim.js';

describe('bybit public option socket', () => {
  let sim: RunningSim;
  let rest: BybitRest;
  let option: OptionSpec;

  before(async () => {
    sim = await startBybitSim();
    rest = new BybitRest(sim.urls.bybitRest, sim.apiKeys.bybit[0]!);
    const spec = liquidOption(sim.world.exchanges.bybit).spec;
    assert.equal(spec.kind, 'option');
    option = spec;
  });
  after(() => sim.close());

  it('acknowledges in the COMMAND_RESP envelope the fixture shows, failing unknown topics', async () => {
    const client = await BybitSocket.connect(sim.urls.bybitOptionWs);
    const perp = perpetual(sim.world.exchanges.bybit).spec.name;
    const good = [`tickers.${option.name}`, `orderbook.25.${option.name}`, 'publicTrade.BTC'];
    const bad = [
      `kline.1.${option.name}`,
      'tickers.BTC-1JAN20-1-C-USDT',
      `tickers.${perp}`,
      'publicTrade.DOGE',
    ];
    client.send({ op: 'subscribe', args: [...good, ...bad] });
    const ack = await client.next((f) => f['type'] === 'COMMAND_RESP');
    const fixture = recorded('subscribe ack on the option socket');
    assert.deepEqual(keysOf(ack), keysOf(fixture));
    assert.deepEqual(keysOf(ack['data']), keysOf(fixture['data']));
    assert.equal(typeof ack['conn_id'], 'string');
    assert.deepEqual((ack['data'] as Json)['successTopics'], good);
    assert.deepEqual((ack['data'] as Json)['failTopics'], bad);

    const unsubscribed = await client.request({
      op: 'unsubscribe',
      req_id: 'u1',
      args: [`tickers.${option.name}`, 'tickers.never-subscribed'],
    });
    assert.equal(unsubscribed['type'], 'COMMAND_RESP');
    assert.deepEqual(unsubscribed['data'], {
      failTopics: ['tickers.never-subscribed'],
      successTopics: [`tickers.${option.name}`],
    });
    const before = client.topicFrames(`tickers.${option.name}`).length;
    for (let i = 0; i < 5; i++) sim.advance(1000);
    await client.sync();
    assert.equal(client.topicFrames(`tickers.${option.name}`).length, before);
    await client.close();
  });

  it('answers ping with a pong carrying the server time', async () => {
    const client = await BybitSocket.connect(sim.urls.bybitOptionWs);
    const reply = await client.request({ op: 'ping', req_id: 'p-1' });
    assert.equal(reply['op'], 'pong');
    const args = reply['args'] as unknown[];
    assert.equal(args.length, 1);
    assert.equal(args[0], String(sim.world.exchanges.bybit.now()));
    assert.equal(typeof reply['conn_id'], 'string');
    await client.close();
  });

  it('sends full ticker snapshots only (as Bybit documents option tickers), matching the REST ticker', async () => {
    const client = await BybitSocket.connect(sim.urls.bybitOptionWs);
    const topic = `tickers.${option.name}`;
    await client.request({ op: 'subscribe', req_id: 's', args: [topic] });
    for (let i = 0; i < 20; i++) sim.advance(1000);
    await client.sync();
    const frames = client.topicFrames(topic);
    assert.ok(frames.length >= 5, `${frames.length} ticker frames`);
    const fixtureSnapshot = recorded('option ticker snapshot');
    assert.equal(frames[0]!['type'], 'snapshot');
    assert.deepEqual(keysOf(frames[0]), keysOf(fixtureSnapshot));
    const snapshotKeys = keysOf(frames[0]!['data']);
    for (const key of keysOf(fixtureSnapshot['data'])) assert.ok(snapshotKeys.includes(key), key);
    // predictedDeliveryPrice is in the v5 documentation's field list though not in the sample.
    assert.deepEqual(
      snapshotKeys.filter((k) => !keysOf(fixtureSnapshot['data']).includes(k)),
      ['predictedDeliveryPrice'],
    );
    for (const value of Object.values(frames[0]!['data'] as object)) {
      assert.equal(typeof value, 'string');
      assert.match(value as string, /^-?\d+(\.\d+)?$|^BTC-/);
    }
    let state = { ...(frames[0]!['data'] as Record<string, string>) };
    for (const frame of frames.slice(1)) {
      assert.equal(frame['type'], 'snapshot');
      assert.deepEqual(keysOf(frame), keysOf(fixtureSnapshot));
      assert.match(
        String(frame['id']),
        new RegExp(`^${topic.replace(/\./g, '\\.')}-\\d+-${String(frame['ts'])}$`),
      );
      const data = frame['data'] as Record<string, string>;
      assert.deepEqual(keysOf(data), snapshotKeys);
      // Only a change is published: each snapshot differs from the one before somewhere.
      assert.ok(Object.keys(data).some((key) => data[key] !== state[key]));
      state = { ...data };
    }
    assert.deepEqual(mergeTicker(frames), state);

    const reply = await rest.get('/v5/market/tickers', `category=option&symbol=${option.name}`);
    assert.equal(reply.retCode, 0);
    const row = (reply.result['list'] as Record<string, string>[])[0]!;
    const restNames: Record<string, string> = {
      bid1Price: 'bidPrice',
      bid1Size: 'bidSize',
      bid1Iv: 'bidIv',
      ask1Price: 'askPrice',
      ask1Size: 'askSize',
      ask1Iv: 'askIv',
      markIv: 'markPriceIv',
    };
    for (const [restKey, value] of Object.entries(row)) {
      assert.equal(value, state[restNames[restKey] ?? restKey], restKey);
    }
    await client.close();
  });

  it('publishes IVs and greeks that src/pricing reproduces from the published prices', async () => {
    const client = await BybitSocket.connect(sim.urls.bybitOptionWs);
    const topic = `tickers.${option.name}`;
    await client.request({ op: 'subscribe', req_id: 's', args: [topic] });
    sim.advance(1000);
    await client.sync();
    const frames = client.topicFrames(topic);
    const state = mergeTicker(frames);
    const ts = Number(frames.at(-1)!['ts']);
    const forward = Number(state['underlyingPrice']);
    const years = yearFraction(ts, option.expiry);
    const ivOf = (price: string): number =>
      impliedVol(Number(price), forward, option.strike, years, option.type);
    assert.ok(Number(state['bidPrice']) > 0 && Number(state['askPrice']) > 0);
    let checked = 0;
    for (const [price, iv] of [
      ['bidPrice', 'bidIv'],
      ['askPrice', 'askIv'],
      ['markPrice', 'markPriceIv'],
    ] as const) {
      const published = Number(state[iv]);
      if (published === 0) continue;
      checked++;
      assert.ok(
        Math.abs(ivOf(state[price]!) - published) < 1e-3,
        `${iv} ${published} vs ${ivOf(state[price]!)}`,
      );
    }
    assert.ok(checked >= 2, `only ${checked} IVs were published`);
    const greeks = black76Greeks(
      forward,
      option.strike,
      years,
      Number(state['markPriceIv']),
      option.type,
    );
    assert.ok(Math.abs(greeks.delta - Number(state['delta'])) < 1e-3);
    for (const key of ['gamma', 'vega', 'theta'] as const) {
      const published = Number(state[key]);
      assert.ok(
        Math.abs(greeks[key] - published) <= 2e-3 * Math.abs(greeks[key]),
        `${key} ${published} vs ${greeks[key]}`,
      );
    }
    await client.close();
  });

  it('publishes orderbook.25 as a snapshot and deltas whose u rises by one, rebuilding the book; depths 1 and 50 stay silent', async () => {
    const client = await BybitSocket.connect(sim.urls.bybitOptionWs);
    const topic = `orderbook.25.${option.name}`;
    const silent = [`orderbook.1.${option.name}`, `orderbook.50.${option.name}`];
    const ack = await client.request({ op: 'subscribe', req_id: 'b', args: [topic, ...silent] });
    assert.deepEqual((ack['data'] as Json)['successTopics'], [topic, ...silent]);
    // Resting orders of our own change the book deterministically, besides the model's quotes.
    const exchange = sim.world.exchanges.bybit;
    const bid = exchange.ticker(option.name)!.bestBidPrice!;
    for (let i = 1; i <= 3; i++) {
      const placed = await rest.signedPost('/v5/order/create', {
        category: 'option',
        symbol: option.name,
        side: 'Buy',
        orderType: 'Limit',
        qty: '0.5',
        price: String(bid - i * option.tickSize),
        orderLinkId: `book-${i}`,
      });
      assert.equal(placed.retCode, 0, placed.retMsg);
    }
    for (let i = 0; i < 10; i++) sim.advance(1000);
    await client.sync();
    const frames = client.topicFrames(topic);
    assert.ok(frames.length >= 4, `${frames.length} book frames`);
    const fixture = recorded('option book at depth 25');
    assert.equal(frames[0]!['type'], 'snapshot');
    assert.deepEqual(keysOf(frames[0]), keysOf(fixture));
    assert.deepEqual(keysOf(frames[0]!['data']), keysOf(fixture['data']));
    const bids = new Map<string, string>();
    const asks = new Map<string, string>();
    let u = 0;
    for (const frame of frames) {
      const data = frame['data'] as { s: string; b: string[][]; a: string[][]; u: number };
      assert.equal(data.s, option.name);
      if (frame['type'] === 'snapshot') {
        bids.clear();
        asks.clear();
      } else {
        assert.equal(frame['type'], 'delta');
        assert.equal(data.u, u + 1, 'u must rise by one per message');
      }
      u = data.u;
      for (const [side, levels] of [
        [bids, data.b],
        [asks, data.a],
      ] as const) {
        for (const [price, size] of levels) {
          if (size === '0') side.delete(price!);
          else side.set(price!, size!);
        }
      }
    }
    const book = exchange.book(option.name, 25)!;
    const expected = (levels: readonly (readonly [number, number])[]): number[][] =>
      levels.slice(0, 25).map(([p, s]) => [p, s]);
    const actual = (side: Map<string, string>, descending: boolean): number[][] =>
      [...side.entries()]
        .map(([p, s]) => [Number(p), Number(s)])
        .sort((x, y) => (descending ? y[0]! - x[0]! : x[0]! - y[0]!));
    assert.deepEqual(actual(bids, true), expected(book.bids));
    assert.deepEqual(actual(asks, false), expected(book.asks));
    for (const name of silent) assert.equal(client.topicFrames(name).length, 0, name);
    await client.close();
  });

  it('publishes publicTrade.{coin} rows in the fixture shape when an option trades', async () => {
    const client = await BybitSocket.connect(sim.urls.bybitOptionWs);
    await client.request({ op: 'subscribe', req_id: 't', args: ['publicTrade.BTC'] });
    const ask = sim.world.exchanges.bybit.ticker(option.name)!.bestAskPrice!;
    const placed = await rest.signedPost('/v5/order/create', {
      category: 'option',
      symbol: option.name,
      side: 'Buy',
      orderType: 'Limit',
      qty: '0.01',
      price: String(ask),
      timeInForce: 'IOC',
      orderLinkId: 'trade-1',
    });
    assert.equal(placed.retCode, 0, placed.retMsg);
    const frame = await client.next((f) => f['topic'] === 'publicTrade.BTC');
    const fixture = recorded('option public trades');
    assert.deepEqual(keysOf(frame), keysOf(fixture));
    const rows = frame['data'] as Json[];
    const fixtureRow = (fixture['data'] as Json[])[0];
    const ours = rows.find((r) => r['s'] === option.name && r['p'] === String(ask));
    assert.ok(ours !== undefined, JSON.stringify(rows));
    assert.deepEqual(keysOf(ours), keysOf(fixtureRow));
    assert.equal(ours['S'], 'Buy');
    assert.equal(ours['v'], '0.01');
    assert.equal(ours['BT'], false);
    assert.equal(typeof ours['T'], 'number');
    assert.equal(typeof ours['seq'], 'number');
    for (const key of ['mP', 'iP', 'mIv', 'iv']) assert.match(String(ours[key]), /^\d+(\.\d+)?$/);
    await client.close();
  });
});
