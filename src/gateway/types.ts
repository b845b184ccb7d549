/**
 * The order gateway's contract: every order ivtrade sends, typed by the trader or decided by
 * the hedger, is an `OrderIntent` handed to `OrderGateway.submit`. The gateway rounds it to
 * the instrument's tick and lot (decimal.js), checks it against the guards, labels it and only
 * then lets it leave through the venue's `OrderApi`.
 */
import type { OrderSide } from '../commands/types.js';
import type { OrderKind, TimeInForce, TriggerSource } from '../feeds/feed.js';
import type { InstrumentSpec, PriceBand } from '../instruments/types.js';

/** One order as asked for, before rounding: decimal text, never floats. */
export interface OrderIntent {
  readonly venue: string;
  readonly instrument: string;
  readonly side: OrderSide;
  /** In the instrument's amount unit (coins for options, USD for inverse perpetuals). */
  readonly amount: string;
  readonly kind: OrderKind;
  /** Limit price in the quote unit, unrounded (a buy rounds down to the tick, a sell up). */
  readonly price?: string;
  /** Options priced by vol: decimal fraction (0.625 = 62.5 %). */
  readonly iv?: string;
  readonly timeInForce?: TimeInForce;
  readonly postOnly?: boolean;
  readonly reduceOnly?: boolean;
  readonly triggerPrice?: string;
  readonly trigger?: TriggerSource;
  /**
   * A market order (`a1`): the far touch its cap was counted from. The distance guard
   * measures this, not the limit a few ticks beyond it that the command put there by design.
   */
  readonly capFrom?: string;
  /** The trader ended the line with `!`: skip the distance-from-mark check (only that one). */
  readonly force?: boolean;
  /** Whose order: labels differ (`ivt-<session>-<n>` vs `ivt-hedge-<n>`), caps apply to both. */
  readonly origin: 'manual' | 'hedge';
}

/** One leg of a package as the gateway checks it: its share of the package's price. */
export interface PackageLegIntent {
  readonly instrument: string;
  /** Per package: positive bought when the package is bought, negative sold. */
  readonly ratio: number;
  /** The leg's price, unrounded: its share of the package price, or its capped touch. */
  readonly price: string;
  /** At market: the touch the leg's cap counts from (as `OrderIntent.capFrom`). */
  readonly capFrom?: string;
}

/**
 * Several options bought or sold as one (a straddle, a spread): checked leg by leg as the
 * orders they amount to, all or none, then sent as one combo order where the venue has them.
 */
export interface PackageIntent {
  readonly venue: string;
  /** What the legs make, Deribit-style (`BTC-STRD-25DEC26-100000`); the venue's id may differ. */
  readonly name: string;
  readonly side: OrderSide;
  /** Packages, in the legs' amount unit: each leg trades this × |ratio|. */
  readonly amount: string;
  /** Net price per package in the quote unit, unrounded; negative for a credit. */
  readonly price: string;
  readonly timeInForce: TimeInForce;
  readonly legs: readonly PackageLegIntent[];
  readonly force?: boolean;
  readonly origin: 'manual';
}

/** What the gateway needs to know about the market to check an order; read at submit time. */
export interface GatewayMarket {
  spec(venue: string, instrument: string): InstrumentSpec | undefined;
  /** Mark price in the instrument's quote unit; null when unknown. */
  mark(venue: string, instrument: string): number | null;
  /** Options: mark IV as a decimal fraction; null when unknown or not an option. */
  markIv(venue: string, instrument: string): number | null;
  /** Options: the IV (decimal fraction) a price implies at the current forward; null if none. */
  impliedVol(venue: string, instrument: string, price: number): number | null;
  /**
   * The band the venue's tickers send (Deribit min_price/max_price): a buy above max or a
   * sell below min would not go as typed. Null while none is known.
   */
  priceBand(venue: string, instrument: string): PriceBand | null;
  /** USD value of one unit of the instrument's base coin (the index). */
  usdPerCoin(venue: string, instrument: string): number | null;
}

/** How far through the mark a limit may be before it needs `!`. */
export type MarkDistance =
  | { readonly unit: 'percent'; readonly value: number }
  | { readonly unit: 'vol-points'; readonly value: number };

export interface GatewayLimits {
  /** Options' limit distance through the mark (default 10 vol points). */
  readonly optionDistance: MarkDistance;
  /**
   * Options: ticks through the mark that pass whatever `optionDistance` says (default 10),
   * for options whose vega is too small for vol points to mean anything.
   */
  readonly optionDistanceTicks: number;
  /** Futures' and perpetuals' limit distance through the mark (default 1 %). */
  readonly futureDistance: MarkDistance;
  /** Largest order, as underlying notional in USD (default 250,000). */
  readonly maxNotionalUsd: number;
  /** Orders per rolling second, all origins together (default 10). */
  readonly maxOrdersPerSecond: number;
}

export type GatewayOutcome =
  /** Refused by the gateway itself: never left the process. */
  | 'refused'
  /** On its way to the venue. */
  | 'sent'
  /** The venue accepted it and it rests (or waits for its trigger). */
  | 'accepted'
  | 'partially-filled'
  | 'filled'
  /** Cancelled (an IOC's unfilled rest, or by us). */
  | 'cancelled'
  /** The venue said no; `message` carries its words. */
  | 'rejected'
  /** The request may or may not have reached the venue; resolved by label from the stream. */
  | 'unknown';

export interface GatewayReport {
  readonly outcome: GatewayOutcome;
  /** Null for refusals (no label is spent on an order that is never sent). */
  readonly label: string | null;
  readonly venue: string;
  readonly instrument: string;
  readonly side: OrderSide;
  /** Rounded amount and price as sent (or as they would have been, for a refusal). */
  readonly amount: string;
  readonly price: string | null;
  readonly orderId: string | null;
  /**
   * How much of it has filled, as far as the venue said (its reply or the stream), in the
   * amount's unit: what a follower such as the hedger reconciles a finished order from.
   */
  readonly filled: number;
  /** One line for the status bar: what happened, and for refusals and rejects why. */
  readonly message: string;
  readonly ts: number;
}

export type GatewayListener = (report: GatewayReport) => void;

/** What `cancelLast` did: one status line, and the report of each order it acted on. */
export interface CancelOutcome {
  readonly message: string;
  readonly reports: readonly GatewayReport[];
}

/** One open order to cancel, as the screen names it. */
export interface OrderToCancel {
  readonly venue: string;
  readonly orderId: string;
  /** Its label, when it has one: how the gateway finds the order it follows. */
  readonly label: string | null;
  /** What the screen calls it in the answer, e.g. "#3". */
  readonly name: string;
}

/**
 * One open limit order's new price and/or size. Checked as a new order with those figures
 * would be (rounded to tick and lot, the mark distance, the notional cap, the rate cap)
 * before anything is sent.
 */
export interface OrderAmend extends OrderToCancel {
  readonly instrument: string;
  readonly side: OrderSide;
  /** The order's whole new amount, unrounded decimal text (its old one when unchanged). */
  readonly amount: string;
  /** The new limit price, or `iv` (decimal fraction) for an option priced by vol. */
  readonly price?: string;
  readonly iv?: string;
  /** The trader ended the line with `!`: the mark-distance check is skipped. */
  readonly force?: boolean;
}

/** What a cancel or an amend of one order came to: one line for the status bar. */
export interface OrderChangeOutcome {
  /** True when the venue did it. */
  readonly ok: boolean;
  /** The venue said the order was no longer open: it had filled or been cancelled. */
  readonly closed: boolean;
  readonly message: string;
}

/**
 * The door a command runner sends through: the gateway itself in a session that trades, or a
 * stand-in on an attached screen that checks here and sends as intents to the one gateway in
 * `serve`. Reports arrive through `onReport` either way, so the runner cannot tell.
 */
export interface OrderDoor {
  readonly limits: GatewayLimits;
  onReport(listener: GatewayListener): () => void;
  /** Null when `intents` would go, else the one line they would be refused with; sends nothing. */
  check(intents: readonly OrderIntent[]): string | null;
  /** One report per intent once every venue has answered; never rejects. */
  submit(intents: readonly OrderIntent[]): Promise<readonly GatewayReport[]>;
  /** How many orders the venue cancelled; rejects with the reason when it could not. */
  cancelAll(venue: string): Promise<number>;
  /** Cancels what is open of the last submission; never rejects. */
  cancelLast(): Promise<CancelOutcome>;
  /** Cancels one order, ours or not; never rejects. */
  cancelOrder(order: OrderToCancel): Promise<OrderChangeOutcome>;
  /** Moves one open limit order's price and/or size; never rejects, never resends. */
  amend(change: OrderAmend): Promise<OrderChangeOutcome>;
  /** True when the venue takes a package as one combo order. */
  hasCombos(venue: string): boolean;
  /** Null when the package would go as one combo order, else why not; sends nothing. */
  checkPackage(pkg: PackageIntent): string | null;
  /** The package as one combo order, checked leg by leg first; never rejects. */
  submitPackage(pkg: PackageIntent): Promise<GatewayReport>;
}
