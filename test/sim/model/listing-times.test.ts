// Creation times as the venues list them: before the start, at 08:00 UTC, dailies days ahead,
// Fridays weeks, monthlies months and quarterlies about a year ahead; perpetuals their launch.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MS_PER_DAY } from '../../../src/pricing/index.js';
import { datedListedAt, perpetualListedAt } from '../../../src/sim/model/listing-times.js';
import { FUTURE_WINDOWS, OPTION_WINDOWS } from '../../../src/sim/model/index.js';
import { START, isOption, model, venueStep } from './helpers.js';

const at8 = (month: number, day: number, year = 2026): number => Date.UTC(year, month, day, 8);
const lead = (expiry: number, listedAt: number): number => (expiry - listedAt) / MS_PER_DAY;

describe('listing times', () => {
  const steps = model(51).step(START);

  it('dates every instrument before the start, dated ones at an 08:00 UTC', () => {
    for (const venue of ['deribit', 'bybit'] as const) {
      for (const i of venueStep(steps, venue).listed) {
        assert.ok(i.listedAt < START, `${venue} ${i.spec.name}`);
        if (i.spec.expiry !== null) {
          assert.equal(i.listedAt % MS_PER_DAY, 8 * 3_600_000, i.spec.name);
          assert.ok(i.listedAt < i.spec.expiry, i.spec.name);
        }
      }
    }
  });

  it('lists each kind of expiry as far ahead as the venues do', () => {
    const listed = new Map(venueStep(steps, 'deribit').listed.map((i) => [i.spec.name, i]));
    const leadOf = (name: string): number => {
      const i = listed.get(name);
      assert.ok(i !== undefined, name);
      return lead(i.spec.expiry!, i.listedAt);
    };
    // Options: the 21 Nov daily (Deribit 2021: 2 days), a December Friday (14-22),
    // January's monthly (92), the March quarterly (365).
    assert.equal(leadOf('BTC-21NOV26-90000-C'), 3);
    assert.equal(leadOf('BTC-11DEC26-90000-C'), 28);
    assert.equal(leadOf('BTC-29JAN27-90000-C'), 91);
    assert.equal(leadOf('BTC-26MAR27-90000-C'), 364);
    // Futures: the weekly 14 days ahead, the monthly 63, the quarterlies 364 (Deribit 2021:
    // 14, 63 and 273-364).
    assert.equal(leadOf('BTC-27NOV26'), 63);
    assert.equal(leadOf('BTC-20NOV26'), 14);
    assert.equal(leadOf('BTC-26MAR27'), 364);
    // Later expiries of a kind were listed later, never earlier.
    const options = [...listed.values()].filter((i) => isOption(i.spec));
    const byExpiry = new Map(options.map((i) => [i.spec.expiry, i.listedAt]));
    const quarterlies = [at8(11, 25), at8(2, 26, 2027), at8(5, 25, 2027), at8(8, 24, 2027)];
    for (let k = 1; k < quarterlies.length; k++) {
      assert.ok(byExpiry.get(quarterlies[k]!)! > byExpiry.get(quarterlies[k - 1]!)!);
    }
  });

  it('gives perpetuals their launch dates', () => {
    const byName = new Map(
      [...venueStep(steps, 'deribit').listed, ...venueStep(steps, 'bybit').listed].map((i) => [
        i.spec.name,
        i.listedAt,
      ]),
    );
    assert.equal(byName.get('BTC-PERPETUAL'), Date.UTC(2018, 7, 14, 10, 24, 47));
    assert.equal(byName.get('ETH-PERPETUAL'), Date.UTC(2019, 2, 14, 13, 0, 54));
    assert.equal(byName.get('BTCUSDT'), Date.UTC(2020, 2, 30));
    // A sim set before a launch still shows the perpetual as already listed.
    const early = Date.UTC(2017, 0, 1);
    assert.ok(perpetualListedAt('deribit', 'BTC', early) < early);
  });

  it('finds the listing boundary of an expiry by its windows', () => {
    const start = Date.UTC(2026, 10, 20, 7);
    const all = (): boolean => true;
    assert.equal(datedListedAt(at8(10, 22), start, OPTION_WINDOWS, all), at8(10, 19));
    assert.equal(datedListedAt(at8(10, 27), start, FUTURE_WINDOWS, all), at8(8, 25));
    // A venue listing no weeklies lists a Friday only once it is a daily.
    const noWeeklies = (kinds: readonly string[]): boolean => !kinds.every((k) => k === 'weekly');
    assert.equal(datedListedAt(at8(10, 20), start, OPTION_WINDOWS, noWeeklies), at8(10, 17));
  });
});
