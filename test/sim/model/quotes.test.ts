import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { black76Price, impliedVol, yearFraction } from '../../../src/pricing/index.js';
import { MINUTE, START, MarketView, checkQuote, isOption, model } from './helpers.js';

describe('market-maker quotes', () => {
  it('sit on tick with valid lots, uncrossed, the mark inside, across small and large steps', () => {
    const m = model(31);
    const view = new MarketView();
    const times = [START];
    for (let i = 1; i <= 40; i++) times.push(START + i * 250);
    for (let i = 1; i <= 12; i++) times.push(START + 10_000 + i * 15 * MINUTE);
    for (const ts of times) {
      const steps = m.step(ts);
      view.apply(steps);
      for (const [venue, step] of steps) {
        const instruments = view.venue(venue).instruments;
        for (const [name, quote] of step.quotes)
          checkQuote(name, instruments.get(name)!.spec, quote);
      }
      for (const [venue, v] of view.venues) {
        for (const [name, instrument] of v.instruments) {
          const quote = v.quotes.get(name);
          const mark = v.marks.get(name);
          assert.ok(
            quote !== undefined && mark !== undefined,
            `${venue} ${name} quoted and marked`,
          );
          const bid = quote.bids[0] ?? 0;
          assert.ok(
            mark.markPrice >= bid && mark.markPrice <= quote.asks[0]!,
            `${name} mark outside`,
          );
          if (!isOption(instrument.spec)) {
            // Futures quote a tick or two wide around their fair price.
            const tick = instrument.spec.tickSize;
            assert.ok(quote.asks[0]! - quote.bids[0]! <= 4 * tick + 1e-9, `${name} spread`);
          }
        }
      }
    }
  });

  it('quote options a few vol points wide near the money, wider in the wings', () => {
    const m = model(32);
    const steps = m.step(START + 2 * MINUTE);
    const deribit = steps.get('deribit')!;
    const specs = new Map(deribit.listed.map((i) => [i.spec.name, i.spec]));
    const widthInVol = (name: string): number => {
      const spec = specs.get(name)!;
      const mark = deribit.marks.get(name)!;
      const quote = deribit.quotes.get(name)!;
      assert.ok(isOption(spec));
      const T = yearFraction(START + 2 * MINUTE, spec.expiry);
      const iv = (price: number): number => {
        const vol = impliedVol(price * mark.forward, mark.forward, spec.strike, T, spec.type);
        assert.ok(Number.isFinite(vol), `iv of ${name} at ${price}`);
        return vol;
      };
      return iv(quote.asks[0]!) - iv(quote.bids[0]!);
    };
    const atm = widthInVol('BTC-25DEC26-90000-C');
    assert.ok(atm > 0.004 && atm < 0.06, `ATM width ${atm}`);
    const wing = widthInVol('BTC-25DEC26-70000-P');
    assert.ok(wing > atm, `wing ${wing} vs ATM ${atm}`);
    // Sanity of the recomputation: the mark's own IV round-trips through the same solver.
    const mark = deribit.marks.get('BTC-25DEC26-90000-C')!;
    const T = yearFraction(START + 2 * MINUTE, Date.UTC(2026, 11, 25, 8));
    assert.ok(
      Math.abs(
        black76Price(mark.forward, 90_000, T, mark.markIv!, 'call') / mark.forward - mark.markPrice,
      ) < 1e-15,
    );
  });

  it('shows no bid on worthless wings and asks at least the minimum tick', () => {
    const m = model(33);
    const deribit = m.step(START + 50 * MINUTE).get('deribit')!;
    let bidless = 0;
    for (const [name, quote] of deribit.quotes) {
      if (quote.bids.length === 0) {
        bidless++;
        assert.ok(quote.asks[0]! >= 0.0001, name);
        assert.ok(deribit.marks.get(name)!.markPrice < 0.001, `${name} is worth something`);
      }
    }
    // Ten minutes to the 20 Nov expiry: its far strikes are worthless.
    assert.ok(bidless > 0);
  });

  it('requote a subset of options on short steps and every future each step', () => {
    const m = model(34);
    const first = m.step(START).get('deribit')!;
    const options = first.listed.filter((i) => isOption(i.spec)).length;
    const futures = first.listed.length - options;
    let optionQuotes = 0;
    const steps = 40;
    for (let i = 1; i <= steps; i++) {
      const step = m.step(START + i * 250).get('deribit')!;
      let futureQuotes = 0;
      for (const name of step.quotes.keys()) {
        if (first.listed.find((x) => x.spec.name === name && !isOption(x.spec))) futureQuotes++;
        else optionQuotes++;
      }
      assert.equal(futureQuotes, futures);
    }
    const share = optionQuotes / steps / options;
    assert.ok(share > 0.02 && share < 0.15, `requoted share ${share}`);
  });
});
