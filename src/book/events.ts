/**
 * Normalized market events: what every venue feed emits once its wire format has been
 * read. Nothing venue-specific lives here; `venue` is only a label for routing and display.
 */

/** Implied vols as decimals (0.6321 means 63.21 %); null where the venue has none. */
export interface VenueIv {
  readonly bid: number | null;
  readonly ask: number | null;
  readonly mark: number | null;
}

/** The venue's own greeks, in USD: vega per vol point, theta per calendar day. */
export interface VenueGreeks {
  readonly delta: number;
  readonly gamma: number;
  readonly vega: number;
  readonly theta: number;
}

export interface TickerEvent {
  readonly kind: 'ticker';
  readonly venue: string;
  readonly instrument: string;
  /** The venue's timestamp, ms since the epoch. */
  readonly ts: number;
  /** Prices are in the venue's premium units (coin for inverse options); null = empty side. */
  readonly bid: number | null;
  readonly bidSize: number | null;
  readonly ask: number | null;
  readonly askSize: number | null;
  readonly mark: number | null;
  readonly index: number | null;
  /** The underlying price the venue prices the option off (its forward for that expiry). */
  readonly forward: number | null;
  /** Kept for comparison and display only: ivtrade computes its own IVs and greeks. */
  readonly venueIv: VenueIv;
  readonly venueGreeks: VenueGreeks | null;
}

export type MarketEvent = TickerEvent;
