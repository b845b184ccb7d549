import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { erfc, erfcx, normCdf, normInv, normPdf } from '../../src/pricing/index.js';
import { refNormCdf } from '../support/reference.js';

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe('normCdf', () => {
  it('matches a 50-digit reference to ~1e-15 relative from −38 to 8', () => {
    let worst = 0;
    let worstAt = 0;
    for (let z = -38; z <= 8; z += 0.173) {
      const expected = refNormCdf(z).toNumber();
      if (expected < 1e-300) continue;
      const error = relativeError(normCdf(z), expected);
      if (error > worst) {
        worst = error;
        worstAt = z;
      }
    }
    assert.ok(worst < 5e-15, `worst relative error ${worst} at z=${worstAt}`);
  });

  it('is accurate in the far left tail where a truncated series fails', () => {
    assert.ok(relativeError(normCdf(-10), 7.6198530241605255e-24) < 1e-15);
    assert.ok(relativeError(normCdf(-37), 5.725571222524577e-300) < 1e-14);
    assert.equal(normCdf(-40), 0);
    assert.equal(normCdf(40), 1);
    assert.equal(normCdf(0), 0.5);
  });

  it('keeps Φ(z) + Φ(−z) = 1', () => {
    for (let z = 0; z < 9; z += 0.37) assert.ok(Math.abs(normCdf(z) + normCdf(-z) - 1) < 2e-16);
  });

  it('passes NaN through', () => {
    assert.ok(Number.isNaN(normCdf(NaN)));
    assert.ok(Number.isNaN(erfc(NaN)));
  });
});

describe('erfc and erfcx', () => {
  it('agree with each other and with Φ', () => {
    for (let x = -5; x <= 25; x += 0.29) {
      const viaCdf = 2 * normCdf(-x * Math.SQRT2);
      // Scaling x by √2 rounds the argument; erfc's condition number is about 2x².
      const tolerance = 1e-15 * (4 + 2 * x * x);
      assert.ok(relativeError(erfc(x), viaCdf) < tolerance || erfc(x) === 0, `x=${x}`);
      if (x < 20) assert.ok(relativeError(erfcx(x), Math.exp(x * x) * erfc(x)) < 1e-12, `x=${x}`);
    }
  });

  it('erfcx stays finite and tends to 1/(x√π) for large x', () => {
    assert.ok(relativeError(erfcx(1e8), 1 / (1e8 * Math.sqrt(Math.PI))) < 1e-15);
    assert.equal(erfcx(-30), Infinity);
  });
});

describe('normInv', () => {
  it('inverts normCdf to ~1e-15 across the centre and the left tail', () => {
    for (let z = -37; z <= 8; z += 0.41) {
      const p = normCdf(z);
      const back = normInv(p);
      // Right of the centre p is near 1 and holds only an absolute ε: z is known to ε/φ(z).
      const tolerance = z <= 0 ? 1e-14 * Math.max(1, Math.abs(z)) : 4e-16 / normPdf(z);
      assert.ok(Math.abs(back - z) <= tolerance, `z=${z} gave ${back}`);
    }
  });

  it('maps the ends and bad input', () => {
    assert.equal(normInv(0), -Infinity);
    assert.equal(normInv(1), Infinity);
    assert.ok(Number.isNaN(normInv(1.5)));
    assert.ok(Number.isNaN(normInv(NaN)));
  });
});

describe('normPdf', () => {
  it('is the Gaussian density', () => {
    assert.ok(relativeError(normPdf(0), 0.3989422804014327) < 1e-16);
    assert.ok(relativeError(normPdf(1.5), Math.exp(-1.125) / Math.sqrt(2 * Math.PI)) < 1e-15);
  });
});
