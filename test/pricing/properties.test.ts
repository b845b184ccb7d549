import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { black76Price, impliedVol } from '../../src/pricing/index.js';

const forward = fc.double({ min: 1, max: 1e6, noNaN: true });
const logMoneyness = fc.double({ min: -3, max: 3, noNaN: true });
const years = fc.double({ min: 1 / 525_600, max: 3, noNaN: true });
const vol = fc.double({ min: 0.01, max: 5, noNaN: true });
const optionType = fc.constantFrom('call' as const, 'put' as const);

describe('Black-76 properties', () => {
  it('put–call parity holds', () => {
    fc.assert(
      fc.property(forward, logMoneyness, years, vol, (F, x, T, sigma) => {
        const K = F * Math.exp(-x);
        const c = black76Price(F, K, T, sigma, 'call');
        const p = black76Price(F, K, T, sigma, 'put');
        return Math.abs(c - p - (F - K)) <= 1e-12 * Math.max(F, K);
      }),
      { numRuns: 2000 },
    );
  });

  it('price rises with volatility', () => {
    fc.assert(
      fc.property(forward, logMoneyness, years, vol, vol, optionType, (F, x, T, a, b, type) => {
        const K = F * Math.exp(-x);
        const [low, high] = a < b ? [a, b] : [b, a];
        return black76Price(F, K, T, low, type) <= black76Price(F, K, T, high, type);
      }),
      { numRuns: 2000 },
    );
  });

  it('price lies between intrinsic and the no-arbitrage bound', () => {
    fc.assert(
      fc.property(forward, logMoneyness, years, vol, optionType, (F, x, T, sigma, type) => {
        const K = F * Math.exp(-x);
        const price = black76Price(F, K, T, sigma, type);
        const intrinsic = type === 'call' ? Math.max(F - K, 0) : Math.max(K - F, 0);
        const bound = type === 'call' ? F : K;
        return price >= intrinsic && price <= bound;
      }),
      { numRuns: 2000 },
    );
  });

  it('implied volatility inverts the price wherever the time value is representable', () => {
    fc.assert(
      fc.property(forward, logMoneyness, years, vol, optionType, (F, x, T, sigma, type) => {
        const K = F * Math.exp(-x);
        const price = black76Price(F, K, T, sigma, type);
        const intrinsic = type === 'call' ? Math.max(F - K, 0) : Math.max(K - F, 0);
        fc.pre(price > 1e-300 && price - intrinsic > 1e-15 * price);
        const back = black76Price(F, K, T, impliedVol(price, F, K, T, type), type);
        assert.ok(
          Math.abs(back - price) <= 1e-12 * price,
          `F=${F} K=${K} T=${T} σ=${sigma} ${type}`,
        );
      }),
      { numRuns: 3000 },
    );
  });
});
