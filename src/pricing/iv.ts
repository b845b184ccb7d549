// Implied volatility to machine precision in a handful of iterations.
//
// The method follows the structure of P. Jäckel, "Let's Be Rational" (2015):
// reduce to an out-of-the-money call on the normalised Black function b(x, s),
// split the domain at the inflection point s_c = √(2|x|), and in each half
// solve an objective that is nearly linear in s, with third-order Householder
// steps:
//   below s_c                 g(s) = 1/ln b(s) − 1/ln β          (b falls like e^{−x²/2s²})
//   above s_c, β < b_max/2    f(s) = b(s) − β                    (b is nearly linear there)
//   above s_c, β ≥ b_max/2    u(s) = ln(b_max − b(s)) − ln(b_max − β)  (the gap closes like e^{−s²/8})
// The starting points come from the leading asymptotics of each half. Every step
// is kept inside a bracket that only shrinks, so the loop cannot wander or spin.

import type { OptionType } from './black76.js';
import { normInv } from './normal.js';
import {
  logMoneyness,
  normalisedOtmCall,
  normalisedOtmCallComplement,
  normalisedVega,
} from './normalised-black.js';

export type IvFailure = 'invalid-input' | 'below-intrinsic' | 'above-maximum';

export interface IvResult {
  /** σ as a decimal (0.6321); NaN when `reason` is not null. */
  iv: number;
  reason: IvFailure | null;
}

const INVALID = -1;
const BELOW_INTRINSIC = -2;
const ABOVE_MAXIMUM = -3;

const MAX_ITERATIONS = 32;
// Householder(3) converges quartically: a step this small leaves an error far below ε.
const FINAL_STEP = 1e-7;
const SQRT_2PI = 2.5066282746310002;
// Measured on a chain-like mix: 0.1 takes 2.75 steps on average, pure tangent 2.8,
// an even mean 3.2.
const WEIGHT_POWER = 0.1;

function householderStep(newton: number, halley: number, third: number): number {
  return (newton * (1 + 0.5 * halley * newton)) / (1 + newton * (halley + (third * newton) / 6));
}

/**
 * Lower half. Two bounds on s: the leading asymptotics, ln β ≈ −x²/(2s²) − s²/8 +
 * ln(s³/(√(2π)x²)), refined twice, from below (good deep in the wing); and the tangent
 * at s_c, whose slope there is e^{x/2}/√(2π), from above (b is convex below s_c; good
 * near it). Their geometric mean, weighted towards the tangent as β nears b_c.
 */
function lowerStart(beta: number, x: number, sc: number, bc: number): number {
  const lnBeta = Math.log(beta);
  const x2 = x * x;
  let asymptotic = Math.abs(x) / Math.sqrt(-2 * lnBeta);
  for (let i = 0; i < 2; i++) {
    const s2 = asymptotic * asymptotic;
    const prefactor = Math.log((s2 * asymptotic) / (SQRT_2PI * x2));
    const denominator = prefactor - s2 / 8 - lnBeta;
    if (!(denominator > 0)) break;
    asymptotic = Math.sqrt(x2 / (2 * denominator));
  }
  if (!(asymptotic > 0 && asymptotic < sc)) asymptotic = 0.5 * sc;
  const tangent = sc + ((beta - bc) * SQRT_2PI) / Math.exp(0.5 * x);
  if (!(tangent > asymptotic)) return asymptotic;
  const w = Math.pow(beta / bc, WEIGHT_POWER);
  return Math.exp((1 - w) * Math.log(asymptotic) + w * Math.log(tangent));
}

/** Upper half: b_max − b → 2·cosh(x/2)·Φ(−s/2) as s grows. */
function upperStart(gap: number, x: number, sc: number): number {
  const s = -2 * normInv(gap / (2 * Math.cosh(0.5 * x)));
  return s > sc ? s : sc + 0.5 * (sc === 0 ? 1 : sc);
}

/** The last x and its b(x, s_c): a quote's bid, ask and mark IVs share their x. */
let inflectionX = NaN;
let inflectionB = NaN;

/** b(x, s_c), the price at the inflection point that splits the two halves. */
function inflectionPrice(x: number, sc: number): number {
  if (!(x < 0)) return 0;
  if (x !== inflectionX) {
    inflectionB = normalisedOtmCall(x, sc);
    inflectionX = x;
  }
  return inflectionB;
}

/**
 * s = σ√T with b(x, s) = β, for x ≤ 0 and 0 < β < e^{x/2}. `near`, a total vol close to the
 * answer (the last one solved for the same option), replaces the asymptotic start when it
 * lies in the answer's half: the same steps to the same stop, one or two fewer of them.
 */
export function normalisedImpliedTotalVol(
  beta: number,
  x: number,
  near = NaN,
  finalStep = FINAL_STEP,
): number {
  const bMax = Math.exp(0.5 * x);
  const sc = Math.sqrt(-2 * x);
  const x2 = x * x;
  // Which half holds the answer. b rises with s, so a near start below s_c whose price is
  // at least β has the answer below it (and one above s_c priced at most β, above it): its
  // price is the first step's anyway, and b(x, s_c) is not needed.
  let nearB = NaN;
  let lower: boolean;
  if (near > 0 && near < sc) {
    nearB = normalisedOtmCall(x, near);
    lower = nearB >= beta || beta < inflectionPrice(x, sc);
  } else if (near > sc && near < Infinity && 0.5 * bMax > beta) {
    nearB = normalisedOtmCall(x, near);
    lower = nearB < beta ? false : beta < inflectionPrice(x, sc);
  } else {
    lower = beta < inflectionPrice(x, sc);
  }
  const middle = !lower && beta < 0.5 * bMax;
  const gapStar = bMax - beta;
  const inverseLnBeta = 1 / Math.log(beta);
  let lo = lower ? 0 : sc;
  let hi = lower ? sc : Infinity;
  // A near start must lie in the answer's half: each half's objective is chosen to converge
  // from anywhere in it, not from the other (measured: a start of 5 for 0.05 lands wrong).
  const nearInHalf = near > lo && near < hi;
  if (!nearInHalf) nearB = NaN;
  let s = nearInHalf
    ? near
    : lower
      ? lowerStart(beta, x, sc, inflectionPrice(x, sc))
      : upperStart(gapStar, x, sc);

  for (let i = 0; i < MAX_ITERATIONS; i++) {
    const vega = normalisedVega(x, s);
    const s2 = s * s;
    const curvature = x2 / (s2 * s) - 0.25 * s; // b''/b'
    const jerk = curvature * curvature - (3 * x2) / (s2 * s2) - 0.25; // b'''/b'
    let objective: number;
    let newton: number;
    let halley: number;
    let third: number;
    if (lower) {
      const b = i === 0 && nearB === nearB ? nearB : normalisedOtmCall(x, s);
      const lnB = Math.log(b);
      objective = 1 / lnB - inverseLnBeta;
      const l1 = vega / b;
      const l2 = l1 * curvature - l1 * l1;
      const l3 = l1 * jerk - 3 * l1 * curvature * l1 + 2 * l1 * l1 * l1;
      newton = (objective * lnB * lnB) / l1;
      halley = l2 / l1 - (2 * l1) / lnB;
      third = l3 / l1 - (6 * l2) / lnB + (6 * l1 * l1) / (lnB * lnB);
    } else if (middle) {
      objective = (i === 0 && nearB === nearB ? nearB : normalisedOtmCall(x, s)) - beta;
      newton = -objective / vega;
      halley = curvature;
      third = jerk;
    } else {
      const gap = normalisedOtmCallComplement(x, s);
      const w = vega / gap;
      objective = Math.log(gap / gapStar);
      newton = objective / w;
      halley = curvature + w;
      third = jerk + 3 * curvature * w + 2 * w * w;
    }
    // g and u fall as s rises, f rises.
    if (objective === 0) return s;
    if (objective > 0 !== middle) lo = s;
    else hi = s;
    let step = householderStep(newton, halley, third);
    if (!Number.isFinite(step)) step = newton;
    if (Math.abs(step) <= finalStep * s) {
      const last = s + step;
      return last > lo && last < hi ? last : s;
    }
    let next = s + step;
    if (!(next > lo && next < hi)) next = hi < Infinity ? 0.5 * (lo + hi) : 2 * s;
    s = next;
  }
  return s;
}

/** σ ≥ 0, or a negative code naming the failure; no allocation on this path. */
function impliedVolOrCode(
  price: number,
  F: number,
  K: number,
  T: number,
  type: OptionType,
  rate: number,
  near = NaN,
  finalStep = FINAL_STEP,
): number {
  if (!(F > 0 && K > 0 && T > 0 && price >= 0)) return INVALID;
  if (!(
    F < Infinity &&
    K < Infinity &&
    T < Infinity &&
    price < Infinity &&
    rate > -Infinity &&
    rate < Infinity
  )) {
    return INVALID;
  }
  const undiscounted = rate === 0 ? price : price * Math.exp(rate * T);
  const intrinsic = type === 'call' ? Math.max(F - K, 0) : Math.max(K - F, 0);
  const timeValue = undiscounted - intrinsic;
  if (timeValue < 0) return BELOW_INTRINSIC;
  // A call is worth less than F and a put less than K at any finite volatility.
  if (undiscounted >= (type === 'call' ? F : K)) return ABOVE_MAXIMUM;
  const x = -Math.abs(logMoneyness(F, K));
  const beta = timeValue / Math.sqrt(F * K);
  // Rounding in the normalisation can still land on the bound.
  if (beta >= Math.exp(0.5 * x)) return ABOVE_MAXIMUM;
  if (beta === 0) return 0;
  const rootT = Math.sqrt(T);
  return normalisedImpliedTotalVol(beta, x, near * rootT, finalStep) / rootT;
}

/** Implied Black-76 volatility of `price` (USD, discounted at `rate`); NaN when there is none. */
export function impliedVol(
  price: number,
  F: number,
  K: number,
  T: number,
  type: OptionType,
  rate = 0,
): number {
  const v = impliedVolOrCode(price, F, K, T, type, rate);
  return v < 0 ? NaN : v;
}

/**
 * As impliedVol, starting from `near`, a volatility close to the answer (the option's last
 * one: between two quotes of an option its IV moves little). The result is the same to the
 * solver's precision; NaN or a far `near` costs nothing but the usual start.
 */
export function impliedVolNear(
  price: number,
  F: number,
  K: number,
  T: number,
  type: OptionType,
  near: number,
  finalStep = FINAL_STEP,
): number {
  const v = impliedVolOrCode(price, F, K, T, type, 0, near, finalStep);
  return v < 0 ? NaN : v;
}

/** As impliedVol, with the reason when there is no volatility. */
export function solveImpliedVol(
  price: number,
  F: number,
  K: number,
  T: number,
  type: OptionType,
  rate = 0,
): IvResult {
  const v = impliedVolOrCode(price, F, K, T, type, rate);
  if (v >= 0) return { iv: v, reason: null };
  const reason: IvFailure =
    v === BELOW_INTRINSIC
      ? 'below-intrinsic'
      : v === ABOVE_MAXIMUM
        ? 'above-maximum'
        : 'invalid-input';
  return { iv: NaN, reason };
}
