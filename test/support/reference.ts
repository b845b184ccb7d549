// High-precision reference values for judging the float64 pricing core.
//
// Everything here is deliberately slow and simple: decimal.js arithmetic carried
// well beyond double precision, so that the error of a float64 result can be
// measured against a value whose own error is negligible (≪ 1e-40 relative).
// Nothing here may import src/pricing: a reference that shares code with the
// thing it judges would share its bugs too.
import { Decimal } from 'decimal.js';

export type RefOptionType = 'call' | 'put';

/** Significant digits carried by every value this module returns. */
export const REF_DIGITS = 50;

// Extra digits for intermediate steps (rounding in the ln/exp/div chains).
// Kept small on purpose: decimal.js cost grows with every digit, and the
// cancellation-prone steps get their own margins below.
const GUARD = 4;

// Below this |x| erf comes from its Taylor series, above it erfc comes from a
// continued fraction. The usual switch-over is ~3, but in decimal.js each
// continued-fraction step costs two long divisions while a series term costs
// one multiplication and two divisions by small integers: measured at 58
// digits the series stays 2–4× cheaper up to x = 5, even after paying for the
// extra digits it needs there (see seriesGuard).
const SERIES_LIMIT = 5;

// Digits the series loses at x: log10 of its peak term e^{x²}/√(π x²) to the
// alternating sum, and log10(1/erfc x) ≈ (x² + ln(x√π))/ln 10 to forming 1 − erf.
function seriesGuard(x: Decimal): number {
  const x2 = x.toNumber() ** 2;
  return Math.ceil((2 * x2) / Math.LN10) + 3;
}

const contexts = new Map<number, Decimal.Constructor>();

// One decimal.js constructor per working precision; the library keeps the
// precision on the constructor, not on the value.
function ctx(precision: number): Decimal.Constructor {
  let c = contexts.get(precision);
  if (c === undefined) {
    c = Decimal.clone({ precision, rounding: Decimal.ROUND_HALF_EVEN });
    contexts.set(precision, c);
  }
  return c;
}

const Ref = ctx(REF_DIGITS);

const sqrtPiCache = new Map<Decimal.Constructor, Decimal>();
function sqrtPi(W: Decimal.Constructor): Decimal {
  let v = sqrtPiCache.get(W);
  if (v === undefined) {
    v = W.acos(-1).sqrt();
    sqrtPiCache.set(W, v);
  }
  return v;
}

/**
 * The exact value of a float64 as a Decimal. `new Decimal(number)` would use
 * the shortest round-trip string (0.1 → 0.1), i.e. a different number from the
 * one the float64 code actually sees. toPrecision(100) is exact for every
 * double ≥ ~1e-20 (≤ 100 significant digits) and otherwise still 50 digits
 * beyond REF_DIGITS.
 */
export function exactDecimal(x: number, W: Decimal.Constructor = Ref): Decimal {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  return new W(x.toPrecision(100));
}

function epsilonOf(W: Decimal.Constructor): Decimal {
  return new W(`1e-${W.precision}`);
}

/** erf(x) by its Maclaurin series; meant for |x| ≤ SERIES_LIMIT. */
function erfSeries(x: Decimal, W: Decimal.Constructor): Decimal {
  const x2 = x.times(x);
  const eps = epsilonOf(W);
  // term_n = (−1)^n x^{2n+1} / n!; erf = 2/√π Σ term_n / (2n+1)
  let term = new W(x);
  let sum = new W(x);
  for (let n = 1; ; n++) {
    term = term.times(x2).div(n).neg();
    const t = term.div(2 * n + 1);
    sum = sum.plus(t);
    // Past the peak (n > x²) the terms shrink monotonically and alternate, so
    // the remainder is below the first neglected term.
    if (n > x2.toNumber() && t.abs().lte(sum.abs().times(eps))) break;
  }
  return sum.times(2).div(sqrtPi(W));
}

/**
 * erfc(x) for x > 0 from the even contraction of Laplace's continued fraction
 * (Abramowitz & Stegun 7.1.14):
 *   erfc x = 2x e^{−x²}/√π · 1/(2x²+1 − 1·2/(2x²+5 − 3·4/(2x²+9 − …)))
 * evaluated with the modified Lentz algorithm. Every partial numerator is
 * negative and every denominator ≥ 2x²+1, so it converges for all x > 0, and
 * the faster the larger x is.
 */
function erfcContinuedFraction(x: Decimal, W: Decimal.Constructor): Decimal {
  const x2 = x.times(x);
  const twoX2 = x2.times(2);
  const eps = epsilonOf(W);
  // Lentz's substitute for an exact zero denominator, far below anything real.
  const tiny = new W(`1e-${4 * W.precision}`);
  let f = twoX2.plus(1);
  let c = f;
  let d = new W(0);
  const one = new W(1);
  for (let n = 1; n < 100_000; n++) {
    const a = -(2 * n - 1) * (2 * n);
    const b = twoX2.plus(4 * n + 1);
    d = b.plus(d.times(a));
    if (d.isZero()) d = tiny;
    c = b.plus(new W(a).div(c));
    if (c.isZero()) c = tiny;
    d = one.div(d);
    const delta = c.times(d);
    f = f.times(delta);
    if (delta.minus(1).abs().lte(eps)) {
      return x.times(2).times(x2.neg().exp()).div(sqrtPi(W).times(f));
    }
  }
  throw new Error(`erfc continued fraction did not converge at x=${x.toString()}`);
}

/**
 * erfc(x) at `digits` significant digits. `method` exists so that tests can
 * check the two independent algorithms against each other where both apply.
 */
export function refErfc(
  x: number | Decimal,
  digits: number = REF_DIGITS,
  method: 'auto' | 'series' | 'fraction' = 'auto',
): Decimal {
  const W = ctx(digits + GUARD);
  const xd = typeof x === 'number' ? exactDecimal(x, W) : new W(x);
  return erfcWork(xd, W, method).toSignificantDigits(digits);
}

function erfcWork(
  x: Decimal,
  W: Decimal.Constructor,
  method: 'auto' | 'series' | 'fraction',
): Decimal {
  if (x.isNeg()) return new W(2).minus(erfcWork(x.neg(), W, method));
  const useSeries = method === 'series' || (method === 'auto' && x.lte(SERIES_LIMIT));
  if (useSeries) {
    const S = ctx(W.precision + seriesGuard(x));
    return new W(new S(1).minus(erfSeries(new S(x), S)));
  }
  if (x.isZero()) return new W(1);
  return erfcContinuedFraction(x, W);
}

/** Φ(z) from a Decimal argument, with about `digits` correct significant digits. */
function normCdfWork(z: Decimal, digits: number): Decimal {
  const W = ctx(digits + GUARD);
  // Φ(z) = ½·erfc(−z/√2); the division by √2 is done in Decimal so that the
  // argument is not rounded to float64 on the way.
  const x = new W(z).neg().div(new W(2).sqrt());
  return erfcWork(x, W, 'auto').div(2);
}

/** Standard normal CDF Φ(z) of the exact float64 z, to REF_DIGITS digits. */
export function refNormCdf(z: number): Decimal {
  return new Ref(normCdfWork(exactDecimal(z, ctx(REF_DIGITS + GUARD)), REF_DIGITS)).toSD(
    REF_DIGITS,
  );
}

export interface RefCallPut {
  call: Decimal;
  put: Decimal;
}

/**
 * Undiscounted Black-76 call and put values for the exact float64 inputs,
 * each to REF_DIGITS significant digits.
 *
 * The out-of-the-money side is the difference F·Φ(d1) − K·Φ(d2) (or its put
 * mirror) of two nearly equal small numbers; its lost digits are measured and
 * the evaluation repeated at a higher precision until REF_DIGITS survive. The
 * in-the-money side then follows from parity C − P = F − K as a sum of two
 * positive terms, so it inherits no cancellation at all.
 */
export function refBlack76Pair(F: number, K: number, T: number, sigma: number): RefCallPut {
  for (const [name, v] of [
    ['F', F],
    ['K', K],
    ['T', T],
    ['sigma', sigma],
  ] as const) {
    if (!(Number.isFinite(v) && v > 0)) {
      throw new RangeError(`refBlack76: ${name} must be finite and > 0, got ${v}`);
    }
  }
  let digits = REF_DIGITS + 2 * GUARD;
  for (let attempt = 0; attempt < 8; attempt++) {
    const r = black76AtPrecision(F, K, T, sigma, digits);
    if ('call' in r) return r;
    digits = r.retryDigits;
  }
  throw new Error(`refBlack76: no convergence for F=${F} K=${K} T=${T} sigma=${sigma}`);
}

function black76AtPrecision(
  F: number,
  K: number,
  T: number,
  sigma: number,
  digits: number,
): RefCallPut | { retryDigits: number } {
  const W = ctx(digits);
  const f = exactDecimal(F, W);
  const k = exactDecimal(K, W);
  const s = exactDecimal(sigma, W).times(exactDecimal(T, W).sqrt());
  const x = f.div(k).ln();
  const d1 = x.div(s).plus(s.div(2));
  const d2 = d1.minus(s);
  const callIsOtm = x.isNeg() || x.isZero();
  const big = callIsOtm ? f.times(normCdfWork(d1, digits)) : k.times(normCdfWork(d2.neg(), digits));
  const small = callIsOtm
    ? k.times(normCdfWork(d2, digits))
    : f.times(normCdfWork(d1.neg(), digits));
  const otm = big.minus(small);
  // Digits that survive the subtraction are the working digits minus
  // log10(big/otm); insist on REF_DIGITS of them plus a margin for the error
  // already present in the two Φ values.
  if (!otm.isPositive()) return { retryDigits: digits * 2 };
  if (otm.lt(big.times(new W(10).pow(REF_DIGITS + GUARD - digits)))) {
    const lost = Math.ceil(big.div(otm).log(10).toNumber());
    return { retryDigits: Math.max(digits + 8, REF_DIGITS + 2 * GUARD + lost) };
  }
  const itm = otm.plus(f.minus(k).abs());
  const call = callIsOtm ? otm : itm;
  const put = callIsOtm ? itm : otm;
  return { call: new Ref(call).toSD(REF_DIGITS), put: new Ref(put).toSD(REF_DIGITS) };
}

/** Undiscounted Black-76 value of one option type; see refBlack76Pair. */
export function refBlack76(
  F: number,
  K: number,
  T: number,
  sigma: number,
  type: RefOptionType,
): Decimal {
  const pair = refBlack76Pair(F, K, T, sigma);
  return type === 'call' ? pair.call : pair.put;
}
