// Stock ccxt against the sim's Bybit beyond the main calls: order entry over the /v5/trade
// socket (createOrderWs, editOrderWs, cancelOrderWs), position settings (setLeverage,
// setPositionMode, setMarginMode), the batch order routes and the calls a paper account
// answers with nothing. Only URLs and keys differ from how ccxt talks to the venue; each
// answer is checked against the sim's exchange.
//
// ccxt notes: `ccxt.pro.bybit#createOrder` is REST (the pro class overrides only the *Ws
// methods); ws:// URLs need `loadHttpProxyAgent()` first (see ccxt-bybit-pro.test.ts);
// `editOrders` is typed without the `id` its items must carry (see below).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ccxt, { type Order, type bybit as BybitRest } from 'ccxt';
import type { SimExchange } from '../../src/sim/contract.js';
import { startSim, type RunningSim } from '../../src/sim/server.js';
import { proClient, restClient } from './support/ccxt-sim.js';

type BybitPro = InstanceType<typeof ccxt.pro.bybit>;

const PERP = 'BTC/USDT:USDT';
const PERP_ID = 'BTCUSDT';
const ACCOUNT = 'paper';

function near(actual: number | undefined, expected: number, tolerance = 1e-6): void {
  assert.ok(actual !== undefined, `expected ${expected}, got undefined`);
  assert.ok(
    Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `${actual} is not ${expected}`,
  );
}

/** What two orders placed alike must share, whichever path placed them. */
function comparable(order: Order): unknown {
  return {
    symbol: order.symbol,
    type: order.type,
    side: order.side,
    price: order.price,
    amount: order.amount,
    filled: order.filled,
    remaining: order.remaining,
    status: order.status,
    timeInForce: order.timeInForce,
    postOnly: order.postOnly,
    reduceOnly: order.reduceOnly,
  };
}

describe('ccxt.bybit: trade socket, position settings, batches, paper-account calls', () => {
  let sim: RunningSim;
  let exchange: SimExchange;
  let rest: BybitRest;
  let pro: BybitPro;

  /** A buy limit well under the book: it rests. */
  function restingBid(ticks = 200): number {
    const tick = exchange.instrument(PERP_ID)!.spec.tickSize;
    const bid = exchange.book(PERP_ID, 1)!.bids[0]![0];
    return Math.round((bid - ticks * tick) / tick) * tick;
  }

  before(async () => {
    sim = await startSim({ seed: 23, manualClock: true });
    exchange = sim.world.exchanges.bybit;
    rest = restClient('bybit', sim) as BybitRest;
    pro = proClient('bybit', sim) as BybitPro;
    await pro.loadHttpProxyAgent();
    await rest.loadMarkets();
    pro.setMarkets(rest.markets);
  });

  after(async () => {
    await pro.close();
    await sim.close();
  });

  it('createOrderWs: the order rests in fetchOpenOrders exactly as a REST one does', async () => {
    const price = restingBid();
    const viaWs = await pro.createOrderWs(PERP, 'limit', 'buy', 0.01, price, {
      clientOrderId: 'ws-one',
    });
    const viaRest = await rest.createOrder(PERP, 'limit', 'buy', 0.01, price, {
      clientOrderId: 'rest-one',
    });
    assert.equal(exchange.order(ACCOUNT, viaWs.id!)?.label, 'ws-one');
    const open = await rest.fetchOpenOrders(PERP);
    const ws = open.find((o) => o.id === viaWs.id);
    const restOrder = open.find((o) => o.id === viaRest.id);
    assert.ok(ws !== undefined && restOrder !== undefined);
    assert.equal(ws.clientOrderId, 'ws-one');
    assert.deepEqual(comparable(ws), comparable(restOrder));
    near(ws.price, price);
  });

  it('editOrderWs and cancelOrderWs change and close the order on the exchange', async () => {
    const price = restingBid();
    const placed = await pro.createOrderWs(PERP, 'limit', 'buy', 0.01, price);
    const newPrice = restingBid(300);
    const edited = await pro.editOrderWs(placed.id!, PERP, 'limit', 'buy', 0.02, newPrice);
    assert.equal(edited.id, placed.id);
    const amended = exchange.order(ACCOUNT, placed.id!)!;
    near(amended.price!, newPrice);
    near(amended.amount, 0.02);
    const cancelled = await pro.cancelOrderWs(placed.id!, PERP);
    assert.equal(cancelled.id, placed.id);
    assert.equal(exchange.order(ACCOUNT, placed.id!)!.state, 'cancelled');
  });

  it('the trade socket refuses what REST refuses, with the same codes', async () => {
    // A duplicate orderLinkId (110072), whichever path used it first.
    await assert.rejects(
      pro.createOrderWs(PERP, 'limit', 'buy', 0.01, restingBid(), { clientOrderId: 'rest-one' }),
      (error: unknown) => error instanceof ccxt.InvalidOrder && /110072/.test(String(error)),
    );
    // More than the account can margin (110007), and an order that does not exist (110001).
    await assert.rejects(
      pro.createOrderWs(PERP, 'limit', 'buy', 1000, restingBid()),
      (error: unknown) => error instanceof ccxt.InsufficientFunds && /110007/.test(String(error)),
    );
    await assert.rejects(
      pro.cancelOrderWs('00000000-0000-4000-8000-000000000000', PERP),
      (error: unknown) => /110001/.test(String(error)),
    );
  });

  it('setLeverage 5: the position posts notional / 5 as initial margin', async () => {
    const before = await rest.fetchLeverage(PERP);
    assert.equal(before.longLeverage, 10);
    await rest.setLeverage(5, PERP);
    assert.equal(exchange.leverage(ACCOUNT, PERP_ID), 5);
    await rest.createOrder(PERP, 'market', 'buy', 0.05);
    const [position] = await rest.fetchPositions([PERP]);
    assert.ok(position !== undefined);
    assert.equal(position.leverage, 5);
    near(position.contracts, 0.05);
    const held = exchange.positions(ACCOUNT, { instrument: PERP_ID })[0]!;
    near(position.initialMargin, (0.05 * held.markPrice) / 5, 1e-4);
    near(position.initialMargin, held.initialMargin, 1e-6);
    const leverage = await rest.fetchLeverage(PERP);
    assert.equal(leverage.longLeverage, 5);
    assert.equal(leverage.shortLeverage, 5);
  });

  it('setLeverage refuses an unchanged value (110043) and one outside 1–100 (10001)', async () => {
    await assert.rejects(
      rest.setLeverage(5, PERP),
      (error: unknown) => error instanceof ccxt.BadRequest && /110043/.test(String(error)),
    );
    await assert.rejects(
      rest.setLeverage(150, PERP),
      (error: unknown) => error instanceof ccxt.BadRequest && /10001/.test(String(error)),
    );
    assert.equal(exchange.leverage(ACCOUNT, PERP_ID), 5);
  });

  it('setPositionMode and setMarginMode: one-way and regular margin only', async () => {
    await assert.rejects(rest.setPositionMode(false, PERP), ccxt.NoChange);
    await assert.rejects(rest.setPositionMode(true, PERP), ccxt.BadRequest);
    const cross = (await rest.setMarginMode('cross', PERP)) as { result: { reasons: unknown[] } };
    assert.deepEqual(cross.result.reasons, []);
    await assert.rejects(rest.setMarginMode('isolated', PERP), (error: unknown) =>
      /3400045/.test(String(error)),
    );
    const mode = await rest.fetchMarginMode(PERP);
    assert.equal(mode.marginMode, 'cross');
  });

  it('createOrders, editOrders, cancelOrders: the batch routes, checked on the exchange', async () => {
    const price = restingBid();
    const created = await rest.createOrders([
      { symbol: PERP, type: 'limit', side: 'buy', amount: 0.01, price },
      { symbol: PERP, type: 'limit', side: 'buy', amount: 0.02, price },
    ]);
    assert.equal(created.length, 2);
    const ids = created.map((o) => o.id!);
    assert.deepEqual(
      ids.map((id) => exchange.order(ACCOUNT, id)?.amount),
      [0.01, 0.02],
    );
    // ccxt types editOrders' items as OrderRequest, which has no `id`; bybit.editOrders reads
    // each item's `id` all the same (a ccxt typing bug): passed through a variable, the literal
    // escapes the excess-property check.
    const edits = [{ id: ids[0]!, symbol: PERP, type: 'limit', side: 'buy', amount: 0.03, price }];
    await rest.editOrders(edits);
    near(exchange.order(ACCOUNT, ids[0]!)!.amount, 0.03);
    const cancelled = await rest.cancelOrders(ids, PERP);
    assert.deepEqual(cancelled.map((o) => o.id).sort(), [...ids].sort());
    assert.ok(ids.every((id) => exchange.order(ACCOUNT, id)!.state === 'cancelled'));
  });

  it('fetchOpenInterest and fetchStatus', async () => {
    const interest = await rest.fetchOpenInterest(PERP);
    near(interest.openInterestAmount, exchange.ticker(PERP_ID)!.openInterest);
    const status = await rest.fetchStatus();
    assert.equal(status.status, 'ok');
  });

  it('a paper account: no deposits, withdrawals or transfers; withdraw refused', async () => {
    assert.deepEqual(await rest.fetchDeposits(), []);
    assert.deepEqual(await rest.fetchWithdrawals(), []);
    assert.deepEqual(await rest.fetchTransfers(), []);
    await assert.rejects(
      rest.withdraw('USDT', 10, '0x0000000000000000000000000000000000000001'),
      (error: unknown) => error instanceof ccxt.PermissionDenied,
    );
  });
});
