// The quote hash's computed values are rounded to significant digits by a fast path that must
// print exactly what the plain way (toPrecision, then decimal text) prints.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decimalText, significantText } from '../../src/store/codec.js';

const exact = (value: number, digits: number): string =>
  decimalText(Number(value.toPrecision(digits)));

describe('significantText', () => {
  it('prints what toPrecision prints, over magnitudes from 1e-12 to 1e9 and both signs', () => {
    let seed = 17;
    const random = (): number => {
      seed = (seed * 16_807) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    let fast = 0;
    for (let n = 0; n < 200_000; n += 1) {
      const magnitude = 10 ** Math.floor(random() * 22 - 12);
      const value = (random() < 0.5 ? -1 : 1) * random() * magnitude;
      for (const digits of [4, 6, 10]) {
        assert.equal(significantText(value, digits), exact(value, digits), `${value} to ${digits}`);
      }
      if (Math.abs(value) > 1e-9 && Math.abs(value) < 1e3) fast += 1;
    }
    assert.ok(fast > 50_000, `${fast} values took the fast path's range`);
  });

  it('handles ties, powers of ten, carries and edge values as toPrecision does', () => {
    const cases = [
      0.5,
      0.05,
      1.0000005,
      2.5e-7,
      0.1234565,
      999_999.5,
      9.999995,
      0.0009999995,
      1,
      10,
      1e-7,
      123_456.5,
      -0.1234565,
      -9.9999999,
      1e20,
      1e-20,
      5e-324,
      Number.MAX_VALUE,
    ];
    for (const value of cases) assert.equal(significantText(value, 6), exact(value, 6), `${value}`);
    assert.equal(significantText(0.65234171, 6), '0.652342');
    assert.equal(significantText(-2.1895918632809036e-9, 6), '-0.00000000218959');
    assert.equal(significantText(45.80000001, 6), '45.8');
  });

  it('prints nothing for no value and 0 for zero', () => {
    assert.equal(significantText(null, 6), '');
    assert.equal(significantText(undefined, 6), '');
    assert.equal(significantText(Number.NaN, 6), '');
    assert.equal(significantText(Number.POSITIVE_INFINITY, 6), '');
    assert.equal(significantText(0, 6), '0');
    assert.equal(significantText(-0, 6), '0');
  });
});
