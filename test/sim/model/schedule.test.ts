import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SimInstrument } from '../../../src/sim/contract.js';
import { bybitProfile } from '../../../src/sim/bybit/profile.js';
import { deribitProfile } from '../../../src/sim/deribit/profile.js';
import {
  OPTION_WINDOWS,
  nextExpiryAfter,
  scheduledExpiries,
} from '../../../src/sim/model/index.js';
import { START, isOption, model, venueStep } from './helpers.js';

const at8 = (month: number, day: number, year = 2026): number => Date.UTC(year, month, day, 8);

/** Listed at Friday 20 Nov 2026 07:00 UTC. */
const EXPECTED_OPTION_EXPIRIES = [
  at8(10, 20), // daily + weekly (Friday)
  at8(10, 21), // daily
  at8(10, 22), // daily
  at8(10, 27), // weekly + November's last Friday
  at8(11, 4), // weekly
  at8(11, 11), // weekly
  at8(11, 25), // December's last Friday: monthly + quarterly
  at8(0, 29, 2027), // January monthly
  at8(2, 26, 2027), // March quarterly
  at8(5, 25, 2027), // June quarterly
  at8(8, 24, 2027), // September quarterly
];

function optionExpiries(listed: readonly SimInstrument[], currency: string): number[] {
  const set = new Set<number>();
  for (const i of listed) if (i.currency === currency && isOption(i.spec)) set.add(i.spec.expiry);
  return [...set].sort((a, b) => a - b);
}

describe('listing schedule', () => {
  it('finds the next 08:00 UTC strictly after a time', () => {
    assert.equal(nextExpiryAfter(START), at8(10, 20));
    assert.equal(nextExpiryAfter(at8(10, 20)), at8(10, 21));
    assert.equal(nextExpiryAfter(at8(10, 20) - 1), at8(10, 20));
  });

  it('tags each expiry with every window it falls in', () => {
    const schedule = scheduledExpiries(START, OPTION_WINDOWS);
    assert.deepEqual(
      schedule.map((s) => s.expiry),
      EXPECTED_OPTION_EXPIRIES,
    );
    const kinds = new Map(schedule.map((s) => [s.expiry, [...s.kinds].sort()]));
    assert.deepEqual(kinds.get(at8(10, 20)), ['daily', 'weekly']);
    assert.deepEqual(kinds.get(at8(10, 27)), ['monthly', 'weekly']);
    assert.deepEqual(kinds.get(at8(11, 25)), ['monthly', 'quarterly']);
    assert.deepEqual(kinds.get(at8(2, 26, 2027)), ['quarterly']);
  });

  it('lists dailies, Fridays, monthlies and quarterlies at 08:00 UTC on the first step', () => {
    const steps = model().step(START);
    for (const venue of ['deribit', 'bybit'] as const) {
      const listed = venueStep(steps, venue).listed;
      for (const currency of ['BTC', 'ETH']) {
        assert.deepEqual(optionExpiries(listed, currency), EXPECTED_OPTION_EXPIRIES);
      }
      for (const i of listed) {
        // Listed before the start, as the venue would have (listing-times.test.ts).
        assert.ok(i.listedAt < START, `${i.spec.name} listed ${i.listedAt}`);
        assert.equal(i.venue, venue);
        if (i.spec.expiry !== null) assert.equal(i.spec.expiry % 86_400_000, 8 * 3_600_000);
      }
    }
  });

  it('names instruments as the venue profile does', () => {
    const steps = model().step(START);
    const profiles = { deribit: deribitProfile, bybit: bybitProfile };
    for (const [venue, profile] of Object.entries(profiles)) {
      const listed = venueStep(steps, venue as 'deribit' | 'bybit').listed;
      for (const i of listed) {
        const spec = i.spec;
        const expected = isOption(spec)
          ? profile.optionSpec(i.currency, spec.expiry, spec.strike, spec.type)
          : spec.kind === 'perpetual'
            ? profile.perpetualSpec(i.currency)
            : profile.futureSpec(i.currency, spec.expiry!);
        assert.deepEqual(spec, expected);
      }
      const names = new Set(listed.map((i) => i.spec.name));
      assert.equal(names.size, listed.length, 'names are unique');
    }
    const deribitNames = new Set(venueStep(steps, 'deribit').listed.map((i) => i.spec.name));
    for (const name of [
      'BTC-PERPETUAL',
      'ETH-PERPETUAL',
      'BTC-20NOV26',
      'BTC-27NOV26',
      'BTC-25DEC26',
    ]) {
      assert.ok(deribitNames.has(name), name);
    }
    for (const name of ['BTC-26MAR27', 'BTC-25JUN27', 'BTC-24SEP27', 'BTC-25DEC26-90000-C']) {
      assert.ok(deribitNames.has(name), name);
    }
    const bybitNames = new Set(venueStep(steps, 'bybit').listed.map((i) => i.spec.name));
    assert.ok(bybitNames.has('BTCUSDT'));
    assert.ok(bybitNames.has('BTC-25DEC26-90000-P-USDT'));
  });

  it('lists quarterly and near futures on Deribit and only the perpetual on Bybit', () => {
    const steps = model().step(START);
    const futures = (venue: 'deribit' | 'bybit'): string[] =>
      venueStep(steps, venue)
        .listed.filter((i) => i.currency === 'BTC' && !isOption(i.spec))
        .map((i) => i.spec.name);
    assert.deepEqual(futures('deribit'), [
      'BTC-PERPETUAL',
      'BTC-20NOV26',
      'BTC-27NOV26',
      'BTC-25DEC26',
      'BTC-26MAR27',
      'BTC-25JUN27',
      'BTC-24SEP27',
    ]);
    assert.deepEqual(futures('bybit'), ['BTCUSDT']);
  });

  it('spaces strikes around spot, wider for longer expiries, within a light total', () => {
    const m = model();
    const steps = m.step(START);
    for (const venue of ['deribit', 'bybit'] as const) {
      const listed = venueStep(steps, venue).listed;
      assert.ok(listed.length <= 800, `${venue} lists ${listed.length}`);
      for (const currency of ['BTC', 'ETH']) {
        const spot = m.indexPrice(currency);
        const strikesBy = (expiry: number): number[] =>
          listed
            .filter((i) => i.currency === currency && isOption(i.spec) && i.spec.expiry === expiry)
            .map((i) => (isOption(i.spec) ? i.spec.strike : 0))
            .filter((k, n, all) => all.indexOf(k) === n)
            .sort((a, b) => a - b);
        const minGap = (strikes: number[]): number =>
          Math.min(...strikes.slice(1).map((k, n) => k - strikes[n]!));
        const front = strikesBy(at8(10, 21));
        const back = strikesBy(at8(8, 24, 2027));
        for (const strikes of [front, back]) {
          assert.ok(strikes.length >= 7 && strikes.length <= 30, `${strikes.length} strikes`);
          assert.ok(strikes[0]! < spot && strikes[strikes.length - 1]! > spot);
        }
        assert.ok(minGap(back) > minGap(front), `${currency} back spacing is wider`);
        assert.ok(back[back.length - 1]! / back[0]! > 3 * (front[front.length - 1]! / front[0]!));
        // Every expiry has both a call and a put at every strike.
        const calls = listed.filter((i) => isOption(i.spec) && i.spec.type === 'call').length;
        assert.equal(calls * 2, listed.filter((i) => isOption(i.spec)).length);
      }
      assert.equal(
        venue === 'deribit' ? 'BTC-25DEC26-90000-C' : 'BTC-25DEC26-90000-C-USDT',
        listed.find((i) => i.spec.name.startsWith('BTC-25DEC26-90000-C'))?.spec.name,
      );
    }
  });
});
