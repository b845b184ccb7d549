// What a desk reads off a smile: ATM vol, risk reversals, butterflies, skew, and the strikes
// of the usual deltas.
//
// Conventions (stated in every result):
// - ATM is the forward: k = 0.
// - Delta 'forward' (default): Black-76 forward delta, call N(d₁), put −N(−d₁). Delta
//   'premium-adjusted' (inverse, coin-margined options): the coin premium is part of the
//   position, so call e^k·N(d₂), put −e^k·N(−d₂) (Δ − V/F). A premium-adjusted call delta peaks
//   below 1 and falls back to 0 deep in the money; its 25Δ/10Δ strikes are taken on the
//   out-of-the-money (k ≥ 0 side) branch.
// - RR = σ(call δ) − σ(put δ); BF = (σ(call δ) + σ(put δ))/2 − σ(ATM) (the smile butterfly,
//   not a broker strangle's).
// - Skew slope: dσ/dk at k = 0, in vol (decimal) per unit of log-moneyness; −0.1 means the
//   vol 10 % below the forward (k ≈ −0.1) is about 1 vol point higher.

import { normCdf } from '../pricing/index.js';
import type { Smile } from './term.js';

export type DeltaConvention = 'forward' | 'premium-adjusted';

export interface DeltaPoint {
  readonly label: '10P' | '25P' | 'ATM' | '25C' | '10C';
  /** Signed delta: −0.10 for a 10Δ put, null for ATM (k = 0). */
  readonly delta: number | null;
}

export const DELTA_POINTS: readonly DeltaPoint[] = [
  { label: '10P', delta: -0.1 },
  { label: '25P', delta: -0.25 },
  { label: 'ATM', delta: null },
  { label: '25C', delta: 0.25 },
  { label: '10C', delta: 0.1 },
];

export interface SmileReadouts {
  readonly deltaConvention: DeltaConvention;
  readonly atmIv: number | null;
  readonly rr25: number | null;
  readonly bf25: number | null;
  readonly rr10: number | null;
  readonly bf10: number | null;
  /** dσ/dk at k = 0. */
  readonly skewSlope: number | null;
}

function ivAt(s: Smile, k: number): number | null {
  const w = s.w(k);
  return w > 0 && Number.isFinite(w) ? Math.sqrt(w / s.years) : null;
}

/** Signed delta at k on the smile under the convention. */
export function deltaAt(s: Smile, k: number, call: boolean, conv: DeltaConvention): number {
  const w = s.w(k);
  const sd = Math.sqrt(w);
  const d1 = (-k + 0.5 * w) / sd;
  if (conv === 'forward') return call ? normCdf(d1) : -normCdf(-d1);
  const d2 = d1 - sd;
  const ek = Math.exp(k);
  return call ? ek * normCdf(d2) : -ek * normCdf(-d2);
}

/**
 * k where the call (delta > 0) or put (delta < 0) has the given delta, on the out-of-the-money
 * side; null when the smile never reaches it there.
 */
export function strikeForDelta(s: Smile, delta: number, conv: DeltaConvention): number | null {
  const call = delta > 0;
  const f = (k: number): number => deltaAt(s, k, call, conv) - delta;
  // |delta| falls away from the money: calls to the right, puts to the left.
  const dir = call ? 1 : -1;
  const w0 = s.w(0);
  if (!(w0 > 0)) return null;
  const step = 0.25 * Math.sqrt(w0);
  let near = 0;
  let fNear = f(near);
  if (!Number.isFinite(fNear) || (call ? fNear < 0 : fNear > 0)) return null;
  let far = near;
  let fFar = fNear;
  for (let i = 0; i < 80; i++) {
    far = near + dir * step;
    fFar = f(far);
    if (!Number.isFinite(fFar)) return null;
    if (call ? fFar <= 0 : fFar >= 0) break;
    near = far;
    fNear = fFar;
  }
  if (call ? fFar > 0 : fFar < 0) return null;
  for (let i = 0; i < 100 && Math.abs(far - near) > 1e-13; i++) {
    const mid = 0.5 * (near + far);
    const fm = f(mid);
    if (call ? fm > 0 : fm < 0) near = mid;
    else far = mid;
  }
  return 0.5 * (near + far);
}

/** Implied vol at a delta point (ATM: k = 0); null when the delta is out of the smile's reach. */
export function ivAtDelta(s: Smile, point: DeltaPoint, conv: DeltaConvention): number | null {
  if (point.delta === null) return ivAt(s, 0);
  const k = strikeForDelta(s, point.delta, conv);
  return k === null ? null : ivAt(s, k);
}

function rr(c: number | null, p: number | null): number | null {
  return c === null || p === null ? null : c - p;
}

function bf(c: number | null, p: number | null, atm: number | null): number | null {
  return c === null || p === null || atm === null ? null : 0.5 * (c + p) - atm;
}

export function smileReadouts(s: Smile, conv: DeltaConvention = 'forward'): SmileReadouts {
  const atm = ivAt(s, 0);
  const at = (delta: number): number | null => ivAtDelta(s, { label: 'ATM', delta }, conv);
  const c25 = at(0.25);
  const p25 = at(-0.25);
  const c10 = at(0.1);
  const p10 = at(-0.1);
  let skew: number | null = null;
  const h = 1e-4;
  const up = ivAt(s, h);
  const down = ivAt(s, -h);
  if (up !== null && down !== null) skew = (up - down) / (2 * h);
  return {
    deltaConvention: conv,
    atmIv: atm,
    rr25: rr(c25, p25),
    bf25: bf(c25, p25, atm),
    rr10: rr(c10, p10),
    bf10: bf(c10, p10, atm),
    skewSlope: skew,
  };
}
