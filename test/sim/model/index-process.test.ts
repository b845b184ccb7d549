import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IndexProcess, REGIMES } from '../../../src/sim/model/index.js';
import { currencyParams } from '../../../src/sim/model/currency-params.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const YEAR = 365 * DAY;

function process(seed: number): IndexProcess {
  const currencies = ['BTC', 'ETH'];
  return new IndexProcess(
    seed,
    currencies,
    currencies.map((c) => currencyParams(c, undefined)),
  );
}

interface PathStats {
  /** Σ r² per coin. */
  sumSquares: number[];
  returns: number[][];
}

function run(p: IndexProcess, stepMs: number, steps: number): PathStats {
  const sumSquares = [0, 0];
  const returns: number[][] = [[], []];
  for (let i = 0; i < steps; i++) {
    p.advance(stepMs);
    for (let c = 0; c < 2; c++) {
      const r = p.lastReturn(c);
      sumSquares[c]! += r * r;
      returns[c]!.push(r);
    }
  }
  return { sumSquares, returns };
}

function correlation(a: readonly number[], b: readonly number[]): number {
  const mean = (x: readonly number[]): number => x.reduce((s, v) => s + v, 0) / x.length;
  const ma = mean(a);
  const mb = mean(b);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

describe('index process', () => {
  it('realises a volatility within the regimes’ range over years of 15-minute steps', () => {
    const p = process(1);
    const years = 3;
    const stats = run(p, 15 * MINUTE, (years * YEAR) / (15 * MINUTE));
    const lowest = Math.min(...REGIMES.map((r) => r.vol));
    const highest = Math.max(...REGIMES.map((r) => r.vol));
    const btc = Math.sqrt(stats.sumSquares[0]! / years);
    const eth = Math.sqrt(stats.sumSquares[1]! / years);
    assert.ok(btc > lowest && btc < highest * 1.2, `BTC realised ${btc}`);
    assert.ok(eth > btc, `ETH ${eth} is wilder than BTC ${btc}`);
    // Every regime was visited.
    for (let r = 0; r < REGIMES.length; r++) assert.ok(p.regimeYears[r]! > 0.01, REGIMES[r]!.name);
    const rho = correlation(stats.returns[0]!, stats.returns[1]!);
    assert.ok(rho > 0.6 && rho < 0.95, `BTC–ETH correlation ${rho}`);
    assert.ok(Number.isFinite(p.level(0)) && p.level(0) > 0);
  });

  it('jumps at the configured rate', () => {
    const p = process(2);
    run(p, 6 * 3_600_000, 4 * 20 * 365);
    // Poisson: the count is within five standard deviations of the intensity integrated
    // over the regimes actually visited.
    const expected = REGIMES.reduce((s, r, i) => s + r.jumpRate * p.regimeYears[i]!, 0);
    assert.ok(Math.abs(expected - p.expectedJumps) < 1e-6 * expected);
    assert.ok(expected > 100);
    assert.ok(
      Math.abs(p.jumpCount - expected) < 5 * Math.sqrt(expected),
      `${p.jumpCount} jumps vs ${expected}`,
    );
  });

  it('keeps the same diffusive variance whether stepped in 100 ms or in one go', () => {
    // Over an hour of 100 ms steps the realised variance matches the integrated variance
    // (jumps aside); over the same hour in a single step, the spread of returns across many
    // paths does too.
    const tiny = process(3);
    const hour = run(tiny, 100, 36_000);
    assert.equal(tiny.jumpCount, 0, 'this seed has no jump in the hour');
    const tinyRatio = hour.sumSquares[0]! / tiny.integratedVariance[0]!;
    assert.ok(tinyRatio > 0.95 && tinyRatio < 1.05, `100 ms realised/integrated ${tinyRatio}`);
    let sumSquares = 0;
    let integrated = 0;
    for (let seed = 0; seed < 4000; seed++) {
      const one = process(1000 + seed);
      one.advance(3_600_000);
      if (one.jumpCount > 0) continue;
      sumSquares += one.lastReturn(0) ** 2;
      integrated += one.integratedVariance[0]!;
    }
    const ratio = sumSquares / integrated;
    assert.ok(ratio > 0.9 && ratio < 1.1, `one-hour step realised/integrated ${ratio}`);
  });

  it('stays a sane martingale: no drift beyond noise over many paths', () => {
    let sum = 0;
    const paths = 2000;
    for (let seed = 0; seed < paths; seed++) {
      const p = process(5000 + seed);
      p.advance(30 * DAY);
      sum += p.level(0) / 90_000;
    }
    // A month at ~50% vol: the ratio's spread is ~0.15, so the mean of 2000 is ±0.003.
    assert.ok(Math.abs(sum / paths - 1) < 0.02, `mean ratio ${sum / paths}`);
  });

  it('does nothing over zero time', () => {
    const p = process(6);
    p.advance(0);
    assert.equal(p.level(0), 90_000);
    assert.equal(p.lastReturn(0), 0);
  });
});
