// Scenario revaluation against independent arithmetic: the npm black-scholes package (r = 0
// and S = F make it Black-76) and hand formulas for futures; a delta-neutral straddle's
// matrix symmetric to first order; put–call parity in every cell, before and after expiry.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bs from 'black-scholes';
import {
  cellIndex,
  coinScenario,
  DEFAULT_SPOT_MOVES,
  DEFAULT_VOL_SHIFTS,
  greeksByExpiry,
  type RiskPosition,
  type ScenarioGrid,
} from '../../src/risk/scenario.js';

const NOW = Date.UTC(2026, 11, 6, 12);
const DAY = 86_400_000;
const EXPIRY = NOW + 30 * DAY;
const F = 90_000;
const SPOT = 89_800;

function option(fields: Partial<RiskPosition>): RiskPosition {
  return {
    instrument: 'BTC-5JAN27-90000-C',
    base: 'BTC',
    kind: 'option',
    settlement: 'linear',
    size: 1,
    forward: F,
    expiry: EXPIRY,
    strike: 90_000,
    type: 'call',
    iv: 0.55,
    ...fields,
  };
}

function future(fields: Partial<RiskPosition>): RiskPosition {
  return {
    instrument: 'BTC-PERPETUAL',
    base: 'BTC',
    kind: 'perpetual',
    settlement: 'inverse',
    size: 10_000,
    forward: F,
    expiry: null,
    strike: NaN,
    type: null,
    iv: NaN,
    ...fields,
  };
}

const GRID: ScenarioGrid = {
  spotMoves: DEFAULT_SPOT_MOVES,
  volShifts: DEFAULT_VOL_SHIFTS,
  horizonsMs: [0, 7 * DAY],
};
const at = (move: number): number => GRID.spotMoves.findIndex((m) => Math.abs(m - move) < 1e-12);
const vol = (shift: number): number => GRID.volShifts.findIndex((v) => Math.abs(v - shift) < 1e-12);

function peer(f: number, k: number, days: number, sigma: number, type: 'call' | 'put'): number {
  return bs.blackScholes(f, k, days / 365, sigma, 0, type);
}

describe('scenario revaluation', () => {
  it('is 0 at the centre now, and has the default 21 × 9 grid', () => {
    const matrix = coinScenario('BTC', [option({})], SPOT, GRID, NOW);
    assert.equal(matrix.pnlUsd.length, 2 * 9 * 21);
    assert.equal(matrix.pnlUsd[cellIndex(GRID, 0, vol(0), at(0))], 0);
    assert.equal(GRID.spotMoves[0], -0.2);
    assert.equal(GRID.volShifts.at(-1), 0.2);
  });

  it("a long linear call's PnL at +10 % is its Black-76 repricing", () => {
    const matrix = coinScenario('BTC', [option({ size: 2 })], SPOT, GRID, NOW);
    const expected =
      2 * (peer(F * 1.1, 90_000, 30, 0.55, 'call') - peer(F, 90_000, 30, 0.55, 'call'));
    const got = matrix.pnlUsd[cellIndex(GRID, 0, vol(0), at(0.1))]!;
    assert.ok(Math.abs(got - expected) < 1e-6 * Math.abs(expected), `${got} vs ${expected}`);
    // +5 vol points and 7 days on: the same call repriced at 60 % with 23 days left.
    const later = matrix.pnlUsd[cellIndex(GRID, 1, vol(0.05), at(0.1))]!;
    const expectedLater =
      2 * (peer(F * 1.1, 90_000, 23, 0.6, 'call') - peer(F, 90_000, 30, 0.55, 'call'));
    assert.ok(Math.abs(later - expectedLater) < 1e-6 * Math.abs(expectedLater));
  });

  it('keeps its digits deep in and out of the money (against src/pricing)', async () => {
    const { black76Price } = await import('../../src/pricing/black76.js');
    for (const [strike, type] of [
      [40_000, 'put'],
      [40_000, 'call'],
      [200_000, 'call'],
      [200_000, 'put'],
    ] as const) {
      const held = option({ strike, type, iv: 0.35 });
      const matrix = coinScenario('BTC', [held], SPOT, GRID, NOW);
      for (const move of [-0.2, 0, 0.2]) {
        const T = 30 / 365;
        const expected =
          black76Price(F * (1 + move), strike, T, 0.35 - 0.2, type) -
          black76Price(F, strike, T, 0.35, type);
        const got = matrix.pnlUsd[cellIndex(GRID, 0, vol(-0.2), at(move))]!;
        const scale = Math.max(Math.abs(expected), 1e-300);
        assert.ok(
          Math.abs(got - expected) <= 1e-9 * scale + 1e-9,
          `${type} ${strike} at ${move}: ${got} vs ${expected}`,
        );
      }
    }
  });

  it('an inverse call makes coin, worth USD at the scenario spot', () => {
    const matrix = coinScenario('BTC', [option({ settlement: 'inverse' })], SPOT, GRID, NOW);
    const coinNow = peer(F, 90_000, 30, 0.55, 'call') / F;
    const coinThen = peer(F * 0.9, 90_000, 30, 0.55, 'call') / (F * 0.9);
    const expected = (coinThen - coinNow) * SPOT * 0.9;
    const got = matrix.pnlUsd[cellIndex(GRID, 0, vol(0), at(-0.1))]!;
    assert.ok(Math.abs(got - expected) < 1e-6 * Math.abs(expected), `${got} vs ${expected}`);
    // Its delta is premium-adjusted: N(d1) less the coin price.
    const s = 0.55 * Math.sqrt(30 / 365);
    const nd1 = bs.stdNormCDF(0.5 * s);
    const delta = matrix.delta[cellIndex(GRID, 0, vol(0), at(0))]!;
    assert.ok(Math.abs(delta - (nd1 - coinNow)) < 1e-6, `${delta}`);
  });

  it('futures: hand formulas, inverse and linear', () => {
    const matrix = coinScenario(
      'BTC',
      [future({}), future({ instrument: 'BTCUSDT', settlement: 'linear', size: -0.5 })],
      SPOT,
      GRID,
      NOW,
    );
    const cell = cellIndex(GRID, 1, vol(-0.2), at(0.2));
    const inverse = 10_000 * (1 / F - 1 / (F * 1.2)) * SPOT * 1.2;
    const linear = -0.5 * (F * 1.2 - F);
    assert.ok(Math.abs(matrix.pnlUsd[cell]! - (inverse + linear)) < 1e-6);
    assert.ok(Math.abs(matrix.delta[cell]! - (10_000 / (F * 1.2) - 0.5)) < 1e-12);
    assert.equal(matrix.vega[cell], 0);
  });

  it('a delta-neutral straddle is symmetric to first order', () => {
    const sigma = 0.55;
    const T = 30 / 365;
    // N(d1) = ½ at K = F·e^{σ²T/2}: the straddle's delta is 0.
    const K = F * Math.exp((sigma * sigma * T) / 2);
    const straddle = [
      option({ strike: K, type: 'call' }),
      option({ strike: K, type: 'put', instrument: 'BTC-5JAN27-90000-P' }),
    ];
    const matrix = coinScenario('BTC', straddle, SPOT, GRID, NOW);
    assert.ok(Math.abs(matrix.delta[cellIndex(GRID, 0, vol(0), at(0))]!) < 1e-9);
    for (const move of [0.02, 0.04, 0.06]) {
      const up = matrix.pnlUsd[cellIndex(GRID, 0, vol(0), at(move))]!;
      const down = matrix.pnlUsd[cellIndex(GRID, 0, vol(0), at(-move))]!;
      assert.ok(up > 0 && down > 0, 'long gamma gains both ways');
      // Second order the same; the odd terms start at the third.
      assert.ok(Math.abs(up - down) < 0.1 * Math.min(up, down), `${move}: ${up} vs ${down}`);
    }
  });

  it('put–call parity holds in every cell, through expiry', () => {
    // Long call, short put, short the forward: worth nothing whatever happens.
    const book = [
      option({ type: 'call' }),
      option({ type: 'put', size: -1, instrument: 'BTC-5JAN27-90000-P' }),
      future({
        instrument: 'BTC-5JAN27',
        kind: 'future',
        settlement: 'linear',
        size: -1,
        expiry: EXPIRY,
      }),
    ];
    const grid: ScenarioGrid = { ...GRID, horizonsMs: [0, 7 * DAY, 45 * DAY] };
    const matrix = coinScenario('BTC', book, SPOT, grid, NOW);
    for (let cell = 0; cell < matrix.pnlUsd.length; cell++) {
      assert.ok(Math.abs(matrix.pnlUsd[cell]!) < 1e-6, `cell ${cell}: ${matrix.pnlUsd[cell]}`);
      assert.ok(Math.abs(matrix.delta[cell]!) < 1e-9, `cell ${cell}: delta ${matrix.delta[cell]}`);
    }
    // Past expiry the options are settled: no greeks left.
    const after = cellIndex(grid, 2, vol(0), at(0.1));
    assert.equal(matrix.vega[after], 0);
    assert.equal(matrix.gamma[after], 0);
  });

  it('an expired option is settled at intrinsic on the scenario price', () => {
    const grid: ScenarioGrid = { ...GRID, horizonsMs: [40 * DAY] };
    const matrix = coinScenario('BTC', [option({ strike: 85_000 })], SPOT, grid, NOW);
    const paid = peer(F, 85_000, 30, 0.55, 'call');
    const got = matrix.pnlUsd[cellIndex(grid, 0, vol(0.2), at(0.1))]!;
    assert.ok(Math.abs(got - (F * 1.1 - 85_000 - paid)) < 1e-6);
  });

  it('names a position it cannot value, and counts it nowhere', () => {
    const matrix = coinScenario(
      'BTC',
      [option({}), option({ instrument: 'BTC-5JAN27-95000-C', iv: NaN })],
      SPOT,
      GRID,
      NOW,
    );
    assert.deepEqual(matrix.missing, ['BTC-5JAN27-95000-C']);
    assert.equal(matrix.positions, 1);
    const alone = coinScenario('BTC', [option({})], SPOT, GRID, NOW);
    assert.deepEqual(matrix.pnlUsd, alone.pnlUsd);
  });

  it('greeks by expiry add up to the matrix centre now', () => {
    const book = [
      option({}),
      option({ expiry: NOW + 90 * DAY, size: -3, instrument: 'BTC-6MAR27-90000-C' }),
      future({}),
    ];
    const rows = greeksByExpiry(book, SPOT, NOW);
    assert.deepEqual(
      rows.map((row) => row.expiry),
      [EXPIRY, NOW + 90 * DAY, null],
    );
    const matrix = coinScenario('BTC', book, SPOT, GRID, NOW);
    const centre = cellIndex(GRID, 0, vol(0), at(0));
    const sum = (pick: (row: (typeof rows)[number]) => number): number =>
      rows.reduce((total, row) => total + pick(row), 0);
    assert.ok(Math.abs(sum((row) => row.delta) - matrix.delta[centre]!) < 1e-9);
    assert.ok(Math.abs(sum((row) => row.vega) - matrix.vega[centre]!) < 1e-9);
    assert.ok(rows[0]!.theta < 0 && rows[1]!.theta > 0, 'long decays, short earns');
  });
});

describe('surface-shaped scenarios', () => {
  // A linear smile in k: the IV 0.55 at the money, 0.2 lower per unit of ln(K/F) above it.
  const smile = (k: number): number => 0.55 - 0.2 * k;
  const grid: ScenarioGrid = { spotMoves: [-0.1, 0, 0.1], volShifts: [0], horizonsMs: [0] };

  it('sticky moneyness reprices each spot move at the smile IV of the new ln(K/F)', () => {
    const call = option({ strike: 100_000, iv: smile(Math.log(100_000 / F)), smile });
    const sticky = coinScenario('BTC', [call], SPOT, { ...grid, smile: 'sticky-moneyness' }, NOW);
    const T = (EXPIRY - NOW) / (365 * DAY);
    for (const [at, move] of grid.spotMoves.entries()) {
      const moved = F * (1 + move);
      const iv = smile(Math.log(100_000 / moved));
      const now = bs.blackScholes(F, 100_000, T, call.iv, 0, 'call');
      const then = bs.blackScholes(moved, 100_000, T, iv, 0, 'call');
      const cell = sticky.pnlUsd[cellIndex(grid, 0, 0, at)]!;
      assert.ok(Math.abs(cell - (then - now)) < 1e-6 * Math.max(1, Math.abs(then)), `${move}`);
    }
    // Down 10 %, this call's strike is further out of the money: a lower IV than it keeps
    // under sticky strike, so it is worth less.
    const strike = coinScenario('BTC', [call], SPOT, grid, NOW);
    assert.ok(sticky.pnlUsd[cellIndex(grid, 0, 0, 0)]! < strike.pnlUsd[cellIndex(grid, 0, 0, 0)]!);
    // No smile to follow: the same as sticky strike.
    const bare = coinScenario(
      'BTC',
      [{ ...call, smile: null }],
      SPOT,
      { ...grid, smile: 'sticky-moneyness' },
      NOW,
    );
    assert.deepEqual([...bare.pnlUsd], [...strike.pnlUsd]);
  });

  it('a term-shaped shift moves a week-out option by √(30/7) times the points, capped at 3', () => {
    const shifted: ScenarioGrid = { spotMoves: [0], volShifts: [0.05], horizonsMs: [0] };
    const week = option({ expiry: NOW + 7 * DAY });
    const term = coinScenario('BTC', [week], SPOT, { ...shifted, volShape: 'term' }, NOW);
    const T = 7 / 365;
    const expected =
      bs.blackScholes(F, 90_000, T, 0.55 + 0.05 * Math.sqrt(30 / 7), 0, 'call') -
      bs.blackScholes(F, 90_000, T, 0.55, 0, 'call');
    assert.ok(Math.abs(term.pnlUsd[0]! - expected) < 1e-6 * expected);
    const day = option({ expiry: NOW + DAY });
    const capped = coinScenario('BTC', [day], SPOT, { ...shifted, volShape: 'term' }, NOW);
    const cap =
      bs.blackScholes(F, 90_000, 1 / 365, 0.55 + 0.15, 0, 'call') -
      bs.blackScholes(F, 90_000, 1 / 365, 0.55, 0, 'call');
    assert.ok(Math.abs(capped.pnlUsd[0]! - cap) < 1e-6 * cap);
    // At 30 days the weight is 1: the same as parallel.
    const month = coinScenario('BTC', [option({})], SPOT, { ...shifted, volShape: 'term' }, NOW);
    const parallel = coinScenario('BTC', [option({})], SPOT, shifted, NOW);
    assert.ok(Math.abs(month.pnlUsd[0]! - parallel.pnlUsd[0]!) < 1e-9);
  });
});
