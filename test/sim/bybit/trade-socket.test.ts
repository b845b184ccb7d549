// The sim's Bybit order-entry socket (/v5/trade) frame by frame, the batch order routes, the
// paper account's asset routes and the linear ticker's index format: what ccxt does not pin.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSim } from '../../../src/sim/server.js';
import { BybitRest, BybitSocket, sign, type Json } from './support/bybit-client.js';
import { keysOf } from './support/fixture-shapes.js';
import { perpetual, startBybitSim } from './support/sim.js';

/** The trade socket echoes `reqId` (camel case, unlike the other sockets' req_id). */
async function ask(socket: BybitSocket, message: Json): Promise<Json> {
  const from = socket.frames.length;
  socket.send(message);
  return socket.next((frame) => frame['reqId'] === message['reqId'], from);
}

describe('bybit trade socket, batches and paper-account routes', () => {
  let sim: RunningSim;
  let rest: BybitRest;
  let perp: string;
  let bid: string;

  const header = (): Json => ({
    'X-BAPI-TIMESTAMP': String(Date.now()),
    'X-BAPI-RECV-WINDOW': '5000',
  });

  before(async () => {
    sim = await startBybitSim();
    rest = new BybitRest(sim.urls.bybitRest, sim.apiKeys.bybit[0]!);
    const instrument = perpetual(sim.world.exchanges.bybit);
    perp = instrument.spec.name;
    const best = sim.world.exchanges.bybit.book(perp, 1)!.bids[0]![0];
    bid = (Math.round(best * 0.9 * 10) / 10).toFixed(1);
  });
  after(() => sim.close());

  it('auth, then order.create / amend / cancel answered in the guideline envelope', async () => {
    const socket = await BybitSocket.connect(sim.urls.bybitTradeWs);
    const refused = await ask(socket, {
      reqId: 'early',
      op: 'order.create',
      header: header(),
      args: [
        {
          category: 'linear',
          symbol: perp,
          side: 'Buy',
          orderType: 'Limit',
          qty: '0.01',
          price: bid,
        },
      ],
    });
    assert.notEqual(refused['retCode'], 0);
    const { key, secret } = sim.apiKeys.bybit[0]!;
    const expires = Date.now() + 10_000;
    const auth = await ask(socket, {
      reqId: 'a1',
      op: 'auth',
      args: [key, expires, sign(secret, `GET/realtime${expires}`)],
    });
    assert.deepEqual(keysOf(auth), ['connId', 'op', 'reqId', 'retCode', 'retMsg']);
    assert.equal(auth['retCode'], 0);
    assert.equal(auth['retMsg'], 'OK');
    const created = await ask(socket, {
      reqId: 'c1',
      op: 'order.create',
      header: header(),
      args: [
        {
          category: 'linear',
          symbol: perp,
          side: 'Buy',
          orderType: 'Limit',
          qty: '0.01',
          price: bid,
          orderLinkId: 'trade-ws-1',
        },
      ],
    });
    assert.deepEqual(keysOf(created), [
      'connId',
      'data',
      'header',
      'op',
      'reqId',
      'retCode',
      'retExtInfo',
      'retMsg',
    ]);
    assert.equal(created['op'], 'order.create');
    assert.equal(created['retCode'], 0);
    assert.deepEqual(keysOf(created['header']), [
      'Timenow',
      'Traceid',
      'X-Bapi-Limit',
      'X-Bapi-Limit-Reset-Timestamp',
      'X-Bapi-Limit-Status',
    ]);
    const data = created['data'] as { orderId: string; orderLinkId: string };
    assert.equal(data.orderLinkId, 'trade-ws-1');
    assert.equal(sim.world.exchanges.bybit.order('paper', data.orderId)?.state, 'open');
    // The same reqId again is refused (20006) before anything is placed.
    const again = await ask(socket, {
      reqId: 'c1',
      op: 'order.create',
      header: header(),
      args: [{}],
    });
    assert.equal(again['retCode'], 20006);
    // The same orderLinkId on REST is refused as a duplicate, like a second socket order.
    const duplicate = await rest.signedPost('/v5/order/create', {
      category: 'linear',
      symbol: perp,
      side: 'Buy',
      orderType: 'Limit',
      qty: '0.01',
      price: bid,
      orderLinkId: 'trade-ws-1',
    });
    assert.equal(duplicate.retCode, 110072);
    const amended = await ask(socket, {
      reqId: 'm1',
      op: 'order.amend',
      header: header(),
      args: [{ category: 'linear', symbol: perp, orderId: data.orderId, qty: '0.02' }],
    });
    assert.equal(amended['retCode'], 0);
    assert.equal(sim.world.exchanges.bybit.order('paper', data.orderId)?.amount, 0.02);
    const stale = await ask(socket, {
      reqId: 's1',
      op: 'order.cancel',
      header: { 'X-BAPI-TIMESTAMP': String(Date.now() - 60_000) },
      args: [{ category: 'linear', symbol: perp, orderId: data.orderId }],
    });
    assert.equal(stale['retCode'], 10002);
    assert.deepEqual(stale['data'], {});
    const cancelled = await ask(socket, {
      reqId: 'x1',
      op: 'order.cancel',
      header: header(),
      args: [{ category: 'linear', symbol: perp, orderId: data.orderId }],
    });
    assert.equal(cancelled['retCode'], 0);
    assert.equal(sim.world.exchanges.bybit.order('paper', data.orderId)?.state, 'cancelled');
    const unknown = await ask(socket, {
      reqId: 'u1',
      op: 'order.teleport',
      header: header(),
      args: [],
    });
    assert.equal(unknown['retCode'], 10404);
    await socket.close();
  });

  it('create-batch: one result row and one retExtInfo code per item, failures in place', async () => {
    const reply = await rest.signedPost('/v5/order/create-batch', {
      category: 'linear',
      request: [
        { symbol: perp, side: 'Buy', orderType: 'Limit', qty: '0.01', price: bid },
        { symbol: perp, side: 'Buy', orderType: 'Limit', qty: '100000', price: bid },
      ],
    });
    assert.equal(reply.retCode, 0);
    const list = reply.result['list'] as Json[];
    const codes = (reply.retExtInfo as { list: { code: number; msg: string }[] }).list;
    assert.equal(list.length, 2);
    assert.deepEqual(keysOf(list[0]), ['category', 'createAt', 'orderId', 'orderLinkId', 'symbol']);
    assert.equal(codes[0]!.code, 0);
    assert.equal(codes[1]!.code, 110007);
    assert.equal(list[1]!['orderId'], '');
    const cancel = await rest.signedPost('/v5/order/cancel-batch', {
      category: 'linear',
      request: [{ symbol: perp, orderId: list[0]!['orderId'] }],
    });
    assert.equal((cancel.retExtInfo as { list: { code: number }[] }).list[0]!.code, 0);
    assert.equal(
      sim.world.exchanges.bybit.order('paper', String(list[0]!['orderId']))?.state,
      'cancelled',
    );
  });

  it('a paper account has no deposits and may not withdraw (10005)', async () => {
    const deposits = await rest.signedGet('/v5/asset/deposit/query-record', 'coin=USDT');
    assert.equal(deposits.retCode, 0);
    assert.deepEqual(deposits.result, { rows: [], nextPageCursor: '' });
    const withdraw = await rest.signedPost('/v5/asset/withdraw/create', {
      coin: 'USDT',
      amount: '1',
    });
    assert.equal(withdraw.retCode, 10005);
  });

  it('the linear ticker prints its index at two decimals, zeros kept', async () => {
    const reply = await rest.get('/v5/market/tickers', `category=linear&symbol=${perp}`);
    const row = (reply.result['list'] as Json[])[0]!;
    assert.match(String(row['indexPrice']), /^\d+\.\d{2}$/);
    const index = sim.world.exchanges.bybit.ticker(perp)!.indexPrice;
    assert.equal(row['indexPrice'], index.toFixed(2));
  });
});
