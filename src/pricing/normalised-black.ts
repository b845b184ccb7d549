// The normalised Black function of an out-of-the-money call,
//   b(x, s) = e^{x/2} Φ(x/s + s/2) − e^{−x/2} Φ(x/s − s/2),   x = ln(F/K) ≤ 0, s = σ√T,
// which is the undiscounted call value divided by √(FK). Everything else in the
// pricing core reduces to it (puts and in-the-money options by parity and the
// symmetry b_put(x) = b_call(−x)).
//
// Written as b = ½·e^{−(m²+d²)}·[Y(m−d) − Y(m+d)] with Y = erfcx, m = −x/(s√2),
// d = s/(2√2). The bracket is a difference of two nearly equal numbers when
// d ≪ m (the deep wing) or when both are small (at the money, tiny s); each of
// those regions gets a cancellation-free evaluation so that b keeps its
// relative precision wherever it is representable.

import { erf, erfcx } from './normal.js';

const ONE_OVER_SQRT_PI = 0.5641895835477562869;
const TWO_OVER_SQRT_PI = 1.1283791670955125739;
const ONE_OVER_SQRT_2 = 0.7071067811865475244;
const ONE_OVER_2_SQRT_2 = 0.3535533905932737622;

/** ½·[Y(m−d) − Y(m+d)] by the odd Taylor terms of Y around m; for m < 2, d < 1/4. */
function halfErfcxDifferenceTaylor(m: number, d: number): number {
  // Taylor coefficients a_n = Y^(n)(m)/n! obey (n+1)·a_{n+1} = 2m·a_n + 2·a_{n−1};
  // forward recursion is stable enough for m < 2.
  let aPrev = erfcx(m);
  let a = 2 * m * aPrev - TWO_OVER_SQRT_PI;
  const d2 = d * d;
  let power = d;
  let sum = a * power;
  for (let n = 1; n < 60; n += 2) {
    const aNext = (2 * m * a + 2 * aPrev) / (n + 1);
    const aNextNext = (2 * m * aNext + 2 * a) / (n + 2);
    aPrev = aNext;
    a = aNextNext;
    power *= d2;
    const term = a * power;
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
  }
  return -sum;
}

/**
 * ½·[Y(m−d) − Y(m+d)] for m − d ≥ 1.5 from Laplace's continued fraction
 * Y(z)·√π = 1/(z + ½/(z + 1/(z + (3/2)/(z + …)))), evaluating the difference of the
 * two tails level by level so that no step subtracts nearly equal numbers. The
 * gap is 2d, never (m+d) − (m−d): the rounding of m would swamp a small d.
 */
function halfErfcxDifferenceContinuedFraction(m: number, d: number): number {
  const z1 = m - d;
  const z2 = m + d;
  const gap = 2 * d;
  const depth = Math.ceil(8 + 220 / (z1 * z1));
  let tail1 = 0;
  let tail2 = 0;
  let diff = 0; // tail1 − tail2
  for (let k = depth; k >= 1; k--) {
    const den1 = z1 + tail1;
    const den2 = z2 + tail2;
    const a = 0.5 * k;
    diff = (a * (gap - diff)) / (den1 * den2);
    tail1 = a / den1;
    tail2 = a / den2;
  }
  const den1 = z1 + tail1;
  const den2 = z2 + tail2;
  return (0.5 * ONE_OVER_SQRT_PI * (gap - diff)) / (den1 * den2);
}

/**
 * x = ln(F/K). Near the money F − K is exact (Sterbenz), so log1p keeps x to an ulp of
 * itself, where rounding F/K first would cost 1e−16 absolute: deep-wing prices are
 * sensitive to x about (x/s)²-fold, and that error would show at 1e−12.
 */
export function logMoneyness(F: number, K: number): number {
  return F >= 0.5 * K && F <= 2 * K ? Math.log1p((F - K) / K) : Math.log(F / K);
}

/** b(x, s) for x ≤ 0, s > 0: the normalised value of an out-of-the-money call. */
export function normalisedOtmCall(x: number, s: number): number {
  if (x === 0) return erf(s * ONE_OVER_2_SQRT_2);
  const m = (-x / s) * ONE_OVER_SQRT_2;
  const d = s * ONE_OVER_2_SQRT_2;
  const gauss = Math.exp(-(m * m + d * d));
  if (gauss === 0) return d > m ? Math.exp(0.5 * x) : 0;
  if (m < 2) {
    if (d < 0.25) return gauss * halfErfcxDifferenceTaylor(m, d);
  } else if (d < 0.25 * m) {
    return gauss * halfErfcxDifferenceContinuedFraction(m, d);
  }
  if (d > m) {
    // Past the inflection point Y(m−d) would take a negative argument; use
    // Y(−z) = 2e^{z²} − Y(z), whose Gaussian factor cancels exactly to e^{x/2}.
    return Math.exp(0.5 * x) - 0.5 * gauss * (erfcx(d - m) + erfcx(m + d));
  }
  return 0.5 * gauss * (erfcx(m - d) - erfcx(m + d));
}

/**
 * e^{x/2} − b(x, s) for x ≤ 0: how far the call is below its supremum. Computed
 * without subtraction past the inflection point, where the solver needs it
 * most (high volatility, price near the no-arbitrage bound).
 */
export function normalisedOtmCallComplement(x: number, s: number): number {
  const m = (-x / s) * ONE_OVER_SQRT_2;
  const d = s * ONE_OVER_2_SQRT_2;
  if (d >= m) return 0.5 * Math.exp(-(m * m + d * d)) * (erfcx(d - m) + erfcx(m + d));
  return Math.exp(0.5 * x) - normalisedOtmCall(x, s);
}

/** ∂b/∂s, the normalised vega: e^{−(x²/s² + s²/4)/2}/√(2π). */
export function normalisedVega(x: number, s: number): number {
  const h = x / s;
  const t = 0.5 * s;
  return 0.3989422804014326779 * Math.exp(-0.5 * (h * h + t * t));
}
