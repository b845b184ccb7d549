// Stock ccxt against the sim's Bybit history and account-history routes: funding rate history,
// mark and premium index candles, closed PnL (fetchPositionsHistory), the transaction log
// (fetchLedger), fee rates, disconnection protection (cancelAllOrdersAfter), the linear
// socket's kline topic and the unWatch calls. Each answer is checked against the sim's own
// exchange.
//
// ccxt bugs met here (ccxt 4.5.84), worked around as noted:
// - fetchTradingFees sends no `category`, which /v5/account/fee-rate requires (10001 on the
//   venue as on the sim): pass `{ category: 'linear' }`.
// - unWatchOrderBook asks to drop `orderbook.500.*` while watchOrderBook subscribed at its
//   default depth 50: pass `{ limit: 50 }`.
// - the first watchPositions resolves with the REST snapshot before subscribing `position`, so
//   an unWatchPositions right after it drops a topic never subscribed ("not subscribed").
// - fetchLedger's `before` adds an outflow to the balance after it instead of subtracting it:
//   read `after` and `amount`, not `before`.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ccxt, { type bybit as BybitRest } from 'ccxt';
import type { SimExchange } from '../../src/sim/contract.js';
import { startSim, type RunningSim } from '../../src/sim/server.js';
import { proClient, restClient } from './support/ccxt-sim.js';

type BybitPro = InstanceType<typeof ccxt.pro.bybit>;

const PERP = 'BTC/USDT:USDT';
const PERP_ID = 'BTCUSDT';
const ACCOUNT = 'paper';
const EIGHT_HOURS = 8 * 3_600_000;
/** Two minutes before a funding time, so the tests can cross one. */
const START = Date.UTC(2026, 10, 20, 7, 58);

/** The venue's row behind a ccxt structure. */
function info(parsed: { readonly info: unknown }): Record<string, string> {
  return parsed.info as Record<string, string>;
}

function near(actual: number | undefined, expected: number, tolerance = 1e-9): void {
  assert.ok(actual !== undefined, `expected ${expected}, got undefined`);
  assert.ok(
    Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `${actual} is not ${expected}`,
  );
}

describe('ccxt.bybit: history and account history', () => {
  let sim: RunningSim;
  let exchange: SimExchange;
  let rest: BybitRest;
  let pro: BybitPro;

  /** Steps the sim while a watch waits for a push. */
  async function stepWhile<T>(watch: Promise<T>): Promise<T> {
    let done = false;
    const result = watch.finally(() => (done = true));
    for (let i = 0; i < 200 && !done; i++) {
      sim.advance(500);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return result;
  }

  before(async () => {
    sim = await startSim({ seed: 31, manualClock: true, start: START, currencies: ['BTC'] });
    exchange = sim.world.exchanges.bybit;
    rest = restClient('bybit', sim) as BybitRest;
    pro = proClient('bybit', sim) as BybitPro;
    await pro.loadHttpProxyAgent();
    await rest.loadMarkets();
    pro.setMarkets(rest.markets);
    for (let i = 0; i < 6; i++) sim.advance(10_000);
  });

  after(async () => {
    await pro.close();
    await sim.close();
  });

  it('fetchPositionsHistory: one row per closing order, entry and exit from the fills', async () => {
    await rest.createOrder(PERP, 'market', 'buy', 0.03);
    const partial = await rest.createOrder(PERP, 'market', 'sell', 0.01);
    const flip = await rest.createOrder(PERP, 'market', 'sell', 0.04);
    const fills = exchange.fills(ACCOUNT, { instrument: PERP_ID });
    const opening = fills[0]!;
    const history = await rest.fetchPositionsHistory([PERP]);
    assert.equal(history.length, 2);
    const rowOf = (id: string) => history.find((p) => info(p)['orderId'] === id)!;
    const partialRow = rowOf(partial.id!);
    const flipRow = rowOf(flip.id!);
    const partialFill = fills.find((f) => f.orderId === partial.id)!;
    const flipFill = fills.find((f) => f.orderId === flip.id)!;
    near(partialRow.entryPrice, opening.price);
    near(Number(info(partialRow)['avgExitPrice']), partialFill.price);
    near(Number(info(partialRow)['closedSize']), 0.01);
    // The flip closes the 0.02 left and opens 0.02 short: only the closing part is here.
    near(Number(info(flipRow)['closedSize']), 0.02);
    near(Number(info(flipRow)['qty']), 0.04);
    // closedPnl = price PnL − the apportioned opening fee − the closing part of the fee.
    const openFeeShare = (opening.fee * 0.01) / 0.03;
    near(
      partialRow.realizedPnl,
      (partialFill.price - opening.price) * 0.01 - openFeeShare - partialFill.fee,
      1e-6,
    );
    near(
      flipRow.realizedPnl,
      (flipFill.price - opening.price) * 0.02 - 2 * openFeeShare - flipFill.fee / 2,
      1e-6,
    );
  });

  it('fetchLedger: a TRADE row per fill, the balance after each, the last one the wallet', async () => {
    const ledger = await rest.fetchLedger('USDT');
    const fills = exchange.fills(ACCOUNT);
    const trades = ledger.filter((entry) => info(entry)['type'] === 'TRADE');
    assert.equal(trades.length, fills.length);
    const newest = [...ledger].sort((a, b) => b.timestamp! - a.timestamp!)[0]!;
    near(newest.after, exchange.summary(ACCOUNT, 'USDT').balance, 1e-8);
    for (const entry of trades) {
      const fill = fills.find((f) => f.tradeId === info(entry)['tradeId'])!;
      near(entry.fee?.cost, fill.fee);
      // change = cashFlow + funding − fee
      const change =
        Number(info(entry)['cashFlow']) +
        Number(info(entry)['funding']) -
        Number(info(entry)['fee']);
      near(entry.amount, Math.abs(change), 1e-8);
    }
  });

  it('fetchLedger: funding at a crossed funding time is a SETTLEMENT row at the settled rate', async () => {
    // Short 0.02 from the flip above; 08:00 UTC is two minutes after the start.
    while (exchange.now() < START + 2 * 60_000 + 1000) sim.advance(10_000);
    const settlement = exchange.fundingSettlements(PERP_ID).at(-1)!;
    assert.equal(settlement.ts % EIGHT_HOURS, 0);
    const ledger = await rest.fetchLedger('USDT', undefined, undefined, { type: 'SETTLEMENT' });
    assert.equal(ledger.length, 1);
    const row = info(ledger[0]!);
    assert.equal(Number(row['transactionTime']), settlement.ts);
    near(Number(row['feeRate']), settlement.rate, 1e-8);
    // Shorts receive a positive rate: funding = rate × notional at the mark.
    near(Number(row['funding']), settlement.rate * 0.02 * settlement.markPrice, 1e-6);
    near(Number(row['size']), -0.02);
  });

  it('fetchFundingRateHistory: the settled rate since the start, the seeded past before it', async () => {
    const history = await rest.fetchFundingRateHistory(PERP, undefined, 30);
    assert.equal(history.length, 30);
    for (let i = 1; i < history.length; i++) {
      assert.equal(history[i]!.timestamp! - history[i - 1]!.timestamp!, EIGHT_HOURS);
    }
    const live = exchange.fundingSettlements(PERP_ID).at(-1)!;
    const last = history.at(-1)!;
    assert.equal(last.timestamp, live.ts);
    near(last.fundingRate, live.rate, 1e-8);
    // The past is the same on every read and within the model's clamps.
    const since = START - 100 * 86_400_000;
    const page = await rest.fetchFundingRateHistory(PERP, since, 9);
    const again = await rest.fetchFundingRateHistory(PERP, since, 9);
    assert.deepEqual(
      page.map((r) => [r.timestamp, r.fundingRate]),
      again.map((r) => [r.timestamp, r.fundingRate]),
    );
    assert.equal(page[0]!.timestamp, Math.ceil(since / EIGHT_HOURS) * EIGHT_HOURS);
    for (const row of page) assert.ok(Math.abs(row.fundingRate!) <= 0.003);
  });

  it('fetchMarkOHLCV and fetchPremiumIndexOHLCV: the newest close is the live mark and premium', async () => {
    const ticker = exchange.ticker(PERP_ID)!;
    const mark = await rest.fetchMarkOHLCV(PERP, '1m', undefined, 5);
    const premium = await rest.fetchPremiumIndexOHLCV(PERP, '1m', undefined, 5);
    const index = await rest.fetchIndexOHLCV(PERP, '1m', undefined, 5);
    assert.equal(mark.length, 5);
    assert.deepEqual(
      mark.map((c) => c[0]),
      index.map((c) => c[0]),
    );
    near(mark.at(-1)![4], ticker.markPrice, 1e-7);
    assert.ok(Math.abs(premium.at(-1)![4]! - (ticker.markPrice / ticker.indexPrice - 1)) < 1e-6);
    for (const [, open, high, low, close] of mark) {
      assert.ok(high! >= Math.max(open!, close!) && low! <= Math.min(open!, close!));
    }
    // A day from a month before the start: index × (1 + premium), column by column.
    const since = START - 30 * 86_400_000;
    const [pastMark] = await rest.fetchMarkOHLCV(PERP, '1h', since, 1);
    const [pastIndex] = await rest.fetchIndexOHLCV(PERP, '1h', since, 1);
    const [pastPremium] = await rest.fetchPremiumIndexOHLCV(PERP, '1h', since, 1);
    near(pastMark![4], pastIndex![4]! * (1 + pastPremium![4]!), 1e-6);
  });

  it('fetchTradingFees: refused without a category (ccxt sends none), answered with one', async () => {
    await assert.rejects(rest.fetchTradingFees(), /category is required/);
    const fees = await rest.fetchTradingFees({ category: 'linear' });
    near(fees[PERP]!.taker, 0.00055);
    near(fees[PERP]!.maker, 0.0002);
  });

  it('cancelAllOrdersAfter: stores a window in 3–300 s, refuses others', async () => {
    const reply = (await rest.cancelAllOrdersAfter(10_000, { type: 'option' })) as Record<
      string,
      unknown
    >;
    assert.equal(reply['retCode'], 0);
    await assert.rejects(rest.cancelAllOrdersAfter(1000), /timeWindow/);
  });

  it('watchOHLCV: the forming minute of the kline series, then unWatchOHLCV', async () => {
    const candles = await stepWhile(pro.watchOHLCV(PERP, '1m'));
    const latest = candles.at(-1)!;
    const now = exchange.now();
    assert.equal(latest[0], Math.floor(now / 60_000) * 60_000);
    const [restCandle] = await rest.fetchOHLCV(PERP, '1m', latest[0], 1);
    near(latest[1], restCandle![1]!);
    assert.equal(await pro.unWatchOHLCV(PERP, '1m'), true);
  });

  it('unWatchOrderBook: drops the depth watchOrderBook subscribed when told it', async () => {
    await stepWhile(pro.watchOrderBook(PERP));
    await assert.rejects(pro.unWatchOrderBook(PERP), /not subscribed,topic:orderbook\.500/);
    assert.equal(await pro.unWatchOrderBook(PERP, { limit: 50 }), true);
  });

  it('unWatchPositions: answered once watchPositions has subscribed', async () => {
    const snapshot = await pro.watchPositions();
    assert.ok(Array.isArray(snapshot));
    await assert.rejects(pro.unWatchPositions(), /not subscribed,topic:position/);
    const update = pro.watchPositions();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await rest.createOrder(PERP, 'market', 'buy', 0.01);
    const positions = await update;
    assert.ok(positions.some((p) => p.symbol === PERP));
    assert.equal(await pro.unWatchPositions(), true);
  });
});
