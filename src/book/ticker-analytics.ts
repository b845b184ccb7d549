import { black76Greeks, impliedVol, usdFromPremium, yearFraction } from '../pricing/index.js';
import type { OptionContract } from '../instruments/types.js';
import type { TickerEvent } from './events.js';

/**
 * ivtrade's own view of an option ticker: IVs solved from the venue's prices and greeks
 * at the mark IV, never copied from the venue. Greeks are in USD: vega per vol point,
 * theta per calendar day. Null where a side is missing or the solver finds no IV.
 */
export interface TickerAnalytics {
  bidIv: number | null;
  askIv: number | null;
  markIv: number | null;
  delta: number | null;
  gamma: number | null;
  vega: number | null;
  theta: number | null;
}

export function emptyTickerAnalytics(): TickerAnalytics {
  return {
    bidIv: null,
    askIv: null,
    markIv: null,
    delta: null,
    gamma: null,
    vega: null,
    theta: null,
  };
}

/**
 * Fills `into` (allocated once by a caller that handles many tickers) and returns it.
 * Premiums of inverse options are coin amounts and are converted to USD at the forward.
 */
export function computeTickerAnalytics(
  ticker: TickerEvent,
  contract: OptionContract,
  into: TickerAnalytics = emptyTickerAnalytics(),
): TickerAnalytics {
  const forward = ticker.forward;
  if (forward === null) return clear(into);
  const years = yearFraction(ticker.ts, contract.expiry);
  into.bidIv = solveIv(ticker.bid, forward, years, contract);
  into.askIv = solveIv(ticker.ask, forward, years, contract);
  into.markIv = solveIv(ticker.mark, forward, years, contract);
  if (into.markIv === null) {
    into.delta = into.gamma = into.vega = into.theta = null;
    return into;
  }
  const greeks = black76Greeks(forward, contract.strike, years, into.markIv, contract.type);
  into.delta = finiteOrNull(greeks.delta);
  into.gamma = finiteOrNull(greeks.gamma);
  into.vega = finiteOrNull(greeks.vega);
  into.theta = finiteOrNull(greeks.theta);
  return into;
}

function solveIv(
  premium: number | null,
  forward: number,
  years: number,
  contract: OptionContract,
): number | null {
  if (premium === null) return null;
  const usd = usdFromPremium(premium, forward, contract.settlement);
  const iv = impliedVol(usd, forward, contract.strike, years, contract.type);
  // A premium without time value (a zero mark) has no IV, as on the screen's chain.
  return iv === 0 ? null : finiteOrNull(iv);
}

function clear(into: TickerAnalytics): TickerAnalytics {
  into.bidIv = into.askIv = into.markIv = null;
  into.delta = into.gamma = into.vega = into.theta = null;
  return into;
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
