// Deltas in coins: option positions by source and convention, the hedge position by its
// amount unit, and "unknown" rather than a guess whenever a held option lacks a figure. The
// last test checks the sum against the positions panel on the same real market state, so the
// hedger and the screen can never disagree about the book's delta.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AccountState } from '../../src/book/account-state.js';
import type { PositionEvent, TickerEvent } from '../../src/book/events.js';
import { MarketState } from '../../src/book/market-state.js';
import {
  hedgeDelta,
  optionsDelta,
  type OptionDeltaQuote,
  type OptionQuoteLookup,
} from '../../src/hedge/delta.js';
import type { OptionSpec } from '../../src/instruments/types.js';
import { buildPositionsView } from '../../src/view/positions-view.js';
import { BTC_PERPETUAL } from '../view/support/market-fixture.js';

const VENUE = 'deribit';
const NOW = Date.UTC(2026, 10, 20, 7, 0);
const NOV27 = Date.UTC(2026, 10, 27, 8);

function position(instrument: string, size: number, venueDelta: number | null = null) {
  const event: PositionEvent = {
    kind: 'position',
    venue: VENUE,
    ts: NOW,
    instrument,
    size,
    averagePrice: 0.02,
    markPrice: null,
    unrealizedPnl: null,
    realizedPnl: null,
    venueDelta,
  };
  return event;
}

function quote(
  settlement: 'inverse' | 'linear',
  delta: number | null,
  mark: number | null,
  ts?: number,
): OptionDeltaQuote {
  return { spec: { settlement }, delta, mark, ...(ts === undefined ? {} : { ts }) };
}

function lookup(quotes: Record<string, OptionDeltaQuote>): OptionQuoteLookup {
  return (instrument) => quotes[instrument];
}

function close(actual: number | null, expected: number, label = 'delta'): void {
  assert.ok(actual !== null, `${label} is unknown`);
  assert.ok(Math.abs(actual - expected) < 1e-12, `${label}: ${actual} is not ${expected}`);
}

const CALL = 'BTC-27NOV26-100000-C';
const PUT = 'BTC-27NOV26-90000-P';
const USDC_CALL = 'BTC_USDC-27NOV26-95000-C';

const QUOTES = lookup({
  [CALL]: quote('inverse', 0.3, 0.02, NOW - 400),
  [PUT]: quote('inverse', -0.45, 0.03, NOW - 900),
  [USDC_CALL]: quote('linear', 0.4, 1500, NOW - 100),
});

describe('optionsDelta', () => {
  it('adds size × per-coin forward delta over the options, leaving anything else out', () => {
    const positions = [
      position(CALL, 2.5),
      position(PUT, -1.2),
      position('BTC-PERPETUAL', -20_000),
      position('ETH-27NOV26-3500-C', 4),
    ];
    const result = optionsDelta(positions, QUOTES, 'forward', 'model');
    close(result.delta, 2.5 * 0.3 + -1.2 * -0.45);
    assert.equal(result.oldestTs, NOW - 900);
  });

  it('premium-adjusts inverse options only: forward delta less the coin mark', () => {
    const positions = [position(CALL, 2.5), position(PUT, -1.2), position(USDC_CALL, 0.3)];
    const result = optionsDelta(positions, QUOTES, 'premium-adjusted', 'model');
    close(result.delta, 2.5 * (0.3 - 0.02) + -1.2 * (-0.45 - 0.03) + 0.3 * 0.4);
    const forward = optionsDelta(positions, QUOTES, 'forward', 'model');
    close(forward.delta, 2.5 * 0.3 + -1.2 * -0.45 + 0.3 * 0.4);
  });

  it("takes the venue's position delta as published, with no size or premium applied", () => {
    const positions = [position(CALL, 2.5, 0.71), position(PUT, -1.2, 0.5)];
    close(optionsDelta(positions, QUOTES, 'forward', 'venue').delta, 0.71 + 0.5);
    close(optionsDelta(positions, QUOTES, 'premium-adjusted', 'venue').delta, 0.71 + 0.5);
  });

  it("falls back to ivtrade's delta, in the chosen convention, where the venue sent none", () => {
    const positions = [position(CALL, 2.5, 0.71), position(PUT, -1.2, null)];
    close(optionsDelta(positions, QUOTES, 'forward', 'venue').delta, 0.71 + -1.2 * -0.45);
    close(
      optionsDelta(positions, QUOTES, 'premium-adjusted', 'venue').delta,
      0.71 + -1.2 * (-0.45 - 0.03),
    );
  });

  it('is unknown when a held option has no delta, yet still reports the oldest quote', () => {
    const quotes = lookup({
      [CALL]: quote('inverse', 0.3, 0.02, NOW - 400),
      [PUT]: quote('inverse', null, 0.03, NOW - 900),
    });
    const result = optionsDelta([position(CALL, 1), position(PUT, 1)], quotes, 'forward', 'model');
    assert.equal(result.delta, null);
    assert.equal(result.oldestTs, NOW - 900);
  });

  it('is unknown when premium adjustment needs a coin mark there is none of', () => {
    const quotes = lookup({ [CALL]: quote('inverse', 0.3, null) });
    const held = [position(CALL, 1)];
    assert.equal(optionsDelta(held, quotes, 'premium-adjusted', 'model').delta, null);
    close(optionsDelta(held, quotes, 'forward', 'model').delta, 0.3, 'forward needs no mark');
  });

  it('treats a non-finite venue figure as absent and a NaN delta as unknown', () => {
    const quotes = lookup({ [CALL]: quote('inverse', NaN, 0.02) });
    const held = [position(CALL, 1, NaN)];
    assert.equal(optionsDelta(held, quotes, 'forward', 'venue').delta, null);
  });

  it('skips flat positions even without a quote, and sums nothing to zero', () => {
    const quotes = lookup({ [CALL]: quote('inverse', null, null) });
    const flat = optionsDelta([position(CALL, 0)], quotes, 'forward', 'model');
    assert.deepEqual(flat, { delta: 0, oldestTs: null });
    assert.deepEqual(optionsDelta([], quotes, 'forward', 'model'), { delta: 0, oldestTs: null });
  });

  it('has no oldest time when the quotes carry none', () => {
    const quotes = lookup({ [CALL]: quote('inverse', 0.3, 0.02) });
    const result = optionsDelta([position(CALL, 2)], quotes, 'forward', 'model');
    assert.deepEqual(result, { delta: 0.6, oldestTs: null });
  });
});

describe('hedgeDelta', () => {
  it('counts a base-unit size as coins, mark or not', () => {
    assert.equal(hedgeDelta(0.125, 'base', 90_000), 0.125);
    assert.equal(hedgeDelta(-0.125, 'base', null), -0.125);
  });

  it('turns a USD-sized inverse position into coins at the mark', () => {
    assert.equal(hedgeDelta(-20_000, 'usd', 80_000), -0.25);
    assert.equal(hedgeDelta(45_000, 'usd', 90_000), 0.5);
  });

  it('is unknown for a USD size without a usable mark, but zero when flat', () => {
    for (const mark of [null, 0, -5, NaN]) assert.equal(hedgeDelta(10, 'usd', mark), null);
    assert.equal(hedgeDelta(0, 'usd', null), 0);
  });
});

describe('optionsDelta and the positions panel', () => {
  const option = (strike: number, type: 'call' | 'put'): OptionSpec => ({
    kind: 'option',
    name: `BTC-27NOV26-${strike}-${type === 'call' ? 'C' : 'P'}`,
    base: 'BTC',
    quote: 'BTC',
    settlement: 'inverse',
    settleCurrency: 'BTC',
    expiry: NOV27,
    strike,
    type,
    tickSize: 0.0001,
    tickSteps: [],
    lotSize: 0.1,
    minSize: 0.1,
    contractSize: 1,
    sizeUnit: 'base',
  });
  // The market fixture's inverse perpetual: $10 lots, USD-sized.
  const perpetual = BTC_PERPETUAL;
  const ticker = (instrument: string, mark: number, forward: number | null): TickerEvent => ({
    kind: 'ticker',
    venue: VENUE,
    instrument,
    ts: NOW,
    bid: null,
    bidSize: null,
    ask: null,
    askSize: null,
    mark,
    index: 90_000,
    forward,
    venueIv: { bid: null, ask: null, mark: null },
    venueGreeks: null,
  });

  it('agrees with the panel on option delta and hedge delta for the same state', () => {
    const specs = [option(90_000, 'call'), option(90_000, 'put'), option(100_000, 'call')];
    const market = new MarketState();
    for (const spec of [...specs, perpetual]) {
      market.apply({ kind: 'instrument-added', venue: VENUE, ts: NOW, spec });
    }
    market.apply(ticker(specs[0]!.name, 0.045, 91_000));
    market.apply(ticker(specs[1]!.name, 0.035, 91_000));
    market.apply(ticker(specs[2]!.name, 0.012, 91_000));
    market.apply(ticker(perpetual.name, 91_500, null));
    market.settle(NOW);
    const account = new AccountState();
    const held = [
      position(specs[0]!.name, -3),
      position(specs[1]!.name, -3),
      position(specs[2]!.name, 1.5),
      position(perpetual.name, 40_000),
    ];
    for (const event of held) account.apply(event);

    const chain = market.chain(VENUE, 'BTC', 'BTC');
    assert.ok(chain !== undefined);
    const ours = optionsDelta(
      account.positions(VENUE),
      (instrument) => chain.option(instrument),
      'forward',
      'model',
    );
    const totals = buildPositionsView(market, account, VENUE).totals.find((t) => t.base === 'BTC');
    assert.ok(totals !== undefined);
    assert.ok(totals.optionDelta !== 0);
    close(ours.delta, totals.optionDelta, 'options delta');
    close(hedgeDelta(40_000, perpetual.sizeUnit, 91_500), totals.hedgeDelta, 'hedge delta');
  });
});
