// Building the fit's input from option prices, with ivtrade's own implied-vol solver.

import {
  impliedVol,
  usdFromPremium,
  type OptionType,
  type PremiumStyle,
} from '../pricing/index.js';
import type { ExpiryChain, SmileQuote } from './types.js';

/** One option's prices in its premium currency (coin for inverse options, USD(C/T) for linear). */
export interface PriceQuote {
  readonly strike: number;
  readonly type: OptionType;
  /** Best bid premium; null (or ≤ 0) when there is none. */
  readonly bid: number | null;
  readonly ask: number | null;
  readonly vega?: number;
}

export interface PricedExpiry {
  readonly expiryMs: number;
  readonly years: number;
  readonly forward: number;
  /** 'inverse': premiums in coin, USD value = premium × forward (Deribit); 'linear': USD (Bybit). */
  readonly style: PremiumStyle;
  readonly quotes: readonly PriceQuote[];
}

/**
 * Which options feed the smile:
 * - 'otm' (default): puts struck below the forward, calls at or above it. An in-the-money
 *   option carries the same volatility as its out-of-the-money twin by parity, but its spread
 *   in vol is wider by the intrinsic value it carries, so it only adds noise;
 * - 'all': every option (both IVs of a strike then count as two quotes).
 */
export type QuoteSide = 'otm' | 'all';

export function isOutOfTheMoney(type: OptionType, strike: number, forward: number): boolean {
  return type === 'put' ? strike < forward : strike >= forward;
}

function priceIv(
  premium: number | null,
  q: PriceQuote,
  e: PricedExpiry,
): { iv: number | null; usd: number | null } {
  if (premium === null || !(premium > 0) || !Number.isFinite(premium))
    return { iv: null, usd: null };
  const usd = usdFromPremium(premium, e.forward, e.style);
  const iv = impliedVol(usd, e.forward, q.strike, e.years, q.type);
  return { iv: Number.isFinite(iv) && iv > 0 ? iv : null, usd };
}

/** The smile input of one expiry from its prices; quotes without any IV are dropped. */
export function expiryFromPrices(e: PricedExpiry, side: QuoteSide = 'otm'): ExpiryChain {
  if (!(e.years > 0 && e.forward > 0 && Number.isFinite(e.forward))) {
    throw new RangeError(
      `expiry ${e.expiryMs}: years ${e.years} and forward ${e.forward} must be > 0`,
    );
  }
  const quotes: SmileQuote[] = [];
  for (const q of e.quotes) {
    if (!(q.strike > 0)) continue;
    if (side === 'otm' && !isOutOfTheMoney(q.type, q.strike, e.forward)) continue;
    const bid = priceIv(q.bid, q, e);
    const ask = priceIv(q.ask, q, e);
    if (bid.iv === null && ask.iv === null) continue;
    quotes.push({
      strike: q.strike,
      type: q.type,
      bidIv: bid.iv,
      askIv: ask.iv,
      ...(q.vega !== undefined ? { vega: q.vega } : {}),
      ...(bid.usd !== null ? { bidUsd: bid.usd } : {}),
      ...(ask.usd !== null ? { askUsd: ask.usd } : {}),
    });
  }
  return { expiryMs: e.expiryMs, years: e.years, forward: e.forward, quotes };
}
