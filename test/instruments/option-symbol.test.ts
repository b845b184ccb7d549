import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  InstrumentNameError,
  parseOptionSymbol,
  tryParseOptionSymbol,
} from '../../src/instruments/option-symbol.js';

const at8Utc = (year: number, month: number, day: number): number =>
  Date.UTC(year, month - 1, day, 8);

describe('parseOptionSymbol', () => {
  it('reads every part of BASE-DMMMYY-STRIKE-C', () => {
    assert.deepEqual(parseOptionSymbol('BTC-27DEC24-100000-C'), {
      name: 'BTC-27DEC24-100000-C',
      base: 'BTC',
      quote: null,
      expiry: at8Utc(2024, 12, 27),
      strike: 100000,
      type: 'call',
      settle: null,
    });
  });

  it('reads the _QUOTE part and a one-digit day', () => {
    const symbol = parseOptionSymbol('SOL_USDC-9MAR24-200-P');
    assert.equal(symbol.base, 'SOL');
    assert.equal(symbol.quote, 'USDC');
    assert.equal(symbol.expiry, at8Utc(2024, 3, 9));
    assert.equal(symbol.type, 'put');
  });

  it('reads the -SETTLE suffix', () => {
    const symbol = parseOptionSymbol('BTC-25JUN27-106000-P-USDT');
    assert.equal(symbol.settle, 'USDT');
    assert.equal(symbol.strike, 106000);
    assert.equal(symbol.expiry, at8Utc(2027, 6, 25));
  });

  it('reads decimal strikes written with a point or with d', () => {
    assert.equal(parseOptionSymbol('XRP-30OCT26-0.4-P-USDT').strike, 0.4);
    assert.equal(parseOptionSymbol('MATIC_USDC-9MAR24-1d02-C').strike, 1.02);
    assert.equal(parseOptionSymbol('MATIC_USDC-9MAR24-0d755-C').strike, 0.755);
  });

  it('accepts 29 February only in leap years', () => {
    assert.equal(parseOptionSymbol('BTC-29FEB24-60000-C').expiry, at8Utc(2024, 2, 29));
    assert.throws(() => parseOptionSymbol('BTC-29FEB23-60000-C'), InstrumentNameError);
  });

  const bad: [name: string, complaint: RegExp][] = [
    ['FOO', /dash-separated/],
    ['', /dash-separated/],
    ['BTC-27DEC24-100000', /dash-separated/],
    ['BTC-27DEC24-100000-C-USDT-X', /dash-separated/],
    ['BTC-31FEB24-100000-C', /not a calendar date/],
    ['BTC-0MAR24-100000-C', /not a calendar date/],
    ['BTC-32JAN24-100000-C', /not a calendar date/],
    ['BTC-27DEK24-100000-C', /unknown month "DEK"/],
    ['BTC-27dec24-100000-C', /not DMMMYY/],
    ['BTC-123DEC24-100000-C', /not DMMMYY/],
    ['BTC-27DEC2024-100000-C', /not DMMMYY/],
    ['btc-27DEC24-100000-C', /underlying "btc"/],
    ['BTC_-27DEC24-100000-C', /underlying/],
    ['BTC-27DEC24-100000-X', /neither C nor P/],
    ['BTC-27DEC24-100000-c', /neither C nor P/],
    ['BTC-27DEC24-0-C', /not positive/],
    ['BTC-27DEC24-0d0-C', /not positive/],
    ['BTC-27DEC24-0.000-C', /not positive/],
    ['BTC-27DEC24--100-C', /strike "" is not a number/],
    ['BTC-27DEC24-1e5-C', /strike "1e5" is not a number/],
    ['BTC-27DEC24-1,5-C', /strike/],
    ['BTC-27DEC24-1.-C', /strike/],
    ['BTC-27DEC24-d5-C', /strike/],
    ['BTC-27DEC24-100000-C-usdt', /settlement suffix/],
  ];
  for (const [name, complaint] of bad) {
    it(`rejects ${JSON.stringify(name)} and names it in the error`, () => {
      assert.throws(
        () => parseOptionSymbol(name),
        (error: unknown) => {
          assert.ok(error instanceof InstrumentNameError);
          assert.ok(
            error.message.startsWith(`cannot parse instrument name ${JSON.stringify(name)}: `),
            error.message,
          );
          assert.match(error.message, complaint);
          assert.equal(error.input, name);
          return true;
        },
      );
      assert.equal(tryParseOptionSymbol(name), null);
    });
  }

  it('round-trips every valid date, strike and type (property)', () => {
    const months = [
      'JAN',
      'FEB',
      'MAR',
      'APR',
      'MAY',
      'JUN',
      'JUL',
      'AUG',
      'SEP',
      'OCT',
      'NOV',
      'DEC',
    ];
    const dayMs = 86_400_000;
    const from = Date.UTC(2000, 0, 1);
    const to = Date.UTC(2099, 11, 31);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: (to - from) / dayMs }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom('C', 'P'),
        fc.boolean(),
        (dayIndex, strikeUnits, decimals, letter, pointAsD) => {
          const date = new Date(from + dayIndex * dayMs);
          const stamp = `${date.getUTCDate()}${months[date.getUTCMonth()] ?? ''}${String(
            date.getUTCFullYear() % 100,
          ).padStart(2, '0')}`;
          const strike = strikeUnits / 10 ** decimals;
          const strikeText = strike.toFixed(decimals).replace('.', pointAsD ? 'd' : '.');
          const symbol = parseOptionSymbol(`ETH-${stamp}-${strikeText}-${letter}`);
          assert.equal(symbol.expiry, date.getTime() + 8 * 3_600_000);
          assert.equal(symbol.strike, strike);
          assert.equal(symbol.type, letter === 'C' ? 'call' : 'put');
        },
      ),
    );
  });
});
