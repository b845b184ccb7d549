// Option prices ↔ implied vols on the model's forward, in the instrument's own price unit:
// inverse premiums are coin (USD value / forward), linear ones USD(T).

import type { OptionSpec } from '../../instruments/types.js';
import { black76Greeks, black76Price, impliedVol, type Greeks } from '../../pricing/index.js';

export function premiumToUsd(spec: OptionSpec, price: number, forward: number): number {
  return spec.settlement === 'inverse' ? price * forward : price;
}

/** Black-76 value at `iv`, unrounded, in the instrument's price unit. */
export function priceAtIv(spec: OptionSpec, iv: number, forward: number, years: number): number {
  const usd = black76Price(forward, spec.strike, years, iv, spec.type);
  return spec.settlement === 'inverse' ? usd / forward : usd;
}

/** The implied vol of a quoted price; null when no volatility reproduces it. */
export function ivOfPrice(
  spec: OptionSpec,
  price: number | null,
  forward: number,
  years: number,
): number | null {
  if (price === null || !(price > 0) || !(forward > 0)) return null;
  const iv = impliedVol(premiumToUsd(spec, price, forward), forward, spec.strike, years, spec.type);
  return Number.isFinite(iv) ? iv : null;
}

export function greeksAt(spec: OptionSpec, iv: number, forward: number, years: number): Greeks {
  return black76Greeks(forward, spec.strike, years, iv, spec.type);
}

/** Cash value of one contract at expiry, in the settle currency. */
export function optionPayoff(spec: OptionSpec, settlementPrice: number): number {
  const intrinsic =
    spec.type === 'call'
      ? Math.max(settlementPrice - spec.strike, 0)
      : Math.max(spec.strike - settlementPrice, 0);
  return spec.settlement === 'inverse' ? intrinsic / settlementPrice : intrinsic;
}
