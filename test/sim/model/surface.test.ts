import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { black76Price, yearFraction } from '../../../src/pricing/index.js';
import { scheduledExpiries, OPTION_WINDOWS } from '../../../src/sim/model/index.js';
import { HOUR, START, model } from './helpers.js';

const LOG_MONEYNESS = [
  -1, -0.6, -0.4, -0.25, -0.15, -0.08, -0.03, 0, 0.03, 0.08, 0.15, 0.25, 0.4, 0.6, 1,
];

/** Total implied variance at log-moneyness k for one expiry. */
function totalVarianceAt(
  m: ReturnType<typeof model>,
  currency: string,
  now: number,
  expiry: number,
  k: number,
): number {
  const forward = m.forward(currency, expiry);
  const vol = m.modelIv(currency, expiry, forward * Math.exp(k));
  return vol * vol * yearFraction(now, expiry);
}

describe('implied volatility surface', () => {
  it('has total variance increasing with expiry at every moneyness, as the market evolves', () => {
    const m = model(41);
    let now = START;
    m.step(now);
    // A month of hourly steps: through regimes, jumps and the surface's own drift.
    for (let day = 0; day < 30; day++) {
      for (let h = 0; h < 24; h++) m.step((now += HOUR));
      const expiries = scheduledExpiries(now, OPTION_WINDOWS).map((s) => s.expiry);
      for (const currency of ['BTC', 'ETH']) {
        for (const k of LOG_MONEYNESS) {
          let previous = 0;
          for (const expiry of expiries) {
            const w = totalVarianceAt(m, currency, now, expiry, k);
            assert.ok(w > previous, `${currency} day ${day} k ${k}: ${w} after ${previous}`);
            previous = w;
          }
        }
      }
    }
  });

  it('has a butterfly-free smile: call prices decreasing and convex in strike', () => {
    const m = model(42);
    let now = START;
    m.step(now);
    for (let day = 0; day < 20; day++) {
      m.step((now += 24 * HOUR));
      for (const { expiry } of scheduledExpiries(now, OPTION_WINDOWS)) {
        const F = m.forward('BTC', expiry);
        const T = yearFraction(now, expiry);
        const prices: number[] = [];
        const strikes: number[] = [];
        for (let x = -1.2; x <= 1.2; x += 0.02) {
          const K = F * Math.exp(x);
          strikes.push(K);
          prices.push(black76Price(F, K, T, m.modelIv('BTC', expiry, K), 'call'));
        }
        for (let i = 1; i + 1 < prices.length; i++) {
          const left = (prices[i]! - prices[i - 1]!) / (strikes[i]! - strikes[i - 1]!);
          const right = (prices[i + 1]! - prices[i]!) / (strikes[i + 1]! - strikes[i]!);
          assert.ok(left <= 1e-12, 'decreasing');
          assert.ok(right >= left - 1e-10, `convex at ${strikes[i]} for ${expiry}`);
        }
      }
    }
  });

  it('skews to the puts with some call wing, and ranges over realistic vols', () => {
    const m = model(43);
    m.step(START);
    const expiry = Date.UTC(2026, 11, 25, 8);
    const F = m.forward('BTC', expiry);
    const atm = m.modelIv('BTC', expiry, F);
    const put = m.modelIv('BTC', expiry, F * 0.75);
    const call = m.modelIv('BTC', expiry, F * 1.33);
    const minimum = Math.min(
      ...LOG_MONEYNESS.map((k) => m.modelIv('BTC', expiry, F * Math.exp(k))),
    );
    assert.ok(atm > 0.3 && atm < 1, `ATM ${atm}`);
    assert.ok(put > call, `put wing ${put} over call wing ${call}`);
    assert.ok(call > minimum, 'the call wing rises again');
    const ethAtm = m.modelIv('ETH', expiry, m.forward('ETH', expiry));
    assert.ok(ethAtm > atm, 'ETH is more volatile than BTC');
  });

  it('lifts front vol after a sell-off', () => {
    // Look across seeds for the worst day and the best day; vol rises after the former more.
    const changes: { move: number; volChange: number }[] = [];
    for (let seed = 0; seed < 40; seed++) {
      const m = model(100 + seed);
      m.step(START);
      const expiry = Date.UTC(2026, 11, 25, 8);
      const before = m.modelIv('BTC', expiry, m.forward('BTC', expiry));
      const index = m.indexPrice('BTC');
      m.step(START + 12 * HOUR);
      const after = m.modelIv('BTC', expiry, m.forward('BTC', expiry));
      changes.push({ move: Math.log(m.indexPrice('BTC') / index), volChange: after - before });
    }
    const n = changes.length;
    const meanMove = changes.reduce((s, c) => s + c.move, 0) / n;
    const meanVol = changes.reduce((s, c) => s + c.volChange, 0) / n;
    const covariance = changes.reduce(
      (s, c) => s + (c.move - meanMove) * (c.volChange - meanVol),
      0,
    );
    assert.ok(covariance < 0, 'spot and vol move against each other');
  });
});
