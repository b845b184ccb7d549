import { black76Greeks, impliedVolNear, usdFromPremium, yearFraction } from '../pricing/index.js';
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
 * The bid, ask and mark IVs last solved per option: where the solver starts next time. Two
 * quotes of an option apart, its IVs moved little, and a start that close saves the solver a
 * step or two (a third of publishing a ticker went to solving its three IVs from scratch).
 */
export class IvMemory {
  readonly #last = new Map<string, Float64Array>();

  /** Forgets everything past `limit` options (expired ones leave no other way). */
  constructor(private readonly limit = 50_000) {}

  /** The option's last [bid, ask, mark] IVs (NaN where none), to read and to write. */
  of(instrument: string): Float64Array {
    let last = this.#last.get(instrument);
    if (last === undefined) {
      if (this.#last.size >= this.limit) this.#last.clear();
      last = new Float64Array([NaN, NaN, NaN]);
      this.#last.set(instrument, last);
    }
    return last;
  }
}

/**
 * Fills `into` (allocated once by a caller that handles many tickers) and returns it.
 * Premiums of inverse options are coin amounts and are converted to USD at the forward.
 * With a `memory`, each IV's solve starts from the option's last one (same results).
 */
export function computeTickerAnalytics(
  ticker: TickerEvent,
  contract: OptionContract,
  into: TickerAnalytics = emptyTickerAnalytics(),
  memory?: IvMemory,
  finalStep?: number,
): TickerAnalytics {
  const forward = ticker.forward;
  if (forward === null) return clear(into);
  const years = yearFraction(ticker.ts, contract.expiry);
  const last = memory?.of(ticker.instrument);
  into.bidIv = solveIv(ticker.bid, forward, years, contract, last?.[0] ?? NaN, finalStep);
  into.askIv = solveIv(ticker.ask, forward, years, contract, last?.[1] ?? NaN, finalStep);
  into.markIv = solveIv(ticker.mark, forward, years, contract, last?.[2] ?? NaN, finalStep);
  if (last !== undefined) {
    last[0] = into.bidIv ?? NaN;
    last[1] = into.askIv ?? NaN;
    last[2] = into.markIv ?? NaN;
  }
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
  near: number,
  finalStep: number | undefined,
): number | null {
  if (premium === null) return null;
  const usd = usdFromPremium(premium, forward, contract.settlement);
  const iv = impliedVolNear(usd, forward, contract.strike, years, contract.type, near, finalStep);
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
