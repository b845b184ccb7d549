import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  allocateChainGreeks,
  black76Greeks,
  black76GreeksBatch,
  black76Price,
  impliedVolBatch,
  type ChainInputs,
} from '../../src/pricing/index.js';

function chain(size: number): { chain: ChainInputs; vol: Float64Array } {
  const c: ChainInputs = {
    forward: new Float64Array(size),
    strike: new Float64Array(size),
    expiry: new Float64Array(size),
    isCall: new Uint8Array(size),
  };
  const vol = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    c.forward[i] = 30_000 + i;
    c.strike[i] = 20_000 + 500 * i;
    c.expiry[i] = 0.01 + i / 100;
    // Out of the money, so the time value (and with it σ) is not drowned by intrinsic.
    c.isCall[i] = c.strike[i]! >= c.forward[i]! ? 1 : 0;
    vol[i] = 0.4 + i / 200;
  }
  return { chain: c, vol };
}

describe('chain batch', () => {
  it('gives the same numbers as the scalar functions', () => {
    const { chain: c, vol } = chain(40);
    const out = allocateChainGreeks(40);
    black76GreeksBatch(c, vol, out);
    for (let i = 0; i < 40; i++) {
      const g = black76Greeks(
        c.forward[i]!,
        c.strike[i]!,
        c.expiry[i]!,
        vol[i]!,
        c.isCall[i] ? 'call' : 'put',
      );
      assert.equal(out.price[i], g.price);
      assert.equal(out.delta[i], g.delta);
      assert.equal(out.gamma[i], g.gamma);
      assert.equal(out.vega[i], g.vega);
      assert.equal(out.theta[i], g.theta);
    }
  });

  it('solves the implied volatility of a whole chain back to its inputs', () => {
    const { chain: c, vol } = chain(40);
    const prices = new Float64Array(40);
    for (let i = 0; i < 40; i++) {
      prices[i] = black76Price(
        c.forward[i]!,
        c.strike[i]!,
        c.expiry[i]!,
        vol[i]!,
        c.isCall[i] ? 'call' : 'put',
      );
    }
    prices[3] = -1;
    const iv = new Float64Array(40);
    impliedVolBatch(c, prices, iv);
    for (let i = 0; i < 40; i++) {
      if (i === 3) assert.ok(Number.isNaN(iv[i]));
      else assert.ok(Math.abs(iv[i]! - vol[i]!) < 1e-12, `option ${i}`);
    }
  });

  it('refuses arrays shorter than the chain', () => {
    const { chain: c, vol } = chain(4);
    assert.throws(
      () => black76GreeksBatch(c, vol.subarray(0, 2), allocateChainGreeks(4)),
      /must hold 4/,
    );
  });
});
