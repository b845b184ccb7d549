// Package lines: what each structure word parses to, which listed options it names (on the
// venue's real recorded listing), and how a package price splits over the legs. Every mistake
// is refused with where it is and a line that would work; the split always adds up.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import { packageLegs, type PackageLegs } from '../../src/commands/package-legs.js';
import { planPackage, splitPrice } from '../../src/commands/package-plan.js';
import { parseLine } from '../../src/commands/parse.js';
import type { PackageCommand } from '../../src/commands/types.js';
import { deribitInstrumentsFromResult } from '../../src/feeds/deribit/instruments.js';
import type { InstrumentSpec } from '../../src/instruments/types.js';
import { packageLegIntents } from '../../src/gateway/package-intents.js';
import { readJson } from '../support/fixtures.js';

const LISTING: InstrumentSpec[] = ['BTC', 'ETH'].flatMap(
  (coin) =>
    deribitInstrumentsFromResult(readJson('deribit', `instruments-${coin}-2021-07-22.json`)).specs,
);
const NOW = Date.UTC(2021, 6, 22, 12);
const CURSOR = LISTING.find((spec) => spec.name === 'BTC-24SEP21-40000-C')!;

function pkg(line: string): PackageCommand {
  const parsed = parseLine(line);
  assert.ok(parsed.ok && !parsed.aborted, `${line}: ${JSON.stringify(parsed)}`);
  const command = parsed.commands[0];
  assert.equal(command?.kind, 'package', line);
  return command;
}

function refused(line: string): { message: string; column: number } {
  const parsed = parseLine(line);
  assert.ok(!parsed.ok, `${line} parsed`);
  assert.ok(parseLine(parsed.error.example).ok, parsed.error.example);
  return parsed.error;
}

function legsOf(line: string, cursor: InstrumentSpec | undefined = CURSOR): PackageLegs {
  const result = packageLegs(pkg(line), LISTING, cursor, NOW);
  assert.ok(result.ok, `${line}: ${result.ok ? '' : result.message}`);
  return result;
}

function legsMiss(line: string, cursor: InstrumentSpec | undefined = CURSOR): string {
  const result = packageLegs(pkg(line), LISTING, cursor, NOW);
  assert.ok(!result.ok, `${line} resolved`);
  return result.message;
}

const named = (legs: PackageLegs): [string, number][] =>
  legs.legs.map((leg) => [leg.spec.name, leg.ratio]);

describe('package lines parse', () => {
  it('reads structure, expiry, strikes, price, legs and !', () => {
    assert.deepEqual(pkg('a1 st'), {
      kind: 'package',
      side: 'buy',
      size: '1',
      shape: 'st',
      expiry: null,
      farExpiry: null,
      strikes: [],
      price: null,
      legs: false,
      force: false,
    });
    const spread = pkg('d2 cs 24sep 40k/45k 0.012 legs!');
    assert.equal(spread.side, 'sell');
    assert.equal(spread.size, '2');
    assert.equal(spread.expiry, '24sep');
    assert.deepEqual(spread.strikes, ['40k', '45k']);
    assert.equal(spread.price, '0.012');
    assert.equal(spread.legs, true);
    assert.equal(spread.force, true);
    assert.equal(pkg('a1 rr 35k/45k -0.002').price, '-0.002');
    const calendar = pkg('a1 ccal 30jul/24sep 40k');
    assert.equal(calendar.expiry, '30jul');
    assert.equal(calendar.farExpiry, '24sep');
    assert.deepEqual(calendar.strikes, ['40k']);
    assert.deepEqual(pkg('a1 CF 35k/40k/45k').strikes, ['35k', '40k', '45k']);
  });

  it('refuses what a structure cannot take, at its column', () => {
    const count = refused('a1 cs 40k');
    assert.match(count.message, /a call spread needs 2 strikes joined by \//);
    assert.equal(count.column, 7);
    assert.match(refused('a1 cf 40k/45k').message, /a call butterfly needs 3 strikes/);
    assert.match(
      refused('a1 sg').message,
      /a strangle needs 2 strikes joined by \/, found nothing/,
    );
    assert.match(
      refused('a1 ccal 40k').message,
      /a call calendar needs its two expiries as near\/far/,
    );
    assert.match(refused('a1 st 40k v60').message, /priced by its net premium/);
    assert.match(
      refused('a1 st 40k 0.1 0.2').message,
      /unexpected "0.2" after the straddle's price/,
    );
    assert.match(refused('a1 st legs 40k').message, /"legs" goes last/);
    assert.match(
      refused('a1 cs 40k/abd').message,
      /needs 2 strikes joined by \/, found "40k\/abd"/,
    );
  });

  it('a trailing c still aborts a package line', () => {
    const parsed = parseLine('a1 st 40kc');
    assert.ok(parsed.ok && parsed.aborted);
  });
});

describe('package legs on the recorded listing', () => {
  it('each structure names its legs and ratios', () => {
    assert.deepEqual(named(legsOf('a1 st')), [
      ['BTC-24SEP21-40000-C', 1],
      ['BTC-24SEP21-40000-P', 1],
    ]);
    assert.deepEqual(named(legsOf('a1 cs 40k/44k')), [
      ['BTC-24SEP21-40000-C', 1],
      ['BTC-24SEP21-44000-C', -1],
    ]);
    assert.deepEqual(named(legsOf('a1 ps 40k/36k')), [
      ['BTC-24SEP21-40000-P', 1],
      ['BTC-24SEP21-36000-P', -1],
    ]);
    // A strangle and a risk reversal put the put on the lower strike whatever the order typed.
    assert.deepEqual(named(legsOf('a1 sg 44k/36k')), [
      ['BTC-24SEP21-36000-P', 1],
      ['BTC-24SEP21-44000-C', 1],
    ]);
    assert.deepEqual(named(legsOf('a1 rr 36k/44k')), [
      ['BTC-24SEP21-44000-C', 1],
      ['BTC-24SEP21-36000-P', -1],
    ]);
    assert.deepEqual(named(legsOf('a1 pf 36k/40k/44k')), [
      ['BTC-24SEP21-36000-P', 1],
      ['BTC-24SEP21-40000-P', -2],
      ['BTC-24SEP21-44000-P', 1],
    ]);
    const calendar = legsOf('a1 ccal 30jul/24sep');
    assert.deepEqual(named(calendar), [
      ['BTC-30JUL21-40000-C', -1],
      ['BTC-24SEP21-40000-C', 1],
    ]);
    assert.equal(calendar.name, 'BTC-CCAL-30JUL21_24SEP21-40000');
    assert.equal(legsOf('a1 st 31dec 50k').name, 'BTC-STRD-31DEC21-50000');
    assert.equal(legsOf('a1 cs 40k/44k').title, 'call spread 24SEP21 40000/44000');
  });

  it('takes the coin and expiry from a perpetual only when named, and never guesses', () => {
    const perp = LISTING.find((spec) => spec.name === 'ETH-PERPETUAL')!;
    assert.deepEqual(named(legsOf('a1 st 24sep 1920', perp)), [
      ['ETH-24SEP21-1920-C', 1],
      ['ETH-24SEP21-1920-P', 1],
    ]);
    assert.match(legsMiss('a1 st', perp), /name the straddle's expiry \(e\.g\. 25dec\)/);
    assert.match(legsMiss('a1 st 24sep', perp), /name the straddle's strike/);
    assert.match(legsMiss('a1 cs 40k/41k'), /no 41000 call on 24SEP21; nearest: 40000, 42000/);
    assert.match(legsMiss('a1 st 23sep 40k'), /no BTC options expire on 23sep; listed: /);
    assert.match(legsMiss('a1 cf 44k/40k/36k'), /strikes go up/);
    assert.match(legsMiss('a1 pcal 24sep/30jul'), /sells the near expiry and buys the far one/);
    const nowhere = packageLegs(pkg('a1 st'), LISTING, undefined, NOW);
    assert.ok(!nowhere.ok && /no instrument/.test(nowhere.message));
  });
});

describe('package prices', () => {
  const legs = legsOf('a1 cf 36k/40k/44k');
  const touches = [
    { bid: 0.1, ask: 0.102, mark: 0.101 },
    { bid: 0.06, ask: 0.0605, mark: 0.0603 },
    { bid: 0.03, ask: 0.0315, mark: 0.0307 },
  ];

  it('splits a net price over the legs so the legs add up to it exactly', () => {
    for (const net of ['0.0123', '0', '-0.004', '0.05']) {
      const split = splitPrice(legs, touches, new Decimal(net));
      assert.ok(split.ok);
      const sum = legs.legs.reduce(
        (total, leg, index) => total.plus(split.prices[index]!.times(leg.ratio)),
        new Decimal(0),
      );
      assert.ok(sum.minus(net).abs().lt(1e-11), `${net}: ${sum.toString()}`);
    }
    // At the package's mid every leg sits at its own mid.
    const mid = 0.101 - 2 * 0.06025 + 0.03075;
    const atMid = splitPrice(legs, touches, new Decimal(mid.toFixed(10)));
    assert.ok(atMid.ok);
    assert.ok(Math.abs(atMid.prices[1]!.toNumber() - 0.06025) < 1e-9);
  });

  it('at market caps each leg beyond its own far touch and sums them; selling flips every leg', () => {
    const plan = planPackage(pkg('a1 cf 36k/40k/44k'), {
      venue: 'deribit',
      legs,
      touches,
      multiplier: '0.1',
      marketCap: { optionTicks: 3, futurePercent: 0.1 },
    });
    assert.ok(plan.ok, plan.ok ? '' : plan.message);
    assert.deepEqual(
      plan.intent.legs.map((leg) => [leg.price, leg.capFrom]),
      [
        ['0.1035', '0.102'],
        ['0.0585', '0.06'],
        ['0.033', '0.0315'],
      ],
    );
    assert.equal(plan.intent.price, new Decimal('0.1035').minus('0.117').plus('0.033').toString());
    assert.equal(plan.intent.timeInForce, 'ioc');
    const sides = packageLegIntents({ ...plan.intent, side: 'sell' }).map((intent) => [
      intent.side,
      intent.amount,
    ]);
    assert.deepEqual(sides, [
      ['sell', '0.1'],
      ['buy', '0.2'],
      ['sell', '0.1'],
    ]);
  });

  it('refuses a price that would put a leg at or below zero, and a leg with no price', () => {
    const cheap = planPackage(pkg('a1 cs 40k/44k -0.5'), {
      venue: 'deribit',
      legs: legsOf('a1 cs 40k/44k'),
      touches: [touches[1]!, touches[2]!],
      multiplier: '0.1',
      marketCap: { optionTicks: 3, futurePercent: 0.1 },
    });
    assert.ok(!cheap.ok);
    assert.match(cheap.message, /no price at or below 0 can go; the package's mid is 0\.0295/);
    const blind = planPackage(pkg('a1 cs 40k/44k'), {
      venue: 'deribit',
      legs: legsOf('a1 cs 40k/44k'),
      touches: [touches[1]!, { bid: null, ask: null, mark: 0.03 }],
      multiplier: '0.1',
      marketCap: { optionTicks: 3, futurePercent: 0.1 },
    });
    assert.ok(!blind.ok);
    assert.match(
      blind.message,
      /no bid for BTC-24SEP21-44000-C: the call spread 24SEP21 40000\/44000 cannot buy at market/,
    );
  });
});
