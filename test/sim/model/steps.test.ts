import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelStep, SimVenueName } from '../../../src/sim/contract.js';
import { bybitProfile } from '../../../src/sim/bybit/profile.js';
import { deribitProfile } from '../../../src/sim/deribit/profile.js';
import { MarketModel } from '../../../src/sim/model/index.js';
import {
  HOUR,
  MINUTE,
  START,
  MarketView,
  checkQuote,
  isMultiple,
  isOption,
  model,
} from './helpers.js';

function checkTakers(view: MarketView, venue: SimVenueName, step: ModelStep): void {
  const instruments = view.venue(venue).instruments;
  for (const taker of step.takers) {
    const spec = instruments.get(taker.instrument)?.spec;
    assert.ok(spec !== undefined, `${taker.instrument} is listed`);
    assert.ok(taker.amount >= spec.minSize && isMultiple(taker.amount, spec.lotSize));
    assert.ok(taker.side === 'buy' || taker.side === 'sell');
  }
}

describe('step sizes', () => {
  it('stays sane through three days of 15-minute steps (3600× speed)', () => {
    const m = model(51);
    const view = new MarketView();
    let settledSteps = 0;
    for (let ts = START; ts <= START + 72 * HOUR; ts += 15 * MINUTE) {
      const steps = m.step(ts);
      view.apply(steps);
      for (const [venue, step] of steps) {
        const instruments = view.venue(venue).instruments;
        assert.ok(instruments.size <= 800, `${venue} holds ${instruments.size}`);
        if (step.expired.length > 0) settledSteps++;
        for (const [name, mark] of step.marks) {
          assert.ok(Number.isFinite(mark.markPrice) && mark.markPrice >= 0, name);
          assert.ok(mark.markIv === null || (mark.markIv > 0.1 && mark.markIv < 5), name);
        }
        for (const [name, quote] of step.quotes) {
          checkQuote(name, instruments.get(name)!.spec, quote);
        }
        if (ts > START) {
          // Every future and perpetual is requoted and, in a 15-minute step, most options too.
          assert.ok(step.quotes.size > 0.6 * instruments.size);
          assert.ok(step.takers.some((t) => isOption(instruments.get(t.instrument)!.spec)));
        }
        checkTakers(view, venue, step);
      }
    }
    assert.equal(settledSteps, 2 * 3, 'one settlement a day per venue');
    for (const c of ['BTC', 'ETH']) {
      const move = Math.log(m.indexPrice(c) / (c === 'BTC' ? 90_000 : 3_000));
      assert.ok(Math.abs(move) < 0.5, `${c} moved ${move} in three days`);
    }
  });

  it('moves little and requotes little on 100 ms steps', () => {
    const m = model(52);
    const view = new MarketView();
    view.apply(m.step(START));
    const options = [...view.venue('deribit').instruments.values()].filter((i) =>
      isOption(i.spec),
    ).length;
    let previous = m.indexPrice('BTC');
    let optionQuotes = 0;
    let takers = 0;
    const steps = 600;
    for (let i = 1; i <= steps; i++) {
      const all = m.step(START + i * 100);
      view.apply(all);
      const step = all.get('deribit')!;
      const index = m.indexPrice('BTC');
      assert.ok(Math.abs(Math.log(index / previous)) < 0.005);
      previous = index;
      const instruments = view.venue('deribit').instruments;
      for (const [name, quote] of step.quotes) {
        checkQuote(name, instruments.get(name)!.spec, quote);
        if (isOption(instruments.get(name)!.spec)) optionQuotes++;
      }
      assert.equal(step.marks.size, instruments.size, 'time passes for every mark');
      takers += step.takers.length;
      checkTakers(view, 'deribit', step);
    }
    const share = optionQuotes / steps / options;
    assert.ok(share > 0.005 && share < 0.06, `requoted share ${share}`);
    // A minute of flow at a few option trades and ten perp trades a minute per currency.
    assert.ok(takers > 10 && takers < 80, `${takers} takers in a minute`);
  });

  it('sends takers at a few a minute per currency on options and more on perpetuals', () => {
    const m = model(53);
    const view = new MarketView();
    view.apply(m.step(START));
    const counts = { option: 0, perpetual: 0, future: 0 };
    const minutes = 120;
    for (let i = 1; i <= minutes; i++) {
      const all = m.step(START + 30 * MINUTE + i * MINUTE);
      view.apply(all);
      const instruments = view.venue('deribit').instruments;
      for (const taker of all.get('deribit')!.takers) {
        counts[instruments.get(taker.instrument)!.spec.kind]++;
      }
    }
    const perMinute = (n: number): number => n / minutes / 2;
    assert.ok(perMinute(counts.option) > 2 && perMinute(counts.option) < 4.5, `${counts.option}`);
    assert.ok(perMinute(counts.perpetual) > 7 && perMinute(counts.perpetual) < 13);
    assert.ok(counts.future > 0);
  });

  it('gives an unknown coin sane defaults and honours a chosen starting index', () => {
    const m = new MarketModel({
      seed: 54,
      start: START,
      currencies: ['BTC', 'SOL'],
      venues: [deribitProfile, bybitProfile],
      initialIndex: { BTC: 60_000 },
    });
    const view = new MarketView();
    for (let i = 0; i < 8; i++) {
      const steps = m.step(START + i * 15 * MINUTE);
      view.apply(steps);
      for (const [venue, step] of steps) {
        const instruments = view.venue(venue).instruments;
        for (const [name, quote] of step.quotes)
          checkQuote(name, instruments.get(name)!.spec, quote);
      }
    }
    assert.ok(Math.abs(Math.log(m.indexPrice('BTC') / 60_000)) < 0.1);
    const sol = [...view.venue('bybit').instruments.values()].filter((i) => i.currency === 'SOL');
    assert.ok(sol.some((i) => i.spec.name === 'SOLUSDT'));
    assert.ok(sol.filter((i) => isOption(i.spec)).length > 100);
    const solIv = m.modelIv('SOL', Date.UTC(2026, 11, 25, 8), m.indexPrice('SOL'));
    assert.ok(solIv > 0.5 && solIv < 1.5, `SOL ATM ${solIv}`);
    assert.throws(() => m.indexPrice('DOGE'), RangeError);
  });
});
