/**
 * A package's market and risk from its legs': what buying it costs (each leg bought at its ask
 * or sold at its bid), what selling it fetches, its mark, its greeks, and the one vol that
 * prices it where such a vol means something (every leg on the same side: a straddle, a
 * strangle). Float64 analytics; the order path prices in decimal elsewhere.
 */
import { black76Price, type OptionType } from './black76.js';
import { premiumFromUsd, type PremiumStyle } from './premium.js';

export interface PackageLegQuote {
  /** Per package: positive bought when the package is bought, negative sold. */
  readonly ratio: number;
  readonly bid: number | null;
  readonly ask: number | null;
  readonly mark: number | null;
  /** USD greeks of one unit (delta per coin, vega per vol point, theta per day); null if none. */
  readonly delta: number | null;
  readonly gamma: number | null;
  readonly vega: number | null;
  readonly theta: number | null;
  readonly forward: number | null;
  readonly years: number | null;
  readonly strike: number;
  readonly type: OptionType;
  readonly style: PremiumStyle;
}

export interface PackageQuote {
  /** What selling one package fetches at the touch; null when a leg has no price there. */
  readonly bid: number | null;
  /** What buying one costs at the touch. */
  readonly ask: number | null;
  readonly mark: number | null;
  /** The single vol repricing the package at bid / ask / mark; null where it means nothing. */
  readonly bidIv: number | null;
  readonly askIv: number | null;
  readonly markIv: number | null;
  /** Per package; null when a leg has none. */
  readonly delta: number | null;
  readonly gamma: number | null;
  readonly vega: number | null;
  readonly theta: number | null;
}

export function packageQuote(legs: readonly PackageLegQuote[]): PackageQuote {
  const sum = (pick: (leg: PackageLegQuote) => number | null): number | null => {
    let total = 0;
    for (const leg of legs) {
      const value = pick(leg);
      if (value === null || !Number.isFinite(value)) return null;
      total += leg.ratio * value;
    }
    return legs.length === 0 ? null : total;
  };
  const bid = sum((leg) => (leg.ratio > 0 ? leg.bid : leg.ask));
  const ask = sum((leg) => (leg.ratio > 0 ? leg.ask : leg.bid));
  const mark = sum((leg) => leg.mark);
  return {
    bid,
    ask,
    mark,
    bidIv: packageVol(legs, bid),
    askIv: packageVol(legs, ask),
    markIv: packageVol(legs, mark),
    delta: sum((leg) => leg.delta),
    gamma: sum((leg) => leg.gamma),
    vega: sum((leg) => leg.vega),
    theta: sum((leg) => leg.theta),
  };
}

const VOL_LOW = 1e-4;
const VOL_HIGH = 20;
const ITERATIONS = 100;

/**
 * The vol at which every leg together is worth `price`. Only for packages whose legs all have
 * the same sign: their value rises with vol, so one vol answers. A spread, a fly, a risk
 * reversal or a calendar mixes signs, and a single number for them would mislead: null.
 */
export function packageVol(legs: readonly PackageLegQuote[], price: number | null): number | null {
  if (price === null || !Number.isFinite(price) || legs.length === 0) return null;
  const sign = Math.sign(legs[0]!.ratio);
  if (sign === 0 || legs.some((leg) => Math.sign(leg.ratio) !== sign)) return null;
  if (legs.some((leg) => leg.forward === null || leg.years === null || !(leg.years > 0))) {
    return null;
  }
  const value = (vol: number): number => {
    let total = 0;
    for (const leg of legs) {
      const forward = leg.forward!;
      const usd = black76Price(forward, leg.strike, leg.years!, vol, leg.type);
      total += leg.ratio * premiumFromUsd(usd, forward, leg.style);
    }
    return total;
  };
  let low = VOL_LOW;
  let high = VOL_HIGH;
  const target = price;
  if (sign * (value(low) - target) > 0 || sign * (value(high) - target) < 0) return null;
  for (let step = 0; step < ITERATIONS && high - low > 1e-9; step += 1) {
    const middle = (low + high) / 2;
    if (sign * (value(middle) - target) < 0) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}
