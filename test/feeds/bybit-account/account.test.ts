// The private socket's order, execution, position and wallet topics mapped by
// bybitAccountEventsFromMessage (a bare ws client logged in with bybitWsAuthFrame), and
// loadBybitAccountSnapshot over REST, both compared with the sim exchange's own state.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type {
  AccountEvent,
  BalanceEvent,
  FillEvent,
  OrderEvent,
  PositionEvent,
} from '../../../src/book/events.js';
import { bybitAccountEventsFromMessage } from '../../../src/feeds/bybit/account.js';
import { loadBybitAccountSnapshot } from '../../../src/feeds/bybit/account-snapshot.js';
import { BybitOrderApi } from '../../../src/feeds/bybit/orders.js';
import { BybitRestClient } from '../../../src/feeds/bybit/rest.js';
import { WireFormatError } from '../../../src/feeds/wire-fields.js';
import type { OptionSpec } from '../../../src/instruments/types.js';
import type { SimExchange } from '../../../src/sim/contract.js';
import { startSim, type RunningSim } from '../../../src/sim/server.js';
import { liquidOption } from '../../sim/bybit/support/sim.js';
import { PrivateSocket } from './support/private-socket.js';

const START = Date.UTC(2026, 10, 20, 7, 0);
const PERP = 'BTCUSDT';

const isOrder =
  (label: string, status: OrderEvent['status']) =>
  (e: AccountEvent): e is OrderEvent =>
    e.kind === 'order' && e.label === label && e.status === status;
const isFill =
  (label: string) =>
  (e: AccountEvent): e is FillEvent =>
    e.kind === 'fill' && e.label === label;
const isPosition =
  (instrument: string, size: number) =>
  (e: AccountEvent): e is PositionEvent =>
    e.kind === 'position' && e.instrument === instrument && e.size === size;
const isBalance = (e: AccountEvent): e is BalanceEvent => e.kind === 'balance';

/** The sim prints amounts with 8 decimals. */
function near(actual: number | null, expected: number, what: string): void {
  assert.ok(actual !== null, `${what} is null`);
  assert.ok(
    Math.abs(actual - expected) <= 1e-6 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} vs ${expected}`,
  );
}

describe('bybit private socket mapped against the sim', () => {
  let sim: RunningSim;
  let exchange: SimExchange;
  let account: string;
  let rest: BybitRestClient;
  let api: BybitOrderApi;
  let socket: PrivateSocket;
  let option: OptionSpec;

  before(async () => {
    sim = await startSim({ seed: 7, manualClock: true, start: START, currencies: ['BTC'] });
    exchange = sim.world.exchanges.bybit;
    const key = sim.apiKeys.bybit[0]!;
    account = key.accountId;
    rest = new BybitRestClient({
      baseUrl: sim.urls.bybitRest,
      credentials: { apiKey: key.key, apiSecret: key.secret },
    });
    api = new BybitOrderApi(rest);
    option = liquidOption(exchange).spec as OptionSpec;
    socket = await PrivateSocket.connect(sim.urls.bybitPrivateWs);
    const auth = await socket.login(key.key, key.secret, [
      'order',
      'execution',
      'position',
      'wallet',
    ]);
    assert.equal(auth['success'], true);
  });
  after(async () => {
    await socket.close();
    await sim.close();
  });

  it('maps a resting order as the exchange holds it', async () => {
    const price = String(exchange.ticker(option.name)!.bestBidPrice! - 10 * option.tickSize);
    const { order: placed } = await api.place({
      instrument: option.name,
      side: 'buy',
      kind: 'limit',
      amount: '0.2',
      price,
      label: 'acct-rest-1',
    });
    const streamed = await socket.nextEvent(isOrder('acct-rest-1', 'open'));
    assert.deepEqual(streamed, placed, 'socket and REST map the same order alike');
    const booked = exchange.order(account, placed.orderId)!;
    assert.equal(streamed.price, booked.price);
    assert.equal(streamed.amount, booked.amount);
    assert.equal(streamed.ts, booked.updatedAt);
    assert.equal(streamed.createdTs, booked.createdAt);
    await api.cancel(placed.orderId);
    const cancelled = await socket.nextEvent(isOrder('acct-rest-1', 'cancelled'));
    assert.equal(cancelled.reason, 'CancelByUser');
  });

  it('streams a marketable order: filled order, its fill, the position and the wallet', async () => {
    const ask = exchange.ticker(option.name)!.bestAskPrice!;
    const from = socket.events.length;
    const { order } = await api.place({
      instrument: option.name,
      side: 'buy',
      kind: 'limit',
      amount: '0.1',
      price: String(ask),
      timeInForce: 'ioc',
      label: 'acct-take-1',
    });
    const filledOrder = await socket.nextEvent(isOrder('acct-take-1', 'filled'));
    const booked = exchange.order(account, order.orderId)!;
    assert.equal(filledOrder.orderId, booked.orderId);
    assert.equal(filledOrder.filled, booked.filledAmount);
    assert.equal(filledOrder.averagePrice, booked.averagePrice);

    const fill = await socket.nextEvent(isFill('acct-take-1'));
    assert.equal(fill.orderId, order.orderId);
    assert.equal(fill.instrument, option.name);
    assert.equal(fill.side, 'buy');
    assert.equal(fill.price, ask);
    assert.equal(fill.size, 0.1);
    assert.equal(fill.liquidity, 'taker');
    assert.equal(fill.feeCurrency, 'USDT');
    near(fill.fee, booked.commission, 'fee');
    assert.ok(fill.iv !== null && fill.iv > 0 && fill.iv < 3, `iv ${fill.iv}`);
    assert.ok(fill.indexPrice !== null && fill.indexPrice > 0);
    assert.ok(fill.tradeId.length > 0);

    const position = await socket.nextEvent(isPosition(option.name, 0.1));
    const held = exchange.positions(account).find((p) => p.instrument === option.name)!;
    assert.equal(position.size, held.size);
    near(position.averagePrice, held.averagePrice, 'average price');
    near(position.markPrice, held.markPrice, 'mark');
    near(position.unrealizedPnl, held.unrealizedPnl, 'upnl');

    // The wallet update after the fill, not one from an earlier order.
    const afterFill = socket.events.indexOf(fill);
    const balance = await socket.nextEvent(isBalance, Math.max(from, afterFill));
    const summary = exchange.summary(account, 'USDT');
    assert.equal(balance.currency, 'USDT');
    near(balance.equity, summary.equity, 'equity');
    near(balance.balance, summary.balance, 'wallet balance');
    near(balance.available, summary.availableFunds, 'available');
    near(balance.initialMargin, summary.initialMargin, 'initial margin');
    near(balance.maintenanceMargin, summary.maintenanceMargin, 'maintenance margin');
  });

  it('signs a short perpetual position negative', async () => {
    await api.place({
      instrument: PERP,
      side: 'sell',
      kind: 'market',
      amount: '0.01',
      label: 'acct-short-1',
    });
    const position = await socket.nextEvent(isPosition(PERP, -0.01));
    const held = exchange.positions(account).find((p) => p.instrument === PERP)!;
    assert.equal(held.size, -0.01);
    near(position.averagePrice, held.averagePrice, 'average price');
    const fill = await socket.nextEvent(isFill('acct-short-1'));
    assert.equal(fill.side, 'sell');
    assert.equal(fill.feeCurrency, 'USDT');
  });

  it('loads a snapshot over REST equal to the exchange state', async () => {
    const bid = exchange.ticker(option.name)!.bestBidPrice!;
    await api.place({
      instrument: option.name,
      side: 'buy',
      kind: 'limit',
      amount: '0.1',
      price: String(bid - 20 * option.tickSize),
      label: 'snap-opt-1',
    });
    await api.place({
      instrument: PERP,
      side: 'buy',
      kind: 'limit',
      amount: '0.002',
      price: (exchange.ticker(PERP)!.bestBidPrice! - 700).toFixed(1),
      label: 'snap-perp-1',
    });
    const snapshot = await loadBybitAccountSnapshot(rest, {
      baseCoins: ['BTC'],
      linearSymbols: [PERP],
      ts: 123,
    });
    assert.equal(snapshot.kind, 'account-snapshot');
    assert.equal(snapshot.venue, 'bybit');
    assert.equal(snapshot.ts, 123);

    const open = exchange.openOrders(account);
    assert.equal(open.length, 2);
    assert.deepEqual(
      snapshot.orders
        .map((o) => [o.orderId, o.label, o.status, o.price, o.amount, o.createdTs])
        .sort(),
      open.map((o) => [o.orderId, o.label, 'open', o.price, o.amount, o.createdAt]).sort(),
    );

    const held = exchange.positions(account).filter((p) => p.size !== 0);
    assert.equal(held.length, 2);
    assert.equal(snapshot.positions.length, held.length);
    for (const position of held) {
      const mapped = snapshot.positions.find((p) => p.instrument === position.instrument);
      assert.ok(mapped !== undefined, position.instrument);
      assert.equal(mapped.size, position.size);
      near(mapped.averagePrice, position.averagePrice, 'average price');
      near(mapped.markPrice, position.markPrice, 'mark');
      near(mapped.realizedPnl, position.realizedPnl, 'realized');
      if (position.kind === 'option') near(mapped.venueDelta, position.delta, 'delta');
    }

    const summary = exchange.summary(account, 'USDT');
    assert.equal(snapshot.balances.length, 1);
    const balance = snapshot.balances[0]!;
    assert.equal(balance.currency, 'USDT');
    assert.equal(balance.ts, 123);
    near(balance.equity, summary.equity, 'equity');
    near(balance.available, summary.availableFunds, 'available');
  });

  it('loads every option and order when no base coin is named', async () => {
    const snapshot = await loadBybitAccountSnapshot(rest, {
      baseCoins: [],
      linearSymbols: [],
      ts: 1,
    });
    const optionsHeld = exchange
      .positions(account)
      .filter((p) => p.size !== 0 && p.kind === 'option');
    assert.deepEqual(
      snapshot.positions.map((p) => p.instrument).sort(),
      optionsHeld.map((p) => p.instrument).sort(),
    );
    assert.deepEqual(
      snapshot.orders.map((o) => o.label),
      ['snap-opt-1'],
    );
  });
});

describe('bybitAccountEventsFromMessage on hand-written frames', () => {
  const orderRow = {
    orderId: 'o-1',
    orderLinkId: 'l-1',
    symbol: 'BTC-27NOV26-90000-C-USDT',
    side: 'Sell',
    orderType: 'Limit',
    orderStatus: 'PartiallyFilledCanceled',
    price: '1200',
    qty: '0.5',
    cumExecQty: '0.2',
    avgPrice: '1210',
    orderIv: '',
    triggerPrice: '',
    timeInForce: 'GTC',
    reduceOnly: false,
    cancelType: 'CancelByUser',
    rejectReason: 'EC_NoError',
    stopOrderType: '',
    updatedTime: '1795158000123',
  };
  const frame = (topic: string, data: unknown) => ({
    id: 'x',
    topic,
    creationTime: 1795158000999,
    data,
  });

  it('ignores what is not a private topic message', () => {
    assert.equal(bybitAccountEventsFromMessage({ op: 'auth', success: true }), null);
    assert.equal(bybitAccountEventsFromMessage({ op: 'pong', args: ['1'] }), null);
    assert.equal(bybitAccountEventsFromMessage(frame('tickers.BTCUSDT', {})), null);
    assert.equal(bybitAccountEventsFromMessage(frame('orderbook.25.BTC-X', {})), null);
    assert.equal(bybitAccountEventsFromMessage('text'), null);
    assert.deepEqual(bybitAccountEventsFromMessage(frame('greeks', [{ baseCoin: 'BTC' }])), []);
  });

  it('maps the order status set, the .option form and a partially filled cancel', () => {
    const [order] = bybitAccountEventsFromMessage(frame('order.option', [orderRow]))!;
    assert.deepEqual(order, {
      kind: 'order',
      venue: 'bybit',
      ts: 1795158000123,
      orderId: 'o-1',
      label: 'l-1',
      instrument: 'BTC-27NOV26-90000-C-USDT',
      side: 'sell',
      orderType: 'limit',
      status: 'cancelled',
      price: 1200,
      iv: null,
      triggerPrice: null,
      amount: 0.5,
      filled: 0.2,
      averagePrice: 1210,
      postOnly: false,
      reduceOnly: false,
      reason: 'CancelByUser',
    });
    const statuses: Record<string, OrderEvent['status']> = {
      New: 'open',
      PartiallyFilled: 'open',
      Untriggered: 'untriggered',
      Triggered: 'open',
      Filled: 'filled',
      Cancelled: 'cancelled',
      Deactivated: 'cancelled',
      Rejected: 'rejected',
    };
    for (const [wire, status] of Object.entries(statuses)) {
      const [mapped] = bybitAccountEventsFromMessage(
        frame('order', [{ ...orderRow, orderStatus: wire }]),
      )!;
      assert.equal((mapped as OrderEvent).status, status, wire);
    }
    const [stop] = bybitAccountEventsFromMessage(
      frame('order.linear', [
        {
          ...orderRow,
          symbol: PERP,
          orderType: 'Market',
          orderStatus: 'Untriggered',
          stopOrderType: 'Stop',
          triggerPrice: '85000.5',
          timeInForce: 'IOC',
          reduceOnly: true,
        },
      ]),
    )!;
    assert.equal((stop as OrderEvent).orderType, 'stop-market');
    assert.equal((stop as OrderEvent).price, null);
    assert.equal((stop as OrderEvent).triggerPrice, 85000.5);
    assert.equal((stop as OrderEvent).reduceOnly, true);
    assert.equal((stop as OrderEvent).reason, null);
    // createdTime, a string of ms, when the row has one; never guessed when it does not.
    const dated = (createdTime: string): OrderEvent =>
      bybitAccountEventsFromMessage(
        frame('order', [{ ...orderRow, createdTime }]),
      )![0] as OrderEvent;
    assert.equal(dated('1795157990000').createdTs, 1795157990000);
    assert.equal('createdTs' in dated(''), false);
    assert.equal('createdTs' in order, false);
  });

  it('skips executions that fill no order (funding, delivery)', () => {
    const execution = {
      execId: 'e-1',
      orderId: 'o-1',
      orderLinkId: '',
      symbol: PERP,
      side: 'Buy',
      execPrice: '90000',
      execQty: '0.01',
      isMaker: true,
      execFee: '-0.01',
      execType: 'Trade',
      tradeIv: '',
      indexPrice: '90001',
      execTime: '1795158000500',
    };
    const events = bybitAccountEventsFromMessage(
      frame('execution', [execution, { ...execution, execId: 'e-2', execType: 'Funding' }]),
    )!;
    assert.equal(events.length, 1);
    const fill = events[0] as FillEvent;
    assert.equal(fill.tradeId, 'e-1');
    assert.equal(fill.label, null);
    assert.equal(fill.liquidity, 'maker');
    assert.equal(fill.fee, -0.01);
    assert.equal(fill.feeCurrency, 'USDT');
    assert.equal(fill.iv, null);
  });

  it('converts the account available balance when a unified wallet blanks the coin one', () => {
    const wallet = {
      accountType: 'UNIFIED',
      totalAvailableBalance: '50000',
      totalInitialMargin: '1000',
      totalMaintenanceMargin: '500',
      coin: [
        {
          coin: 'BTC',
          equity: '2',
          usdValue: '180000',
          walletBalance: '2',
          availableToWithdraw: '',
          totalPositionIM: '',
          totalOrderIM: '',
          totalPositionMM: '',
        },
      ],
    };
    const [balance] = bybitAccountEventsFromMessage(frame('wallet', [wallet]))! as BalanceEvent[];
    assert.equal(balance!.currency, 'BTC');
    near(balance!.available, 50000 / 90000, 'available in coin');
    assert.equal(balance!.initialMargin, 1000);
    assert.equal(balance!.maintenanceMargin, 500);
    assert.equal(balance!.ts, 1795158000999);
  });

  it('throws WireFormatError on a malformed private message', () => {
    const malformed: unknown[] = [
      frame('order', { not: 'an array' }),
      frame('order', [{ ...orderRow, qty: '' }]),
      frame('order', [{ ...orderRow, orderStatus: 'Mystery' }]),
      frame('order', [{ ...orderRow, side: 'buy' }]),
      frame('position', [{ symbol: PERP, side: '', size: '0.5', avgPrice: '1' }]),
      frame('execution', [{ symbol: PERP }]),
      { topic: 'wallet', data: [] },
    ];
    for (const message of malformed) {
      assert.throws(
        () => bybitAccountEventsFromMessage(message),
        WireFormatError,
        JSON.stringify(message),
      );
    }
  });
});
