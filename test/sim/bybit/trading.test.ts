// Order entry over signed REST, and what the private socket says about it: IV-priced orders,
// orderLinkId rules, amend/cancel/cancel-all, fills against the book and by the market
// crossing a resting order, reduce-only and post-only outcomes, positions and the wallet.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { black76Price, yearFraction } from '../../../src/pricing/index.js';
import type { OptionSpec } from '../../../src/instruments/types.js';
import type { RunningSim } from '../../../src/sim/server.js';
import {
  BybitRest,
  BybitSocket,
  authOp,
  type Json,
  type RestReply,
} from './support/bybit-client.js';
import { liquidOption, perpetual, startBybitSim } from './support/sim.js';

describe('bybit order entry', () => {
  let sim: RunningSim;
  let rest: BybitRest;
  let option: OptionSpec;
  let perp: string;
  let linkSerial = 0;
  const link = (): string => `t-${++linkSerial}`;

  const create = (body: Json): Promise<RestReply> => rest.signedPost('/v5/order/create', body);
  const order = async (category: string, orderId: string): Promise<Json> => {
    const reply = await rest.signedGet(
      '/v5/order/realtime',
      `category=${category}&orderId=${orderId}`,
    );
    assert.equal(reply.retCode, 0, reply.retMsg);
    const row = (reply.result['list'] as Json[])[0];
    assert.ok(row !== undefined, `order ${orderId} not listed`);
    return row;
  };

  before(async () => {
    sim = await startBybitSim();
    rest = new BybitRest(sim.urls.bybitRest, sim.apiKeys.bybit[0]!);
    option = liquidOption(sim.world.exchanges.bybit).spec as OptionSpec;
    perp = perpetual(sim.world.exchanges.bybit).spec.name;
  });
  after(() => sim.close());

  it('prices an orderIv order at the price that IV implies on the forward', async () => {
    const exchange = sim.world.exchanges.bybit;
    const ticker = exchange.ticker(option.name)!;
    const iv = Math.round((ticker.markIv! - 0.1) * 10_000) / 10_000;
    const placed = await create({
      category: 'option',
      symbol: option.name,
      side: 'Buy',
      orderType: 'Limit',
      qty: '0.1',
      orderIv: String(iv),
      price: '5',
      orderLinkId: link(),
    });
    assert.equal(placed.retCode, 0, placed.retMsg);
    assert.deepEqual(Object.keys(placed.result).sort(), ['orderId', 'orderLinkId']);
    const years = yearFraction(exchange.now(), option.expiry);
    const fair = black76Price(ticker.underlyingPrice!, option.strike, years, iv, option.type);
    const expected = Math.floor(fair / option.tickSize + 1e-9) * option.tickSize;
    const row = await order('option', String(placed.result['orderId']));
    assert.equal(Number(row['price']), expected);
    assert.equal(Number(row['orderIv']), iv);
    assert.equal(row['orderStatus'], 'New');
    assert.equal(row['orderLinkId'], placed.result['orderLinkId']);
  });

  it('requires a unique orderLinkId on options and never books a duplicate', async () => {
    const bid = sim.world.exchanges.bybit.ticker(option.name)!.bestBidPrice!;
    const body = {
      category: 'option',
      symbol: option.name,
      side: 'Buy',
      orderType: 'Limit',
      qty: '0.1',
      price: String(bid - 10 * option.tickSize),
    };
    const missing = await create(body);
    assert.equal(missing.retCode, 10001);
    const linkId = link();
    const first = await create({ ...body, orderLinkId: linkId });
    assert.equal(first.retCode, 0, first.retMsg);
    const openBefore = sim.world.exchanges.bybit.openOrders('paper').length;
    const duplicate = await create({ ...body, orderLinkId: linkId });
    assert.equal(duplicate.retCode, 110072);
    assert.equal(sim.world.exchanges.bybit.openOrders('paper').length, openBefore);
    const tooLong = await create({ ...body, orderLinkId: 'x'.repeat(37) });
    assert.equal(tooLong.retCode, 10001);
    const offTick = await create({
      ...body,
      orderLinkId: link(),
      price: String(bid - option.tickSize / 2),
    });
    assert.equal(offTick.retCode, 10001);
  });

  it('amends, cancels by orderLinkId and cancels all, reporting each in order/realtime', async () => {
    const bid = sim.world.exchanges.bybit.ticker(option.name)!.bestBidPrice!;
    const ids: string[] = [];
    const linkIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const linkId = link();
      const placed = await create({
        category: 'option',
        symbol: option.name,
        side: 'Buy',
        orderType: 'Limit',
        qty: '0.2',
        price: String(bid - (20 + i) * option.tickSize),
        orderLinkId: linkId,
      });
      assert.equal(placed.retCode, 0, placed.retMsg);
      ids.push(String(placed.result['orderId']));
      linkIds.push(linkId);
    }
    const newPrice = bid - 30 * option.tickSize;
    const amended = await rest.signedPost('/v5/order/amend', {
      category: 'option',
      symbol: option.name,
      orderId: ids[0],
      price: String(newPrice),
      qty: '0.3',
    });
    assert.equal(amended.retCode, 0, amended.retMsg);
    const row = await order('option', ids[0]!);
    assert.equal(Number(row['price']), newPrice);
    assert.equal(row['qty'], '0.3');

    const cancelled = await rest.signedPost('/v5/order/cancel', {
      category: 'option',
      symbol: option.name,
      orderLinkId: linkIds[1],
    });
    assert.equal(cancelled.retCode, 0, cancelled.retMsg);
    assert.equal(cancelled.result['orderId'], ids[1]);
    assert.equal((await order('option', ids[1]!))['orderStatus'], 'Cancelled');
    const again = await rest.signedPost('/v5/order/cancel', {
      category: 'option',
      symbol: option.name,
      orderId: ids[1],
    });
    assert.equal(again.retCode, 110001);
    const unknown = await rest.signedPost('/v5/order/cancel', {
      category: 'option',
      symbol: option.name,
      orderId: 'no-such-order',
    });
    assert.equal(unknown.retCode, 110001);

    const all = await rest.signedPost('/v5/order/cancel-all', {
      category: 'option',
      symbol: option.name,
    });
    assert.equal(all.retCode, 0, all.retMsg);
    assert.equal(all.result['success'], '1');
    const listed = (all.result['list'] as Json[]).map((r) => r['orderId']);
    assert.ok(listed.includes(ids[0]) && listed.includes(ids[2]) && !listed.includes(ids[1]));
    const open = await rest.signedGet(
      '/v5/order/realtime',
      `category=option&symbol=${option.name}`,
    );
    assert.deepEqual(open.result['list'], []);
    const closed = await rest.signedGet(
      '/v5/order/realtime',
      `category=option&symbol=${option.name}&openOnly=1`,
    );
    const closedIds = (closed.result['list'] as Json[]).map((r) => r['orderId']);
    for (const id of ids) assert.ok(closedIds.includes(id), id);
  });

  it('fills a marketable buy at the book, opens a position and reports order, execution, position and wallet', async () => {
    const client = await BybitSocket.connect(sim.urls.bybitPrivateWs);
    assert.equal(
      (await client.request(authOp(sim.apiKeys.bybit[0]!, Date.now() + 10_000)))['success'],
      true,
    );
    await client.request({
      op: 'subscribe',
      req_id: 's',
      args: ['order', 'execution', 'position', 'wallet', 'order.linear'],
    });
    const ask = sim.world.exchanges.bybit.ticker(option.name)!.bestAskPrice!;
    const linkId = link();
    const placed = await create({
      category: 'option',
      symbol: option.name,
      side: 'Buy',
      orderType: 'Limit',
      qty: '0.1',
      price: String(ask),
      timeInForce: 'IOC',
      orderLinkId: linkId,
    });
    assert.equal(placed.retCode, 0, placed.retMsg);
    const row = await order('option', String(placed.result['orderId']));
    assert.equal(row['orderStatus'], 'Filled');
    assert.equal(Number(row['avgPrice']), ask);
    assert.equal(row['cumExecQty'], '0.1');

    const positions = await rest.signedGet('/v5/position/list', `category=option&baseCoin=BTC`);
    const position = (positions.result['list'] as Json[]).find((p) => p['symbol'] === option.name);
    assert.ok(position !== undefined);
    assert.equal(position['side'], 'Buy');
    assert.equal(position['size'], '0.1');
    assert.equal(Number(position['avgPrice']), ask);

    const orderFrame = await client.next(
      (f) =>
        f['topic'] === 'order' &&
        (f['data'] as Json[]).some(
          (r) => r['orderLinkId'] === linkId && r['orderStatus'] === 'Filled',
        ),
    );
    assert.deepEqual(Object.keys(orderFrame).sort(), ['creationTime', 'data', 'id', 'topic']);
    const orderRow = (orderFrame['data'] as Json[])[0]!;
    assert.equal(orderRow['category'], 'option');
    assert.equal(orderRow['symbol'], option.name);
    const execution = await client.next((f) => f['topic'] === 'execution');
    const exec = (execution['data'] as Json[])[0]!;
    assert.equal(exec['orderLinkId'], linkId);
    assert.equal(Number(exec['execPrice']), ask);
    assert.equal(exec['execQty'], '0.1');
    assert.equal(exec['isMaker'], false);
    for (const key of ['execId', 'execFee', 'execTime', 'markIv', 'underlyingPrice']) {
      assert.equal(typeof exec[key], 'string', key);
    }
    const positionFrame = await client.next((f) => f['topic'] === 'position');
    const pos = (positionFrame['data'] as Json[])[0]!;
    assert.equal(pos['symbol'], option.name);
    assert.equal(pos['size'], '0.1');
    assert.equal(pos['side'], 'Buy');
    const wallet = await client.next((f) => f['topic'] === 'wallet');
    const account = (wallet['data'] as Json[])[0]!;
    assert.equal(account['accountType'], 'UNIFIED');
    assert.equal((account['coin'] as Json[])[0]!['coin'], 'USDT');
    assert.ok(Number(account['totalEquity']) > 0);
    // order.linear saw nothing: this was an option.
    assert.equal(client.topicFrames('order.linear').length, 0);

    const increase = await create({
      category: 'option',
      symbol: option.name,
      side: 'Buy',
      orderType: 'Limit',
      qty: '0.1',
      price: String(ask),
      reduceOnly: true,
      orderLinkId: link(),
    });
    assert.equal(increase.retCode, 110017);
    await client.close();
  });

  it('rejects a reduce-only order with no position to reduce', async () => {
    const refused = await create({
      category: 'linear',
      symbol: perp,
      side: 'Sell',
      orderType: 'Market',
      qty: '0.01',
      reduceOnly: true,
    });
    assert.equal(refused.retCode, 110017);
  });

  it('creates and at once cancels a PostOnly order that would take', async () => {
    const ask = sim.world.exchanges.bybit.ticker(perp)!.bestAskPrice!;
    const placed = await create({
      category: 'linear',
      symbol: perp,
      side: 'Buy',
      orderType: 'Limit',
      qty: '0.01',
      price: String(ask),
      timeInForce: 'PostOnly',
      orderLinkId: link(),
    });
    assert.equal(placed.retCode, 0, placed.retMsg);
    const row = await order('linear', String(placed.result['orderId']));
    assert.equal(row['orderStatus'], 'Cancelled');
    assert.equal(row['rejectReason'], 'EC_PostOnlyWillTakeLiquidity');
    assert.equal(row['timeInForce'], 'PostOnly');
    assert.equal(row['cumExecQty'], '0');
  });

  it('fills a resting order when the market crosses it', async () => {
    const exchange = sim.world.exchanges.bybit;
    const spec = exchange.instrument(perp)!.spec;
    const ticker = exchange.ticker(perp)!;
    const inside = ticker.bestBidPrice! + spec.tickSize;
    const price = inside < ticker.bestAskPrice! ? inside : ticker.bestBidPrice!;
    const placed = await create({
      category: 'linear',
      symbol: perp,
      side: 'Buy',
      orderType: 'Limit',
      qty: '0.01',
      price: price.toFixed(1),
      orderLinkId: link(),
    });
    assert.equal(placed.retCode, 0, placed.retMsg);
    const orderId = String(placed.result['orderId']);
    assert.equal((await order('linear', orderId))['orderStatus'], 'New');
    let status = 'New';
    for (let step = 0; step < 600 && status !== 'Filled'; step++) {
      sim.advance(5_000);
      status = exchange.order('paper', orderId)!.state === 'filled' ? 'Filled' : status;
    }
    const row = await order('linear', orderId);
    assert.equal(row['orderStatus'], 'Filled');
    assert.equal(Number(row['avgPrice']), Number(price.toFixed(1)));
    const positions = await rest.signedGet('/v5/position/list', `category=linear&symbol=${perp}`);
    const position = (positions.result['list'] as Json[])[0]!;
    assert.equal(position['symbol'], perp);
    assert.equal(position['side'], 'Buy');
  });

  it('answers an order the account cannot afford with 110007', async () => {
    const ask = sim.world.exchanges.bybit.ticker(option.name)!.bestAskPrice!;
    const huge = await create({
      category: 'option',
      symbol: option.name,
      side: 'Buy',
      orderType: 'Limit',
      qty: '400',
      price: String(ask * 10),
      orderLinkId: link(),
    });
    assert.equal(huge.retCode, 110007, huge.retMsg);
  });
});
