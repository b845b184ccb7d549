import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { black76Price, yearFraction } from '../../../src/pricing/index.js';
import { expiryCode } from '../../../src/sim/expiry-code.js';
import { HOUR, MINUTE, START, MarketView, isOption, model } from './helpers.js';

describe('model marks', () => {
  it('price every option with src/pricing at the published IV, forward and time', () => {
    const m = model(21);
    const view = new MarketView();
    const times = [START, START + 250, START + 15 * MINUTE, START + 2 * HOUR, START + 26 * HOUR];
    let checked = 0;
    for (const ts of times) {
      const steps = m.step(ts);
      view.apply(steps);
      for (const [venue, step] of steps) {
        const instruments = view.venue(venue).instruments;
        for (const [name, mark] of step.marks) {
          const spec = instruments.get(name)?.spec;
          assert.ok(spec !== undefined, `${name} is listed`);
          assert.equal(mark.indexPrice, step.index.get(instruments.get(name)!.currency));
          if (!isOption(spec)) {
            assert.equal(mark.markIv, null);
            assert.equal(mark.forward, mark.markPrice);
            assert.equal(mark.underlyingName, name);
            assert.equal(mark.fundingRate === null, spec.kind === 'future');
            continue;
          }
          const T = yearFraction(ts, spec.expiry);
          const usd = black76Price(mark.forward, spec.strike, T, mark.markIv!, spec.type);
          const expected = spec.settlement === 'inverse' ? usd / mark.forward : usd;
          assert.equal(mark.markPrice, expected, name);
          assert.equal(mark.fundingRate, null);
          checked++;
        }
      }
    }
    assert.ok(checked > 2000);
  });

  it('takes the forward from the listed future, or names a synthetic one', () => {
    const m = model(22);
    const steps = m.step(START);
    const deribit = steps.get('deribit')!;
    const bybit = steps.get('bybit')!;
    const dec = Date.UTC(2026, 11, 25, 8);
    const future = deribit.marks.get('BTC-25DEC26')!;
    const option = deribit.marks.get('BTC-25DEC26-90000-C')!;
    assert.equal(option.underlyingName, 'BTC-25DEC26');
    assert.equal(option.forward, future.markPrice);
    assert.equal(option.forward, m.forward('BTC', dec));
    const daily = deribit.marks.get('BTC-21NOV26-90000-P')!;
    assert.equal(daily.underlyingName, `SYN.BTC-${expiryCode(Date.UTC(2026, 10, 21, 8))}`);
    const linear = bybit.marks.get('BTC-25DEC26-90000-C-USDT')!;
    assert.equal(linear.underlyingName, 'SYN.BTC-25DEC26');
    assert.equal(linear.forward, option.forward);
    assert.equal(linear.markIv, option.markIv);
    assert.equal(linear.markPrice, option.markPrice * option.forward);
    assert.equal(option.markIv, m.modelIv('BTC', dec, 90_000));
  });

  it('keeps futures in contango with a basis of a few percent a year and a small perp premium', () => {
    const m = model(23);
    const steps = m.step(START);
    const deribit = steps.get('deribit')!;
    const index = m.indexPrice('BTC');
    const sep = deribit.marks.get('BTC-24SEP27')!;
    const basis = Math.log(sep.markPrice / index) / yearFraction(START, Date.UTC(2027, 8, 24, 8));
    assert.ok(basis > -0.03 && basis < 0.15, `basis ${basis}`);
    for (const perp of [
      deribit.marks.get('BTC-PERPETUAL')!,
      steps.get('bybit')!.marks.get('BTCUSDT')!,
    ]) {
      assert.ok(Math.abs(perp.markPrice / index - 1) < 0.005);
      assert.ok(Math.abs(perp.fundingRate!) < 0.003);
    }
  });

  it('emits only marks that moved: none for a repeated time, all after time passes', () => {
    const m = model(24);
    const first = m.step(START).get('deribit')!;
    const listed = first.listed.length;
    assert.equal(first.marks.size, listed);
    assert.equal(first.quotes.size, listed);
    const again = m.step(START).get('deribit')!;
    assert.equal(again.marks.size, 0);
    assert.equal(again.quotes.size, 0);
    assert.equal(again.takers.length, 0);
    assert.equal(again.listed.length, 0);
    const later = m.step(START + 1000).get('deribit')!;
    assert.equal(later.marks.size, listed);
  });
});
