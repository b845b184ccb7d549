// Tick and lot rounding is exact decimal arithmetic: float traps (0.1 + 0.2, 0.3 / 0.1) never
// move a price or a size, a buy never pays more and a sell never takes less than asked, and
// no order grows.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import type { TradingRules } from '../../src/instruments/types.js';
import {
  DecimalTextError,
  roundAmount,
  roundIv,
  roundPrice,
  roundTrigger,
} from '../../src/gateway/rounding.js';

function rules(over: Partial<TradingRules>): TradingRules {
  return {
    tickSize: 0.0001,
    tickSteps: [],
    lotSize: 0.1,
    minSize: 0.1,
    contractSize: 1,
    sizeUnit: 'base',
    ...over,
  };
}

const HALF_BP = rules({ tickSize: 0.0005 });
const TWO_AND_A_HALF = rules({ tickSize: 2.5 });
const STEPPED = rules({ tickSize: 0.0001, tickSteps: [{ abovePrice: 0.005, tickSize: 0.0005 }] });
const SATOSHI = rules({ tickSize: 1e-8 });
const TENTH = rules({ tickSize: 0.1 });

describe('roundPrice', () => {
  it('rounds a buy down and a sell up onto a 0.0005 tick', () => {
    assert.equal(roundPrice('0.0123', 'buy', HALF_BP), '0.012');
    assert.equal(roundPrice('0.0123', 'sell', HALF_BP), '0.0125');
    assert.equal(roundPrice('0.0125', 'buy', HALF_BP), '0.0125');
    assert.equal(roundPrice('0.0125', 'sell', HALF_BP), '0.0125');
    assert.equal(roundPrice('0.01250000', 'sell', HALF_BP), '0.0125', 'trailing zeros go');
  });

  it('rounds onto a 2.5 tick', () => {
    assert.equal(roundPrice('101.3', 'buy', TWO_AND_A_HALF), '100');
    assert.equal(roundPrice('101.3', 'sell', TWO_AND_A_HALF), '102.5');
    assert.equal(roundPrice('102.5', 'buy', TWO_AND_A_HALF), '102.5');
    assert.equal(roundPrice('97500.01', 'sell', TWO_AND_A_HALF), '97502.5');
  });

  it('uses the tick of the step the price is in', () => {
    assert.equal(roundPrice('0.00499', 'buy', STEPPED), '0.0049');
    assert.equal(roundPrice('0.00499', 'sell', STEPPED), '0.005');
    assert.equal(roundPrice('0.005', 'buy', STEPPED), '0.005', 'the threshold is not above itself');
    assert.equal(roundPrice('0.0051', 'buy', STEPPED), '0.005', 'above it the tick is 0.0005');
    assert.equal(roundPrice('0.0051', 'sell', STEPPED), '0.0055');
    assert.equal(roundPrice('0.0057', 'buy', STEPPED), '0.0055');
    assert.equal(roundPrice('0.0057', 'sell', STEPPED), '0.006');
    assert.equal(roundPrice('0.0123', 'buy', STEPPED), '0.012');
    assert.equal(roundPrice('0.0043', 'buy', STEPPED), '0.0043');
  });

  it('is exact where floats are not', () => {
    const sum = String(0.1 + 0.2);
    assert.equal(sum, '0.30000000000000004');
    assert.equal(roundPrice(sum, 'buy', TENTH), '0.3');
    assert.equal(roundPrice(sum, 'sell', TENTH), '0.4');
    // 0.3 / 0.1 is 2.9999999999999996 in doubles: a float floor would give 0.2.
    assert.equal(roundPrice('0.3', 'buy', TENTH), '0.3');
    assert.equal(roundPrice('0.7', 'sell', TENTH), '0.7');
    assert.equal(roundPrice('1.1', 'buy', rules({ tickSize: 0.1 })), '1.1');
    assert.equal(roundPrice('0.0003', 'buy', rules({ tickSize: 0.0001 })), '0.0003');
  });

  it('handles 1e-8 ticks and writes no exponent', () => {
    assert.equal(roundPrice('0.123456789', 'buy', SATOSHI), '0.12345678');
    assert.equal(roundPrice('0.123456789', 'sell', SATOSHI), '0.12345679');
    assert.equal(roundPrice('0.00000012', 'buy', SATOSHI), '0.00000012');
    assert.equal(roundPrice('1.5e-7', 'sell', SATOSHI), '0.00000015');
    assert.equal(roundPrice('0.000000015', 'buy', SATOSHI), '0.00000001');
    assert.equal(roundPrice('0.000000015', 'sell', SATOSHI), '0.00000002');
    assert.equal(roundPrice('123456789.123456789', 'buy', SATOSHI), '123456789.12345678');
  });

  it('can round a tiny buy down to zero (the gateway refuses that)', () => {
    assert.equal(roundPrice('0.00004', 'buy', STEPPED), '0');
    assert.equal(roundPrice('0.00004', 'sell', STEPPED), '0.0001');
  });

  it('refuses text that is not a decimal number', () => {
    for (const bad of ['', 'abc', '0x10', '0b1', 'NaN', 'Infinity', '-1', '1,5', '1.2.3', ' ']) {
      assert.throws(() => roundPrice(bad, 'buy', STEPPED), DecimalTextError, bad);
    }
  });

  it('never pays more, never takes less, and lands on the tick (property)', () => {
    const ticks = ['0.0001', '0.0005', '0.5', '2.5', '5', '0.00000001', '0.1'];
    fc.assert(
      fc.property(
        fc.constantFrom(...ticks),
        fc.bigInt({ min: 1n, max: 10n ** 14n }),
        fc.integer({ min: 0, max: 12 }),
        fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
        (tickText, digits, scale, side) => {
          const price = new Decimal(digits.toString()).div(new Decimal(10).pow(scale));
          const tick = new Decimal(tickText);
          const rounded = new Decimal(
            roundPrice(price.toFixed(), side, rules({ tickSize: Number(tickText) })),
          );
          assert.ok(rounded.mod(tick).isZero(), `${rounded.toFixed()} on ${tickText}`);
          assert.ok(price.minus(rounded).abs().lt(tick));
          if (side === 'buy') assert.ok(rounded.lte(price));
          else assert.ok(rounded.gte(price));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('roundAmount', () => {
  it('rounds down to whole lots, never up', () => {
    assert.equal(roundAmount('0.35', TENTH), '0.3');
    assert.equal(roundAmount('0.3', TENTH), '0.3');
    assert.equal(roundAmount('0.30000000000000004', TENTH), '0.3');
    assert.equal(roundAmount('0.29999999999999999', TENTH), '0.2');
    assert.equal(roundAmount('1.0', TENTH), '1');
    assert.equal(roundAmount('0.05', TENTH), '0');
    assert.equal(roundAmount('0.016', rules({ lotSize: 0.01 })), '0.01');
    assert.equal(roundAmount('0.0019', rules({ lotSize: 0.001 })), '0.001');
  });

  it('rounds USD amounts to whole contracts', () => {
    const perpetual = rules({ lotSize: 10, minSize: 10, contractSize: 10, sizeUnit: 'usd' });
    assert.equal(roundAmount('1234', perpetual), '1230');
    assert.equal(roundAmount('1e3', perpetual), '1000');
    assert.equal(roundAmount('9', perpetual), '0');
  });
});

describe('roundTrigger and roundIv', () => {
  it('puts a trigger on the nearest tick of its step', () => {
    assert.equal(roundTrigger('25000.2', rules({ tickSize: 0.5 })), '25000');
    assert.equal(roundTrigger('25000.25', rules({ tickSize: 0.5 })), '25000.5');
    assert.equal(roundTrigger('0.00512', STEPPED), '0.005');
  });

  it('rounds an IV to 0.01 vol points the trader’s way', () => {
    assert.equal(roundIv('0.62345', 'buy'), '0.6234');
    assert.equal(roundIv('0.62345', 'sell'), '0.6235');
    assert.equal(roundIv('0.625', 'buy'), '0.625');
  });
});
