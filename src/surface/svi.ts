// Raw SVI (Gatheral 2004) in total implied variance w = σ_BS²·T against k = ln(K/F).

import type { SviParams } from './types.js';

export function sviTotalVariance(p: SviParams, k: number): number {
  const x = k - p.m;
  return p.a + p.b * (p.rho * x + Math.sqrt(x * x + p.sigma * p.sigma));
}

/** dw/dk. */
export function sviSlope(p: SviParams, k: number): number {
  const x = k - p.m;
  return p.b * (p.rho + x / Math.sqrt(x * x + p.sigma * p.sigma));
}

/** d²w/dk². */
export function sviCurvature(p: SviParams, k: number): number {
  const x = k - p.m;
  const r = Math.sqrt(x * x + p.sigma * p.sigma);
  return (p.b * p.sigma * p.sigma) / (r * r * r);
}

/**
 * Gatheral–Jacquier's g(k) = (1 − k·w′/(2w))² − (w′²/4)·(1/w + 1/4) + w″/2: the risk-neutral
 * density is c″(K) ∝ g(k)·φ(d₂)/√w, so g ≥ 0 everywhere is the absence of butterfly
 * arbitrage. −∞ where w ≤ 0 (no density at all).
 */
export function sviG(p: SviParams, k: number): number {
  const w = sviTotalVariance(p, k);
  if (!(w > 0)) return -Infinity;
  const w1 = sviSlope(p, k);
  const w2 = sviCurvature(p, k);
  const first = 1 - (k * w1) / (2 * w);
  return first * first - ((w1 * w1) / 4) * (1 / w + 0.25) + w2 / 2;
}

/** Minimum of w over all k: a + b·σ·√(1 − ρ²). */
export function sviMinVariance(p: SviParams): number {
  return p.a + p.b * p.sigma * Math.sqrt(1 - p.rho * p.rho);
}

/** The raw-SVI domain: b ≥ 0, |ρ| < 1, σ > 0, min w ≥ 0, all finite. */
export function isValidSvi(p: SviParams): boolean {
  return (
    Number.isFinite(p.a) &&
    Number.isFinite(p.m) &&
    p.b >= 0 &&
    p.b < Infinity &&
    Math.abs(p.rho) < 1 &&
    p.sigma > 0 &&
    p.sigma < Infinity &&
    sviMinVariance(p) >= 0
  );
}

/**
 * Raw parameters from Zeliade's quasi-explicit ones: w = a + d·y + c·√(y² + 1), y = (k − m)/σ,
 * so c = b·σ and d = ρ·b·σ.
 */
export function sviFromQuasi(a: number, d: number, c: number, m: number, sigma: number): SviParams {
  if (!(c > 0)) return { a, b: 0, rho: 0, m, sigma };
  return { a, b: c / sigma, rho: d / c, m, sigma };
}

/** Implied vol at k of a smile of total variance w(k) at T years; NaN where w < 0. */
export function volFromTotalVariance(w: number, T: number): number {
  return w >= 0 ? Math.sqrt(w / T) : NaN;
}
