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

interface PricedPoint {
  readonly x: number;
  readonly T: number;
  readonly sigma: number;
  readonly type: 'call' | 'put';
  readonly F: number;
  readonly K: number;
  readonly price: number;
}

/**
 * Black-76 prices over ln(F/K) × T × σ × call/put at F = 60,000, where the time value
 * survives in float64 (representable and distinct from intrinsic).
 */
function* pricedGrid(
  moneyness: readonly number[],
  Ts: readonly number[],
  sigmas: readonly number[],
): Generator<PricedPoint> {
  const F = 60_000;
  for (const x of moneyness) {
    for (const T of Ts) {
      for (const sigma of sigmas) {
        for (const type of ['call', 'put'] as const) {
          const K = F * Math.exp(-x);
          const price = black76Price(F, K, T, sigma, type);
          const intrinsic = type === 'call' ? Math.max(F - K, 0) : Math.max(K - F, 0);
          if (!(price > 1e-300) || price - intrinsic <= 1e-15 * price) continue;
          yield { x, T, sigma, type, F, K, price };
        }
      }
    }
  }
}

/** Out-of-the-money prices where σ is well conditioned (no intrinsic to drown it), F = 3,000. */
function* wellConditioned(): Generator<PricedPoint> {
  for (const x of [-2, -0.5, -0.05, 0, 0.05, 0.5, 2]) {
    for (const T of [1 / 8760, 1 / 52, 0.5, 2]) {
      for (const sigma of [0.05, 0.3, 0.8, 2, 4]) {
        const F = 3_000;
        const K = F * Math.exp(-x);
        const type = K >= F ? 'call' : 'put';
        const price = black76Price(F, K, T, sigma, type);
        if (price > 1e-250) yield { x, T, sigma, type, F, K, price };
      }
    }
  }
}

/** The worst relative repricing error of `solve` over the points, and where. */
function worstRoundTrip(
  points: Iterable<PricedPoint>,
  solve: (p: PricedPoint) => Iterable<[number, string]>,
): { compared: number; worst: number; where: string } {
  let compared = 0;
  let worst = 0;
  let where = '';
  for (const p of points) {
    for (const [iv, label] of solve(p)) {
      const error = Math.abs(black76Price(p.F, p.K, p.T, iv, p.type) - p.price) / p.price;
      compared++;
      if (!(error <= worst)) {
        worst = error;
        where = `x=${p.x} T=${p.T} σ=${p.sigma} ${p.type}${label} → ${iv}`;
      }
    }
  }
  return { compared, worst, where };
}

describe('impliedVol round trip', () => {
  it('price → IV → price to 1e-12 relative over ln(F/K) ∈ [−3,3], T ∈ [1 min, 3 y], σ ∈ [0.01, 5]', () => {
    const moneyness: number[] = [];
    for (let i = 0; i <= 60; i++) moneyness.push(-3 + i * 0.1);
    moneyness.push(-1e-3, 1e-3, -1e-5, 1e-5);
    const points = pricedGrid(moneyness, logGrid(1 / 525_600, 3, 25), logGrid(0.01, 5, 25));
    const { compared, worst, where } = worstRoundTrip(points, (p) => [
      [impliedVol(p.price, p.F, p.K, p.T, p.type), ''],
    ]);
    assert.ok(compared > 20_000, `only ${compared} points compared`);
    assert.ok(worst <= 1e-12, `worst ${worst} at ${where}`);
  });

  it('recovers σ itself to 1e-12 where the price is well conditioned', () => {
    for (const { x, T, sigma, type, F, K, price } of wellConditioned()) {
      const iv = impliedVol(price, F, K, T, type);
      assert.ok(Math.abs(iv - sigma) <= 1e-12 * sigma, `x=${x} T=${T} σ=${sigma}: ${iv}`);
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
    const moneyness = Array.from({ length: 31 }, (_, i) => -3 + i * 0.2);
    const points = pricedGrid(moneyness, logGrid(1 / 525_600, 3, 13), logGrid(0.01, 5, 13));
    const { compared, worst, where } = worstRoundTrip(points, (p) =>
      starts(p.sigma).map((near): [number, string] => [
        impliedVolNear(p.price, p.F, p.K, p.T, p.type, near),
        ` from ${near}`,
      ]),
    );
    assert.ok(compared > 20_000, `only ${compared} points compared`);
    assert.ok(worst <= 1e-12, `worst ${worst} at ${where}`);
  });

  it('lands on the cold solve to 1e-12 where the price is well conditioned', () => {
    for (const { x, T, sigma, type, F, K, price } of wellConditioned()) {
      const cold = impliedVol(price, F, K, T, type);
      for (const near of starts(sigma)) {
        const iv = impliedVolNear(price, F, K, T, type, near);
        assert.ok(
          Math.abs(iv - cold) <= 1e-12 * cold,
          `x=${x} T=${T} σ=${sigma} from ${near}: ${iv} vs ${cold}`,
        );
      }
    }
  });

  it('stops a step early with a coarser final step, within its fourth power of the cold solve', () => {
    // A publisher stopping at a last step of 2e-3 of σ (its IVs go out to six digits).
    let compared = 0;
    let worst = 0;
    for (const { T, sigma, type, F, K, price } of wellConditioned()) {
      const cold = impliedVol(price, F, K, T, type);
      for (const near of [sigma * (1 + 1e-3), sigma * (1 - 4e-3), sigma * 1.02, 0.01, NaN]) {
        const iv = impliedVolNear(price, F, K, T, type, near, 2e-3);
        worst = Math.max(worst, Math.abs(iv / cold - 1));
        compared++;
      }
    }
    assert.ok(compared > 500, `only ${compared} compared`);
    assert.ok(worst <= 1e-11, `worst ${worst}`);
    assert.ok(worst > 0, 'the coarser step changed nothing: is it used?');
  });

  it('settles the half from the start’s own price where it can, landing where it did before', () => {
    // Starts on each side of the inflection point s_c = √(2|x|), each side of the answer.
    for (const x of [-0.8, -0.05]) {
      const sc = Math.sqrt(-2 * x);
      for (const s of [0.3 * sc, 0.9 * sc, 1.1 * sc, 3 * sc]) {
        const beta = normalisedOtmCall(x, s);
        const cold = normalisedImpliedTotalVol(beta, x);
        for (const near of [0.5 * s, 0.99 * s, 1.01 * s, 2 * s, 0.5 * sc, 2 * sc]) {
          const warm = normalisedImpliedTotalVol(beta, x, near);
          assert.ok(
            Math.abs(warm - cold) <= 1e-13 * cold,
            `x=${x} s=${s} from ${near}: ${warm} vs ${cold}`,
          );
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
