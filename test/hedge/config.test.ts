// The hedger's defaults are the documented ones, and a band reads in each of the forms a
// trader types it, with an error that names the forms for anything else.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_HEDGE_CONFIG, bandUsd, parseBand } from '../../src/hedge/config.js';

describe('DEFAULT_HEDGE_CONFIG', () => {
  it('hedges the named instrument with the documented defaults', () => {
    assert.deepEqual(DEFAULT_HEDGE_CONFIG('deribit', 'BTC', 'BTC-PERPETUAL'), {
      venue: 'deribit',
      currency: 'BTC',
      instrument: 'BTC-PERPETUAL',
      band: { kind: 'fraction', value: 0.0025 },
      deltaSource: 'model',
      convention: 'forward',
      debounceMs: 250,
      periodicMs: 5_000,
      execution: 'limit-ioc',
      capPercent: 0.1,
      maxOrderUsd: 100_000,
      maxHedgesPerMinute: 6,
      orderTimeoutMs: 5_000,
      reconcileAfterMs: 30_000,
      staleAfterMs: 10_000,
      maxConsecutiveRejects: 3,
    });
  });

  it('gives each caller a config of its own', () => {
    const a = DEFAULT_HEDGE_CONFIG('bybit', 'ETH', 'ETHUSDT');
    const b = DEFAULT_HEDGE_CONFIG('bybit', 'ETH', 'ETHUSDT');
    assert.notEqual(a, b);
    assert.equal(a.instrument, 'ETHUSDT');
    assert.equal(a.currency, 'ETH');
  });
});

describe('parseBand', () => {
  it('reads a percentage of one coin as a fraction', () => {
    assert.deepEqual(parseBand('0.25%'), { kind: 'fraction', value: 0.0025 });
    assert.deepEqual(parseBand(' 1 % '), { kind: 'fraction', value: 0.01 });
    assert.deepEqual(parseBand('.5%'), { kind: 'fraction', value: 0.005 });
  });

  it('reads a bare number below 1 as the fraction itself', () => {
    assert.deepEqual(parseBand('0.0025'), { kind: 'fraction', value: 0.0025 });
    assert.deepEqual(parseBand('.01'), { kind: 'fraction', value: 0.01 });
  });

  it('reads dollars written either way', () => {
    assert.deepEqual(parseBand('$50'), { kind: 'usd', value: 50 });
    assert.deepEqual(parseBand('$ 12.5'), { kind: 'usd', value: 12.5 });
    assert.deepEqual(parseBand('50usd'), { kind: 'usd', value: 50 });
    assert.deepEqual(parseBand('50 USD'), { kind: 'usd', value: 50 });
  });

  it('refuses a bare number of 1 or more, pointing at the dollar form', () => {
    assert.throws(() => parseBand('50'), {
      name: 'RangeError',
      message: /fraction below 1.*\$50/,
    });
  });

  it('refuses zero, negatives and 100 % or more', () => {
    assert.throws(() => parseBand('0%'), /above 0/);
    assert.throws(() => parseBand('$0'), /above 0/);
    assert.throws(() => parseBand('0'), /above 0/);
    assert.throws(() => parseBand('-0.0025'), /expected/);
    assert.throws(() => parseBand('100%'), /below 100%/);
  });

  it('names every accepted form when the text is none of them', () => {
    for (const text of ['', 'wide', '0x10', '1e-3', '50 eur', '%5', 'Infinity']) {
      assert.throws(
        () => parseBand(text),
        (error: unknown) =>
          error instanceof RangeError &&
          error.message.includes(JSON.stringify(text.trim())) &&
          ['0.25%', '0.0025', '$50', '50usd'].every((form) => error.message.includes(form)),
        text,
      );
    }
  });
});

describe('bandUsd', () => {
  it('scales a fraction by the index: 0.25 % is $50 at $20,000', () => {
    assert.equal(bandUsd({ kind: 'fraction', value: 0.0025 }, 20_000), 50);
  });

  it('keeps a dollar band as it is, index or not', () => {
    assert.equal(bandUsd({ kind: 'usd', value: 75 }, 90_000), 75);
    assert.equal(bandUsd({ kind: 'usd', value: 75 }, null), 75);
  });

  it('has no fractional band without a usable index', () => {
    for (const index of [null, 0, -1, NaN, Infinity]) {
      assert.equal(bandUsd({ kind: 'fraction', value: 0.0025 }, index), null, String(index));
    }
  });
});
