// A 30-day implied volatility index in the Cboe VIX way (Cboe VIX white paper), which
// Deribit's DVOL also follows: per expiry, the variance of the out-of-the-money strip
//   σ²·T = 2·Σ ΔK_i/K_i²·Q(K_i) − (F/K₀ − 1)²
// with Q the mid of the out-of-the-money option's undiscounted USD value (Black-76 forward
// terms: crypto premiums carry no discounting here), K₀ the first listed strike at or below
// the forward (Q(K₀) the put/call average, the call by parity when only the put is given),
// ΔK_i half the distance between the neighbouring included strikes (one-sided at the ends),
// strikes with no bid skipped and the strip cut after two consecutive strikes without a bid.
// The two expiries bracketing 30 days are interpolated in total variance:
//   σ₃₀² = [T₁σ₁²·(T₂ − T₃₀) + T₂σ₂²·(T₃₀ − T₁)] / (T₂ − T₁) / T₃₀.
// With no expiry before 30 days, the first expiry's variance stands for 30 days ('front');
// with none after, there is no index (null): stretching a shorter strip would invent the
// term structure.

import type { ExpiryChain, SmileQuote } from './types.js';

export const INDEX_DAYS = 30;

export interface ExpiryVariance {
  readonly expiryMs: number;
  readonly years: number;
  /** σ² of this expiry's strip, annualised. */
  readonly variance: number;
  readonly k0: number;
  readonly strikes: number;
}

export interface VolIndex {
  /** The index as a decimal vol (0.65 = 65), or null. */
  readonly value: number | null;
  readonly method: 'interpolated' | 'front' | null;
  readonly near: ExpiryVariance | null;
  readonly next: ExpiryVariance | null;
}

interface StripPoint {
  readonly K: number;
  readonly q: number;
}

function mid(q: SmileQuote | undefined): number | null {
  if (q?.bidUsd === undefined || q.askUsd === undefined) return null;
  return 0.5 * (q.bidUsd + q.askUsd);
}

function hasBid(q: SmileQuote | undefined): boolean {
  return q?.bidUsd !== undefined && q.bidUsd > 0;
}

/** The strip's annualised variance, or null when it has no usable strike. */
export function expiryVariance(chain: ExpiryChain): ExpiryVariance | null {
  const F = chain.forward;
  const T = chain.years;
  if (!(T > 0 && F > 0)) return null;
  const puts = new Map<number, SmileQuote>();
  const calls = new Map<number, SmileQuote>();
  for (const q of chain.quotes) (q.type === 'put' ? puts : calls).set(q.strike, q);
  const strikes = [...new Set([...puts.keys(), ...calls.keys()])].sort((a, b) => a - b);
  let i0 = -1;
  for (let i = 0; i < strikes.length; i++) if (strikes[i]! <= F) i0 = i;
  if (i0 < 0) return null;
  const K0 = strikes[i0]!;
  const strip: StripPoint[] = [];
  // K₀: average of put and call; a missing call comes from the put by parity (C = P + F − K).
  const p0 = mid(puts.get(K0));
  const c0 = mid(calls.get(K0));
  if (p0 !== null || c0 !== null) {
    const put = p0 ?? c0! - (F - K0);
    const call = c0 ?? p0! + (F - K0);
    strip.push({ K: K0, q: 0.5 * (put + call) });
  }
  const walk = (from: number, step: number, side: Map<number, SmileQuote>): void => {
    let misses = 0;
    for (let i = from; i >= 0 && i < strikes.length; i += step) {
      const q = side.get(strikes[i]!);
      const m = mid(q);
      if (!hasBid(q) || m === null) {
        if (++misses >= 2) return;
        continue;
      }
      misses = 0;
      strip.push({ K: strikes[i]!, q: m });
    }
  };
  walk(i0 - 1, -1, puts);
  walk(i0 + 1, 1, calls);
  if (strip.length === 0) return null;
  strip.sort((a, b) => a.K - b.K);
  let sum = 0;
  for (let i = 0; i < strip.length; i++) {
    const lo = strip[Math.max(0, i - 1)]!.K;
    const hi = strip[Math.min(strip.length - 1, i + 1)]!.K;
    const dK =
      strip.length === 1 ? 0 : i === 0 || i === strip.length - 1 ? hi - lo : 0.5 * (hi - lo);
    const K = strip[i]!.K;
    sum += (dK / (K * K)) * strip[i]!.q;
  }
  const total = 2 * sum - (F / K0 - 1) ** 2;
  if (!(total > 0)) return null;
  return { expiryMs: chain.expiryMs, years: T, variance: total / T, k0: K0, strikes: strip.length };
}

/** The 30-day index of a chain (any order of expiries). */
export function volIndex(chains: readonly ExpiryChain[], days = INDEX_DAYS): VolIndex {
  const target = days / 365;
  const vars = chains
    .map(expiryVariance)
    .filter((v): v is ExpiryVariance => v !== null)
    .sort((a, b) => a.years - b.years);
  let near: ExpiryVariance | null = null;
  let next: ExpiryVariance | null = null;
  for (const v of vars) {
    if (v.years <= target) near = v;
    else if (next === null) next = v;
  }
  if (next === null) return { value: null, method: null, near, next: null };
  if (near === null) return { value: Math.sqrt(next.variance), method: 'front', near: null, next };
  const w =
    (near.years * near.variance * (next.years - target) +
      next.years * next.variance * (target - near.years)) /
    (next.years - near.years);
  return { value: Math.sqrt(w / target), method: 'interpolated', near, next };
}
