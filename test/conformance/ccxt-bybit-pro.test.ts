// Stock ccxt's WebSocket client (`ccxt.pro.bybit`) against the sim's Bybit sockets: public
// tickers, books and trades, and the private order, execution, position and wallet topics.
// The clock is manual; `pumped` moves the market until a watch resolves, and `settled` lets
// the socket drain so ccxt's cached state can be compared with the exchange exactly.
//
// ccxt's own quirks, worked around here only:
// - any ws:// URL needs `await client.loadHttpProxyAgent()` first, or every watch throws
//   NotSupported ("to use proxy with non-ssl ws:// urls…"): ccxt assumes ws:// means a proxy.
// - an option ticker's bid and ask come out undefined: Bybit's option ticker stream names them
//   `bidPrice`/`askPrice` (as documented), ccxt's parseTicker reads only `bid1Price`/`ask1Price`
//   (it does read `bidSize`), so the test reads those two from `info`.

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import ccxt, { type bybit as BybitRest } from 'ccxt';
import type { SimExchange } from '../../src/sim/contract.js';
import { startSim, type RunningSim } from '../../src/sim/server.js';
import { proClient, restClient } from './support/ccxt-sim.js';

type BybitPro = InstanceType<typeof ccxt.pro.bybit>;

/** How long a watch may take in wall time before the test fails rather than waits. */
const WAIT_MS = 30_000;

/** `promise`, or a failure naming `what` when it has not settled within `ms` of wall time. */
async function within<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not resolve in ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

const PERP = 'BTC/USDT:USDT';
const ACCOUNT = 'paper';

describe('ccxt.pro.bybit (WebSocket) against the sim', () => {
  let sim: RunningSim;
  let exchange: SimExchange;
  let pro: BybitPro;
  let rest: BybitRest;
  let option: string;
  let optionId: string;

  /**
   * Advances the market until `promise` settles, failing after WAIT_MS of wall time: a watch
   * whose subscription went out after the pumping stopped would otherwise wait forever on a
   * clock nothing moves (CI once hung here on a loaded machine).
   */
  async function pumped<T>(promise: Promise<T>, what = 'the watch'): Promise<T> {
    let done = false;
    promise.then(
      () => (done = true),
      () => (done = true),
    );
    const deadline = Date.now() + WAIT_MS;
    while (!done && Date.now() < deadline) {
      await sleep(25);
      if (!done) sim.advance(250);
    }
    return within(promise, what, 0);
  }

  /** Lets what the sim already sent reach ccxt. */
  const settled = (): Promise<void> => sleep(150);

  before(async () => {
    sim = await startSim({ seed: 22, manualClock: true });
    exchange = sim.world.exchanges.bybit;
    pro = proClient('bybit', sim) as BybitPro;
    rest = restClient('bybit', sim) as BybitRest;
    await pro.loadHttpProxyAgent();
    await rest.loadMarkets();
    pro.setMarkets(rest.markets);
    const index = exchange.indexPrice('BTC');
    const quoted = exchange
      .instruments({ currency: 'BTC', kind: 'option' })
      .filter((i) => {
        const book = exchange.book(i.spec.name, 1);
        return (book?.bids.length ?? 0) > 0 && (book?.asks.length ?? 0) > 0;
      })
      .sort(
        (a, b) =>
          Math.abs((a.spec as { strike: number }).strike - index) -
          Math.abs((b.spec as { strike: number }).strike - index),
      );
    optionId = quoted[0]!.spec.name;
    option = rest.safeMarket(optionId).symbol;
  });

  after(async () => {
    await pro.close();
    await sim.close();
  });

  it('watchTicker: the perpetual ticker follows the exchange', async () => {
    const first = await pumped(pro.watchTicker(PERP));
    assert.equal(first.symbol, PERP);
    await pumped(pro.watchTicker(PERP));
    await settled();
    const cached = pro.tickers[PERP]!;
    const ticker = exchange.ticker('BTCUSDT')!;
    assert.equal(cached.bid, ticker.bestBidPrice);
    assert.equal(cached.ask, ticker.bestAskPrice);
  });

  it('watchTicker: every option ticker message is a full snapshot at the exchange top of book', async () => {
    await pumped(pro.watchTicker(option));
    const update = await pumped(pro.watchTicker(option));
    const info = update.info as Record<string, string>;
    // A full snapshot: the greeks and IVs come with every message, changed or not.
    for (const key of ['bidPrice', 'askPrice', 'markPriceIv', 'delta', 'vega', 'underlyingPrice']) {
      assert.ok(info[key] !== undefined, `${key} missing`);
    }
    await settled();
    const cached = pro.tickers[option]!.info as Record<string, string>;
    const ticker = exchange.ticker(optionId)!;
    assert.equal(Number(cached['bidPrice']), ticker.bestBidPrice);
    assert.equal(Number(cached['askPrice']), ticker.bestAskPrice);
    assert.equal(pro.tickers[option]!.bidVolume, ticker.bestBidAmount);
  });

  it('watchOrderBook: the perpetual and option books level for level after updates', async () => {
    for (const [symbol, id, depth] of [
      [PERP, 'BTCUSDT', 50],
      [option, optionId, 25],
    ] as const) {
      await pumped(pro.watchOrderBook(symbol));
      await pumped(pro.watchOrderBook(symbol));
      await settled();
      const book = pro.orderbooks[symbol] as { bids: number[][]; asks: number[][] };
      const view = exchange.book(id, depth)!;
      assert.ok(view.bids.length > 0);
      assert.deepEqual(
        [...book.bids].slice(0, depth).map((level) => [level[0], level[1]]),
        view.bids.map(([p, s]) => [p, s]),
      );
      assert.deepEqual(
        [...book.asks].slice(0, depth).map((level) => [level[0], level[1]]),
        view.asks.map(([p, s]) => [p, s]),
      );
    }
  });

  it('watchTrades, watchOrders, watchMyTrades, watchPositions, watchBalance see one fill', async () => {
    // Subscribe first (the private ones authenticate), then trade once.
    const trades = pro.watchTrades(PERP);
    const orders = pro.watchOrders(PERP);
    const myTrades = pro.watchMyTrades(PERP);
    const balance = pro.watchBalance();
    // The private socket authenticates before it subscribes: time for both before the trade.
    for (let i = 0; i < 6; i++) await settled();
    const ask = exchange.book('BTCUSDT', 1)!.asks[0]![0];
    const placed = await rest.createOrder(PERP, 'limit', 'buy', 0.05, ask);
    const id = placed.id!;
    const fill = exchange.fills(ACCOUNT, { orderId: id })[0]!;
    assert.ok(fill !== undefined);

    const printed = await within(trades, 'watchTrades');
    assert.ok(printed.some((t) => t.id === fill.tradeId && t.price === fill.price));
    const [order] = (await within(orders, 'watchOrders')).filter((o) => o.id === id);
    assert.ok(order !== undefined);
    assert.equal(order.status, 'closed');
    assert.equal(order.filled, 0.05);
    const mine = await within(myTrades, 'watchMyTrades');
    const execution = mine.find((t) => t.id === fill.tradeId);
    assert.ok(execution !== undefined);
    assert.equal(execution.order, id);
    assert.equal(execution.price, fill.price);
    assert.equal(execution.amount, fill.amount);
    assert.equal(execution.takerOrMaker, 'taker');

    const wallet = await within(balance, 'watchBalance');
    assert.ok(wallet['USDT'] !== undefined);
    // The wallet topic may push more than once for one trade (order, then fill): compare the
    // latest, which ccxt keeps per account type.
    await settled();
    const summary = exchange.summary(ACCOUNT, 'USDT');
    const accounts = pro.balance as unknown as Record<string, Record<string, unknown>>;
    const usdt = accounts['unified']?.['USDT'] as { total: number; free: number } | undefined;
    assert.ok(usdt !== undefined);
    // ccxt's stream total is the coin's equity (wallet balance plus unrealised PnL), where
    // its REST fetchBalance takes the wallet balance: both match the sim's figures.
    assert.ok(Math.abs(usdt.total - summary.equity) < 1e-6, `${usdt.total} vs ${summary.equity}`);
    assert.ok(Math.abs(usdt.free - summary.availableFunds) < 1e-6, `${usdt.free}`);
    assert.ok(usdt.free < usdt.total);

    const positions = await pumped(pro.watchPositions([PERP]), 'watchPositions');
    const held = exchange.positions(ACCOUNT, { instrument: 'BTCUSDT' })[0]!;
    const position = positions.find((p) => p.symbol === PERP);
    assert.ok(position !== undefined);
    assert.equal(position.contracts, Math.abs(held.size));
    assert.equal(position.leverage, 10);
    // Margin is notional / leverage on the private stream as on REST.
    const im = Number((position.info as { positionIM: string }).positionIM);
    assert.ok(
      Math.abs(im - (Math.abs(held.size) * Number(position.markPrice)) / 10) < 1e-3,
      `${im}`,
    );
  });
});
