// Synthetic chains priced from known smiles: SSVI (arbitrage-free by construction), raw SVI,
// flat vols; quoted with a spread and seeded noise that keeps the true vol inside the spread.

import { black76Price } from '../../src/pricing/index.js';
import { Random } from '../../src/sim/random.js';
import {
  expiryFromPrices,
  sviTotalVariance,
  type ExpiryChain,
  type PriceQuote,
  type SviParams,
} from '../../src/surface/index.js';

export const DAY_MS = 86_400_000;
export const NOW_MS = Date.UTC(2026, 0, 5, 8);

/**
 * One SSVI slice (Gatheral–Jacquier 2014) as raw SVI: θ the ATM total variance, φ(θ) =
 * η/(θ^γ·(1 + θ)^(1−γ)); with η(1 + |ρ|) ≤ 2 and 0 < γ ≤ ½ the surface is free of static
 * arbitrage.
 */
export function ssviSlice(theta: number, rho: number, eta: number, gamma: number): SviParams {
  const phi = eta / (Math.pow(theta, gamma) * Math.pow(1 + theta, 1 - gamma));
  return {
    a: (theta / 2) * (1 - rho * rho),
    b: (theta * phi) / 2,
    rho,
    m: -rho / phi,
    sigma: Math.sqrt(1 - rho * rho) / phi,
  };
}

export interface QuotedSmile {
  readonly chain: ExpiryChain;
  readonly truth: SviParams;
}

/**
 * Calls and puts on strikes spread over ±`stdevs` standard deviations of the forward, priced
 * (linear, USD) at true vol + noise ∓ half a spread; the noise stays inside 60 % of the half
 * spread, so the true smile lies inside every quote.
 */
export function quoteSmile(
  truth: SviParams,
  days: number,
  opts: { forward?: number; strikes?: number; stdevs?: number; spread?: number; seed?: number },
): QuotedSmile {
  const F = opts.forward ?? 2_000;
  const T = days / 365;
  const n = opts.strikes ?? 31;
  const half = 0.5 * (opts.spread ?? 0.02);
  const rnd = new Random(opts.seed ?? 18);
  const width = (opts.stdevs ?? 2.5) * Math.sqrt(sviTotalVariance(truth, 0));
  const quotes: PriceQuote[] = [];
  for (let i = 0; i < n; i++) {
    const k = -width + (2 * width * i) / (n - 1);
    const K = Math.round(F * Math.exp(k) * 100) / 100;
    const iv = Math.sqrt(sviTotalVariance(truth, Math.log(K / F)) / T);
    const noise = rnd.uniform(-0.6, 0.6) * half;
    for (const type of ['call', 'put'] as const) {
      quotes.push({
        strike: K,
        type,
        bid: black76Price(F, K, T, iv + noise - half, type),
        ask: black76Price(F, K, T, iv + noise + half, type),
      });
    }
  }
  const chain = expiryFromPrices({
    expiryMs: NOW_MS + days * DAY_MS,
    years: T,
    forward: F,
    style: 'linear',
    quotes,
  });
  return { chain, truth };
}

/** A flat-vol chain: every strike from 0.2·F to 5·F by 1 % of F, quoted at σ ± half a spread. */
export function flatChain(sigma: number, days: number, F = 2_000, spread = 0.002): ExpiryChain {
  const T = days / 365;
  const quotes: PriceQuote[] = [];
  for (let K = 0.2 * F; K <= 5 * F; K += 0.01 * F) {
    for (const type of ['call', 'put'] as const) {
      quotes.push({
        strike: K,
        type,
        bid: black76Price(F, K, T, sigma - spread / 2, type),
        ask: black76Price(F, K, T, sigma + spread / 2, type),
      });
    }
  }
  return expiryFromPrices({
    expiryMs: NOW_MS + days * DAY_MS,
    years: T,
    forward: F,
    style: 'linear',
    quotes,
  });
}

/** Max |fitted IV − true IV| over the quoted k range. */
export function maxVolError(fit: SviParams, truth: SviParams, chain: ExpiryChain): number {
  let worst = 0;
  for (const q of chain.quotes) {
    const k = Math.log(q.strike / chain.forward);
    const a = Math.sqrt(sviTotalVariance(fit, k) / chain.years);
    const b = Math.sqrt(sviTotalVariance(truth, k) / chain.years);
    worst = Math.max(worst, Math.abs(a - b));
  }
  return worst;
}
