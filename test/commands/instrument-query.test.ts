import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findInstrument } from '../../src/commands/instrument-query.js';
import { deribitInstrumentsFromResult } from '../../src/feeds/deribit/instruments.js';
import type { FutureSpec, InstrumentSpec, OptionSpec } from '../../src/instruments/types.js';
import { readJson } from '../support/fixtures.js';

/** The venue's real BTC and ETH lists of 22 Jul 2021, options, futures and perpetuals. */
function recordedList(): InstrumentSpec[] {
  return ['BTC', 'ETH'].flatMap(
    (coin) =>
      deribitInstrumentsFromResult(readJson('deribit', `instruments-${coin}-2021-07-22.json`))
        .specs,
  );
}

const RECORDED = recordedList();
const JUL22_2021 = Date.UTC(2021, 6, 22, 12);

function found(query: string, specs: readonly InstrumentSpec[], now: number): string {
  const result = findInstrument(query, specs, now);
  assert.ok(result.ok, `${query}: ${result.ok ? '' : result.message}`);
  return result.spec.name;
}

function refused(
  query: string,
  specs: readonly InstrumentSpec[],
  now: number,
): { message: string; candidates: readonly string[] } {
  const result = findInstrument(query, specs, now);
  assert.ok(!result.ok, `${query} should not resolve`);
  return { message: result.message, candidates: result.candidates };
}

const recorded = (query: string): string => found(query, RECORDED, JUL22_2021);
const recordedMiss = (query: string) => refused(query, RECORDED, JUL22_2021);

describe('findInstrument over a recorded listing', () => {
  it('takes an exact venue name in any case', () => {
    assert.equal(RECORDED.length > 800, true);
    assert.equal(recorded('BTC-PERPETUAL'), 'BTC-PERPETUAL');
    assert.equal(recorded('btc-perpetual'), 'BTC-PERPETUAL');
    assert.equal(recorded('  eth-24sep21-2560-c '), 'ETH-24SEP21-2560-C');
    assert.equal(recorded('BTC-24SEP21'), 'BTC-24SEP21');
  });

  it('narrows by coin, expiry, strike and type in any order', () => {
    assert.equal(recorded('btc 24sep21 40k p'), 'BTC-24SEP21-40000-P');
    assert.equal(recorded('P 40000 24SEP21 BTC'), 'BTC-24SEP21-40000-P');
    assert.equal(recorded('2021-09-24 40k put btc'), 'BTC-24SEP21-40000-P');
    assert.equal(recorded('btc 24sep 40k call'), 'BTC-24SEP21-40000-C');
  });

  it('needs no coin when the strike settles it', () => {
    assert.equal(recorded('24sep 40k c'), 'BTC-24SEP21-40000-C');
    assert.equal(recorded('30jul 1500 c'), 'ETH-30JUL21-1500-C');
    assert.equal(recorded('30jul 1.5k c'), 'ETH-30JUL21-1500-C');
  });

  it('finds perpetuals and futures', () => {
    assert.equal(recorded('eth perp'), 'ETH-PERPETUAL');
    assert.equal(recorded('perpetual btc'), 'BTC-PERPETUAL');
    assert.equal(recorded('btc fut 24sep'), 'BTC-24SEP21');
    assert.equal(recorded('eth future 2021-12-31'), 'ETH-31DEC21');
  });

  it('never matches a piece of a name: a mangled name is refused with the nearest one', () => {
    assert.equal(recorded('eth-30jul21-1500-p'), 'ETH-30JUL21-1500-P');
    assert.deepEqual(recordedMiss('TC-PERPETUAL'), {
      message: 'no instrument is named "TC-PERPETUAL": did you mean BTC-PERPETUAL?',
      candidates: ['BTC-PERPETUAL'],
    });
    assert.deepEqual(recordedMiss('BTC-PERPETUA').candidates, ['BTC-PERPETUAL']);
    const typo = recordedMiss('BTC-24SEP21-4000-C');
    assert.ok(typo.candidates.includes('BTC-24SEP21-40000-C'), typo.message);
    assert.ok(
      typo.candidates.every((name) => name.startsWith('BTC-24SEP21-')),
      typo.message,
    );
    assert.equal(
      recordedMiss('btc 24sep -40000-c').message,
      '"-40000-c" is not a listed name, or coin, expiry, strike, c/p, perp, fut (e.g. i 25dec 100k c or i BTC-PERPETUAL)',
    );
    assert.deepEqual(recordedMiss('FOO-BAR').candidates, []);
  });

  it('lists the candidates when several match', () => {
    assert.deepEqual(recordedMiss('btc 24sep21 40k'), {
      message: '"btc 24sep21 40k" matches 2: BTC-24SEP21-40000-C, BTC-24SEP21-40000-P',
      candidates: ['BTC-24SEP21-40000-C', 'BTC-24SEP21-40000-P'],
    });
    assert.deepEqual(recordedMiss('perp'), {
      message: '"perp" matches 2: BTC-PERPETUAL, ETH-PERPETUAL',
      candidates: ['BTC-PERPETUAL', 'ETH-PERPETUAL'],
    });
  });

  it('shows at most 8, future first, then strikes up', () => {
    const { message, candidates } = recordedMiss('btc 24sep');
    assert.deepEqual(candidates, [
      'BTC-24SEP21',
      'BTC-24SEP21-8000-C',
      'BTC-24SEP21-8000-P',
      'BTC-24SEP21-12000-C',
      'BTC-24SEP21-12000-P',
      'BTC-24SEP21-16000-C',
      'BTC-24SEP21-16000-P',
      'BTC-24SEP21-18000-C',
    ]);
    assert.equal(message, `"btc 24sep" matches 63: ${candidates.join(', ')}, … (55 more)`);
  });

  it('says which word matched nothing, with the listed expiries', () => {
    assert.deepEqual(recordedMiss('btc 25sep 40k c'), {
      message:
        'nothing matches "btc 25sep 40k c": "25sep" matches no expiry; listed: 23JUL21, ' +
        '24JUL21, 30JUL21, 6AUG21, 13AUG21, 27AUG21, 24SEP21, 31DEC21, 25MAR22, 24JUN22',
      candidates: [],
    });
  });

  it('and with the nearest strikes of that expiry', () => {
    assert.equal(
      recordedMiss('btc 24sep 41k c').message,
      'nothing matches "btc 24sep 41k c": "41k" matches no strike on 24SEP21; nearest: 40000, 42000',
    );
    assert.equal(
      recordedMiss('24sep21 97.5k btc').message,
      'nothing matches "24sep21 97.5k btc": "97.5k" matches no strike on 24SEP21; nearest: 88000, 100000',
    );
    assert.equal(
      recordedMiss('btc 24sep 500k').message,
      'nothing matches "btc 24sep 500k": "500k" matches no strike on 24SEP21; nearest: 200000',
    );
  });

  it('and for the other words', () => {
    assert.equal(
      recordedMiss('btc zzz').message,
      '"zzz" is not a listed name, or coin, expiry, strike, c/p, perp, fut (e.g. i 25dec 100k c or i BTC-PERPETUAL)',
    );
    assert.equal(
      recordedMiss('btc perp c').message,
      'nothing matches "btc perp c": "c" matches no call',
    );
    assert.equal(
      recordedMiss('').message,
      'name an instrument, e.g. i 25dec 100k c or i BTC-PERPETUAL',
    );
  });

  it('never picks an expired date without a year', () => {
    const later = Date.UTC(2021, 6, 24, 9);
    assert.equal(found('btc 30jul 40k c', RECORDED, later), 'BTC-30JUL21-40000-C');
    assert.match(refused('btc 24jul 40k c', RECORDED, later).message, /"24jul" matches no expiry/);
    assert.equal(found('btc 24jul21 40k c', RECORDED, later), 'BTC-24JUL21-40000-C');
  });
});

/** A linear (USDT) listing named the other venue's way, with the same date in two years. */
function linearOption(expiry: number, strike: number, type: 'call' | 'put'): OptionSpec {
  const date = new Date(expiry);
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
  const label = `${date.getUTCDate()}${months[date.getUTCMonth()]}${date.getUTCFullYear() % 100}`;
  return {
    kind: 'option',
    name: `BTC-${label}-${strike}-${type === 'call' ? 'C' : 'P'}-USDT`,
    base: 'BTC',
    quote: 'USDT',
    settlement: 'linear',
    settleCurrency: 'USDT',
    expiry,
    strike,
    type,
    tickSize: 5,
    tickSteps: [],
    lotSize: 0.01,
    minSize: 0.01,
    contractSize: 1,
    sizeUnit: 'base',
  };
}

const LINEAR_PERP: FutureSpec = {
  kind: 'perpetual',
  name: 'BTCUSDT',
  base: 'BTC',
  quote: 'USDT',
  settlement: 'linear',
  settleCurrency: 'USDT',
  expiry: null,
  tickSize: 0.1,
  tickSteps: [],
  lotSize: 0.001,
  minSize: 0.001,
  contractSize: 1,
  sizeUnit: 'base',
};

const DEC27_26 = Date.UTC(2026, 11, 27, 8);
const DEC27_27 = Date.UTC(2027, 11, 27, 8);
const LINEAR: InstrumentSpec[] = [
  LINEAR_PERP,
  ...[DEC27_26, DEC27_27].flatMap((expiry) =>
    [95_000, 100_000].flatMap((strike) => [
      linearOption(expiry, strike, 'call'),
      linearOption(expiry, strike, 'put'),
    ]),
  ),
];

describe('findInstrument over linear names', () => {
  const before = Date.UTC(2026, 10, 20, 7);
  const between = Date.UTC(2026, 11, 27, 9);

  it('takes the names as the venue spells them', () => {
    assert.equal(found('BTC-27DEC26-100000-C-USDT', LINEAR, before), 'BTC-27DEC26-100000-C-USDT');
    assert.equal(found('btcusdt', LINEAR, before), 'BTCUSDT');
    assert.equal(found('btc perp', LINEAR, before), 'BTCUSDT');
  });

  it('reads a day and month as the next such expiry from now', () => {
    assert.equal(found('27dec 100k c', LINEAR, before), 'BTC-27DEC26-100000-C-USDT');
    assert.equal(found('27dec 100k c', LINEAR, between), 'BTC-27DEC27-100000-C-USDT');
    assert.equal(found('27DEC26 100k c', LINEAR, between), 'BTC-27DEC26-100000-C-USDT');
    assert.equal(found('2027-12-27 95k p', LINEAR, before), 'BTC-27DEC27-95000-P-USDT');
  });

  it('matches both types of a strike as the brief shows', () => {
    assert.equal(
      refused('27dec 100k', LINEAR, before).message,
      '"27dec 100k" matches 2: BTC-27DEC26-100000-C-USDT, BTC-27DEC26-100000-P-USDT',
    );
  });

  it('an empty listing says so', () => {
    assert.equal(refused('btc', [], before).message, 'no instruments are listed yet');
  });
});
