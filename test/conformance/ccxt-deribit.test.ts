// Stock ccxt (REST `ccxt.deribit` and WebSocket `ccxt.pro.deribit`) against the sim's Deribit,
// with only the URLs and keys changed: every call must pass and agree with the sim's own state.
// ccxt's own quirks are named where the suite works around them (see the README).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Exchange, Order, OrderBook } from 'ccxt';
import type { RunningSim } from '../../src/sim/server.js';
import { restClient } from './support/ccxt-sim.js';
import {
  ACCOUNT,
  PERP,
  PERP_ID,
  bestAsk,
  openPro,
  openSim,
  pause,
  restingBid,
  whileRunning,
  withTimeout,
} from './support/ccxt-deribit-session.js';

const ETH_PERP = 'ETH/USD:ETH';

describe('ccxt deribit REST against the sim', () => {
  let sim: RunningSim;
  let rest: Exchange;

  before(async () => {
    sim = await openSim();
    rest = restClient('deribit', sim);
    await rest.loadMarkets();
  });
  after(async () => {
    await sim.close();
  });

  const exchange = (): RunningSim['world']['exchanges']['deribit'] => sim.world.exchanges.deribit;

  it('fetchTime answers the sim clock', async () => {
    assert.equal(await rest.fetchTime(), exchange().now());
  });

  it('fetchStatus reports the venue open', async () => {
    const status = await rest.fetchStatus();
    assert.equal(status['status'], 'ok');
  });

  it('loadMarkets lists every instrument of the sim, parsed as the venue would be', () => {
    const listed = exchange().instruments();
    assert.equal(Object.keys(rest.markets ?? {}).length, listed.length);
    const perp = rest.market(PERP);
    assert.equal(perp.id, PERP_ID);
    assert.equal(perp.swap, true);
    assert.equal(perp.inverse, true);
    assert.equal(perp.contractSize, exchange().instrument(PERP_ID)!.spec.contractSize);
    const option = listed.find((instrument) => instrument.spec.kind === 'option')!;
    const market = rest.market(rest.safeSymbol(option.spec.name));
    assert.equal(market.option, true);
    assert.equal(market.expiry, option.spec.expiry);
    assert.equal(market.strike, option.spec.kind === 'option' ? option.spec.strike : undefined);
    assert.equal(market.optionType, option.spec.kind === 'option' ? option.spec.type : undefined);
    assert.equal(market.precision.price, option.spec.tickSize);
  });

  it('fetchCurrencies lists the venue currencies', async () => {
    const currencies = await rest.fetchCurrencies();
    assert.deepEqual(Object.keys(currencies).sort(), ['BTC', 'ETH']);
    assert.equal(currencies['BTC']!.name, 'Bitcoin');
  });

  it("fetchTicker and fetchTickers show the sim's top of book and mark", async () => {
    const sim_ = exchange().ticker(PERP_ID)!;
    const ticker = await rest.fetchTicker(PERP);
    assert.equal(ticker.bid, sim_.bestBidPrice);
    assert.equal(ticker.ask, sim_.bestAskPrice);
    assert.equal(ticker.markPrice, Math.round(sim_.markPrice * 100) / 100);
    const tickers = await rest.fetchTickers(undefined, { code: 'BTC' });
    const btcNames = exchange()
      .instruments()
      .filter((i) => i.spec.settleCurrency === 'BTC');
    assert.equal(Object.keys(tickers).length, btcNames.length);
    assert.equal(tickers[PERP]!.bid, sim_.bestBidPrice);
  });

  it("fetchOrderBook is the sim's book", async () => {
    const book = await rest.fetchOrderBook(PERP);
    const own = exchange().book(PERP_ID, 20)!;
    assert.deepEqual(
      book.bids.map(([p, a]) => [p, a]),
      own.bids.map(([p, a]) => [p, a]),
    );
    assert.deepEqual(
      book.asks.map(([p, a]) => [p, a]),
      own.asks.map(([p, a]) => [p, a]),
    );
  });

  it('fetchOHLCV returns minute candles of the index history, oldest first', async () => {
    const candles = await rest.fetchOHLCV(PERP, '1m', undefined, 30);
    assert.ok(candles.length >= 10, `only ${candles.length} candles`);
    for (const [i, [ts, open, high, low, close]] of candles.entries()) {
      assert.equal(ts! % 60_000, 0);
      if (i > 0) assert.equal(ts! - candles[i - 1]![0]!, 60_000);
      assert.ok(high! >= Math.max(open!, close!) && low! <= Math.min(open!, close!));
    }
  });

  it('a deri-hmac-sha256 signature made with the wrong secret is refused', async () => {
    const forger = restClient('deribit', sim);
    forger.secret = 'not-the-secret';
    await assert.rejects(
      forger.fetchBalance(),
      (error: Error) => error.name === 'AuthenticationError' && /unauthorized/.test(error.message),
    );
  });

  it('fetchBalance reads every currency from get_account_summaries', async () => {
    const balance = await rest.fetchBalance();
    for (const code of ['BTC', 'ETH']) {
      const summary = exchange().summary(ACCOUNT, code);
      assert.equal(balance[code]!.total, Math.round(summary.equity * 1e8) / 1e8);
      assert.equal(balance[code]!.free, Math.round(summary.availableFunds * 1e8) / 1e8);
    }
    const one = await rest.fetchBalance({ code: 'ETH' });
    assert.equal(one['ETH']!.total, balance['ETH']!.total);
  });

  describe('orders', () => {
    let resting: Order;

    it('a resting limit order shows in fetchOpenOrders and fetchOrder', async () => {
      const price = restingBid(sim);
      resting = await rest.createOrder(PERP, 'limit', 'buy', 10, price);
      assert.equal(resting.status, 'open');
      assert.equal(resting.price, price);
      assert.equal(resting.amount, 10);
      const open = await rest.fetchOpenOrders(PERP);
      const listed = open.find((order) => order.id === resting.id);
      assert.equal(listed?.price, price);
      assert.equal(listed?.amount, 10);
      assert.equal(listed?.side, 'buy');
      const byCurrency = await rest.fetchOpenOrders();
      assert.ok(byCurrency.some((order) => order.id === resting.id));
      const fetched = await rest.fetchOrder(resting.id!);
      assert.equal(fetched.status, 'open');
      assert.equal(fetched.remaining, 10);
    });

    it('editOrder changes the amount and price in place', async () => {
      const price = restingBid(sim) - 5;
      const edited = await rest.editOrder(resting.id!, PERP, 'limit', 'buy', 20, price);
      assert.equal(edited.id, resting.id);
      assert.equal(edited.amount, 20);
      assert.equal(edited.price, price);
      const own = exchange().order(ACCOUNT, resting.id!)!;
      assert.equal(own.amount, 20);
      assert.equal(own.price, price);
    });

    it('cancelOrder closes it, and fetchOrder still finds it', async () => {
      const cancelled = await rest.cancelOrder(resting.id!);
      assert.equal(cancelled.status, 'canceled');
      const open = await rest.fetchOpenOrders(PERP);
      assert.ok(!open.some((order) => order.id === resting.id));
      const fetched = await rest.fetchOrder(resting.id!);
      assert.equal(fetched.status, 'canceled');
      assert.equal(fetched.filled, 0);
    });

    it('a post-only order that would take is refused', async () => {
      await assert.rejects(
        rest.createOrder(PERP, 'limit', 'buy', 10, bestAsk(sim), {
          postOnly: true,
          reject_post_only: true,
        }),
        (error: Error) => error.name === 'InvalidOrder' && /post_only_reject/.test(error.message),
      );
    });

    it('a crossing limit order fills and moves fetchPositions', async () => {
      const before = exchange().positions(ACCOUNT, { instrument: PERP_ID })[0]?.size ?? 0;
      const filled = await rest.createOrder(PERP, 'limit', 'buy', 30, bestAsk(sim) + 50);
      assert.equal(filled.status, 'closed');
      assert.equal(filled.filled, 30);
      const positions = await rest.fetchPositions();
      const perp = positions.find((position) => position.symbol === PERP);
      // ccxt bug: `contracts` is the venue's `size`, which for an inverse perpetual is USD (30),
      // not contracts of contractSize 10 (3). The venue's own figure is what is checked.
      assert.equal(perp?.contracts, before + 30);
      const own = exchange().positions(ACCOUNT, { instrument: PERP_ID })[0]!;
      assert.equal(perp?.notional, Math.abs(Math.round((own.size / own.markPrice) * 1e8) / 1e8));
      assert.equal(perp?.side, 'long');
      const only = await rest.fetchPositions([PERP], { currency: 'BTC' });
      assert.deepEqual(
        only.map((p) => p.symbol),
        [PERP],
      );
    });

    it('a market order fills at once; fetchTrades shows its print', async () => {
      const sold = await rest.createOrder(PERP, 'market', 'sell', 10);
      assert.equal(sold.status, 'closed');
      assert.equal(sold.filled, 10);
      const trades = await rest.fetchTrades(PERP);
      // The sell may sweep several levels in one batch: prints of one time, in any order.
      const newest = exchange().recentTrades(PERP_ID, 1)[0]!;
      const print = trades.find((trade) => trade.id === newest.tradeId);
      assert.ok(print !== undefined, `print ${newest.tradeId} missing`);
      assert.equal(print.timestamp, trades[trades.length - 1]!.timestamp);
      assert.equal(print.side, 'sell');
      assert.equal(print.price, newest.price);
      assert.equal(print.amount, newest.amount);
    });

    it('fetchClosedOrders lists filled orders; unfilled ones only when asked', async () => {
      const closed = await rest.fetchClosedOrders(PERP);
      assert.ok(closed.length >= 2);
      assert.ok(closed.every((order) => order.status === 'closed' && order.filled! > 0));
      assert.ok(!closed.some((order) => order.id === resting.id));
      const withUnfilled = await rest.fetchClosedOrders(PERP, undefined, undefined, {
        include_unfilled: true,
      });
      assert.ok(withUnfilled.some((order) => order.id === resting.id));
      const byCurrency = await rest.fetchClosedOrders(undefined, undefined, 1);
      assert.equal(byCurrency.length, 1);
    });

    it('cancelAllOrders cancels every open order, by instrument or all', async () => {
      const bid = restingBid(sim);
      await rest.createOrder(PERP, 'limit', 'buy', 10, bid);
      await rest.createOrder(PERP, 'limit', 'buy', 10, bid - 1);
      const ethBid = restingBid(sim, 'ETH-PERPETUAL');
      await rest.createOrder(ETH_PERP, 'limit', 'buy', 1, ethBid);
      await rest.cancelAllOrders(PERP);
      assert.deepEqual(await rest.fetchOpenOrders(PERP), []);
      assert.equal((await rest.fetchOpenOrders(ETH_PERP)).length, 1);
      await rest.cancelAllOrders();
      assert.equal(exchange().openOrders(ACCOUNT).length, 0);
    });
  });
});

describe('ccxt.pro deribit against the sim', () => {
  let sim: RunningSim;
  let pro: Exchange;
  let rest: Exchange;

  before(async () => {
    sim = await openSim();
    pro = await openPro(sim);
    rest = restClient('deribit', sim);
    await rest.loadMarkets();
  });
  after(async () => {
    await pro.close();
    await sim.close();
  });

  const exchange = (): RunningSim['world']['exchanges']['deribit'] => sim.world.exchanges.deribit;

  /** Once the clock stops, the book ccxt keeps must equal the sim's. */
  async function assertBookMatches(id: string, book: OrderBook): Promise<void> {
    await pause(100);
    const own = exchange().book(id, 1)!;
    assert.deepEqual(book.bids[0]!.slice(0, 2), [...own.bids[0]!]);
  }

  it("watchTicker follows the sim's ticker", async () => {
    const ticker = await whileRunning(sim, pro.watchTicker(PERP));
    assert.equal(ticker.symbol, PERP);
    await pause(100);
    const next = await whileRunning(sim, pro.watchTicker(PERP));
    const own = exchange().ticker(PERP_ID)!;
    await pause(50);
    assert.ok(next.timestamp! >= ticker.timestamp!);
    assert.ok(Math.abs(next.bid! - own.bestBidPrice!) <= own.bestBidPrice! * 0.01);
  });

  it('watchTickers and watchBidsAsks cover several symbols', async () => {
    const tickers = await whileRunning(sim, pro.watchTickers([PERP, ETH_PERP]));
    const symbol = Object.keys(tickers)[0]!;
    assert.ok([PERP, ETH_PERP].includes(symbol));
    assert.ok(tickers[symbol]!.bid! < tickers[symbol]!.ask!);
    const quotes = await whileRunning(sim, pro.watchBidsAsks([PERP]));
    assert.ok(quotes[PERP]!.bid! < quotes[PERP]!.ask!);
  });

  it("watchOrderBook (100ms) keeps the sim's book", async () => {
    const book = await whileRunning(sim, pro.watchOrderBook(PERP));
    await whileRunning(sim, pro.watchOrderBook(PERP));
    await assertBookMatches(PERP_ID, book);
  });

  it('watchOrderBook raw (authenticated) and agg2 keep the book too', async () => {
    const raw = await whileRunning(
      sim,
      pro.watchOrderBook(ETH_PERP, undefined, { interval: 'raw' }),
    );
    await whileRunning(sim, pro.watchOrderBook(ETH_PERP, undefined, { interval: 'raw' }));
    await assertBookMatches('ETH-PERPETUAL', raw);
    const agg2 = await whileRunning(sim, pro.watchOrderBook(PERP, undefined, { interval: 'agg2' }));
    await whileRunning(sim, pro.watchOrderBook(PERP, undefined, { interval: 'agg2' }));
    await assertBookMatches(PERP_ID, agg2);
  });

  it('watchOrderBook on the grouped depth channel', async () => {
    const params = { useDepthEndpoint: true, depth: '10', interval: '100ms' };
    const book = await whileRunning(sim, pro.watchOrderBook(ETH_PERP, undefined, params));
    assert.ok(book.bids.length >= 1 && book.asks.length >= 1);
    assert.ok(book.bids[0]![0]! < book.asks[0]![0]!);
  });

  it('watchTrades sees a print the REST client caused', async () => {
    const watching = pro.watchTrades(PERP);
    await pause(200);
    const order = await rest.createOrder(PERP, 'market', 'buy', 10);
    const trades = await whileRunning(sim, watching);
    const print = exchange().recentTrades(PERP_ID, 1)[0]!;
    assert.ok(trades.some((trade) => trade.id === print.tradeId && trade.amount === 10));
    assert.equal(order.status, 'closed');
  });

  it('watchOHLCV streams the forming minute candle', async () => {
    const candles = await whileRunning(sim, pro.watchOHLCV(PERP, '1m'));
    const [ts, open, high, low, close] = candles[candles.length - 1]!;
    assert.equal(ts! % 60_000, 0);
    assert.ok(high! >= Math.max(open!, close!) && low! <= Math.min(open!, close!));
    const index = exchange().indexPrice('BTC');
    assert.ok(Math.abs(close! - index) / index < 0.01);
  });

  it('watchOrders, watchMyTrades and watchBalance see the account change', async () => {
    const orders = pro.watchOrders();
    const trades = pro.watchMyTrades();
    const balance = pro.watchBalance();
    await pause(300);
    const price = restingBid(sim);
    const resting = await rest.createOrder(PERP, 'limit', 'buy', 10, price);
    const seen = await withTimeout(orders, 5000);
    const mine = seen.find((order) => order.id === resting.id);
    assert.equal(mine?.status, 'open');
    assert.equal(mine?.price, price);
    const taken = await rest.createOrder(PERP, 'market', 'sell', 20);
    const fills = await withTimeout(trades, 5000);
    assert.ok(fills.every((fill) => fill.order === taken.id));
    assert.equal(
      fills.reduce((sum, fill) => sum + fill.amount!, 0),
      20,
    );
    const wallet = await withTimeout(balance, 5000);
    // ccxt keeps one balance object and updates it with each notification; let the last arrive.
    await pause(200);
    const summary = exchange().summary(ACCOUNT, 'BTC');
    // ccxt bug: handleBalance stores a whole parsed balance under the currency code
    // (wallet.BTC = {info, BTC, free, used, total}) instead of that currency's account, and
    // leaves wallet.total unset; the figures sit one level down.
    const nested = wallet['BTC'] as unknown as Record<'total' | 'free', Record<string, number>>;
    assert.equal(nested.total['BTC'], Math.round(summary.equity * 1e8) / 1e8);
    assert.equal(nested.free['BTC'], Math.round(summary.availableFunds * 1e8) / 1e8);
    await rest.cancelAllOrders();
  });
});

describe('ccxt deribit under the sim fault flags', () => {
  it('REST: requests above the rate limit fail with DDoSProtection (10028)', async () => {
    const sim = await openSim({ faults: { maxRequestsPerSec: 2 } });
    try {
      const rest = restClient('deribit', sim);
      const calls = [1, 2, 3, 4].map(() => rest.fetchTime());
      const outcomes = await Promise.allSettled(calls);
      const refused = outcomes.filter((o) => o.status === 'rejected');
      assert.ok(refused.length >= 1);
      for (const outcome of refused) {
        const reason = outcome.reason as Error;
        assert.equal(reason.name, 'DDoSProtection');
        assert.match(reason.message, /too_many_requests/);
      }
    } finally {
      await sim.close();
    }
  });

  it('WebSocket: a dropped connection fails the pending watch with NetworkError', async () => {
    const sim = await openSim({ faults: { disconnectEverySec: 0.5 } });
    const pro = await openPro(sim);
    try {
      const watching = pro.watchOrderBook(PERP);
      await assert.rejects(
        withTimeout(
          watching.then(() => pro.watchOrderBook(PERP)),
          5000,
        ),
        (error: Error) =>
          ['NetworkError', 'ExchangeNotAvailable', 'RequestTimeout'].includes(error.name),
      );
    } finally {
      await pro.close();
      await sim.close();
    }
  });
});
