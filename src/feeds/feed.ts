/**
 * The contract every venue feed keeps: what the rest of ivtrade (the engine, `stream`,
 * `record`, the order gateway, the hedger) may ask of a venue. Venue specifics stay behind it.
 */
import type { Bar } from '../analytics/bars.js';
import type { SeriesPoint } from '../analytics/iv-rank.js';
import type { FeedEvent, FillEvent, OrderEvent, Side } from '../book/events.js';
import type { BackoffOptions } from './common/backoff.js';

export type FeedListener = (event: FeedEvent) => void;

/** Every inbound frame as received (text), for `record`; `stream` names the connection. */
export type RawFrameListener = (frame: string, stream: string, localTs: number) => void;

export interface FeedCounters {
  /** Frames received over every connection. */
  readonly messages: number;
  /** Frames that were not what the venue promises (not JSON, a field missing): skipped. */
  readonly malformed: number;
  /** Book sequence breaks detected. */
  readonly gaps: number;
  /** Books resubscribed or refetched after a gap or a reconnect. */
  readonly resyncs: number;
  /** Successful reconnects after a connection was lost. */
  readonly reconnects: number;
  /** Times the venue answered too-many-requests. */
  readonly rateLimited: number;
}

/** What every venue feed is configured with, beside its URLs, coins and credentials. */
export interface CommonFeedOptions {
  /** Books for every option (default: only the watched ones). */
  allBooks?: boolean;
  /** Books to follow from the start. */
  books?: readonly string[];
  /** The perpetuals or futures to hedge with (default: each coin's perpetual). */
  hedgeInstruments?: readonly string[];
  /**
   * Futures or perpetuals followed as hedges beside those (the hedger's `--hedge-instrument`):
   * their tickers and tops, which the gateway needs to check an order in them.
   */
  moreHedgeInstruments?: readonly string[];
  /**
   * Follow every dated future of the coins as a hedge too (Deribit), so the hedger can hedge
   * each expiry in its own future (`hinst expiry`) or switch to one (`hinst <future>`).
   */
  hedgeFutures?: boolean;
  /** A subscription family silent this long is reported stale. */
  staleAfterMs?: number;
  /**
   * How long a followed book's top may disagree with its ticker's before the book is
   * resynced (default 1000): catches a lost last update, which leaves no gap to see.
   */
  topCheckAfterMs?: number;
  requestTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Reconnect backoff. */
  backoff?: Partial<BackoffOptions>;
  /** Topics or channels per subscribe request. */
  subscribeChunk?: number;
  /**
   * The main connection's round trip is measured at least about this often while connected
   * (default 5000): a cheap venue request goes only when no other was timed meanwhile.
   */
  roundTripIntervalMs?: number;
  /** Wall clock, for status events and the watchdog. */
  now?: () => number;
  /** Where malformed frames and other trouble are logged; never secrets. */
  log?: (line: string) => void;
}

export interface Feed {
  readonly venue: string;
  /**
   * Connects, loads the instruments, subscribes, and (with credentials) authenticates and
   * loads the account. Resolves once market data is live; rejects if the first connection
   * cannot be made (later losses are retried forever, reported as status events).
   */
  start(): Promise<void>;
  /** Closes every connection and timer; no event is emitted after it resolves. */
  stop(): Promise<void>;
  /** Adds a listener for normalized events; returns the function that removes it. */
  onEvent(listener: FeedListener): () => void;
  /** Adds a listener for raw inbound public frames (never private ones); returns its remover. */
  onRawFrame(listener: RawFrameListener): () => void;
  /**
   * Books for these instruments in addition to those already followed (the instruments the
   * user looks at or holds). Tickers of every option are always followed.
   */
  watchBooks(instruments: readonly string[]): Promise<void>;
  unwatchBooks(instruments: readonly string[]): Promise<void>;
  /**
   * The source follows the book of every held instrument by itself (an attached screen: serve
   * does), so the engine does not ask for them.
   */
  readonly followsHeldBooks?: boolean;
  counters(): FeedCounters;
  /**
   * The latest measured request→reply round trip on the venue's main connection, in ms
   * (fractional): any request and its reply, the venue's heartbeat or ping included, and a
   * cheap probe when nothing else was timed for about `roundTripIntervalMs`, so while
   * connected the figure is never much older than that. Null before the first measurement
   * and from a disconnect until the next connection's first reply. For display: it is a
   * single sample, not an average.
   */
  roundTripMs(): number | null;
  /** Present when credentials are configured. */
  readonly orders: OrderApi | null;
  /** The venue's price and volatility history (absent on feeds that replay or relay). */
  readonly history?: VenueHistory;
  /**
   * Whether the venue cancels this open order when the session's connection closes (its
   * cancel-on-disconnect, asked for or an account setting it reported, covers the orders the
   * connection placed, not those of other connections); absent where a venue cannot say.
   */
  cancelsOnDisconnect?(orderId: string): boolean;
}

// ——— History ———

/** A venue's own volatility series of a coin, and what it is. */
export interface VenueVolSeries {
  /** The venue's name for it, e.g. "DVOL btc_usd", "Bybit historical volatility 30d". */
  readonly name: string;
  /** 'implied' (an index of option prices: feeds IV rank) or 'realized' (it does not). */
  readonly kind: 'implied' | 'realized';
  /** Decimal vols, oldest first. */
  readonly points: readonly SeriesPoint[];
  /**
   * ivtrade's own series (its 30-day index from serve's history, on an attached screen), not
   * the venue's: it feeds IV rank but is never shown as, or mixed with, the venue's index.
   */
  readonly own?: boolean;
}

/** One live price of the coin that extends the history's bars (see VenueHistory.priceTick). */
export interface PriceTick {
  readonly base: string;
  readonly ts: number;
  readonly price: number;
}

/**
 * What a venue publishes of a coin's past: price candles for realised vol and its volatility
 * index, and which of its live events continue the candles.
 */
export interface VenueHistory {
  /** What the candles are (e.g. "BTC-PERPETUAL trades", "BTCUSDT index price"). */
  candleSource(base: string): string;
  /** OHLC candles of `base` with starts in [from, to], oldest first. */
  candles(base: string, periodMs: number, from: number, to: number): Promise<Bar[]>;
  /** The name of the venue's volatility series of `base` (as VenueVolSeries.name). */
  volSeriesName(base: string): string;
  /** The venue's volatility series of `base` over [from, to]; null where it publishes none. */
  volSeries(
    base: string,
    periodMs: number,
    from: number,
    to: number,
  ): Promise<VenueVolSeries | null>;
  /** The live price that continues the candles, when `event` carries one. */
  priceTick(event: FeedEvent): PriceTick | null;
  /**
   * The price `base` delivered at for the expiry at `expiry` (ms), as the venue published it;
   * null while it has not (a venue may take a minute after the expiry).
   */
  deliveryPrice?(base: string, expiry: number): Promise<number | null>;
}

// ——— Orders ———

export type OrderKind = 'limit' | 'market' | 'market-limit' | 'stop-market' | 'stop-limit';
export type TimeInForce = 'gtc' | 'ioc' | 'fok';
export type TriggerSource = 'mark' | 'index' | 'last';

/**
 * An order as the gateway hands it to a venue: prices and sizes are decimal strings already
 * rounded to the instrument's tick and lot (the gateway owns that), so the adapter only
 * spells them the venue's way and never does arithmetic on money.
 */
export interface OrderRequest {
  readonly instrument: string;
  readonly side: Side;
  readonly kind: OrderKind;
  /** In the instrument's amount unit (coin for options, USD for inverse perpetuals). */
  readonly amount: string;
  /** Limit price in the instrument's quote unit; required for limit and stop-limit. */
  readonly price?: string;
  /** Options only: the order is priced by implied volatility (decimal, 0.55 = 55 %). */
  readonly iv?: string;
  readonly timeInForce?: TimeInForce;
  readonly postOnly?: boolean;
  readonly reduceOnly?: boolean;
  readonly triggerPrice?: string;
  readonly trigger?: TriggerSource;
  /**
   * Our id for the order (Deribit `label`, Bybit `orderLinkId`): unique per order, ≤ 36
   * characters of [A-Za-z0-9_-]. It is what makes a retry or a lost reply safe to resolve.
   */
  readonly label: string;
}

export interface OrderEdit {
  readonly orderId: string;
  readonly amount: string;
  readonly price?: string;
  readonly iv?: string;
}

export interface OrderResult {
  readonly order: OrderEvent;
  /** Fills the order got as it was placed (a taker's). */
  readonly fills: readonly FillEvent[];
}

export interface CancelScope {
  /** Cancel only this instrument's orders. */
  readonly instrument?: string;
  /** Cancel only orders on this base currency (BTC, ETH). */
  readonly currency?: string;
}

/** Order entry at one venue. Never retries a request whose outcome it cannot prove. */
/**
 * Venues whose order api lists combos (`placeCombo`): a screen attached to `serve` has no api
 * of its own to ask, so it reads the capability here.
 */
export const VENUES_WITH_COMBOS: ReadonlySet<string> = new Set(['deribit']);

/** One combo order: its legs as the orders they amount to, and the package's own figures. */
export interface ComboOrderRequest {
  readonly legs: readonly {
    readonly instrument: string;
    readonly side: Side;
    /** The leg's whole amount: the package amount × |ratio|. */
    readonly amount: string;
  }[];
  /** The package's side: a buy buys the legs whose side is buy here, and sells the others. */
  readonly side: Side;
  /** Packages. */
  readonly amount: string;
  /** Net per package, rounded to the tick; negative for a credit. */
  readonly price: string;
  readonly timeInForce: TimeInForce;
  readonly label: string;
}

export interface OrderApi {
  place(request: OrderRequest): Promise<OrderResult>;
  /**
   * Where the venue lists combos (Deribit): finds or creates the combo of these legs and
   * places one order on it, filled whole or not at all leg by leg. Absent elsewhere.
   */
  placeCombo?(request: ComboOrderRequest): Promise<OrderResult>;
  edit(edit: OrderEdit): Promise<OrderResult>;
  cancel(orderId: string): Promise<OrderEvent>;
  /** Returns how many orders the venue cancelled. */
  cancelAll(scope?: CancelScope): Promise<number>;
  cancelByLabel(label: string): Promise<number>;
  /**
   * The venue's word on our order with this label, open or recently closed (`instrument` says
   * where to look); null when the venue knows no such order. For an order whose reply was lost.
   */
  orderByLabel(label: string, instrument: string): Promise<OrderEvent | null>;
}

/**
 * What went wrong, in the venue's own words and ours. `reason` is venue-neutral so callers
 * (the gateway, the hedger) can decide without knowing any venue's numbers.
 */
export type OrderErrorReason =
  | 'insufficient-funds'
  | 'rate-limited'
  | 'not-found'
  | 'not-open'
  | 'invalid-price'
  | 'invalid-amount'
  | 'post-only-reject'
  | 'reduce-only-reject'
  | 'invalid-params'
  | 'unauthorized'
  | 'duplicate-label'
  | 'maintenance'
  | 'timeout'
  | 'disconnected'
  | 'rejected';

export class VenueOrderError extends Error {
  readonly venue: string;
  readonly reason: OrderErrorReason;
  /** The venue's code (Deribit error.code, Bybit retCode); null for our own timeouts. */
  readonly code: number | null;
  /** The venue's message text, as it sent it. */
  readonly venueMessage: string | null;
  /**
   * True when the request may have reached the venue and its outcome is unknown (a timeout,
   * a dropped connection): the caller must look the order up by label, never resend blindly.
   */
  readonly outcomeUnknown: boolean;

  constructor(init: {
    venue: string;
    reason: OrderErrorReason;
    code: number | null;
    venueMessage: string | null;
    message: string;
    outcomeUnknown?: boolean;
  }) {
    super(init.message);
    this.name = 'VenueOrderError';
    this.venue = init.venue;
    this.reason = init.reason;
    this.code = init.code;
    this.venueMessage = init.venueMessage;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
  }
}
