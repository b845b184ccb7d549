// The quote hash's computed values are rounded to significant digits by a fast path that must
// print exactly what the plain way (toPrecision, then decimal text) prints; a ticker's JSON is
// built from its numbers' texts and must read back as the event.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TickerEvent } from '../../src/book/events.js';
import { decimalText, quoteFields, significantText, tickerWrite } from '../../src/store/codec.js';
import { BTC_CALL, BTC_CALL_TICKER } from './support/specs.js';

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

describe('tickerWrite', () => {
  const base = BTC_CALL_TICKER;
  const same = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

  it('writes JSON that reads back as the event, whatever it carries', () => {
    const variants: TickerEvent[] = [
      base,
      { ...base, bid: null, bidSize: null, forward: null },
      {
        ...base,
        venueGreeks: { delta: 0.41, gamma: 2.3e-7, vega: 61.2, theta: -44.5 },
        priceBand: { min: 0.0001, max: 0.2 },
        volume: 1234.5,
        openInterest: null,
      },
      { ...base, mark: 0.30000000000000004, index: 1e21, volume: 5e-324 },
      { ...base, instrument: 'ÉTRANGE-"1"\\n' },
      { ...base, mark: Number.NaN, ask: Number.POSITIVE_INFINITY },
    ];
    for (const event of variants) {
      const write = tickerWrite(event, undefined);
      assert.equal(write.op, 'set');
      if (write.op !== 'set') continue;
      assert.deepEqual(JSON.parse(write.json), same(event), write.json);
      assert.equal(write.field, `t:${event.instrument}`);
    }
  });

  it('quote values share the JSON numbers, and an option gets its IVs and greeks', () => {
    const spec = BTC_CALL;
    const fields = quoteFields(base, spec);
    assert.equal(fields.bid, '0.0415');
    assert.equal(fields.mark, '0.04201234');
    assert.equal(fields.index, '91234.56');
    assert.equal(fields.ts, '1765000000123');
    assert.equal(fields.volume, '');
    assert.match(fields.mark_iv, /^0\.0*[1-9]\d{5}$/, 'six significant digits');
    assert.match(fields.delta, /^0\.\d+$/);
    assert.equal(quoteFields(base, undefined).mark_iv, '');
  });
});
