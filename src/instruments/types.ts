import type { OptionType } from '../pricing/index.js';

/**
 * How an instrument's price and PnL are denominated: `inverse` contracts quote in USD terms
 * but settle in the base coin (an inverse option's premium is in coin, its USD value divided
 * by the forward); `linear` contracts quote and settle in a dollar stablecoin.
 */
export type Settlement = 'inverse' | 'linear';

export interface OptionContract {
  /** The venue's own name, kept so events and orders can be matched back to it. */
  readonly name: string;
  readonly base: string;
  /** Premium currency: the base coin for inverse options, USDC/USDT for linear ones. */
  readonly quote: string;
  readonly settlement: Settlement;
  /** ms since the epoch, 08:00 UTC on the named date unless the venue's record says otherwise. */
  readonly expiry: number;
  readonly strike: number;
  readonly type: OptionType;
}

/** A price above `abovePrice` must sit on `tickSize` (Deribit's tick_size_steps). */
export interface TickStep {
  readonly abovePrice: number;
  readonly tickSize: number;
}

/**
 * Prices a venue accepts for orders, ends included. Deribit's ticker band (`min_price`,
 * `max_price`) bounds the through side only: a buy above max or a sell below min would be
 * clamped to it. Bybit's instrument priceFilter bounds every price.
 */
export interface PriceBand {
  readonly min: number;
  readonly max: number;
}

/** What the order path needs to place a valid order: ticks, lots and units. */
export interface TradingRules {
  /** Price increment below the first step. */
  readonly tickSize: number;
  /** Coarser ticks at higher prices, ascending by `abovePrice`; usually empty. */
  readonly tickSteps: readonly TickStep[];
  /** Order amounts must be multiples of this. */
  readonly lotSize: number;
  readonly minSize: number;
  /**
   * The venue's contract size (Deribit BTC futures: 10 USD). Amounts are already counted in
   * `sizeUnit` (USD for inverse futures, in multiples of it), so notional is the amount itself.
   */
  readonly contractSize: number;
  /** Amounts count coins of the base (options, linear perps) or USD (inverse futures). */
  readonly sizeUnit: 'base' | 'usd';
  /**
   * A fixed band where the venue lists one with the instrument (Bybit's priceFilter minPrice
   * and maxPrice); Deribit's moves with the mark and comes with each ticker instead.
   */
  readonly priceBand?: PriceBand;
}

export interface OptionSpec extends OptionContract, TradingRules {
  readonly kind: 'option';
  readonly settleCurrency: string;
}

export interface FutureSpec extends TradingRules {
  readonly kind: 'future' | 'perpetual';
  readonly name: string;
  readonly base: string;
  /** Price currency: USD for inverse futures, USDC/USDT for linear ones. */
  readonly quote: string;
  readonly settlement: Settlement;
  readonly settleCurrency: string;
  /** ms since the epoch; null for a perpetual. */
  readonly expiry: number | null;
}

export type InstrumentSpec = OptionSpec | FutureSpec;
export type InstrumentKind = InstrumentSpec['kind'];
