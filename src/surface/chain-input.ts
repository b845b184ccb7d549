// Building the fit's input from option prices, with ivtrade's own implied-vol solver.

import {
  impliedVol,
  usdFromPremium,
  yearFraction,
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

/**
 * The read side of one expiry of the app's option chain (`ExpiryRow` in src/book), described
 * structurally so the surface stays independent of market state: strikes ascending, per strike
 * a call slot (2k) and a put slot (2k + 1), NaN for "none", prices in the premium currency.
 */
export interface ChainRowLike {
  readonly expiry: number;
  readonly forward: number;
  readonly settlement: PremiumStyle;
  readonly strikes: ArrayLike<number>;
  readonly bid: ArrayLike<number>;
  readonly ask: ArrayLike<number>;
}

/**
 * One settled row of the app's chain as the fit's input, IVs solved from its prices at its
 * forward; null when the row has no forward yet or has expired (nothing to fit).
 */
export function expiryFromChainRow(
  row: ChainRowLike,
  nowMs: number,
  side: QuoteSide = 'otm',
): ExpiryChain | null {
  const years = yearFraction(nowMs, row.expiry);
  if (!(years > 0 && row.forward > 0 && Number.isFinite(row.forward))) return null;
  const price = (v: number | undefined): number | null =>
    v !== undefined && v > 0 && Number.isFinite(v) ? v : null;
  const quotes: PriceQuote[] = [];
  for (let s = 0; s < row.strikes.length; s++) {
    const strike = row.strikes[s]!;
    for (const [slot, type] of [
      [2 * s, 'call'],
      [2 * s + 1, 'put'],
    ] as const) {
      const bid = price(row.bid[slot]);
      const ask = price(row.ask[slot]);
      if (bid !== null || ask !== null) quotes.push({ strike, type, bid, ask });
    }
  }
  return expiryFromPrices(
    { expiryMs: row.expiry, years, forward: row.forward, style: row.settlement, quotes },
    side,
  );
}
