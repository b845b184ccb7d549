import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { black76Price, yearFraction } from '../../../src/pricing/index.js';
import { scheduledExpiries, OPTION_WINDOWS } from '../../../src/sim/model/index.js';
import { varianceSwapVariance } from '../../../src/sim/model/surface.js';
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

  it('its 30-day vol index is the variance swap of its smile, as a dense strike strip of its own prices says', () => {
    // A flat smile's variance swap is its own variance.
    const years = 30 / 365;
    for (const vol of [0.3, 0.8, 1.5]) {
      const flat = varianceSwapVariance({ theta: vol * vol * years, phi: 1e-9, rho: 0, years });
      assert.ok(Math.abs(Math.sqrt(flat) / vol - 1) < 1e-6, `${Math.sqrt(flat)} for ${vol}`);
    }
    // The live index against σ²T = 2·Σ ΔK/K²·Q(K) over 6,000 strikes from 0.02F to 50F, Q the
    // out-of-the-money Black-76 value at the model's own vol: another integral, in strike.
    const m = model(5);
    m.step(START);
    const expiry = START + 30 * 86_400_000;
    for (const coin of ['BTC', 'ETH']) {
      const F = m.forward(coin, expiry);
      const T = yearFraction(START, expiry);
      const strikes = 6000;
      const lo = Math.log(0.02);
      const step = (Math.log(50) - lo) / strikes;
      let sum = 0;
      for (let i = 0; i <= strikes; i++) {
        const K = F * Math.exp(lo + i * step);
        const dK = K * step * (i === 0 || i === strikes ? 0.5 : 1);
        const sigma = m.modelIv(coin, expiry, K);
        sum += (dK / (K * K)) * black76Price(F, K, T, sigma, K < F ? 'put' : 'call');
      }
      const strip = Math.sqrt((2 * sum) / T);
      const index = m.volIndex(coin);
      assert.ok(Math.abs(index / strip - 1) < 1e-4, `${coin}: index ${index}, strip ${strip}`);
      // The smile's wings put it above the 30-day ATM vol, by a few vol points.
      const atm = m.atmVol(coin, 30);
      assert.ok(index > atm + 0.01 && index < atm * 1.25, `${coin}: index ${index}, ATM ${atm}`);
    }
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
