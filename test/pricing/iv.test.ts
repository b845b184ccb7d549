import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  black76Price,
  impliedVol,
  impliedVolNear,
  normalisedImpliedTotalVol,
  normalisedOtmCall,
  solveImpliedVol,
} from '../../src/pricing/index.js';

function logGrid(from: number, to: number, points: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < points; i++) {
    out.push(Math.exp(Math.log(from) + (i * (Math.log(to) - Math.log(from))) / (points - 1)));
  }
  return out;
}

describe('impliedVol round trip', () => {
  it('price → IV → price to 1e-12 relative over ln(F/K) ∈ [−3,3], T ∈ [1 min, 3 y], σ ∈ [0.01, 5]', () => {
    const F = 60_000;
    let compared = 0;
    let worst = 0;
    let where = '';
    const moneyness: number[] = [];
    for (let i = 0; i <= 60; i++) moneyness.push(-3 + i * 0.1);
    moneyness.push(-1e-3, 1e-3, -1e-5, 1e-5);
    for (const x of moneyness) {
      for (const T of logGrid(1 / 525_600, 3, 25)) {
        for (const sigma of logGrid(0.01, 5, 25)) {
          for (const type of ['call', 'put'] as const) {
            const K = F * Math.exp(-x);
            const price = black76Price(F, K, T, sigma, type);
            const intrinsic = type === 'call' ? Math.max(F - K, 0) : Math.max(K - F, 0);
            // Representable and distinct from intrinsic: the time value survives in float64.
            if (!(price > 1e-300) || price - intrinsic <= 1e-15 * price) continue;
            const iv = impliedVol(price, F, K, T, type);
            const back = black76Price(F, K, T, iv, type);
            const error = Math.abs(back - price) / price;
            compared++;
            if (!(error <= worst)) {
              worst = error;
              where = `x=${x} T=${T} σ=${sigma} ${type} → ${iv}`;
            }
          }
        }
      }
    }
    assert.ok(compared > 20_000, `only ${compared} points compared`);
    assert.ok(worst <= 1e-12, `worst ${worst} at ${where}`);
  });

  it('recovers σ itself to 1e-12 where the price is well conditioned', () => {
    for (const x of [-2, -0.5, -0.05, 0, 0.05, 0.5, 2]) {
      for (const T of [1 / 8760, 1 / 52, 0.5, 2]) {
        for (const sigma of [0.05, 0.3, 0.8, 2, 4]) {
          const F = 3_000;
          const K = F * Math.exp(-x);
          // The out-of-the-money side has no intrinsic to drown its time value.
          const type = K >= F ? 'call' : 'put';
          const price = black76Price(F, K, T, sigma, type);
          if (!(price > 1e-250)) continue;
          const iv = impliedVol(price, F, K, T, type);
          assert.ok(Math.abs(iv - sigma) <= 1e-12 * sigma, `x=${x} T=${T} σ=${sigma}: ${iv}`);
        }
      }
    }
  });

  it('handles discounting', () => {
    const price = black76Price(100, 120, 2, 0.45, 'put', 0.04);
    assert.ok(Math.abs(impliedVol(price, 100, 120, 2, 'put', 0.04) - 0.45) < 1e-13);
  });
});

describe('impliedVolNear: the same volatility from the last one', () => {
  // Starts as a publisher meets them: a tick away, a jump away, far off, and none.
  const starts = (sigma: number): number[] => [
    sigma * (1 + 1e-4),
    sigma * (1 - 0.02),
    sigma * 1.5,
    sigma * 0.5,
    0.01,
    5,
    1e-6,
    NaN,
  ];

  it('price → IV → price to 1e-12 relative from any start, over the round trip grid', () => {
    const F = 60_000;
    let compared = 0;
    let worst = 0;
    let where = '';
    for (let i = 0; i <= 30; i++) {
      const x = -3 + i * 0.2;
      for (const T of logGrid(1 / 525_600, 3, 13)) {
        for (const sigma of logGrid(0.01, 5, 13)) {
          for (const type of ['call', 'put'] as const) {
            const K = F * Math.exp(-x);
            const price = black76Price(F, K, T, sigma, type);
            const intrinsic = type === 'call' ? Math.max(F - K, 0) : Math.max(K - F, 0);
            if (!(price > 1e-300) || price - intrinsic <= 1e-15 * price) continue;
            for (const near of starts(sigma)) {
              const iv = impliedVolNear(price, F, K, T, type, near);
              const error = Math.abs(black76Price(F, K, T, iv, type) - price) / price;
              compared++;
              if (!(error <= worst)) {
                worst = error;
                where = `x=${x} T=${T} σ=${sigma} ${type} from ${near} → ${iv}`;
              }
            }
          }
        }
      }
    }
    assert.ok(compared > 20_000, `only ${compared} points compared`);
    assert.ok(worst <= 1e-12, `worst ${worst} at ${where}`);
  });

  it('lands on the cold solve to 1e-12 where the price is well conditioned', () => {
    for (const x of [-2, -0.5, -0.05, 0, 0.05, 0.5, 2]) {
      for (const T of [1 / 8760, 1 / 52, 0.5, 2]) {
        for (const sigma of [0.05, 0.3, 0.8, 2, 4]) {
          const F = 3_000;
          const K = F * Math.exp(-x);
          const type = K >= F ? 'call' : 'put';
          const price = black76Price(F, K, T, sigma, type);
          if (!(price > 1e-250)) continue;
          const cold = impliedVol(price, F, K, T, type);
          for (const near of starts(sigma)) {
            const iv = impliedVolNear(price, F, K, T, type, near);
            assert.ok(
              Math.abs(iv - cold) <= 1e-12 * cold,
              `x=${x} T=${T} σ=${sigma} from ${near}: ${iv} vs ${cold}`,
            );
          }
        }
      }
    }
  });

  it('refuses what impliedVol refuses, whatever the start', () => {
    for (const near of [0.5, NaN]) {
      assert.ok(Number.isNaN(impliedVolNear(-1, 100, 100, 1, 'call', near)));
      assert.ok(Number.isNaN(impliedVolNear(150, 100, 100, 1, 'call', near)));
      assert.ok(Number.isNaN(impliedVolNear(10, 100, 100, 0, 'call', near)));
      assert.equal(impliedVolNear(0, 100, 100, 1, 'call', near), 0);
    }
  });
});

describe('impliedVol refusals', () => {
  it('says why there is no volatility, and never throws', () => {
    assert.deepEqual(solveImpliedVol(5, 110, 100, 1, 'call'), {
      iv: NaN,
      reason: 'below-intrinsic',
    });
    assert.deepEqual(solveImpliedVol(110, 110, 100, 1, 'call'), {
      iv: NaN,
      reason: 'above-maximum',
    });
    assert.deepEqual(solveImpliedVol(100, 110, 100, 1, 'put'), {
      iv: NaN,
      reason: 'above-maximum',
    });
    for (const args of [
      [-1, 100, 100, 1],
      [NaN, 100, 100, 1],
      [1, 0, 100, 1],
      [1, 100, -5, 1],
      [1, 100, 100, 0],
      [1, 100, 100, -1],
      [Infinity, 100, 100, 1],
      [1, Infinity, 100, 1],
    ] as const) {
      const result = solveImpliedVol(args[0], args[1], args[2], args[3], 'call');
      assert.equal(result.reason, 'invalid-input', JSON.stringify(args));
      assert.ok(Number.isNaN(result.iv));
      assert.ok(Number.isNaN(impliedVol(args[0], args[1], args[2], args[3], 'call')));
    }
  });

  it('gives zero volatility for a price exactly at intrinsic', () => {
    assert.deepEqual(solveImpliedVol(10, 110, 100, 1, 'call'), { iv: 0, reason: null });
    assert.equal(impliedVol(0, 100, 120, 1, 'call'), 0);
  });

  it('terminates on the normalised domain’s edges', () => {
    for (const x of [-30, -3, -1e-9, 0]) {
      const bMax = Math.exp(x / 2);
      for (const fraction of [1e-300, 1e-100, 1e-10, 0.5, 1 - 1e-12, 1 - 1e-16]) {
        const beta = bMax * fraction;
        const s = normalisedImpliedTotalVol(beta, x);
        assert.ok(s >= 0 && Number.isFinite(s), `x=${x} fraction=${fraction}: ${s}`);
        const back = normalisedOtmCall(x, s);
        assert.ok(
          Math.abs(back - beta) <= 1e-9 * beta,
          `x=${x} fraction=${fraction}: ${back} vs ${beta}`,
        );
      }
    }
  });
});
