import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import blackScholes from 'black-scholes';
import {
  black76Greeks,
  black76Price,
  premiumAdjustedDelta,
  premiumFromUsd,
  usdFromPremium,
  yearFraction,
  MS_PER_YEAR,
} from '../../src/pricing/index.js';
import { refBlack76 } from '../support/reference.js';

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe('black76Price', () => {
  it('matches the 50-digit reference to within the inputs’ own conditioning over the issue grid', () => {
    let worst = 0;
    let where = '';
    let compared = 0;
    for (let x = -3; x <= 3.0001; x += 0.25) {
      for (const T of [1 / 525_600, 1 / 365, 0.1, 1, 3]) {
        for (const sigma of [0.01, 0.1, 0.5, 1.5, 5]) {
          for (const type of ['call', 'put'] as const) {
            const F = 50_000;
            const K = F * Math.exp(-x);
            const expected = refBlack76(F, K, T, sigma, type).toNumber();
            if (!(expected > 1e-290)) continue;
            compared++;
            // A one-ulp change of K moves a deep-wing price by about (ln(F/K)/σ√T)²·ε,
            // so that is the accuracy any float64 pricer can promise there.
            const h = Math.log(F / K) / (sigma * Math.sqrt(T));
            const tolerance = 1e-14 + 8e-16 * h * h;
            const error = relativeError(black76Price(F, K, T, sigma, type), expected) / tolerance;
            if (error > worst) {
              worst = error;
              where = `x=${x} T=${T} σ=${sigma} ${type}`;
            }
          }
        }
      }
    }
    assert.ok(compared > 500, `only ${compared} points compared`);
    assert.ok(worst < 1, `worst error/tolerance ${worst} at ${where}`);
  });

  it('agrees with the black-scholes package where its series is accurate (r = 0, spot = forward)', () => {
    for (const [F, K, T, sigma] of [
      [30_000, 32_000, 0.1, 0.8],
      [2_000, 1_800, 0.5, 0.9],
      [100, 100, 1, 0.2],
    ] as const) {
      for (const type of ['call', 'put'] as const) {
        const peer = blackScholes.blackScholes(F, K, T, sigma, 0, type);
        assert.ok(
          relativeError(black76Price(F, K, T, sigma, type), peer) < 1e-9,
          `${F} ${K} ${type}`,
        );
      }
    }
  });

  it('obeys put–call parity C − P = (F − K)·e^{−rT}', () => {
    const F = 40_000;
    for (const K of [20_000, 39_000, 41_000, 80_000]) {
      for (const rate of [0, 0.05]) {
        const T = 0.4;
        const c = black76Price(F, K, T, 0.7, 'call', rate);
        const p = black76Price(F, K, T, 0.7, 'put', rate);
        assert.ok(Math.abs(c - p - (F - K) * Math.exp(-rate * T)) < 1e-9 * F);
      }
    }
  });

  it('is intrinsic at expiry or zero volatility, and NaN for impossible inputs', () => {
    assert.equal(black76Price(110, 100, 0, 0.5, 'call'), 10);
    assert.equal(black76Price(110, 100, -1, 0.5, 'put'), 0);
    assert.equal(black76Price(90, 100, 1, 0, 'put'), 10);
    assert.ok(Number.isNaN(black76Price(-1, 100, 1, 0.5, 'call')));
    assert.ok(Number.isNaN(black76Price(100, 0, 1, 0.5, 'call')));
    assert.ok(Number.isNaN(black76Price(100, 100, 1, -0.1, 'call')));
    assert.ok(Number.isNaN(black76Price(100, 100, NaN, 0.1, 'call')));
  });
});

describe('black76Greeks', () => {
  const F = 31_500;
  const K = 34_000;
  const T = 0.05;
  const sigma = 0.85;

  it('are the derivatives of the price, in the venues’ units', () => {
    for (const type of ['call', 'put'] as const) {
      const g = black76Greeks(F, K, T, sigma, type);
      const dF = F * 1e-5;
      const up = black76Price(F + dF, K, T, sigma, type);
      const down = black76Price(F - dF, K, T, sigma, type);
      assert.ok(relativeError(g.delta, (up - down) / (2 * dF)) < 1e-7, `${type} delta`);
      assert.ok(
        relativeError(g.gamma, (up - 2 * g.price + down) / (dF * dF)) < 1e-4,
        `${type} gamma`,
      );
      const volUp = black76Price(F, K, T, sigma + 1e-6, type);
      const volDown = black76Price(F, K, T, sigma - 1e-6, type);
      assert.ok(relativeError(g.vega, ((volUp - volDown) / 2e-6) * 0.01) < 1e-7, `${type} vega`);
      const day = 1 / 365;
      const tomorrow = black76Price(F, K, T - day * 1e-3, sigma, type);
      assert.ok(relativeError(g.theta, (tomorrow - g.price) / 1e-3) < 1e-4, `${type} theta`);
    }
  });

  it('follow the closed forms of the protocol notes', () => {
    const g = black76Greeks(F, K, T, sigma, 'call');
    const s = sigma * Math.sqrt(T);
    const d1 = Math.log(F / K) / s + s / 2;
    const n = Math.exp((-d1 * d1) / 2) / Math.sqrt(2 * Math.PI);
    assert.ok(relativeError(g.gamma, n / (F * s)) < 1e-14);
    assert.ok(relativeError(g.vega, (F * n * Math.sqrt(T)) / 100) < 1e-14);
    assert.ok(relativeError(g.theta, -(F * n * sigma) / (2 * Math.sqrt(T)) / 365) < 1e-14);
    const put = black76Greeks(F, K, T, sigma, 'put');
    assert.ok(Math.abs(g.delta - put.delta - 1) < 1e-15);
  });

  it('include the rate in theta and discount the rest', () => {
    const rate = 0.03;
    const g = black76Greeks(F, K, T, sigma, 'call', rate);
    const h = 1e-6;
    const later = black76Price(F, K, T - h, sigma, 'call', rate);
    assert.ok(relativeError(g.theta, (later - g.price) / h / 365) < 1e-4);
  });

  it('are a step at expiry', () => {
    assert.deepEqual(black76Greeks(110, 100, 0, 0.5, 'call'), {
      price: 10,
      delta: 1,
      gamma: 0,
      vega: 0,
      theta: 0,
    });
    assert.equal(black76Greeks(110, 100, 0, 0.5, 'put').delta, 0);
  });
});

describe('premiums and time', () => {
  it('convert inverse premiums through the forward and leave linear ones alone', () => {
    assert.equal(usdFromPremium(0.05, 40_000, 'inverse'), 2_000);
    assert.equal(premiumFromUsd(2_000, 40_000, 'inverse'), 0.05);
    assert.equal(usdFromPremium(125, 40_000, 'linear'), 125);
    assert.equal(premiumFromUsd(125, 40_000, 'linear'), 125);
  });

  it('premium-adjusts an inverse delta by the coin price', () => {
    const F = 40_000;
    const g = black76Greeks(F, 45_000, 0.25, 0.7, 'call');
    const coin = premiumFromUsd(g.price, F, 'inverse');
    assert.equal(premiumAdjustedDelta(g.delta, coin), g.delta - coin);
    // The coin value of the option is V/F; its F-derivative times F is delta − V/F.
    const dF = 1;
    const coinUp = black76Price(F + dF, 45_000, 0.25, 0.7, 'call') / (F + dF);
    const coinDown = black76Price(F - dF, 45_000, 0.25, 0.7, 'call') / (F - dF);
    assert.ok(
      relativeError(premiumAdjustedDelta(g.delta, coin), ((coinUp - coinDown) / (2 * dF)) * F) <
        1e-6,
    );
  });

  it('measures ACT/365 at millisecond precision', () => {
    const expiry = Date.UTC(2024, 11, 27, 8);
    assert.equal(yearFraction(expiry - MS_PER_YEAR, expiry), 1);
    assert.equal(yearFraction(expiry - 1, expiry), 1 / MS_PER_YEAR);
    assert.ok(yearFraction(expiry + 1000, expiry) < 0);
  });
});
