// Inputs and outputs of the fitted surface. Every volatility is a decimal (0.62 = 62 %),
// every time a year fraction on ACT/365, every moneyness k = ln(K/F) against the expiry's
// own forward.

import type { OptionType } from '../pricing/index.js';

/** One option's quote as the fit sees it. */
export interface SmileQuote {
  readonly strike: number;
  readonly type: OptionType;
  /** Implied vol of the best bid; null when there is no bid (or it has no IV). */
  readonly bidIv: number | null;
  /** Implied vol of the best ask; null when there is no ask (or it has no IV). */
  readonly askIv: number | null;
  /** Black-76 vega, any consistent unit; informative only (the fit weights by 1/spread). */
  readonly vega?: number;
  /** Undiscounted Black-76 value of the bid in USD per unit of underlying (the index uses it). */
  readonly bidUsd?: number;
  /** Undiscounted Black-76 value of the ask in USD per unit of underlying. */
  readonly askUsd?: number;
}

/** One expiry of a chain: the fit's unit of work. */
export interface ExpiryChain {
  /** Expiry instant, ms since the epoch (UTC). */
  readonly expiryMs: number;
  /** Years from the valuation instant to expiry, ACT/365. */
  readonly years: number;
  readonly forward: number;
  readonly quotes: readonly SmileQuote[];
}

/** Raw SVI: w(k) = a + b·(ρ·(k − m) + √((k − m)² + σ²)), total variance against k = ln(K/F). */
export interface SviParams {
  readonly a: number;
  readonly b: number;
  readonly rho: number;
  readonly m: number;
  readonly sigma: number;
}

/**
 * How an expiry was fitted, by its count of two-sided quotes:
 * - 'svi' (≥ 5): the full five-parameter quasi-explicit fit;
 * - 'svi-reduced' (3–4): m = 0 and σ = half the quoted k width held, a, b, ρ fitted (a
 *   straight-winged smile through the quotes);
 * - 'flat' (0–2, with at least one bid or ask): a flat smile (b = 0) at the total variance
 *   closest to the bounds.
 */
export type FitKind = 'svi' | 'svi-reduced' | 'flat';

export interface FitQuality {
  /** Quotes with a bid or an ask IV that took part in the fit. */
  readonly quotes: number;
  readonly twoSided: number;
  /** Two-sided quotes whose fitted IV lies inside [bid IV, ask IV] (1e-6 vol tolerance). */
  readonly insideSpread: number;
  /** √(mean of squared IV distance outside the quote's bounds) over all fitted quotes, decimal vol. */
  readonly rmsOutside: number;
  /** Largest IV distance outside a quote's bounds, decimal vol. */
  readonly maxOutside: number;
}

export type ArbitrageCheck = 'butterfly' | 'calendar';

/** One failed no-arbitrage check of one expiry. */
export interface ArbitrageFlag {
  readonly check: ArbitrageCheck;
  readonly expiryMs: number;
  /** k = ln(K/F) range where the check failed (before any repair). */
  readonly kFrom: number;
  readonly kTo: number;
  /**
   * Worst value before repair: min g(k) for 'butterfly'; for 'calendar' the largest drop of
   * total variance w(k, T_this) − w(k, T_previous) < 0.
   */
  readonly worst: number;
  /** The fit was refitted under the constraint and now passes this check. */
  readonly repaired: boolean;
}

export interface ExpiryFit {
  readonly expiryMs: number;
  readonly years: number;
  readonly forward: number;
  readonly kind: FitKind;
  readonly params: SviParams;
  readonly quality: FitQuality;
  /** Quoted k range [min, max] the fit saw. */
  readonly kMin: number;
  readonly kMax: number;
  /** This expiry's failed checks (empty = clean). */
  readonly arbitrage: readonly ArbitrageFlag[];
}
