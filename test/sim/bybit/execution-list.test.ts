// GET /v5/execution/list over signed REST: each row is the `execution` topic's row for the same
// fill (without the topic's category and isLeverage, with the list's feeCurrency and
// extraFees), newest first, filtered by category, symbol, order and time, paged by cursor, and
// never wider than 7 days.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSim } from '../../../src/sim/server.js';
import { BybitRest, BybitSocket, authOp, type Json } from './support/bybit-client.js';
import { liquidOption, perpetual, startBybitSim } from './support/sim.js';

const DAY_MS = 86_400_000;

describe('bybit sim: GET /v5/execution/list', () => {
  let sim: RunningSim;
  let rest: BybitRest;
  let socket: BybitSocket;
  let option: string;
  let perp: string;
  const placed: { symbol: string; orderId: string; linkId: string; ts: number }[] = [];

  const list = async (query: string): Promise<Json> => {
    const reply = await rest.signedGet('/v5/execution/list', query);
    assert.equal(reply.retCode, 0, reply.retMsg);
    return reply.result;
  };
  const rows = async (query: string): Promise<Json[]> => (await list(query))['list'] as Json[];
  const execIds = (items: readonly Json[]): string[] => items.map((r) => String(r['execId']));
  /** The topic's rows, oldest first. */
  const streamed = (): Json[] =>
    socket.topicFrames('execution').flatMap((frame) => frame['data'] as Json[]);
  /** What the list should hold for a topic row: fees are in the contract's settle coin. */
  const asListRow = (row: Json): Json => {
    const { category, isLeverage, ...rest } = row;
    assert.ok(category === 'option' || category === 'linear');
    assert.equal(typeof isLeverage, 'string');
    const settle = sim.world.exchanges.bybit.instrument(String(row['symbol']))?.spec.settleCurrency;
    assert.ok(settle !== undefined);
    return { ...rest, feeCurrency: settle, extraFees: '' };
  };

  /** An IOC order at the far side, one second after the last: it fills at once. */
  const take = async (symbol: string, category: string, side: 'Buy' | 'Sell', qty: string) => {
    sim.advance(1000);
    const exchange = sim.world.exchanges.bybit;
    const ticker = exchange.ticker(symbol)!;
    const price = side === 'Buy' ? ticker.bestAskPrice! : ticker.bestBidPrice!;
    const linkId = `x-${placed.length}`;
    const reply = await rest.signedPost('/v5/order/create', {
      category,
      symbol,
      side,
      orderType: 'Limit',
      qty,
      price: String(price),
      timeInForce: 'IOC',
      orderLinkId: linkId,
    });
    assert.equal(reply.retCode, 0, reply.retMsg);
    placed.push({ symbol, orderId: String(reply.result['orderId']), linkId, ts: exchange.now() });
  };

  before(async () => {
    sim = await startBybitSim();
    rest = new BybitRest(sim.urls.bybitRest, sim.apiKeys.bybit[0]!);
    option = liquidOption(sim.world.exchanges.bybit).spec.name;
    perp = perpetual(sim.world.exchanges.bybit).spec.name;
    socket = await BybitSocket.connect(sim.urls.bybitPrivateWs);
    assert.equal(
      (await socket.request(authOp(sim.apiKeys.bybit[0]!, Date.now() + 10_000)))['success'],
      true,
    );
    await socket.request({ op: 'subscribe', req_id: 's', args: ['execution'] });
    await take(option, 'option', 'Buy', '0.1');
    await take(perp, 'linear', 'Buy', '0.01');
    await take(option, 'option', 'Buy', '0.2');
    await take(option, 'option', 'Sell', '0.1');
    await take(perp, 'linear', 'Sell', '0.01');
    await socket.sync();
  });
  after(async () => {
    await socket.close();
    await sim.close();
  });

  it('lists each category newest first, each row the execution topic row for that fill', async () => {
    const options = await list('category=option');
    assert.equal(options['category'], 'option');
    assert.equal(options['nextPageCursor'], '');
    const optionRows = options['list'] as Json[];
    const streamedOptions = streamed().filter((r) => r['category'] === 'option');
    assert.ok(streamedOptions.length >= 3);
    assert.deepEqual(optionRows, streamedOptions.map(asListRow).reverse());
    assert.ok(optionRows.every((r) => r['execType'] === 'Trade' && r['tradeIv'] !== ''));

    const linear = await rows('category=linear');
    assert.deepEqual(
      linear,
      streamed()
        .filter((r) => r['category'] === 'linear')
        .map(asListRow)
        .reverse(),
    );
    assert.ok(linear.every((r) => r['symbol'] === perp));
  });

  it('narrows by symbol, orderId and orderLinkId', async () => {
    assert.deepEqual(
      execIds(await rows(`category=linear&symbol=${perp}`)),
      execIds(await rows('category=linear')),
    );
    assert.deepEqual(await rows(`category=option&symbol=${perp}`), []);
    const third = placed[2]!;
    const byOrder = await rows(`category=option&orderId=${third.orderId}`);
    assert.ok(byOrder.length > 0);
    assert.ok(byOrder.every((r) => r['orderId'] === third.orderId));
    assert.deepEqual(
      execIds(byOrder),
      execIds(streamed().filter((r) => r['orderId'] === third.orderId)).reverse(),
    );
    assert.deepEqual(
      execIds(await rows(`category=option&orderLinkId=${third.linkId}`)),
      execIds(byOrder),
    );
  });

  it('pages by cursor, and a fill between two page reads neither repeats nor shifts a row', async () => {
    const whole = execIds(await rows('category=option'));
    assert.ok(whole.length >= 3);
    const first = await list('category=option&limit=2');
    assert.deepEqual(execIds(first['list'] as Json[]), whole.slice(0, 2));
    const cursor = String(first['nextPageCursor']);
    assert.notEqual(cursor, '');
    await take(option, 'option', 'Buy', '0.1');
    const collected = execIds(first['list'] as Json[]);
    let next = cursor;
    while (next !== '') {
      const page = await list(`category=option&limit=2&cursor=${encodeURIComponent(next)}`);
      collected.push(...execIds(page['list'] as Json[]));
      next = String(page['nextPageCursor']);
    }
    assert.deepEqual(collected, whole);
    const fresh = execIds(await rows('category=option'));
    assert.equal(fresh.length > whole.length, true, 'the new fill heads the next read');
    assert.deepEqual(fresh.slice(fresh.length - whole.length), whole);
  });

  it('reads a time window of at most 7 days, the last 7 days by default', async () => {
    const [, second] = placed;
    const all = await rows('category=option');
    const since = await rows(`category=option&startTime=${second!.ts}`);
    assert.deepEqual(
      execIds(since),
      execIds(all.filter((r) => Number(r['execTime']) >= second!.ts)),
    );
    const until = await rows(`category=option&endTime=${second!.ts}`);
    assert.deepEqual(
      execIds(until),
      execIds(all.filter((r) => Number(r['execTime']) <= second!.ts)),
    );
    const wide = await rest.signedGet(
      '/v5/execution/list',
      `category=option&startTime=${second!.ts}&endTime=${second!.ts + 7 * DAY_MS + 1}`,
    );
    assert.equal(wide.retCode, 10001);

    sim.advance(8 * DAY_MS);
    assert.deepEqual(await rows('category=option'), [], 'older than the default 7 days');
    const kept = await rows(`category=option&startTime=${placed[0]!.ts}`);
    assert.deepEqual(
      execIds(kept),
      execIds(all.filter((r) => Number(r['execTime']) >= placed[0]!.ts)),
    );
  });

  it('refuses what the venue refuses', async () => {
    for (const query of [
      'symbol=BTCUSDT',
      'category=spot',
      'category=option&limit=101',
      'category=option&limit=0',
    ]) {
      const reply = await rest.signedGet('/v5/execution/list', query);
      assert.equal(reply.retCode, 10001, query);
    }
  });
});
