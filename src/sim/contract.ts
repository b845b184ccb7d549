// The shapes shared by the simulator's three layers: the market model (src/sim/model) says
// what the market does, the exchange core (src/sim/exchange) keeps books, orders and accounts
// for one venue, and the protocol servers (src/sim/deribit, src/sim/bybit) put both on the
// wire. Everything here is venue-neutral except the venue profile each venue folder supplies.
//
// Units: prices are in the instrument's own price unit (coin for inverse options, USD for
// inverse futures, USDT/USDC for linear contracts); amounts in the venue's amount unit (coin
// contracts for options and linear perps, USD for inverse futures). Time is ms since the epoch
// on the sim clock. Volatility is a decimal (0.62).

import type { InstrumentKind, InstrumentSpec, OptionSpec } from '../instruments/types.js';

export type SimVenueName = 'deribit' | 'bybit';

export interface SimInstrument {
  readonly spec: InstrumentSpec;
  readonly venue: SimVenueName;
  /** The base coin: BTC, ETH. */
  readonly currency: string;
  readonly listedAt: number;
}

// ---------------------------------------------------------------------------------------------
// Venue profile: how a venue names and sizes the contracts the model lists.

export interface VenueProfile {
  readonly venue: SimVenueName;
  optionSpec(currency: string, expiry: number, strike: number, type: 'call' | 'put'): OptionSpec;
  /** The hedge perpetual (Deribit BTC-PERPETUAL, Bybit BTCUSDT). */
  perpetualSpec(currency: string): InstrumentSpec;
  /** A dated future, or null when the venue lists none for the sim. */
  futureSpec(currency: string, expiry: number): InstrumentSpec | null;
  /** Which of the model's expiries this venue lists options on (Bybit lists fewer). */
  listsOptionExpiry(kind: ExpiryKind): boolean;
}

export type ExpiryKind = 'daily' | 'weekly' | 'monthly' | 'quarterly';

// ---------------------------------------------------------------------------------------------
// What the market model hands the exchange core at each step (one per venue).

/** Model value of one instrument at a step. */
export interface ModelMark {
  /** In the instrument's price unit. */
  readonly markPrice: number;
  /** Options only; decimal. */
  readonly markIv: number | null;
  /** The forward the option is priced on (USD); for futures, their own fair price. */
  readonly forward: number;
  /** The instrument the forward comes from: a listed future's name, or `SYN.<future name>`. */
  readonly underlyingName: string;
  readonly indexPrice: number;
  /** Perpetuals only: current funding rate per 8 h, decimal. */
  readonly fundingRate: number | null;
}

/** The liquidity the model's market makers show: flat [price, size, …] best first, on tick. */
export interface ModelQuote {
  readonly bids: readonly number[];
  readonly asks: readonly number[];
}

/** Noise flow from the model: an aggressive order that trades against the book. */
export interface ModelTakerFlow {
  readonly instrument: string;
  readonly side: 'buy' | 'sell';
  readonly amount: number;
}

/** A print from before the sim began, for the tape's history: the venue records it as it was,
 * touching no account. */
export interface ModelPastTrade {
  readonly instrument: string;
  readonly ts: number;
  readonly price: number;
  readonly amount: number;
  /** The aggressor's side. */
  readonly direction: 'buy' | 'sell';
  readonly indexPrice: number;
  readonly markPrice: number;
  /** Options: the IV of the trade price; null otherwise. */
  readonly iv: number | null;
}

export interface ModelStep {
  readonly ts: number;
  /** Index price per currency (BTC → 84000). */
  readonly index: ReadonlyMap<string, number>;
  /** Listed this step (first step lists everything). */
  readonly listed: readonly SimInstrument[];
  /** Names whose expiry is at or before ts: settle them at `settlementPrice`, then delist. */
  readonly expired: readonly { readonly name: string; readonly settlementPrice: number }[];
  /** Marks for every listed instrument whose mark moved (all of them on the first step). */
  readonly marks: ReadonlyMap<string, ModelMark>;
  /** New market-maker quotes; instruments absent keep their previous quotes. */
  readonly quotes: ReadonlyMap<string, ModelQuote>;
  readonly takers: readonly ModelTakerFlow[];
  /** First step only: the market's prints before it, oldest first, every one before `ts`. */
  readonly pastTrades?: readonly ModelPastTrade[];
}

// ---------------------------------------------------------------------------------------------
// Market data views the protocol servers read.

export interface SimBookView {
  readonly instrument: string;
  /** [price, size] best first. */
  readonly bids: readonly (readonly [number, number])[];
  readonly asks: readonly (readonly [number, number])[];
  readonly changeId: number;
  readonly ts: number;
}

export interface SimTicker {
  readonly instrument: string;
  readonly ts: number;
  readonly state: 'open' | 'closed';
  readonly bestBidPrice: number | null;
  readonly bestBidAmount: number;
  readonly bestAskPrice: number | null;
  readonly bestAskAmount: number;
  readonly markPrice: number;
  readonly indexPrice: number;
  readonly lastPrice: number | null;
  readonly openInterest: number;
  readonly volume24h: number;
  readonly high24h: number | null;
  readonly low24h: number | null;
  /** Options: decimals, from src/pricing at the published prices; null without a quote. */
  readonly markIv: number | null;
  readonly bidIv: number | null;
  readonly askIv: number | null;
  readonly underlyingPrice: number | null;
  readonly underlyingName: string | null;
  /** Options: Black-76 at markIv on underlyingPrice; delta per coin, gamma per USD, vega USD
   * per vol point, theta USD per day (the venues' published convention). */
  readonly greeks: {
    readonly delta: number;
    readonly gamma: number;
    readonly vega: number;
    readonly theta: number;
    readonly rho: number;
  } | null;
  /** Perpetuals. */
  readonly fundingRate: number | null;
  /** Futures: the settlement price estimate (the index). */
  readonly estimatedDeliveryPrice: number | null;
}

export interface SimPublicTrade {
  readonly tradeId: string;
  /** Increases by one per trade of this instrument. */
  readonly tradeSeq: number;
  readonly instrument: string;
  readonly ts: number;
  readonly price: number;
  readonly amount: number;
  /** The aggressor's side. */
  readonly direction: 'buy' | 'sell';
  readonly indexPrice: number;
  readonly markPrice: number;
  /** Options: the IV of the trade price; null otherwise. */
  readonly iv: number | null;
  readonly tickDirection: 0 | 1 | 2 | 3;
}

// ---------------------------------------------------------------------------------------------
// Orders and accounts.

export type SimSide = 'buy' | 'sell';
export const SIM_ORDER_TYPES = [
  'limit',
  'market',
  'market_limit',
  'stop_market',
  'stop_limit',
] as const;
export type SimOrderType = (typeof SIM_ORDER_TYPES)[number];
export const SIM_TIMES_IN_FORCE = [
  'good_til_cancelled',
  'immediate_or_cancel',
  'fill_or_kill',
] as const;
export type SimTimeInForce = (typeof SIM_TIMES_IN_FORCE)[number];
export type SimOrderState = 'open' | 'filled' | 'cancelled' | 'rejected' | 'untriggered';

export interface SimOrderRequest {
  readonly instrument: string;
  readonly side: SimSide;
  readonly amount: number;
  readonly type: SimOrderType;
  /** Limit price; for options priced by IV, leave out and give `iv`. */
  readonly price?: number;
  /** Options: price the order at this implied vol (decimal) on the current forward. The
   * order keeps the IV and is repriced as the forward moves (Deribit `implv`, Bybit `orderIv`). */
  readonly iv?: number;
  readonly postOnly?: boolean;
  /** With postOnly: reject rather than reprice an order that would take (Deribit's default
   * reprices to one tick inside; Bybit's PostOnly always rejects). */
  readonly rejectPostOnly?: boolean;
  readonly reduceOnly?: boolean;
  readonly timeInForce?: SimTimeInForce;
  /** Deribit label / Bybit orderLinkId, preserved on the order and its fills. */
  readonly label?: string;
  readonly triggerPrice?: number;
  readonly trigger?: 'mark_price' | 'index_price' | 'last_price';
}

/** A combo order: its legs' ratios per combo (a buy buys the positive ones), filled whole. */
export interface SimComboRequest {
  /** The combo's name, as its orders show it. */
  readonly combo: string;
  /** Orders are numbered per currency, as a leg's own would be. */
  readonly currency: string;
  readonly legs: readonly { readonly instrument: string; readonly ratio: number }[];
  readonly side: SimSide;
  /** Combos; each leg trades this × |ratio|. */
  readonly amount: number;
  /** What one combo costs its buyer (Σ ratio × leg price); negative for a credit. */
  readonly price: number;
  readonly timeInForce?: SimTimeInForce;
  readonly label?: string;
}

/** What one expired instrument delivered at: its expiry's settlement price. */
export interface SimDelivery {
  readonly instrument: string;
  readonly base: string;
  readonly kind: InstrumentKind;
  /** The expiry (ms). */
  readonly ts: number;
  readonly price: number;
}

export interface SimEditRequest {
  readonly orderId: string;
  readonly amount?: number;
  readonly price?: number;
  readonly iv?: number;
  readonly postOnly?: boolean;
  readonly rejectPostOnly?: boolean;
  readonly reduceOnly?: boolean;
}

export interface SimOrder {
  readonly orderId: string;
  readonly accountId: string;
  readonly instrument: string;
  readonly side: SimSide;
  readonly type: SimOrderType;
  readonly price: number | null;
  readonly iv: number | null;
  readonly amount: number;
  readonly filledAmount: number;
  /** Volume-weighted fill price; 0 before any fill. */
  readonly averagePrice: number;
  readonly state: SimOrderState;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  readonly timeInForce: SimTimeInForce;
  readonly label: string;
  readonly triggerPrice: number | null;
  readonly trigger: SimOrderRequest['trigger'] | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Set when the order left the book: 'user', 'ioc', 'disconnect', 'settlement', 'reduce_only'. */
  readonly cancelReason: string | null;
  /** Post-only order moved to one tick inside the touch instead of taking. */
  readonly repriced: boolean;
  /** Fee paid so far, in the settle currency. */
  readonly commission: number;
}

export interface SimFill {
  readonly tradeId: string;
  readonly tradeSeq: number;
  readonly orderId: string;
  readonly accountId: string;
  readonly instrument: string;
  readonly side: SimSide;
  readonly price: number;
  readonly amount: number;
  readonly fee: number;
  readonly feeCurrency: string;
  readonly liquidity: 'maker' | 'taker';
  readonly ts: number;
  readonly indexPrice: number;
  readonly markPrice: number;
  readonly iv: number | null;
  readonly label: string;
  readonly orderType: SimOrderType;
  /** What the market was when it traded, so a history read later reports the fill as its
   * stream message did: the print's tick direction (0-3), the option's mark IV and forward
   * (null otherwise), and what the order had left to fill after it. */
  readonly tickDirection: 0 | 1 | 2 | 3;
  readonly markIv: number | null;
  readonly underlyingPrice: number | null;
  readonly leavesAmount: number;
}

/** One movement of an account's cash, as the exchange booked it: a fill, a perpetual funding
 * payment, or an expiring position's delivery. Kept so a venue can serve its ledger (Bybit's
 * transaction log) and closed-position history with the balances they left. */
export interface SimCashEvent {
  /** Increases by one per event on the exchange. */
  readonly seq: number;
  readonly accountId: string;
  readonly type: 'trade' | 'funding' | 'delivery';
  readonly instrument: string;
  /** The settle currency the cash moved in. */
  readonly currency: string;
  readonly ts: number;
  /** Trade: the order's side. Funding: the position's (buy = long). Delivery: the side that
   * closes the position. */
  readonly side: SimSide;
  /** Contracts traded, held at the funding time, or delivered (positive). */
  readonly amount: number;
  /** Trade price; the mark at a funding time; the settlement price. */
  readonly price: number;
  /** The position after the event, signed. */
  readonly sizeAfter: number;
  /** Trade: option premium (negative when buying) or a future's realized PnL. Delivery: what
   * the position paid out. Funding: 0. Fees and funding are not in it. */
  readonly cashFlow: number;
  /** Fee paid (negative: rebate). */
  readonly fee: number;
  /** Funding received (negative: paid). */
  readonly funding: number;
  /** The balance right after the event. */
  readonly balanceAfter: number;
  /** Funding: the rate per 8 h. Trade: the fee over the notional. Delivery: 0. */
  readonly rate: number;
  /** Trades only ('' otherwise). */
  readonly tradeId: string;
  readonly orderId: string;
  readonly label: string;
  /** The part of the event that closed a position (the whole of a delivery), at the position's
   * average entry price before it; the realized PnL of that part, before fees. */
  readonly closedAmount: number;
  readonly entryPrice: number;
  readonly realized: number;
}

/** The funding rate a perpetual settled at, at a funding time. */
export interface SimFundingSettlement {
  readonly instrument: string;
  /** The funding time (00:00, 08:00, 16:00 UTC). */
  readonly ts: number;
  readonly rate: number;
  readonly markPrice: number;
}

export interface SimPosition {
  readonly accountId: string;
  readonly instrument: string;
  readonly kind: InstrumentKind;
  /** The base coin. */
  readonly currency: string;
  /** What its prices and PnL are counted in (BTC for an inverse BTC option, USDC, USDT). */
  readonly settleCurrency: string;
  /** Signed, in the venue's amount unit. */
  readonly size: number;
  readonly averagePrice: number;
  readonly markPrice: number;
  readonly indexPrice: number;
  /** In the settle currency. */
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
  /** Position greeks: delta in coin (premium-adjusted for inverse options), gamma, vega,
   * theta scaled by size. Futures: delta = coin exposure, other greeks 0. */
  readonly delta: number;
  readonly gamma: number;
  readonly vega: number;
  readonly theta: number;
  readonly initialMargin: number;
  readonly maintenanceMargin: number;
}

/** One currency's account (Deribit: per coin; Bybit: the unified USDT wallet). */
export interface SimAccountSummary {
  readonly accountId: string;
  readonly currency: string;
  readonly balance: number;
  readonly equity: number;
  readonly availableFunds: number;
  readonly initialMargin: number;
  readonly maintenanceMargin: number;
  readonly optionsValue: number;
  readonly optionsPnl: number;
  readonly futuresPnl: number;
  readonly totalPnl: number;
  readonly deltaTotal: number;
  readonly optionsDelta: number;
  readonly optionsGamma: number;
  readonly optionsVega: number;
  readonly optionsTheta: number;
  readonly feesPaid: number;
}

export type SimErrorCode =
  | 'invalid_params'
  | 'instrument_not_found'
  | 'price_off_tick'
  | 'amount_off_lot'
  | 'amount_below_minimum'
  | 'not_enough_funds'
  | 'order_not_found'
  | 'not_open_order'
  | 'post_only_reject'
  | 'reduce_only_increase'
  | 'would_trigger_immediately'
  | 'price_out_of_band'
  | 'instrument_not_open'
  | 'fill_or_kill_not_filled';

export class SimError extends Error {
  constructor(
    readonly code: SimErrorCode,
    message: string,
    readonly data?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'SimError';
  }
}

export interface SimPlaceResult {
  readonly order: SimOrder;
  readonly fills: readonly SimFill[];
}

export interface SimOrderFilter {
  readonly currency?: string;
  readonly kind?: InstrumentKind;
  readonly instrument?: string;
  readonly label?: string;
}

/** Trade and order history: an order filter plus one order and a time window (inclusive ms). */
export interface SimHistoryFilter extends SimOrderFilter {
  readonly orderId?: string;
  readonly since?: number;
  readonly until?: number;
}

// ---------------------------------------------------------------------------------------------
// What the exchange core tells the protocol servers, in order.

export type SimBookAction = 'new' | 'change' | 'delete';
/** One level change of a book update. */
export interface SimLevelChange {
  readonly side: 'bid' | 'ask';
  readonly action: SimBookAction;
  readonly price: number;
  /** The new size at that price; 0 for delete. */
  readonly amount: number;
}

export type SimEvent =
  | {
      readonly type: 'book';
      readonly instrument: string;
      readonly ts: number;
      readonly changeId: number;
      readonly prevChangeId: number;
      readonly changes: readonly SimLevelChange[];
    }
  /** The instrument's ticker changed (top, mark or greeks); read it with `ticker(name)`. */
  | { readonly type: 'ticker'; readonly instrument: string; readonly ts: number }
  | { readonly type: 'trade'; readonly trade: SimPublicTrade }
  | {
      readonly type: 'index';
      readonly currency: string;
      readonly price: number;
      readonly ts: number;
    }
  | {
      readonly type: 'listing';
      readonly ts: number;
      readonly added: readonly SimInstrument[];
      readonly removed: readonly SimInstrument[];
    }
  | {
      readonly type: 'settlement';
      readonly instrument: string;
      readonly price: number;
      readonly ts: number;
    }
  | { readonly type: 'order'; readonly accountId: string; readonly order: SimOrder }
  | { readonly type: 'fill'; readonly accountId: string; readonly fill: SimFill }
  | { readonly type: 'position'; readonly accountId: string; readonly position: SimPosition }
  | {
      readonly type: 'account';
      readonly accountId: string;
      readonly currency: string;
      readonly ts: number;
    }
  /** End of one model step: every event of the step has been emitted. */
  | { readonly type: 'step'; readonly ts: number };

export type SimListener = (event: SimEvent) => void;

/** One venue's exchange: what the protocol servers call. Everything is synchronous. */
export interface SimExchange {
  readonly venue: SimVenueName;
  now(): number;
  /** Listed (not yet expired) instruments, in listing order. */
  instruments(filter?: { currency?: string; kind?: InstrumentKind }): readonly SimInstrument[];
  instrument(name: string): SimInstrument | undefined;
  currencies(): readonly string[];
  indexPrice(currency: string): number;
  book(name: string, depth?: number): SimBookView | undefined;
  ticker(name: string): SimTicker | undefined;
  recentTrades(name: string, count: number): readonly SimPublicTrade[];
  /** Expired instruments' delivery prices, newest first (the latest few thousand). */
  deliveries(base?: string): readonly SimDelivery[];

  /** Creates the account, funded as configured, if it does not exist yet. */
  openAccount(accountId: string): void;
  place(accountId: string, request: SimOrderRequest): SimPlaceResult;
  /** A combo order, traded against its legs' books at once, whole, or cancelled. */
  placeCombo(accountId: string, request: SimComboRequest): SimPlaceResult;
  edit(accountId: string, request: SimEditRequest): SimPlaceResult;
  cancel(accountId: string, orderId: string): SimOrder;
  /** Futures: the leverage the account trades the instrument at (initial margin is notional /
   * leverage). Throws for options and unknown instruments. */
  leverage(accountId: string, instrument: string): number;
  /** Futures: sets that leverage; refused (not_enough_funds) if the margin it adds is not free. */
  setLeverage(accountId: string, instrument: string, leverage: number): void;
  /** Cancels the account's open orders that match; returns them. */
  cancelAll(accountId: string, filter?: SimOrderFilter): readonly SimOrder[];
  order(accountId: string, orderId: string): SimOrder | undefined;
  /** Includes orderId lookup by label (Bybit orderLinkId). */
  orderByLabel(accountId: string, label: string): SimOrder | undefined;
  openOrders(accountId: string, filter?: SimOrderFilter): readonly SimOrder[];
  positions(accountId: string, filter?: SimOrderFilter): readonly SimPosition[];
  /** The account's fills, oldest first, including expired instruments' (the latest 100,000). */
  fills(accountId: string, filter?: SimHistoryFilter): readonly SimFill[];
  /** The account's cash movements (fills, funding, deliveries), oldest first (the latest
   * 100,000). */
  cashEvents(accountId: string, filter?: SimHistoryFilter): readonly SimCashEvent[];
  /** The funding rates the perpetual settled at since the start, oldest first. */
  fundingSettlements(instrument: string): readonly SimFundingSettlement[];
  /** The account's filled, cancelled and rejected orders, oldest first by last update. */
  orderHistory(accountId: string, filter?: SimHistoryFilter): readonly SimOrder[];
  summary(accountId: string, currency: string): SimAccountSummary;
  /** Currencies the account holds balances in. */
  accountCurrencies(accountId: string): readonly string[];

  subscribe(listener: SimListener): () => void;
}
