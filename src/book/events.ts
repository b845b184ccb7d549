/**
 * Normalized events: what every venue feed emits once its wire format has been read, and
 * all that market state, the hedger and the UI ever see. Nothing venue-specific lives here;
 * `venue` is only a label for routing and display.
 *
 * Units: time in ms since the epoch (the venue's own timestamp); prices in the instrument's
 * quote unit (coin for inverse options, USD for inverse futures, USDC/USDT for linear
 * contracts); sizes in the instrument's amount unit (see InstrumentSpec.sizeUnit); IVs as
 * decimals (0.6321 means 63.21 %).
 */
import type { InstrumentSpec, PriceBand } from '../instruments/types.js';

/** Implied vols as decimals; null where the venue has none. */
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
  readonly ts: number;
  /** Null = empty side. */
  readonly bid: number | null;
  readonly bidSize: number | null;
  readonly ask: number | null;
  readonly askSize: number | null;
  readonly mark: number | null;
  readonly index: number | null;
  /** The underlying price the venue prices an option off (its forward for that expiry). */
  readonly forward: number | null;
  /** Kept for comparison and display only: ivtrade computes its own IVs and greeks. */
  readonly venueIv: VenueIv;
  readonly venueGreeks: VenueGreeks | null;
  /** The prices the venue accepts for orders right now (Deribit `min_price`/`max_price`). */
  readonly priceBand?: PriceBand;
  /** Traded over the last 24 h, in the amount unit; absent where the feed does not say. */
  readonly volume?: number | null;
  /** Open interest, in the amount unit; absent where the feed does not say. */
  readonly openInterest?: number | null;
}

/**
 * Price levels as flat pairs, best first where the venue sends them so:
 * `[price0, size0, price1, size1, …]`. In a delta, size 0 deletes the level. Flat numbers
 * rather than tuples because books are the busiest stream and this is what they consume.
 */
export type LevelPairs = readonly number[];

/** Replaces the whole book. `sequence` is the venue's update id (the next delta builds on it). */
export interface BookSnapshotEvent {
  readonly kind: 'book-snapshot';
  readonly venue: string;
  readonly instrument: string;
  readonly ts: number;
  readonly sequence: number;
  readonly bids: LevelPairs;
  readonly asks: LevelPairs;
}

/**
 * Changes some levels. The book accepts it only if `prevSequence` equals the sequence of the
 * update it last applied; the feed states what the venue promises (the previous change id, or
 * this update's id minus one), so the book needs one rule for every venue.
 */
export interface BookDeltaEvent {
  readonly kind: 'book-delta';
  readonly venue: string;
  readonly instrument: string;
  readonly ts: number;
  readonly sequence: number;
  readonly prevSequence: number;
  readonly bids: LevelPairs;
  readonly asks: LevelPairs;
}

export type BookEvent = BookSnapshotEvent | BookDeltaEvent;

/** Side of the taker in a public trade, or of our order. */
export type Side = 'buy' | 'sell';

export interface TradeEvent {
  readonly kind: 'trade';
  readonly venue: string;
  readonly instrument: string;
  readonly ts: number;
  readonly tradeId: string;
  readonly price: number;
  readonly size: number;
  readonly takerSide: Side;
  /** For options, the IV the venue attaches to the print (decimal), else null. */
  readonly iv: number | null;
  readonly markPrice: number | null;
  readonly indexPrice: number | null;
  /** Block trades are negotiated off the book and say less about where the book is. */
  readonly block: boolean;
}

export interface IndexEvent {
  readonly kind: 'index';
  readonly venue: string;
  /** The coin the index prices, e.g. BTC; `quote` is what it is priced in (USD, USDC). */
  readonly base: string;
  readonly quote: string;
  readonly ts: number;
  readonly price: number;
}

/** A venue's published 30-day implied volatility index (Deribit's DVOL), decimal. */
export interface VolatilityIndexEvent {
  readonly kind: 'volatility-index';
  readonly venue: string;
  /** The coin, e.g. BTC; `index` is the venue's name for it (btc_usd). */
  readonly base: string;
  readonly index: string;
  readonly ts: number;
  /** Decimal: 0.55 is the venue's 55.0. */
  readonly value: number;
}

export interface InstrumentAddedEvent {
  readonly kind: 'instrument-added';
  readonly venue: string;
  readonly ts: number;
  readonly spec: InstrumentSpec;
}

/** Expired or delisted: books, quotes and chain rows for it go away. */
export interface InstrumentRemovedEvent {
  readonly kind: 'instrument-removed';
  readonly venue: string;
  readonly ts: number;
  readonly instrument: string;
}

export type MarketEvent =
  | TickerEvent
  | BookSnapshotEvent
  | BookDeltaEvent
  | TradeEvent
  | IndexEvent
  | VolatilityIndexEvent
  | InstrumentAddedEvent
  | InstrumentRemovedEvent;

// ——— Account ———

export type OrderType = 'limit' | 'market' | 'market-limit' | 'stop-market' | 'stop-limit';
export type OrderStatus = 'open' | 'untriggered' | 'filled' | 'cancelled' | 'rejected';

/** The full current state of one of our orders (not a diff): the latest one wins. */
export interface OrderEvent {
  readonly kind: 'order';
  readonly venue: string;
  readonly ts: number;
  readonly orderId: string;
  /** Our label (Deribit `label`, Bybit `orderLinkId`), null for orders placed elsewhere. */
  readonly label: string | null;
  readonly instrument: string;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly status: OrderStatus;
  /** Null for market orders. */
  readonly price: number | null;
  /** The IV the order was entered at, when it was priced by vol. */
  readonly iv: number | null;
  readonly triggerPrice: number | null;
  readonly amount: number;
  readonly filled: number;
  readonly averagePrice: number | null;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  /** Why the venue rejected or cancelled it, when it says. */
  readonly reason: string | null;
  /** When the venue created it (ms), where the venue says. */
  readonly createdTs?: number;
}

export interface FillEvent {
  readonly kind: 'fill';
  readonly venue: string;
  readonly ts: number;
  readonly tradeId: string;
  readonly orderId: string;
  readonly label: string | null;
  readonly instrument: string;
  readonly side: Side;
  readonly price: number;
  readonly size: number;
  readonly liquidity: 'maker' | 'taker';
  readonly fee: number;
  readonly feeCurrency: string;
  readonly iv: number | null;
  readonly indexPrice: number | null;
}

/** The full current position in one instrument; size 0 means flat. */
export interface PositionEvent {
  readonly kind: 'position';
  readonly venue: string;
  readonly ts: number;
  readonly instrument: string;
  /** Signed: positive long, negative short, in the instrument's amount unit. */
  readonly size: number;
  readonly averagePrice: number;
  readonly markPrice: number | null;
  /** In the settlement currency. */
  readonly unrealizedPnl: number | null;
  readonly realizedPnl: number | null;
  /** The venue's delta for the position, in coin; ivtrade computes its own. */
  readonly venueDelta: number | null;
}

/** One currency's account summary. */
export interface BalanceEvent {
  readonly kind: 'balance';
  readonly venue: string;
  readonly ts: number;
  readonly currency: string;
  readonly equity: number;
  readonly balance: number;
  readonly available: number;
  readonly initialMargin: number;
  readonly maintenanceMargin: number;
}

export type AccountEvent = OrderEvent | FillEvent | PositionEvent | BalanceEvent;

/**
 * What the venue says the account is right now, loaded on every (re)connect: it replaces
 * what was known (a position missing from it is flat; an order missing from it is no longer
 * open), so a reconnect can neither duplicate nor lose a position.
 */
export interface AccountSnapshotEvent {
  readonly kind: 'account-snapshot';
  readonly venue: string;
  readonly ts: number;
  /** Open (and untriggered) orders only. */
  readonly orders: readonly OrderEvent[];
  /** Every non-flat position. */
  readonly positions: readonly PositionEvent[];
  readonly balances: readonly BalanceEvent[];
}

// ——— Feed status ———

/**
 * A connection's or a stream's health, as an event rather than a log line so the UI, the
 * hedger and `ivtrade stream` can act on it:
 * - `connecting` / `live` / `reconnecting` (with `attempt` and `delayMs`) / `closed`: the socket;
 * - `stale` (no message for the watchdog time; `instruments` lists what it covers) and
 *   `fresh` (messages flow again);
 * - `gap` (a book broke: `instruments` names it) and `resynced` (its new snapshot arrived);
 * - `malformed` (a frame that is not what the venue promised: logged, counted, skipped);
 * - `rate-limited` (the venue said too many requests; `delayMs` is the backoff);
 * - `instruments` (the listing was (re)loaded: `detail` says how many were added and removed);
 * - `error` (anything else worth showing: auth refused, a subscription the venue rejected).
 */
export type FeedStatus =
  | 'connecting'
  | 'live'
  | 'reconnecting'
  | 'closed'
  | 'stale'
  | 'fresh'
  | 'gap'
  | 'resynced'
  | 'malformed'
  | 'rate-limited'
  | 'instruments'
  | 'error';

export interface StatusEvent {
  readonly kind: 'status';
  readonly venue: string;
  /** Local wall-clock ms (a status is about our connection, not the venue's clock). */
  readonly ts: number;
  /** Which connection: e.g. `public`, `private`, `option`, `linear`. */
  readonly stream: string;
  readonly status: FeedStatus;
  /** Reconnect attempt number (1 = the first retry). */
  readonly attempt?: number;
  /** How long until the next attempt, or the backoff after a rate limit. */
  readonly delayMs?: number;
  readonly instruments?: readonly string[];
  /**
   * `stale`/`fresh`: which of the stream's subscription families (tickers, index, hedge…) fell
   * quiet or came back, so a consumer can pair them up.
   */
  readonly family?: string;
  /** `stale`: local wall-clock ms of the family's last message, for the age of the silence. */
  readonly lastDataTs?: number;
  /** Human-readable: why, in a few words. Never holds a secret. */
  readonly detail?: string;
}

/** Everything a venue feed emits. */
export type FeedEvent = MarketEvent | AccountEvent | AccountSnapshotEvent | StatusEvent;
