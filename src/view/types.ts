/**
 * The read model: plain, immutable data describing one frame of the screen. Built from
 * market and account state by pure functions in this folder, consumed by `src/ui` (which
 * never sees sockets, feeds or mutable state). Numbers are NaN or null where there is none;
 * the UI formats them.
 */

import type { GridAxis, HeaderVolView, SmileFitView, SurfaceScreenView } from './surface-view.js';

/** How a session is connected: a badge the trader must never mistake. */
export type Mode = 'SIM' | 'LIVE' | 'TESTNET';

/** `stale`: connected, but a stream the venue sends steadily has gone quiet (a stalled feed). */
export type ConnectionState = 'connecting' | 'live' | 'stale' | 'reconnecting' | 'down' | 'closed';

export interface ConnectionView {
  readonly state: ConnectionState;
  /** Wall-clock ms of the next connection attempt while reconnecting or down. */
  readonly retryAt: number | null;
  /** Which attempt the next one is. */
  readonly attempt: number | null;
  /** Latest measured request round trip, ms. */
  readonly rttMs: number | null;
  /** A short reason while not live (the venue's words or ours, never a stack trace). */
  readonly detail: string | null;
  /** While stale: wall-clock ms of the quiet streams' last message (the header shows its age). */
  readonly quietSince: number | null;
}

/** Shown while instruments load, instead of a blank screen. */
export interface LoadingView {
  readonly phase: string;
  /** Options listed so far. */
  readonly instruments: number;
  /** Options with a quote so far. */
  readonly quoted: number;
}

export interface HeaderView {
  readonly venue: string;
  readonly mode: Mode;
  /** An attached screen's source (`redis://host:port`, never a password); absent when direct. */
  readonly via?: string;
  readonly connection: ConnectionView;
  /** The selected chain, e.g. BTC with premiums in BTC. */
  readonly base: string | null;
  readonly quote: string | null;
  readonly index: number | null;
  /** The index is not current: its stream (or the connection) is quiet or down. */
  readonly indexStale: boolean;
  readonly perpetual: { readonly name: string; readonly price: number } | null;
  /** ATM mark IV of the front expiry (decimal). */
  readonly frontAtmIv: number | null;
  /** Expiry time (ms) of the front expiry. */
  readonly nextExpiry: number | null;
  /** The hedger's state in a word or two, with net delta against the band when on. */
  readonly hedger: string;
  /** For colour: on (green), paused (yellow), off (dim; red if it switched itself off). */
  readonly hedgerMode?: 'off' | 'on' | 'paused';
  readonly now: number;
  readonly loading: LoadingView | null;
  /** The coin's 30-day indexes and IV rank; absent when the session fits no surface. */
  readonly vol?: HeaderVolView;
}

/** One side (call or put) of one strike. Prices are in the quote unit; NaN for none. */
export interface ChainSideView {
  readonly instrument: string | null;
  readonly bid: number;
  readonly bidSize: number;
  readonly ask: number;
  readonly askSize: number;
  readonly mark: number;
  readonly bidIv: number;
  readonly askIv: number;
  readonly markIv: number;
  readonly delta: number;
  readonly gamma: number;
  readonly vega: number;
  readonly theta: number;
  /** The quote can no longer be trusted (stream stalled, book broken) or there is none. */
  readonly stale: boolean;
  /** We have an open order on it (marked beside the strike); absent: none. */
  readonly own?: boolean;
}

export interface ChainRowView {
  readonly strike: number;
  readonly atm: boolean;
  readonly call: ChainSideView;
  readonly put: ChainSideView;
}

export interface ExpiryChoice {
  readonly expiry: number;
  /** Venue-style date code, e.g. 27DEC24. */
  readonly label: string;
}

export interface ChainView {
  /** `${base}/${quote}`. */
  readonly key: string;
  readonly base: string;
  readonly quote: string;
  readonly settlement: 'inverse' | 'linear';
  readonly expiries: readonly ExpiryChoice[];
  /** Index into `expiries` of the one shown. */
  readonly expiryIndex: number;
  readonly expiry: number;
  readonly forward: number;
  /** Index price, for USD values of inverse premiums. */
  readonly index: number;
  /** Every strike of the expiry, ascending (for cursor movement). */
  readonly strikes: readonly number[];
  readonly atmIndex: number;
  /** The strike index the cursor is on. */
  readonly cursorIndex: number;
  /** Index into `strikes` of `rows[0]`. */
  readonly top: number;
  /** Only the visible rows. */
  readonly rows: readonly ChainRowView[];
}

export interface SmilePoint {
  readonly strike: number;
  /** ln(K/F). */
  readonly logMoneyness: number;
  readonly bidIv: number;
  readonly askIv: number;
  readonly markIv: number;
}

export interface SmileView {
  readonly expiry: number;
  readonly label: string;
  readonly forward: number;
  /** OTM side per strike (puts below the forward, calls above), ascending by strike. */
  readonly points: readonly SmilePoint[];
}

export interface TermPoint {
  readonly expiry: number;
  readonly label: string;
  /** Years to expiry. */
  readonly years: number;
  readonly atmIv: number;
}

export interface TermView {
  readonly points: readonly TermPoint[];
}

export interface PositionRowView {
  readonly instrument: string;
  readonly kind: 'option' | 'future' | 'perpetual' | 'unknown';
  /** Signed, in the venue's amount unit (coins for options; USD for inverse futures). */
  readonly size: number;
  readonly averagePrice: number;
  readonly mark: number;
  /** Unrealised PnL in the settlement currency. */
  readonly pnl: number;
  readonly pnlCurrency: string;
  readonly pnlUsd: number;
  /** Position greeks: delta in coins of the base, gamma per USD move, vega USD per vol point,
   *  theta USD per day. NaN where unknown. */
  readonly delta: number;
  readonly gamma: number;
  readonly vega: number;
  readonly theta: number;
}

export interface PositionTotals {
  readonly pnlUsd: number;
  /** Options' delta only. */
  readonly optionDelta: number;
  /** Futures' and perpetuals' delta (the hedge). */
  readonly hedgeDelta: number;
  /** Options plus hedge: what the hedger keeps inside its band. */
  readonly netDelta: number;
  readonly gamma: number;
  readonly vega: number;
  readonly theta: number;
}

export interface PositionsView {
  readonly rows: readonly PositionRowView[];
  /** Per base coin (deltas of different coins do not add). */
  readonly totals: readonly (PositionTotals & { readonly base: string })[];
}

export interface OrderRowView {
  readonly orderId: string;
  /** The short number `c3` / `e3` name it by; null before the account numbered it. */
  readonly number: number | null;
  readonly instrument: string;
  readonly side: 'buy' | 'sell';
  readonly orderType: string;
  readonly amount: number;
  readonly price: number | null;
  /** A stop's trigger price; null for orders without one. */
  readonly triggerPrice: number | null;
  readonly iv: number | null;
  readonly filled: number;
  readonly label: string | null;
  /** Since the venue created the order (or ivtrade first saw it). */
  readonly ageMs: number;
  readonly status: string;
}

export interface OrdersView {
  readonly rows: readonly OrderRowView[];
  /**
   * The order gateway's latest word on an order of this session (accepted, filled, rejected
   * with the venue's message, refused and why), kept under the orders after the status line
   * has moved on.
   */
  readonly lastReport?: StatusLineView | null;
}

export type StatusLevel = 'info' | 'warn' | 'error';

export interface StatusLineView {
  readonly text: string;
  readonly level: StatusLevel;
  readonly ts: number;
}

/** What the UI asks of the read model for one frame. */
export interface ViewRequest {
  /** `${base}/${quote}`; null for the default chain. */
  readonly chain: string | null;
  /** Expiry to show (ms); null for the front; the nearest listed if it went away. */
  readonly expiry: number | null;
  /** Strike the cursor is on; null for ATM; the nearest listed if it went away. */
  readonly strike: number | null;
  /** First visible strike index the UI had; the model keeps the cursor in view. */
  readonly top: number;
  /** Chain rows that fit. */
  readonly rows: number;
  /** Also build the smile and the term structure (false when the layout has no room). */
  readonly surface: boolean;
  /** Build the volatility surface view (grid, skew, fits, RV against IV). */
  readonly volSurface?: boolean;
  /** The grid's columns: delta points (default) or log-moneyness. */
  readonly gridAxis?: GridAxis;
  /** Build the scenario risk view, with what the line being typed would add. */
  readonly risk?: RiskRequest | null;
  /** Build the depth and tape view of this instrument (the cursor's). */
  readonly depth?: string | null;
}

/** What the line being typed would add to the book (positions in the amount unit). */
export interface RiskWhatIf {
  readonly line: string;
  readonly positions: readonly { readonly instrument: string; readonly size: number }[];
  /** Why the line adds nothing that can be shown (it does not plan), or null. */
  readonly problem: string | null;
}

export interface RiskRequest {
  readonly whatIf: RiskWhatIf | null;
}

/** One horizon's PnL matrix: rows are vol shifts, columns spot moves; NaN where unknown. */
export interface RiskMatrixView {
  readonly label: string;
  readonly spotMoves: readonly number[];
  readonly volShifts: readonly number[];
  readonly pnlUsd: readonly (readonly number[])[];
}

/** The book's greeks now at the centre of the matrix, in its units. */
export interface RiskGreeksView {
  readonly delta: number;
  readonly gamma: number;
  readonly vega: number;
}

/** The scenario risk view of one coin: the book now, and with the line being typed. */
export interface RiskScreenView {
  readonly coin: string;
  readonly spot: number | null;
  readonly positions: number;
  readonly matrices: readonly RiskMatrixView[];
  readonly greeks: RiskGreeksView;
  readonly whatIf: {
    readonly line: string;
    readonly added: string;
    readonly matrices: readonly RiskMatrixView[];
    readonly greeks: RiskGreeksView;
  } | null;
  /** The line being typed plans nothing to show, and why. */
  readonly whatIfProblem: string | null;
  /** Positions that could not be valued: named, never counted as zero. */
  readonly missing: readonly string[];
  /** The feed is not live: marks may be old. */
  readonly stale: string | null;
}

/** The hedger's panel: its headline and latest decisions, newest first. */
export interface HedgerView {
  readonly mode: 'off' | 'on' | 'paused';
  readonly headline: string;
  readonly level: StatusLevel;
  readonly lines: readonly string[];
}

/** A command's listing (funds, orders, positions, connection), shown until dismissed. */
export interface InfoView {
  readonly title: string;
  readonly lines: readonly string[];
  /** When it was taken (ms): listings do not update. */
  readonly ts: number;
}

export interface ScreenSnapshot {
  /** Changes whenever anything shown may have changed. */
  readonly version: number;
  readonly header: HeaderView;
  /** Every chain's key, for switching currency. */
  readonly chains: readonly string[];
  readonly chain: ChainView | null;
  readonly smile: SmileView | null;
  readonly term: TermView | null;
  readonly positions: PositionsView;
  readonly orders: OrdersView;
  /**
   * The status line: the trader's latest answer (a command's, the gateway's) while it is
   * recent, else the newest message; connection chatter never pushes an answer off early.
   */
  readonly status: StatusLineView | null;
  /** Every status-line message of the session (bounded), oldest first, for the messages list. */
  readonly messages?: readonly StatusLineView[];
  /** Where the log file is (shown in help). */
  readonly logPath: string | null;
  /** The latest listing a command asked for, until Esc; null for none. */
  readonly info: InfoView | null;
  /** Null when this session has no hedger. */
  readonly hedger?: HedgerView | null;
  /** The volatility surface view when asked for and a surface is fitted; else null/absent. */
  readonly surfaceScreen?: SurfaceScreenView | null;
  /**
   * Alerts that need the trader (an order refused or rejected, a connection lost or failing)
   * not yet seen in the messages list (Ctrl-L): the status line keeps them in view until then.
   */
  readonly alerts?: { readonly count: number; readonly latest: StatusLineView } | null;
  /** The scenario risk view when asked for; else null/absent. */
  readonly risk?: RiskScreenView | null;
  /** The depth and tape view when asked for; else null/absent. */
  readonly depth?: DepthView | null;
  /** The fitted smile of the expiry shown, for the smile chart; null/absent without a fit. */
  readonly smileFit?: SmileFitView | null;
}

/** One price level of the depth view. */
export interface DepthLevelView {
  readonly price: number;
  readonly size: number;
  /** Size from the touch down to this level. */
  readonly cumulative: number;
  /** Options: the level's IV (decimal) at the chain's forward; null when none. */
  readonly iv: number | null;
  /** How much of this level is our own open orders (0 when none). */
  readonly own: number;
}

/** One print of the tape. */
export interface TapeTradeView {
  readonly ts: number;
  readonly takerSide: 'buy' | 'sell';
  readonly price: number;
  readonly size: number;
  readonly iv: number | null;
  readonly block: boolean;
}

/** The instrument under the cursor: its L2 book and its latest prints. */
export interface DepthView {
  readonly instrument: string;
  readonly option: boolean;
  /** Live, or why the book may not be current ("awaiting its snapshot", "broken", …). */
  readonly book: 'live' | 'waiting' | 'broken' | 'stale';
  readonly bookNote: string | null;
  /** Best first. */
  readonly bids: readonly DepthLevelView[];
  readonly asks: readonly DepthLevelView[];
  /** Newest first. */
  readonly trades: readonly TapeTradeView[];
}
