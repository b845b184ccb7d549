// A package intent from a screen is rebuilt from known fields only: serve never takes a
// screen's word for anything it does not check, and a malformed one is refused with why.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIntent } from '../../src/app/intent-kinds.js';

const STRADDLE = {
  venue: 'deribit',
  name: 'BTC-STRD-25DEC26-90000',
  side: 'buy',
  amount: '0.1',
  price: '0.081',
  timeInForce: 'gtc',
  legs: [
    { instrument: 'BTC-25DEC26-90000-C', ratio: 1, price: '0.0405' },
    { instrument: 'BTC-25DEC26-90000-P', ratio: 1, price: '0.0405', capFrom: '0.04' },
  ],
  origin: 'hedge',
  extra: 'ignored',
};

describe('package intents', () => {
  it('keeps known fields only, and the origin is always manual', () => {
    const parsed = parseIntent('package', { package: STRADDLE }, 'deribit');
    assert.ok(typeof parsed !== 'string' && parsed.kind === 'package', JSON.stringify(parsed));
    assert.equal(parsed.package.origin, 'manual');
    assert.equal((parsed.package as unknown as Record<string, unknown>)['extra'], undefined);
    assert.deepEqual(parsed.package.legs[1], {
      instrument: 'BTC-25DEC26-90000-P',
      ratio: 1,
      price: '0.0405',
      capFrom: '0.04',
    });
    const credit = parseIntent('package', { package: { ...STRADDLE, price: '-0.002' } }, 'deribit');
    assert.ok(typeof credit !== 'string');
  });

  it('refuses what it cannot check', () => {
    const refused = (change: Record<string, unknown>): string => {
      const parsed = parseIntent('package', { package: { ...STRADDLE, ...change } }, 'deribit');
      assert.equal(typeof parsed, 'string', JSON.stringify(change));
      return parsed as string;
    };
    assert.match(refused({ venue: 'bybit' }), /orders go to deribit here/);
    assert.match(refused({ price: '1e3' }), /amount or price missing/);
    assert.match(refused({ timeInForce: 'day' }), /time in force is not valid/);
    assert.match(refused({ legs: [STRADDLE.legs[0]] }), /2 to 4 legs/);
    const leg = STRADDLE.legs[0]!;
    assert.match(refused({ legs: [leg, { ...leg, ratio: 1.5 }] }), /ratio is not valid/);
    assert.match(refused({ legs: [leg, { ...leg, ratio: 10 }] }), /ratio is not valid/);
    assert.match(refused({ legs: [leg, { ...leg, price: 'x' }] }), /price is not valid/);
  });
});
