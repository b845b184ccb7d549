// A whole chain at once: struct-of-arrays in, struct-of-arrays out, no
// allocation per option, so recomputing thousands of options when the
// forward moves costs one pass over contiguous memory.

import { black76GreeksInto, DELTA, GAMMA, PRICE, THETA, VEGA } from './black76.js';
import { impliedVol } from './iv.js';

export interface ChainInputs {
  forward: Float64Array;
  strike: Float64Array;
  /** ACT/365 year fraction to expiry. */
  expiry: Float64Array;
  /** 1 for a call, 0 for a put. */
  isCall: Uint8Array;
}

export interface ChainGreeks {
  price: Float64Array;
  delta: Float64Array;
  gamma: Float64Array;
  vega: Float64Array;
  theta: Float64Array;
}

export function allocateChainGreeks(size: number): ChainGreeks {
  return {
    price: new Float64Array(size),
    delta: new Float64Array(size),
    gamma: new Float64Array(size),
    vega: new Float64Array(size),
    theta: new Float64Array(size),
  };
}

function checkLengths(size: number, ...arrays: ArrayLike<number>[]): void {
  for (const array of arrays) {
    if (array.length < size) {
      throw new RangeError(`chain arrays must hold ${size} entries, one holds ${array.length}`);
    }
  }
}

const slot = new Float64Array(5);

/** Price and greeks (units as black76Greeks) of every option at its own volatility. */
export function black76GreeksBatch(
  chain: ChainInputs,
  volatility: Float64Array,
  out: ChainGreeks,
  rate = 0,
): void {
  const size = chain.forward.length;
  checkLengths(size, chain.strike, chain.expiry, chain.isCall, volatility, out.price, out.delta);
  checkLengths(size, out.gamma, out.vega, out.theta);
  const { forward, strike, expiry, isCall } = chain;
  for (let i = 0; i < size; i++) {
    black76GreeksInto(
      slot,
      forward[i]!,
      strike[i]!,
      expiry[i]!,
      volatility[i]!,
      isCall[i] === 1,
      rate,
    );
    out.price[i] = slot[PRICE]!;
    out.delta[i] = slot[DELTA]!;
    out.gamma[i] = slot[GAMMA]!;
    out.vega[i] = slot[VEGA]!;
    out.theta[i] = slot[THETA]!;
  }
}

/** Implied volatility of every option's USD price; NaN where there is none. */
export function impliedVolBatch(
  chain: ChainInputs,
  price: Float64Array,
  out: Float64Array,
  rate = 0,
): void {
  const size = chain.forward.length;
  checkLengths(size, chain.strike, chain.expiry, chain.isCall, price, out);
  const { forward, strike, expiry, isCall } = chain;
  for (let i = 0; i < size; i++) {
    out[i] = impliedVol(
      price[i]!,
      forward[i]!,
      strike[i]!,
      expiry[i]!,
      isCall[i] === 1 ? 'call' : 'put',
      rate,
    );
  }
}
