// The normal distribution to full double precision.
//
// erfc/erfcx follow the three-interval rational Chebyshev approximations of
// W. J. Cody, "Rational Chebyshev approximations for the error function",
// Math. Comp. 23 (1969), with the coefficients published there. The inverse
// CDF uses the coefficients of M. J. Wichura, Algorithm AS 241 (1988).

const ONE_OVER_SQRT_PI = 0.5641895835477562869;
const ONE_OVER_SQRT_2PI = 0.3989422804014326779;
const ONE_OVER_SQRT_2 = 0.7071067811865475244;

const CODY_SMALL = 0.46875;
// Beyond this erfc underflows to zero.
const ERFC_ZERO_BEYOND = 26.543;
// Beyond this exp(x*x)*erfc(x) is 1/(x*sqrt(pi)) to machine precision.
const ERFCX_ASYMPTOTIC_BEYOND = 6.71e7;

/** erf(y) for |y| <= 0.46875: y * P(y^2) / Q(y^2). */
function erfSmall(y: number): number {
  const z = y * y;
  const num =
    (((0.185777706184603153 * z + 3.1611237438705656) * z + 113.864154151050156) * z +
      377.485237685302021) *
      z +
    3209.37758913846947;
  const den =
    (((z + 23.6012909523441209) * z + 244.024637934444173) * z + 1282.61652607737228) * z +
    2844.23683343917062;
  return (y * num) / den;
}

/** exp(y*y)*erfc(y) for 0.46875 < y <= 4. */
function erfcxMiddle(y: number): number {
  const num =
    (((((((2.15311535474403846e-8 * y + 0.564188496988670089) * y + 8.88314979438837594) * y +
      66.1191906371416295) *
      y +
      298.635138197400131) *
      y +
      881.95222124176909) *
      y +
      1712.04761263407058) *
      y +
      2051.07837782607147) *
      y +
    1230.33935479799725;
  const den =
    (((((((y + 15.7449261107098347) * y + 117.693950891312499) * y + 537.181101862009858) * y +
      1621.38957456669019) *
      y +
      3290.79923573345963) *
      y +
      4362.61909014324716) *
      y +
      3439.36767414372164) *
      y +
    1230.33935480374942;
  return num / den;
}

/** exp(y*y)*erfc(y) for y > 4. */
function erfcxLarge(y: number): number {
  if (y >= ERFCX_ASYMPTOTIC_BEYOND) return ONE_OVER_SQRT_PI / y;
  const z = 1 / (y * y);
  const num =
    ((((0.0163153871373020978 * z + 0.305326634961232344) * z + 0.360344899949804439) * z +
      0.125781726111229246) *
      z +
      0.0160837851487422766) *
      z +
    6.58749161529837803e-4;
  const den =
    ((((z + 2.56852019228982242) * z + 1.87295284992346047) * z + 0.527905102951428412) * z +
      0.0605183413124413191) *
      z +
    0.00233520497626869185;
  return (ONE_OVER_SQRT_PI - (z * num) / den) / y;
}

/** exp(-y*y) with y*y split so the exponent's rounding error does not grow with y. */
function expNegSquare(y: number): number {
  const head = Math.trunc(y * 16) / 16;
  const tail = (y - head) * (y + head);
  return Math.exp(-head * head) * Math.exp(-tail);
}

/** exp(+y*y), split like expNegSquare. */
function expSquare(y: number): number {
  const head = Math.trunc(y * 16) / 16;
  const tail = (y - head) * (y + head);
  return Math.exp(head * head) * Math.exp(tail);
}

/** exp(y*y)*erfc(y) for y >= 0. */
function erfcxNonNegative(y: number): number {
  if (y <= CODY_SMALL) return Math.exp(y * y) * (1 - erfSmall(y));
  return y <= 4 ? erfcxMiddle(y) : erfcxLarge(y);
}

export function erf(x: number): number {
  const y = Math.abs(x);
  if (y <= CODY_SMALL) return erfSmall(x);
  const e = 1 - erfcPositive(y);
  return x < 0 ? -e : e;
}

function erfcPositive(y: number): number {
  if (y >= ERFC_ZERO_BEYOND) return 0;
  return expNegSquare(y) * (y <= 4 ? erfcxMiddle(y) : erfcxLarge(y));
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  if (y <= CODY_SMALL) return 1 - erfSmall(x);
  const e = erfcPositive(y);
  return x < 0 ? 2 - e : e;
}

/** The scaled complementary error function exp(x*x)*erfc(x). */
export function erfcx(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= 0) return erfcxNonNegative(x);
  if (x < -26.628) return Infinity;
  return 2 * expSquare(x) - erfcxNonNegative(-x);
}

/**
 * The standard normal CDF. The tail is exp(-z²/2)·R(|z|/√2)/2 with the
 * Gaussian factor taken from z itself: dividing by √2 first would put a
 * rounding error into an exponent of several hundred.
 */
export function normCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const a = Math.abs(z);
  const y = a * ONE_OVER_SQRT_2;
  if (y <= CODY_SMALL) return 0.5 + 0.5 * erfSmall(z * ONE_OVER_SQRT_2);
  let tail = 0;
  if (a < 38.5) {
    const head = Math.trunc(a * 16) / 16;
    const rest = (a - head) * (a + head);
    const gauss = Math.exp(-0.5 * head * head) * Math.exp(-0.5 * rest);
    tail = 0.5 * gauss * (y <= 4 ? erfcxMiddle(y) : erfcxLarge(y));
  }
  return z < 0 ? tail : 1 - tail;
}

export function normPdf(z: number): number {
  return ONE_OVER_SQRT_2PI * Math.exp(-0.5 * z * z);
}

/** The standard normal quantile (Wichura AS 241, about 1e-16 relative). */
export function normInv(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    return NaN;
  }
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    const num =
      ((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r +
        45921.953931549871457) *
        r +
        13731.693765509461125) *
        r +
        1971.5909503065514427) *
        r +
        133.14166789178437745) *
        r +
      3.387132872796366608;
    const den =
      ((((((5226.495278852854561 * r + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) *
        r +
        5394.1960214247511077) *
        r +
        687.1870074920579083) *
        r +
        42.313330701600911252) *
        r +
      1;
    return (q * num) / den;
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    const num =
      ((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) *
        r +
        1.27045825245236838258) *
        r +
        3.64784832476320460504) *
        r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
      1.42343711074968357734;
    const den =
      ((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r +
        0.0151986665636164571966) *
        r +
        0.14810397642748007459) *
        r +
        0.68976733498510000455) *
        r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
      1;
    value = num / den;
  } else {
    r -= 5;
    const num =
      ((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r +
        0.0012426609473880784386) *
        r +
        0.026532189526576123093) *
        r +
        0.29656057182850489123) *
        r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
      6.6579046435011037772;
    const den =
      ((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r +
        1.8463183175100546818e-5) *
        r +
        7.868691311456132591e-4) *
        r +
        0.0148753612908506148525) *
        r +
        0.13692988092273580531) *
        r +
        0.59983220655588793769) *
        r +
      1;
    value = num / den;
  }
  return q < 0 ? -value : value;
}
