import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normInv } from '../../src/pricing/index.js';
import {
  deltaAt,
  expiryReadouts,
  fitSurface,
  GRID_LOG_MONEYNESS,
  smileAt,
  smileReadouts,
  strikeForDelta,
  surfaceGrid,
  sviSlope,
  sviTotalVariance,
  volIndex,
  expiryVariance,
  surfaceReport,
  type ExpiryChain,
  type ExpiryFit,
  type SviParams,
} from '../../src/surface/index.js';
import { DAY_MS, flatChain, NOW_MS } from './synthetic.js';

function flatFit(sigma: number, days: number): ExpiryFit {
  const years = days / 365;
  return {
    expiryMs: NOW_MS + days * DAY_MS,
    years,
    forward: 2_000,
    kind: 'flat',
    params: { a: sigma * sigma * years, b: 0, rho: 0, m: 0, sigma: 0.1 },
    quality: { quotes: 1, twoSided: 1, insideSpread: 1, rmsOutside: 0, maxOutside: 0 },
    kMin: -0.5,
    kMax: 0.5,
    arbitrage: [],
  };
}

function close(a: number | null, b: number, tol: number, what: string): void {
  assert.ok(a !== null && Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);
}

describe('grid and read-outs on a flat 60 % surface', () => {
  const fits = [7, 30, 90, 200].map((d) => flatFit(0.6, d));

  it('every grid cell is 60 %, RR = BF = 0, skew 0; nothing after the last expiry', () => {
    const grid = surfaceGrid(fits, 'forward', [1, 7, 14, 30, 60, 90, 180, 365]);
    assert.deepEqual(grid.logMoneyness, GRID_LOG_MONEYNESS);
    assert.equal(GRID_LOG_MONEYNESS[0], -0.5);
    assert.equal(GRID_LOG_MONEYNESS[5], 0);
    for (const row of grid.rows.slice(0, 7)) {
      for (const v of row.byLogMoneyness) close(v, 0.6, 1e-12, `${row.days}d k`);
      for (const v of row.byDelta) close(v, 0.6, 1e-12, `${row.days}d delta`);
      close(row.readouts.atmIv, 0.6, 1e-12, 'atm');
      close(row.readouts.rr25, 0, 1e-12, 'rr25');
      close(row.readouts.bf25, 0, 1e-12, 'bf25');
      close(row.readouts.rr10, 0, 1e-12, 'rr10');
      close(row.readouts.bf10, 0, 1e-12, 'bf10');
      close(row.readouts.skewSlope, 0, 1e-9, 'skew');
      assert.equal(row.readouts.deltaConvention, 'forward');
    }
    const beyond = grid.rows[7]!;
    assert.equal(beyond.days, 365);
    assert.ok(beyond.byLogMoneyness.every((v) => v === null));
    assert.ok(beyond.byDelta.every((v) => v === null));
    assert.equal(beyond.readouts.atmIv, null);
  });

  it('delta strikes are the Black-76 ones: k = σ²T/2 − N⁻¹(δ)·σ√T for calls', () => {
    const T = 30 / 365;
    const s = smileAt(fits, T)!;
    const sd = 0.6 * Math.sqrt(T);
    for (const delta of [0.1, 0.25, 0.4]) {
      close(
        strikeForDelta(s, delta, 'forward'),
        0.5 * sd * sd - normInv(delta) * sd,
        1e-10,
        `call ${delta}`,
      );
      close(
        strikeForDelta(s, -delta, 'forward'),
        0.5 * sd * sd + normInv(delta) * sd,
        1e-10,
        `put ${delta}`,
      );
    }
  });

  it('premium-adjusted deltas: the strike has that delta, closer to the money for calls', () => {
    const s = smileAt(fits, 90 / 365)!;
    for (const delta of [0.1, 0.25, -0.25, -0.1]) {
      const k = strikeForDelta(s, delta, 'premium-adjusted')!;
      close(deltaAt(s, k, delta > 0, 'premium-adjusted'), delta, 1e-10, `pa ${delta}`);
      const fwd = strikeForDelta(s, delta, 'forward')!;
      // Δ_pa = Δ − V/F lies below Δ: a call reaches the same delta nearer the money, a put
      // further out; either way at a lower strike.
      assert.ok(k < fwd, `${delta}: pa ${k} forward ${fwd}`);
    }
    assert.equal(smileReadouts(s, 'premium-adjusted').deltaConvention, 'premium-adjusted');
  });
});

describe('term structure in total variance', () => {
  const fits = [flatFit(0.8, 10), flatFit(0.6, 40)];

  it('is linear in T between expiries at fixed k', () => {
    const T = 30 / 365;
    const w1 = 0.64 * (10 / 365);
    const w2 = 0.36 * (40 / 365);
    const w = w1 + ((30 - 10) / (40 - 10)) * (w2 - w1);
    close(smileAt(fits, T)!.w(0.2), w, 1e-15, 'w');
    const grid = surfaceGrid(fits, 'forward', [30]);
    close(grid.rows[0]!.readouts.atmIv, Math.sqrt(w / T), 1e-12, 'atm 30d');
  });

  it('holds the first expiry’s vols before it and has nothing after the last', () => {
    close(surfaceGrid(fits, 'forward', [1]).rows[0]!.readouts.atmIv, 0.8, 1e-12, '1d');
    assert.equal(smileAt(fits, 41 / 365), null);
    assert.equal(smileAt(fits, 0), null);
    assert.equal(smileAt([], 0.1), null);
  });
});

describe('read-outs on a skewed smile', () => {
  const p: SviParams = { a: 0.01, b: 0.1, rho: -0.5, m: 0.05, sigma: 0.2 };
  const T = 0.25;
  const fit: ExpiryFit = { ...flatFit(0.5, 91), years: T, params: p };

  it('skew slope is dσ/dk at the forward, RR negative with ρ < 0, BF positive', () => {
    const r = expiryReadouts(fit);
    const w0 = sviTotalVariance(p, 0);
    close(r.atmIv, Math.sqrt(w0 / T), 1e-15, 'atm');
    close(r.skewSlope, sviSlope(p, 0) / (2 * Math.sqrt(w0 * T)), 1e-7, 'skew');
    assert.ok(r.rr25! < 0 && r.rr10! < r.rr25!, JSON.stringify(r));
    assert.ok(r.bf25! > 0 && r.bf10! > r.bf25!, JSON.stringify(r));
  });

  it('a 25Δ risk reversal is the call vol minus the put vol at their delta strikes', () => {
    const s = { years: T, w: (k: number) => sviTotalVariance(p, k) };
    const kc = strikeForDelta(s, 0.25, 'forward')!;
    const kp = strikeForDelta(s, -0.25, 'forward')!;
    const iv = (k: number): number => Math.sqrt(sviTotalVariance(p, k) / T);
    close(expiryReadouts(fit).rr25, iv(kc) - iv(kp), 1e-12, 'rr25');
    close(expiryReadouts(fit).bf25, 0.5 * (iv(kc) + iv(kp)) - iv(0), 1e-12, 'bf25');
  });
});

describe('30-day volatility index', () => {
  it('on a flat-vol chain is the vol (dense strikes: discretisation under 0.2 vol points)', () => {
    for (const sigma of [0.4, 0.8]) {
      const v = expiryVariance(flatChain(sigma, 30))!;
      close(Math.sqrt(v.variance), sigma, 0.002, `σ ${sigma}`);
    }
    const index = volIndex([flatChain(0.6, 20), flatChain(0.6, 45)]);
    assert.equal(index.method, 'interpolated');
    close(index.value, 0.6, 0.002, 'index');
  });

  it('interpolates total variance between the bracketing expiries', () => {
    const near = flatChain(0.8, 20);
    const next = flatChain(0.5, 45);
    const index = volIndex([next, near, flatChain(0.7, 90)]);
    const v1 = index.near!.variance;
    const v2 = index.next!.variance;
    const T1 = 20 / 365;
    const T2 = 45 / 365;
    const T = 30 / 365;
    const w = (T1 * v1 * (T2 - T) + T2 * v2 * (T - T1)) / (T2 - T1);
    close(index.value, Math.sqrt(w / T), 1e-15, 'interpolated');
    close(
      index.value,
      Math.sqrt((0.64 * 20 * 15 + 0.25 * 45 * 10) / 25 / 30),
      0.003,
      'vs flat vols',
    );
  });

  it('with every expiry after 30 days the first stands in; with none after, there is none', () => {
    const front = volIndex([flatChain(0.7, 40), flatChain(0.5, 60)]);
    assert.equal(front.method, 'front');
    close(front.value, Math.sqrt(front.next!.variance), 0, 'front');
    const none = volIndex([flatChain(0.7, 5), flatChain(0.5, 20)]);
    assert.equal(none.value, null);
    assert.equal(none.method, null);
    assert.equal(volIndex([]).value, null);
  });

  it('cuts the strip after two consecutive strikes without a bid', () => {
    const chain = flatChain(0.6, 30);
    const F = chain.forward;
    // Drop the bids of two adjacent puts at 0.7·F: strikes below them leave the strip.
    const noBid = (K: number): boolean => Math.abs(K - 0.7 * F) < 0.011 * F;
    const cut: ExpiryChain = {
      ...chain,
      quotes: chain.quotes.map((q) => {
        if (q.type !== 'put' || !noBid(q.strike)) return q;
        return {
          strike: q.strike,
          type: q.type,
          bidIv: null,
          askIv: q.askIv,
          ...(q.askUsd !== undefined ? { askUsd: q.askUsd } : {}),
        };
      }),
    };
    const full = expiryVariance(chain)!;
    const cutV = expiryVariance(cut)!;
    const putsBelow = chain.quotes.filter((q) => q.type === 'put' && q.strike < 0.69 * F).length;
    assert.ok(putsBelow > 10);
    assert.ok(full.strikes - cutV.strikes >= putsBelow, `${full.strikes} → ${cutV.strikes}`);
    assert.ok(cutV.variance < full.variance);
  });

  it('the fitted surface of a flat chain reads back the same vol', () => {
    const s = fitSurface([flatChain(0.6, 20), flatChain(0.6, 45)]);
    assert.equal(s.arbitrageFree, true);
    const row = surfaceGrid(s.expiries, 'forward', [30]).rows[0]!;
    close(row.readouts.atmIv, 0.6, 1e-3, 'fitted atm');
    close(row.readouts.rr25, 0, 1e-3, 'fitted rr');
  });
});

describe('the JSON report', () => {
  it('carries fits, flags, read-outs, grid and index, and survives JSON with nulls for gaps', () => {
    const chains = [flatChain(0.6, 20), flatChain(0.6, 45)];
    const fit = fitSurface(chains);
    const report = surfaceReport(fit, chains, 'premium-adjusted');
    const back = JSON.parse(JSON.stringify(report)) as typeof report;
    assert.equal(back.deltaConvention, 'premium-adjusted');
    assert.equal(back.grid.deltaConvention, 'premium-adjusted');
    assert.equal(back.expiries.length, 2);
    assert.equal(back.expiries[0]!.readouts.deltaConvention, 'premium-adjusted');
    close(back.expiries[1]!.readouts.atmIv, 0.6, 1e-3, 'atm');
    assert.equal(back.arbitrageFree, true);
    assert.equal(back.arbitrageFlagged, false);
    close(back.volIndex.value, 0.6, 0.002, 'index');
    // After the last expiry (45 d) the 60–180 d rows have no numbers: null, not 0.
    const row90 = back.grid.rows.find((r) => r.days === 90)!;
    assert.ok(row90.byDelta.every((v) => v === null));
    assert.equal(row90.readouts.atmIv, null);
    assert.deepEqual(back.expiries[0]!.svi, fit.expiries[0]!.params);
  });
});
