// Black-76 on the forward: value in the quote currency (USD) per unit of
// underlying, undiscounted unless a rate is given. Prices go through the
// normalised Black function so deep in- and out-of-the-money values keep
// their relative precision instead of being differences of large numbers.

import { logMoneyness, normalisedOtmCall } from './normalised-black.js';
import { normCdf, normPdf } from './normal.js';

export type OptionType = 'call' | 'put';

export interface Greeks {
  price: number;
  /** ∂V/∂F. */
  delta: number;
  /** ∂²V/∂F², per USD. */
  gamma: number;
  /** ∂V/∂σ in USD per vol point (σ + 0.01). */
  vega: number;
  /** −∂V/∂T in USD per calendar day. */
  theta: number;
}

const DAYS_PER_YEAR = 365;

function intrinsicValue(F: number, K: number, type: OptionType): number {
  return type === 'call' ? Math.max(F - K, 0) : Math.max(K - F, 0);
}

function validInputs(F: number, K: number, T: number, sigma: number): boolean {
  return F > 0 && K > 0 && F < Infinity && K < Infinity && !Number.isNaN(T) && sigma >= 0;
}

export function black76Price(
  F: number,
  K: number,
  T: number,
  sigma: number,
  type: OptionType,
  rate = 0,
): number {
  if (!validInputs(F, K, T, sigma)) return NaN;
  const discount = rate === 0 || T <= 0 ? 1 : Math.exp(-rate * T);
  const intrinsic = intrinsicValue(F, K, type);
  if (T <= 0 || sigma === 0) return discount * intrinsic;
  // Parity and b_put(x) = b_call(−x) leave an out-of-the-money call on −|x|.
  const timeValue =
    Math.sqrt(F * K) * normalisedOtmCall(-Math.abs(logMoneyness(F, K)), sigma * Math.sqrt(T));
  return discount * (intrinsic + timeValue);
}

/** Slots of the greeks kernel's output, shared with the batch form. */
export const PRICE = 0;
export const DELTA = 1;
export const GAMMA = 2;
export const VEGA = 3;
export const THETA = 4;

/** Writes price, delta, gamma, vega and theta into out[0..4]; no allocation. */
export function black76GreeksInto(
  out: Float64Array,
  F: number,
  K: number,
  T: number,
  sigma: number,
  isCall: boolean,
  rate: number,
): void {
  const type: OptionType = isCall ? 'call' : 'put';
  const price = black76Price(F, K, T, sigma, type, rate);
  out[PRICE] = price;
  if (Number.isNaN(price)) {
    out[DELTA] = out[GAMMA] = out[VEGA] = out[THETA] = NaN;
    return;
  }
  if (T <= 0 || sigma === 0) {
    const inTheMoney = isCall ? F > K : F < K;
    out[DELTA] = inTheMoney ? (isCall ? 1 : -1) : 0;
    out[GAMMA] = out[VEGA] = out[THETA] = 0;
    return;
  }
  const discount = rate === 0 ? 1 : Math.exp(-rate * T);
  const sqrtT = Math.sqrt(T);
  const s = sigma * sqrtT;
  const d1 = logMoneyness(F, K) / s + 0.5 * s;
  const density = normPdf(d1);
  // The put's N(d1) − 1 is taken as −N(−d1) so a deep in-the-money put keeps its digits.
  out[DELTA] = discount * (isCall ? normCdf(d1) : -normCdf(-d1));
  out[GAMMA] = (discount * density) / (F * s);
  out[VEGA] = (discount * F * density * sqrtT) / 100;
  out[THETA] = ((-discount * F * density * sigma) / (2 * sqrtT) + rate * price) / DAYS_PER_YEAR;
}

const scratch = new Float64Array(5);

export function black76Greeks(
  F: number,
  K: number,
  T: number,
  sigma: number,
  type: OptionType,
  rate = 0,
): Greeks {
  black76GreeksInto(scratch, F, K, T, sigma, type === 'call', rate);
  return {
    price: scratch[PRICE]!,
    delta: scratch[DELTA]!,
    gamma: scratch[GAMMA]!,
    vega: scratch[VEGA]!,
    theta: scratch[THETA]!,
  };
}
