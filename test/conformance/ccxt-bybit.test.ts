// Stock ccxt (REST, `ccxt.bybit`) against the sim's Bybit: only the URLs and keys differ from
// how ccxt talks to the venue. Each call is checked against what the sim's exchange holds, so
// a wrong field fails here. The clock is manual: the market moves only when a test advances it,
// so what ccxt reads can be compared with the exchange exactly.
//
// ccxt quirk worked around here: `fetchOrder` refuses unless `acknowledged: true` is passed
// (a warning that the venue's realtime list only holds the last 500 orders).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ccxt, { type Order, type bybit } from 'ccxt';
import type { SimExchange } from '../../src/sim/contract.js';
import { startSim, type RunningSim } from '../../src/sim/server.js';
import { restClient } from './support/ccxt-sim.js';

const PERP = 'BTC/USDT:USDT';
const ACCOUNT = 'paper';
const STARTING_USDT = 1_000_000;

/** ccxt types an order's id as optional; every order here has one. */
function idOf(order: Order): string {
  assert.ok(order.id !== undefined && order.id !== '');
  return order.id;
}

/** Within a relative tolerance: ccxt parses decimal strings, the sim keeps doubles. */
function near(actual: number | undefined, expected: number, tolerance = 1e-9): void {
  assert.ok(actual !== undefined, `expected ${expected}, got undefined`);
  assert.ok(
    Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `${actual} is not ${expected}`,
  );
}

describe('ccxt.bybit (REST) against the sim', () => {
  let sim: RunningSim;
  let exchange: SimExchange;
  let client: bybit;
  let option: string;
  let optionId: string;

  before(async () => {
    sim = await startSim({ seed: 21, manualClock: true });
    exchange = sim.world.exchanges.bybit;
    // The venue's own client class: its methods beyond the unified ones are typed.
    client = restClient('bybit', sim) as bybit;
    await client.loadMarkets();
    // A BTC call near the money: both sides quoted, and it trades.
    const index = exchange.indexPrice('BTC');
    const calls = exchange
      .instruments({ currency: 'BTC', kind: 'option' })
      .filter((i) => i.spec.kind === 'option' && i.spec.type === 'call');
    const chosen = calls
      .filter(
        (i) =>
          exchange.book(i.spec.name, 1)?.asks.length && exchange.book(i.spec.name, 1)?.bids.length,
      )
      .sort(
        (a, b) =>
          Math.abs((a.spec as { strike: number }).strike - index) -
          Math.abs((b.spec as { strike: number }).strike - index),
      )[0]!;
    optionId = chosen.spec.name;
    option = client.safeMarket(optionId).symbol;
  });

  after(async () => {
    await sim.close();
  });

  it('fetchTime tells the venue clock', async () => {
    const time = await client.fetchTime();
    assert.ok(time !== undefined && Math.abs(time - Date.now()) < 5_000, `${time}`);
  });

  it('loadMarkets: every listed option and the USDT perpetuals, with their ticks and lots', () => {
    const listed = exchange.instruments();
    const symbols = Object.keys(client.markets ?? {});
    assert.equal(symbols.length, listed.length);
    const perp = client.market(PERP);
    assert.equal(perp.id, 'BTCUSDT');
    assert.equal(perp.swap, true);
    assert.equal(perp.linear, true);
    assert.equal(perp.settle, 'USDT');
    const perpSpec = exchange.instrument('BTCUSDT')!.spec;
    assert.equal(perp.precision.price, perpSpec.tickSize);
    assert.equal(perp.precision.amount, perpSpec.lotSize);
    const market = client.market(option);
    const spec = exchange.instrument(optionId)!.spec;
    assert.equal(market.option, true);
    assert.equal(market.id, optionId);
    assert.equal(market.settle, 'USDT');
    assert.equal(market.precision.price, spec.tickSize);
    assert.equal(market.precision.amount, spec.lotSize);
    assert.equal(market.expiry, spec.expiry);
    assert.equal(market.strike, (spec as { strike: number }).strike);
    assert.equal(market.optionType, 'call');
  });

  it('fetchCurrencies lists USDT and the coins the sim trades', async () => {
    const currencies = await client.fetchCurrencies();
    const codes = Object.keys(currencies).sort();
    assert.deepEqual(codes, ['USDT', ...exchange.currencies()].sort());
  });

  it('fetchTicker: the perpetual and an option at the exchange top of book and mark', async () => {
    const perp = await client.fetchTicker(PERP);
    const perpTicker = exchange.ticker('BTCUSDT')!;
    near(perp.bid, perpTicker.bestBidPrice!);
    near(perp.ask, perpTicker.bestAskPrice!);
    near(perp.markPrice, perpTicker.markPrice, 1e-6);
    const opt = await client.fetchTicker(option);
    const optTicker = exchange.ticker(optionId)!;
    near(opt.bid, optTicker.bestBidPrice!);
    near(opt.ask, optTicker.bestAskPrice!);
    near(opt.markPrice, optTicker.markPrice, 1e-6);
    assert.ok(opt.bid! < opt.ask!);
  });

  it('fetchTickers: the perpetuals, and a base coin option chain', async () => {
    const perps = await client.fetchTickers([PERP, 'ETH/USDT:USDT']);
    assert.deepEqual(Object.keys(perps).sort(), ['BTC/USDT:USDT', 'ETH/USDT:USDT']);
    near(perps['ETH/USDT:USDT']!.bid, exchange.ticker('ETHUSDT')!.bestBidPrice!);
    const chain = await client.fetchTickers(undefined, { type: 'option', baseCoin: 'BTC' });
    const btcOptions = exchange.instruments({ currency: 'BTC', kind: 'option' });
    assert.equal(Object.keys(chain).length, btcOptions.length);
    near(chain[option]!.ask, exchange.ticker(optionId)!.bestAskPrice!);
  });

  it('fetchOrderBook: the exchange book, level for level', async () => {
    for (const [symbol, id] of [
      [PERP, 'BTCUSDT'],
      [option, optionId],
    ] as const) {
      const book = await client.fetchOrderBook(symbol, 25);
      const view = exchange.book(id, 25)!;
      assert.ok(book.bids.length > 0 && book.asks.length > 0);
      assert.deepEqual(
        book.bids.map(([p, s]) => [p, s]),
        view.bids.map(([p, s]) => [p, s]),
      );
      assert.deepEqual(
        book.asks.map(([p, s]) => [p, s]),
        view.asks.map(([p, s]) => [p, s]),
      );
      // The REST book's `u` is the exchange's change id: the stream's `u` continues from it.
      const raw = (await client.publicGetV5MarketOrderbook({
        category: id === 'BTCUSDT' ? 'linear' : 'option',
        symbol: id,
      })) as { result: { u: number } };
      assert.equal(raw.result.u, exchange.book(id, 1)!.changeId);
    }
  });

  it('fetchOHLCV: one-minute candles up to now, oldest first', async () => {
    const candles = await client.fetchOHLCV(PERP, '1m', undefined, 5);
    assert.equal(candles.length, 5);
    for (let i = 1; i < candles.length; i++) {
      assert.equal(candles[i]![0]! - candles[i - 1]![0]!, 60_000);
    }
    for (const [, open, high, low, close] of candles) {
      assert.ok(high! >= Math.max(open!, close!) && low! <= Math.min(open!, close!));
    }
    assert.ok(exchange.now() - candles.at(-1)![0]! < 60_000);
  });

  it('fetchFundingRate(s): the perpetual rate and the next 8-hourly settlement', async () => {
    const rate = await client.fetchFundingRate(PERP);
    near(rate.fundingRate, exchange.ticker('BTCUSDT')!.fundingRate ?? 0, 1e-6);
    assert.equal(rate.fundingTimestamp! % (8 * 3_600_000), 0);
    assert.ok(rate.fundingTimestamp! > exchange.now());
    const rates = await client.fetchFundingRates([PERP, 'ETH/USDT:USDT']);
    assert.deepEqual(Object.keys(rates).sort(), ['BTC/USDT:USDT', 'ETH/USDT:USDT']);
  });

  it('fetchBalance: the unified USDT wallet as funded', async () => {
    const balance = await client.fetchBalance();
    const usdt = balance['USDT'] as { total: number; free: number };
    near(usdt.total, STARTING_USDT);
    near(usdt.free, STARTING_USDT);
  });

  it('fetchLeverage and fetchPositions before trading: leverage 10, nothing held', async () => {
    const leverage = await client.fetchLeverage(PERP);
    assert.equal(leverage.longLeverage, 10);
    assert.deepEqual(await client.fetchPositions(undefined, { type: 'option' }), []);
    assert.deepEqual(await client.fetchPositions(undefined, { settleCoin: 'USDT' }), []);
  });

  it('createOrder limit (resting), fetchOpenOrder/fetchOpenOrders, editOrder, cancelOrder, fetchCanceledOrders', async () => {
    const bid = exchange.book('BTCUSDT', 1)!.bids[0]![0];
    const price = Math.round(bid * 0.9);
    const placed = await client.createOrder(PERP, 'limit', 'buy', 0.01, price);
    assert.match(
      idOf(placed),
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const open = await client.fetchOpenOrder(idOf(placed), PERP);
    assert.equal(open.status, 'open');
    assert.equal(open.price, price);
    assert.equal(open.amount, 0.01);
    assert.equal(open.side, 'buy');
    const listed = await client.fetchOpenOrders(PERP);
    assert.deepEqual(
      listed.map((o) => o.id),
      [idOf(placed)],
    );
    const edited = await client.editOrder(idOf(placed), PERP, 'limit', 'buy', 0.02, price - 10);
    assert.equal(edited.id, idOf(placed));
    const after = await client.fetchOpenOrder(idOf(placed), PERP);
    assert.equal(after.price, price - 10);
    assert.equal(after.amount, 0.02);
    assert.equal(exchange.order(ACCOUNT, idOf(placed))!.price, price - 10);
    const cancelled = await client.cancelOrder(idOf(placed), PERP);
    assert.equal(cancelled.id, idOf(placed));
    assert.equal(exchange.order(ACCOUNT, idOf(placed))!.state, 'cancelled');
    const gone = await client.fetchCanceledOrders(PERP);
    const row = gone.find((o) => o.id === idOf(placed));
    assert.ok(row !== undefined);
    assert.equal(row.status, 'canceled');
    assert.deepEqual(await client.fetchOpenOrders(PERP), []);
  });

  it('createOrder limit (filling) and market on the perpetual: closed orders, a position at 10x', async () => {
    const ask = exchange.book('BTCUSDT', 1)!.asks[0]![0];
    const limit = await client.createOrder(PERP, 'limit', 'buy', 0.01, ask);
    const market = await client.createOrder(PERP, 'market', 'buy', 0.01);
    for (const id of [idOf(limit), idOf(market)]) {
      const closed = await client.fetchClosedOrder(id, PERP);
      assert.equal(closed.status, 'closed');
      assert.equal(closed.filled, 0.01);
      assert.equal(closed.remaining, 0);
      near(closed.average, exchange.order(ACCOUNT, id)!.averagePrice, 1e-9);
    }
    const closedIds = (await client.fetchClosedOrders(PERP)).map((o) => o.id);
    assert.ok(closedIds.includes(idOf(limit)) && closedIds.includes(idOf(market)));
    const both = (await client.fetchCanceledAndClosedOrders(PERP)).map((o) => o.id);
    assert.ok(both.includes(idOf(limit)) && both.includes(idOf(market)));
    const byId = await client.fetchOrder(idOf(market), PERP, { acknowledged: true });
    assert.equal(byId.status, 'closed');

    const [position] = await client.fetchPositions([PERP]);
    const held = exchange.positions(ACCOUNT, { instrument: 'BTCUSDT' })[0]!;
    assert.ok(position !== undefined);
    assert.equal(position.side, 'long');
    assert.equal(position.contracts, 0.02);
    assert.equal(position.leverage, 10);
    near(position.entryPrice, held.averagePrice, 1e-6);
    // Margin is notional / leverage, in the position and in the wallet alike.
    const notional = Math.abs(held.size) * held.markPrice;
    near(position.initialMargin, notional / 10, 1e-6);
    const wallet = (await client.fetchBalance())['info'] as {
      result: {
        list: [
          {
            totalInitialMargin: string;
            totalAvailableBalance: string;
            totalMarginBalance: string;
            coin: [{ totalPositionIM: string }];
          },
        ];
      };
    };
    const account = wallet.result.list[0];
    near(Number(account.coin[0].totalPositionIM), notional / 10, 1e-6);
    near(
      Number(account.totalAvailableBalance),
      Number(account.totalMarginBalance) - Number(account.totalInitialMargin),
      1e-9,
    );
  });

  it('fetchTrades: the public tape, our fills among them with the same ids', async () => {
    const trades = await client.fetchTrades(PERP, undefined, 50);
    const tape = exchange.recentTrades('BTCUSDT', 50);
    assert.ok(trades.length > 0);
    assert.deepEqual(trades.map((t) => t.id).sort(), tape.map((t) => t.tradeId).sort());
    const ours = exchange.fills(ACCOUNT, { instrument: 'BTCUSDT' });
    for (const fill of ours) assert.ok(trades.some((t) => t.id === fill.tradeId));
    const last = trades.at(-1)!;
    const printed = tape.find((t) => t.tradeId === last.id)!;
    assert.equal(last.price, printed.price);
    assert.equal(last.amount, printed.amount);
    assert.equal(last.side, printed.direction);
  });

  it('creates a post-only order that would take as the venue does: created, then cancelled', async () => {
    const ask = exchange.book('BTCUSDT', 1)!.asks[0]![0];
    const placed = await client.createOrder(PERP, 'limit', 'buy', 0.01, ask, { postOnly: true });
    const order = await client.fetchOrder(idOf(placed), PERP, { acknowledged: true });
    assert.equal(order.status, 'canceled');
    assert.equal(order.filled, 0);
    assert.equal(
      (order.info as { rejectReason: string }).rejectReason,
      'EC_PostOnlyWillTakeLiquidity',
    );
    assert.ok((await client.fetchCanceledOrders(PERP)).some((o) => o.id === idOf(placed)));
  });

  it('options: resting, filling, post-only refused and market orders, then cancelAllOrders', async () => {
    const book = exchange.book(optionId, 25)!;
    const low = book.bids.at(-1)![0];
    const resting: Order[] = [];
    for (const price of [low, low - client.market(option).precision.price!]) {
      resting.push(await client.createOrder(option, 'limit', 'buy', 0.1, price));
    }
    for (const order of resting) assert.ok(order.clientOrderId !== undefined);
    const ask = book.asks[0]![0];
    const filled = await client.createOrder(option, 'limit', 'buy', 0.1, ask);
    assert.equal((await client.fetchClosedOrder(idOf(filled), option)).filled, 0.1);
    const refused = await client.createOrder(
      option,
      'limit',
      'buy',
      0.1,
      exchange.book(optionId, 1)!.asks[0]![0],
      {
        postOnly: true,
      },
    );
    assert.equal(
      (await client.fetchOrder(idOf(refused), option, { acknowledged: true })).status,
      'canceled',
    );
    const [position] = await client.fetchPositions([option]);
    assert.ok(position !== undefined);
    assert.equal(position.contracts, 0.1);
    assert.equal(position.side, 'long');
    const sold = await client.createOrder(option, 'market', 'sell', 0.1);
    assert.equal((await client.fetchClosedOrder(idOf(sold), option)).filled, 0.1);
    assert.deepEqual(await client.fetchPositions([option]), []);

    const open = await client.fetchOpenOrders(option);
    assert.deepEqual(open.map((o) => o.id).sort(), resting.map(idOf).sort());
    const cancelled = await client.cancelAllOrders(option);
    assert.deepEqual(cancelled.map((o) => o.id).sort(), resting.map(idOf).sort());
    assert.deepEqual(await client.fetchOpenOrders(option), []);
    for (const order of resting)
      assert.equal(exchange.order(ACCOUNT, idOf(order))!.state, 'cancelled');
  });

  it('refuses what the venue refuses: an unaffordable order is InsufficientFunds, an unknown id OrderNotFound', async () => {
    const ask = exchange.book('BTCUSDT', 1)!.asks[0]![0];
    await assert.rejects(
      client.createOrder(PERP, 'limit', 'buy', 500, Math.round(ask * 0.9)),
      ccxt.InsufficientFunds,
    );
    await assert.rejects(
      client.cancelOrder('00000000-0000-4000-8000-000000000000', PERP),
      ccxt.OrderNotFound,
    );
  });
});

describe('ccxt.bybit meets the sim fault flags', () => {
  it('a request rate above maxRequestsPerSec is RateLimitExceeded', async () => {
    const sim = await startSim({ seed: 3, manualClock: true, faults: { maxRequestsPerSec: 3 } });
    try {
      const client = restClient('bybit', sim);
      client.enableRateLimit = false;
      const outcomes = await Promise.allSettled(
        Array.from({ length: 12 }, () => client.fetchTime()),
      );
      const refused = outcomes.filter((o) => o.status === 'rejected');
      assert.ok(refused.length > 0 && refused.length < outcomes.length, `${refused.length}`);
      for (const outcome of refused) {
        assert.ok(outcome.reason instanceof ccxt.RateLimitExceeded);
      }
    } finally {
      await sim.close();
    }
  });

  it('a reply slower than the client timeout is RequestTimeout', async () => {
    const sim = await startSim({ seed: 3, manualClock: true, faults: { replyDelayMs: 400 } });
    try {
      const client = restClient('bybit', sim);
      client.timeout = 150;
      await assert.rejects(client.fetchTime(), ccxt.RequestTimeout);
    } finally {
      await sim.close();
    }
  });
});
