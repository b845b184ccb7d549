import type { OptionType } from '../pricing/index.js';

/**
 * How an option's premium is paid: `inverse` options quote and settle in the base coin
 * (value in USD divided by the forward); `linear` options quote in a dollar stablecoin.
 */
export type Settlement = 'inverse' | 'linear';

export interface OptionContract {
  /** The venue's own name, kept so events and orders can be matched back to it. */
  readonly name: string;
  readonly base: string;
  /** Premium currency: the base coin for inverse options, USDC/USDT for linear ones. */
  readonly quote: string;
  readonly settlement: Settlement;
  /** ms since the epoch, 08:00 UTC on the named date. */
  readonly expiry: number;
  readonly strike: number;
  readonly type: OptionType;
}
