// Issue 20's hedging policies against hand arithmetic: the Whalley–Wilmott half-width, its
// limits (no gamma → the floor, free trading → no band) and monotonicity; a time policy's
// due times; and where a hedge trades to.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  hedgeTarget,
  policyBand,
  whalleyWilmottBand,
  type PolicyInputs,
} from '../../src/hedge/policy.js';

const BASE: PolicyInputs = {
  indexUsd: 90_000,
  gamma: 5.6e-4,
  feeRate: 0.0005,
  halfSpread: 0.00005,
  now: 1_000_000,
  lastHedgeAt: null,
};

describe('the gamma band', () => {
  it('is (3 λ S Γ² / 2γ)^(1/3), by hand', () => {
    // λ 5.5 bp, S 90,000, Γ 5.6e-4 coin/$ (a 10 BTC ATM straddle a month out), γ 1e-3/$.
    const expected = Math.cbrt((3 * 0.00055 * 90_000 * 5.6e-4 * 5.6e-4) / (2 * 1e-3));
    // 3 × 0.00055 × 90,000 × 3.136e-7 / 0.002 = 0.023284; its cube root is 0.28556.
    assert.ok(Math.abs(expected - 0.28556) < 1e-5, String(expected));
    assert.ok(Math.abs(whalleyWilmottBand(0.00055, 90_000, 5.6e-4, 1e-3) - expected) < 1e-12);
    const band = policyBand({ kind: 'gamma', aversion: 1e-3, minBandUsd: 50 }, BASE);
    assert.ok(Math.abs(band.coins - expected) < 1e-12);
    assert.ok(Math.abs(band.usd - expected * 90_000) < 1e-6);
    assert.match(band.why, /^Γ 5\.6e-4\/\$ · cost 5\.5 bp · γ 1e-3\/\$ → ±0\.286$/);
  });

  it('has the floor at no gamma, no band when trading is free, and is monotone', () => {
    const policy = { kind: 'gamma', aversion: 1e-3, minBandUsd: 50 } as const;
    const flat = policyBand(policy, { ...BASE, gamma: 0 });
    assert.equal(flat.usd, 50);
    assert.match(flat.why, /the ±\$50 floor/);
    assert.equal(whalleyWilmottBand(0, 90_000, 5.6e-4, 1e-3), 0);
    const widths = [1e-5, 1e-4, 5.6e-4, 2e-3].map((gamma) =>
      whalleyWilmottBand(5e-4, 9e4, gamma, 1e-3),
    );
    for (let i = 1; i < widths.length; i++) assert.ok(widths[i]! > widths[i - 1]!);
    const costs = [1e-5, 1e-4, 1e-3].map((cost) => whalleyWilmottBand(cost, 9e4, 5.6e-4, 1e-3));
    for (let i = 1; i < costs.length; i++) assert.ok(costs[i]! > costs[i - 1]!);
    const averse = [1e-4, 1e-3, 1e-2].map((gamma) => whalleyWilmottBand(5e-4, 9e4, 5.6e-4, gamma));
    for (let i = 1; i < averse.length; i++) assert.ok(averse[i]! < averse[i - 1]!);
    // A short book's gamma is negative: the band is the same as the long one's.
    assert.equal(
      whalleyWilmottBand(5e-4, 9e4, -5.6e-4, 1e-3),
      whalleyWilmottBand(5e-4, 9e4, 5.6e-4, 1e-3),
    );
    assert.ok(Number.isNaN(whalleyWilmottBand(5e-4, 9e4, 5.6e-4, 0)));
  });
});

describe('the fixed and time policies', () => {
  it('a fixed band is its dollars at any gamma', () => {
    const band = policyBand({ kind: 'fixed', bandUsd: 225 }, BASE);
    assert.equal(band.usd, 225);
    assert.equal(band.coins, 225 / 90_000);
    assert.equal(band.due, false);
  });

  it('a time policy is due at its interval and never between', () => {
    const policy = { kind: 'time', everyMs: 15 * 60_000 } as const;
    assert.equal(policyBand(policy, BASE).due, true);
    const soon = policyBand(policy, { ...BASE, lastHedgeAt: BASE.now - 14 * 60_000 });
    assert.equal(soon.due, false);
    assert.equal(soon.usd, Infinity);
    const later = policyBand(policy, { ...BASE, lastHedgeAt: BASE.now - 15 * 60_000 });
    assert.equal(later.due, true);
    assert.equal(later.usd, 0);
    assert.equal(later.why, 'every 15 min: due');
  });
});

describe('where a hedge trades to', () => {
  it('to the target, to the band edge, or part of the way', () => {
    assert.equal(hedgeTarget(1.5, 0, 0.3, { toEdge: false, ratio: 1 }), 0);
    const near = (actual: number, expected: number): void =>
      assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} vs ${expected}`);
    // To the edge stops a tenth inside it: 0.9 × 0.3.
    near(hedgeTarget(1.5, 0, 0.3, { toEdge: true, ratio: 1 }), 0.27);
    near(hedgeTarget(-1.5, 0, 0.3, { toEdge: true, ratio: 1 }), -0.27);
    near(hedgeTarget(1.5, 0.5, 0.3, { toEdge: true, ratio: 1 }), 0.77);
    assert.equal(hedgeTarget(1.5, 0.5, 0.3, { toEdge: false, ratio: 1 }), 0.5);
    assert.equal(hedgeTarget(1.5, 0, 0.3, { toEdge: false, ratio: 0.5 }), 0.75);
    // A time policy's band is infinite between its times: the edge is the target then.
    assert.equal(hedgeTarget(1.5, 0, Infinity, { toEdge: true, ratio: 1 }), 0);
  });
});
