import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AccountState } from '../../src/book/account-state.js';
import type { PositionEvent, TickerEvent } from '../../src/book/events.js';
import { MarketState } from '../../src/book/market-state.js';
import type { FutureSpec, InstrumentSpec, OptionSpec } from '../../src/instruments/types.js';
import { black76Greeks, impliedVol, yearFraction } from '../../src/pricing/index.js';
import type { PositionRowView } from '../../src/view/types.js';
import { buildPositionsView } from '../../src/view/positions-view.js';
import { BTC_PERPETUAL } from './support/market-fixture.js';

const DERIBIT = 'deribit';
const BYBIT = 'bybit';
const NOW = Date.UTC(2026, 10, 20, 7, 0);
const NOV27 = Date.UTC(2026, 10, 27, 8);
const DEC25 = Date.UTC(2026, 11, 25, 8);

function inverseOption(
  base: string,
  expiry: number,
  strike: number,
  type: 'call' | 'put',
): OptionSpec {
  const code = expiry === NOV27 ? '27NOV26' : '25DEC26';
  return {
    kind: 'option',
    name: `${base}-${code}-${strike}-${type === 'call' ? 'C' : 'P'}`,
    base,
    quote: base,
    settlement: 'inverse',
    settleCurrency: base,
    expiry,
    strike,
    type,
    tickSize: 0.0001,
    tickSteps: [{ abovePrice: 0.005, tickSize: 0.0005 }],
    lotSize: base === 'BTC' ? 0.1 : 1,
    minSize: base === 'BTC' ? 0.1 : 1,
    contractSize: 1,
    sizeUnit: 'base',
  };
}

function linearOption(expiry: number, strike: number, type: 'call' | 'put'): OptionSpec {
  return {
    kind: 'option',
    name: `BTC_USDC-27NOV26-${strike}-${type === 'call' ? 'C' : 'P'}`,
    base: 'BTC',
    quote: 'USDC',
    settlement: 'linear',
    settleCurrency: 'USDC',
    expiry,
    strike,
    type,
    tickSize: 5,
    tickSteps: [],
    lotSize: 0.01,
    minSize: 0.01,
    // Amounts are coins; a contract holds 0.01 of them.
    contractSize: 0.01,
    sizeUnit: 'base',
  };
}

const BTC_USDC_PERPETUAL: FutureSpec = {
  kind: 'perpetual',
  name: 'BTC_USDC-PERPETUAL',
  base: 'BTC',
  quote: 'USDC',
  settlement: 'linear',
  settleCurrency: 'USDC',
  expiry: null,
  tickSize: 1,
  tickSteps: [],
  lotSize: 0.001,
  minSize: 0.001,
  contractSize: 0.001,
  sizeUnit: 'base',
};

const BTC_DEC_FUTURE: FutureSpec = {
  ...BTC_PERPETUAL,
  kind: 'future',
  name: 'BTC-25DEC26',
  expiry: DEC25,
};

const ETH_PERPETUAL: FutureSpec = {
  ...BTC_PERPETUAL,
  name: 'ETH-PERPETUAL',
  base: 'ETH',
  settleCurrency: 'ETH',
  tickSize: 0.05,
  lotSize: 1,
  minSize: 1,
  contractSize: 1,
};

const CALL_100K = inverseOption('BTC', NOV27, 100000, 'call');
const PUT_90K = inverseOption('BTC', NOV27, 90000, 'put');
const CALL_90K = inverseOption('BTC', NOV27, 90000, 'call');
const DEC_CALL = inverseOption('BTC', DEC25, 80000, 'call');
const ETH_CALL = inverseOption('ETH', NOV27, 3500, 'call');
const USDC_CALL = linearOption(NOV27, 95000, 'call');

function ticker(
  venue: string,
  instrument: string,
  fields: { mark: number; index?: number; forward?: number },
): TickerEvent {
  return {
    kind: 'ticker',
    venue,
    instrument,
    ts: NOW,
    bid: null,
    bidSize: null,
    ask: null,
    askSize: null,
    mark: fields.mark,
    index: fields.index ?? null,
    forward: fields.forward ?? null,
    venueIv: { bid: null, ask: null, mark: null },
    venueGreeks: null,
  };
}

function position(
  venue: string,
  instrument: string,
  size: number,
  averagePrice: number,
  extra: Partial<Pick<PositionEvent, 'markPrice' | 'unrealizedPnl'>> = {},
): PositionEvent {
  return {
    kind: 'position',
    venue,
    ts: NOW,
    instrument,
    size,
    averagePrice,
    markPrice: extra.markPrice ?? null,
    unrealizedPnl: extra.unrealizedPnl ?? null,
    realizedPnl: 0,
    venueDelta: null,
  };
}

function listed(venue: string, specs: readonly InstrumentSpec[]): MarketState {
  const market = new MarketState();
  for (const spec of specs) market.apply({ kind: 'instrument-added', venue, ts: NOW, spec });
  return market;
}

function holding(positions: readonly PositionEvent[]): AccountState {
  const account = new AccountState();
  for (const event of positions) assert.equal(account.apply(event), 'position');
  return account;
}

function rowOf(rows: readonly PositionRowView[], instrument: string): PositionRowView {
  const row = rows.find((candidate) => candidate.instrument === instrument);
  assert.ok(row, `no row for ${instrument}`);
  return row;
}

function close(actual: number, expected: number, label: string, tolerance = 1e-9): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `${label}: ${actual} is not ${expected}`,
  );
}

/** Black-76 at the IV of an inverse option's coin mark, independent of the chain's code. */
function inverseGreeks(spec: OptionSpec, mark: number, forward: number) {
  const years = yearFraction(NOW, spec.expiry);
  const iv = impliedVol(mark * forward, forward, spec.strike, years, spec.type);
  assert.ok(iv > 0, 'the test mark has an IV');
  return black76Greeks(forward, spec.strike, years, iv, spec.type);
}

const FORWARD = 91000;
const INDEX = 90000;

/** A Deribit-like book: inverse BTC options, both perpetuals, ETH, index streams. */
function deribitMarket(): MarketState {
  const market = listed(DERIBIT, [
    CALL_100K,
    PUT_90K,
    CALL_90K,
    DEC_CALL,
    ETH_CALL,
    USDC_CALL,
    BTC_PERPETUAL,
    BTC_USDC_PERPETUAL,
    BTC_DEC_FUTURE,
    ETH_PERPETUAL,
  ]);
  market.apply({ kind: 'index', venue: DERIBIT, base: 'BTC', quote: 'USD', ts: NOW, price: INDEX });
  market.apply({ kind: 'index', venue: DERIBIT, base: 'ETH', quote: 'USD', ts: NOW, price: 3000 });
  market.apply(ticker(DERIBIT, CALL_100K.name, { mark: 0.02, index: INDEX, forward: FORWARD }));
  market.apply(ticker(DERIBIT, PUT_90K.name, { mark: 0.03, index: INDEX, forward: FORWARD }));
  market.apply(ticker(DERIBIT, ETH_CALL.name, { mark: 0.01, index: 3000, forward: 3010 }));
  market.apply(ticker(DERIBIT, USDC_CALL.name, { mark: 1500, index: INDEX, forward: FORWARD }));
  market.apply(ticker(DERIBIT, BTC_PERPETUAL.name, { mark: 92000, index: INDEX }));
  market.apply(ticker(DERIBIT, BTC_USDC_PERPETUAL.name, { mark: 91950, index: INDEX }));
  market.apply(ticker(DERIBIT, ETH_PERPETUAL.name, { mark: 3005, index: 3000 }));
  market.settle(NOW);
  return market;
}

describe('buildPositionsView', () => {
  it('inverse options: PnL from the live mark in coin and USD, greeks scaled by size', () => {
    const market = deribitMarket();
    const account = holding([
      position(DERIBIT, CALL_100K.name, 2.5, 0.015, { markPrice: 0.5 }),
      position(DERIBIT, PUT_90K.name, -1.2, 0.035),
    ]);
    const view = buildPositionsView(market, account, DERIBIT);

    const call = rowOf(view.rows, CALL_100K.name);
    assert.equal(call.kind, 'option');
    assert.equal(call.mark, 0.02, "the chain's mark wins over the position event's");
    close(call.pnl, (0.02 - 0.015) * 2.5, 'call pnl');
    assert.equal(call.pnlCurrency, 'BTC');
    close(call.pnlUsd, (0.02 - 0.015) * 2.5 * INDEX, 'call pnl USD');
    const callGreeks = inverseGreeks(CALL_100K, 0.02, FORWARD);
    close(call.delta, 2.5 * callGreeks.delta, 'call delta');
    close(call.gamma, 2.5 * callGreeks.gamma, 'call gamma');
    close(call.vega, 2.5 * callGreeks.vega, 'call vega');
    close(call.theta, 2.5 * callGreeks.theta, 'call theta');

    const put = rowOf(view.rows, PUT_90K.name);
    close(put.pnl, (0.03 - 0.035) * -1.2, 'short put pnl');
    assert.ok(put.pnl > 0, 'a short put whose mark fell made money');
    const putGreeks = inverseGreeks(PUT_90K, 0.03, FORWARD);
    close(put.delta, -1.2 * putGreeks.delta, 'put delta');
    assert.ok(put.delta > 0, 'short puts are long delta');
    close(put.vega, -1.2 * putGreeks.vega, 'put vega');
    assert.ok(put.theta > 0, 'short options earn theta');
  });

  it('linear options: PnL in the stablecoin, counted as USD; sizes are coins already', () => {
    const market = deribitMarket();
    const account = holding([position(DERIBIT, USDC_CALL.name, 0.3, 1400)]);
    const row = rowOf(buildPositionsView(market, account, DERIBIT).rows, USDC_CALL.name);
    close(row.pnl, (1500 - 1400) * 0.3, 'pnl');
    assert.equal(row.pnlCurrency, 'USDC');
    assert.equal(row.pnlUsd, row.pnl);
    const years = yearFraction(NOW, NOV27);
    const iv = impliedVol(1500, FORWARD, 95000, years, 'call');
    const greeks = black76Greeks(FORWARD, 95000, years, iv, 'call');
    close(row.delta, 0.3 * greeks.delta, 'delta');
    close(row.vega, 0.3 * greeks.vega, 'vega');
  });

  it('inverse perpetual: USD size, PnL in coin (1/avg − 1/mark), delta = size / mark', () => {
    const market = deribitMarket();
    const account = holding([position(DERIBIT, BTC_PERPETUAL.name, -20000, 88000)]);
    const row = rowOf(buildPositionsView(market, account, DERIBIT).rows, BTC_PERPETUAL.name);
    assert.equal(row.kind, 'perpetual');
    assert.equal(row.mark, 92000);
    close(row.pnl, -20000 * (1 / 88000 - 1 / 92000), 'pnl');
    assert.ok(row.pnl < 0, 'short into a rally loses');
    assert.equal(row.pnlCurrency, 'BTC');
    close(row.pnlUsd, row.pnl * INDEX, 'pnl USD');
    close(row.delta, -20000 / 92000, 'delta');
    assert.deepEqual([row.gamma, row.vega, row.theta], [0, 0, 0]);
  });

  it('linear perpetual: coin size, PnL in USDC, delta = size', () => {
    const market = deribitMarket();
    const account = holding([position(DERIBIT, BTC_USDC_PERPETUAL.name, 0.75, 90000)]);
    const row = rowOf(buildPositionsView(market, account, DERIBIT).rows, BTC_USDC_PERPETUAL.name);
    close(row.pnl, (91950 - 90000) * 0.75, 'pnl');
    assert.equal(row.pnlCurrency, 'USDC');
    assert.equal(row.pnlUsd, row.pnl);
    assert.equal(row.delta, 0.75);
  });

  it('totals per base: option delta, hedge delta, net, greeks and USD PnL', () => {
    const market = deribitMarket();
    const account = holding([
      position(DERIBIT, CALL_100K.name, 2.5, 0.015),
      position(DERIBIT, PUT_90K.name, -1.2, 0.035),
      position(DERIBIT, USDC_CALL.name, 0.3, 1400),
      position(DERIBIT, BTC_PERPETUAL.name, -20000, 88000),
      position(DERIBIT, BTC_USDC_PERPETUAL.name, 0.75, 90000),
      position(DERIBIT, ETH_CALL.name, 10, 0.012),
      position(DERIBIT, ETH_PERPETUAL.name, 3000, 3000),
    ]);
    const view = buildPositionsView(market, account, DERIBIT);
    assert.deepEqual(
      view.totals.map((total) => total.base),
      ['BTC', 'ETH'],
    );
    const btcRows = view.rows.filter((row) => !row.instrument.startsWith('ETH'));
    const sum = (rows: readonly PositionRowView[], pick: (row: PositionRowView) => number) =>
      rows.reduce((total, row) => total + pick(row), 0);
    const btc = view.totals[0]!;
    const options = btcRows.filter((row) => row.kind === 'option');
    const hedges = btcRows.filter((row) => row.kind !== 'option');
    assert.equal(options.length, 3);
    assert.equal(hedges.length, 2);
    close(
      btc.optionDelta,
      sum(options, (row) => row.delta),
      'option delta',
    );
    close(btc.hedgeDelta, -20000 / 92000 + 0.75, 'hedge delta');
    close(btc.netDelta, btc.optionDelta + btc.hedgeDelta, 'net delta');
    close(
      btc.gamma,
      sum(options, (row) => row.gamma),
      'gamma',
    );
    close(
      btc.vega,
      sum(options, (row) => row.vega),
      'vega',
    );
    close(
      btc.theta,
      sum(options, (row) => row.theta),
      'theta',
    );
    close(
      btc.pnlUsd,
      sum(btcRows, (row) => row.pnlUsd),
      'pnl USD',
    );

    const eth = view.totals[1]!;
    const ethCall = rowOf(view.rows, ETH_CALL.name);
    close(eth.optionDelta, ethCall.delta, 'ETH option delta');
    close(eth.hedgeDelta, 3000 / 3005, 'ETH hedge delta');
    close(eth.pnlUsd, (0.01 - 0.012) * 10 * 3000 + 3000 * (1 / 3000 - 1 / 3005) * 3000, 'ETH PnL');
  });

  it('options first by expiry, strike, call before put; then futures, then perpetuals', () => {
    const market = deribitMarket();
    const account = holding([
      position(DERIBIT, BTC_PERPETUAL.name, 1000, 90000),
      position(DERIBIT, BTC_DEC_FUTURE.name, 1000, 90000),
      position(DERIBIT, DEC_CALL.name, 1, 0.1),
      position(DERIBIT, PUT_90K.name, 1, 0.03),
      position(DERIBIT, CALL_100K.name, 1, 0.02),
      position(DERIBIT, CALL_90K.name, 1, 0.05),
    ]);
    assert.deepEqual(
      buildPositionsView(market, account, DERIBIT).rows.map((row) => row.instrument),
      [
        CALL_90K.name,
        PUT_90K.name,
        CALL_100K.name,
        DEC_CALL.name,
        BTC_DEC_FUTURE.name,
        BTC_PERPETUAL.name,
      ],
    );
  });

  it("only the venue's non-flat positions are rows", () => {
    const market = deribitMarket();
    const account = holding([
      position(DERIBIT, CALL_100K.name, 1, 0.02),
      position(DERIBIT, PUT_90K.name, 0, 0),
      position(BYBIT, 'BTC-27NOV26-100000-C-USDT', 1, 500),
    ]);
    assert.deepEqual(
      buildPositionsView(market, account, DERIBIT).rows.map((row) => row.instrument),
      [CALL_100K.name],
    );
    assert.deepEqual(buildPositionsView(market, new AccountState(), DERIBIT), {
      rows: [],
      totals: [],
    });
  });

  it("unknown figures are NaN, fall back to the venue's, and totals add the known ones", () => {
    const market = deribitMarket();
    const account = holding([
      // Listed but never quoted: no mark, no greeks; the venue's PnL stands in.
      position(DERIBIT, CALL_90K.name, 1, 0.05, { unrealizedPnl: 0.004 }),
      // Quoted by the venue's position only: its mark prices the PnL, greeks stay unknown.
      position(DERIBIT, DEC_CALL.name, 2, 0.1, { markPrice: 0.12 }),
      // A future without a ticker: the position's mark is used for PnL and delta.
      position(DERIBIT, BTC_DEC_FUTURE.name, 9100, 90000, { markPrice: 91000 }),
      position(DERIBIT, CALL_100K.name, 1, 0.015),
      // No longer listed: shown with the venue's figures, left out of the totals.
      position(DERIBIT, 'BTC-30OCT26-70000-C', 1, 0.3, { markPrice: 0.25, unrealizedPnl: -0.05 }),
    ]);
    const view = buildPositionsView(market, account, DERIBIT);

    const unquoted = rowOf(view.rows, CALL_90K.name);
    assert.ok(Number.isNaN(unquoted.mark));
    assert.equal(unquoted.pnl, 0.004);
    close(unquoted.pnlUsd, 0.004 * INDEX, 'venue pnl in USD');
    assert.ok([unquoted.delta, unquoted.gamma, unquoted.vega, unquoted.theta].every(Number.isNaN));

    const fallback = rowOf(view.rows, DEC_CALL.name);
    assert.equal(fallback.mark, 0.12);
    close(fallback.pnl, 0.04, 'pnl from the position mark');
    assert.ok(Number.isNaN(fallback.delta));

    const future = rowOf(view.rows, BTC_DEC_FUTURE.name);
    assert.equal(future.kind, 'future');
    assert.equal(future.mark, 91000);
    close(future.delta, 0.1, 'delta at the fallback mark');
    close(future.pnl, 9100 * (1 / 90000 - 1 / 91000), 'future pnl');

    const gone = view.rows.at(-1)!;
    assert.equal(gone.instrument, 'BTC-30OCT26-70000-C');
    assert.equal(gone.kind, 'unknown');
    assert.equal(gone.mark, 0.25);
    assert.equal(gone.pnl, -0.05);
    assert.ok(Number.isNaN(gone.pnlUsd));

    assert.equal(view.totals.length, 1);
    const btc = view.totals[0]!;
    const call = rowOf(view.rows, CALL_100K.name);
    for (const value of Object.values(btc))
      assert.ok(typeof value === 'string' || Number.isFinite(value));
    close(btc.optionDelta, call.delta, 'option delta of the known ones');
    close(btc.gamma, call.gamma, 'gamma of the known ones');
    close(btc.netDelta, call.delta + 0.1, 'net delta');
    close(btc.pnlUsd, unquoted.pnlUsd + fallback.pnlUsd + future.pnlUsd + call.pnlUsd, 'pnl');
  });

  it('without an index stream, USD values use the options’ index, else the perpetual', () => {
    const option: OptionSpec = {
      ...linearOption(NOV27, 100000, 'call'),
      name: 'BTC-27NOV26-100000-C-USDT',
      quote: 'USDT',
      settleCurrency: 'USDT',
      contractSize: 1,
    };
    const inversePerp: FutureSpec = {
      ...BTC_PERPETUAL,
      name: 'BTCUSD',
      contractSize: 1,
      lotSize: 1,
    };
    const ethPerp: FutureSpec = { ...ETH_PERPETUAL, name: 'ETHUSD', contractSize: 1 };
    const market = listed(BYBIT, [inversePerp, ethPerp]);
    market.apply(ticker(BYBIT, inversePerp.name, { mark: 92000, index: 91500 }));
    market.apply(ticker(BYBIT, ethPerp.name, { mark: 3005 }));
    const account = holding([
      position(BYBIT, inversePerp.name, 1000, 90000),
      position(BYBIT, ethPerp.name, 500, 3000),
    ]);
    const perpOnly = buildPositionsView(market, account, BYBIT);
    const btc = rowOf(perpOnly.rows, inversePerp.name);
    close(btc.pnlUsd, btc.pnl * 91500, "the perpetual's index");
    const eth = rowOf(perpOnly.rows, ethPerp.name);
    close(eth.pnlUsd, eth.pnl * 3005, "the perpetual's mark");

    // The option chain carries an index in its tickers: it is preferred.
    market.apply({ kind: 'instrument-added', venue: BYBIT, ts: NOW, spec: option });
    market.apply(ticker(BYBIT, option.name, { mark: 1800, index: 91000, forward: FORWARD }));
    market.settle(NOW);
    const withChain = buildPositionsView(market, account, BYBIT);
    close(rowOf(withChain.rows, inversePerp.name).pnlUsd, btc.pnl * 91000, "the chain's index");
  });
});
