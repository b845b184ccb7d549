/**
 * The delta hedger's contract. The decision is pure: a snapshot of inputs in, one decision
 * out (hedge, nothing, pause, or switch off), so every rule is testable without sockets. The
 * loop around it (src/hedge/hedger.ts) gathers the inputs from the engine, applies the
 * decision through the order gateway and logs both.
 */
import type { OrderSide } from '../commands/types.js';

/** Where option deltas come from: ivtrade's own greeks at mark IV, or the venue's figure. */
export type DeltaSource = 'model' | 'venue';

/**
 * Forward delta (the Black-76 delta, coins per coin of underlying), or premium-adjusted for
 * inverse options (forward delta less the premium in coin: holding a coin-priced option also
 * holds its premium in coin). For linear options the two are the same.
 */
export type DeltaConvention = 'forward' | 'premium-adjusted';

/** Re-hedge when |net delta| in USD exceeds this. */
export type Band =
  /** A fraction of one coin's USD value: 0.0025 is $50 at $20,000. */
  | { readonly kind: 'fraction'; readonly value: number }
  | { readonly kind: 'usd'; readonly value: number };

export interface HedgeConfig {
  readonly venue: string;
  /** The base coin hedged (BTC). */
  readonly currency: string;
  /** The one instrument the hedger may trade (default the coin's perpetual). */
  readonly instrument: string;
  readonly band: Band;
  readonly deltaSource: DeltaSource;
  readonly convention: DeltaConvention;
  /** At most one decision per this many ms (default 250). */
  readonly debounceMs: number;
  /** A decision at least this often even without events (default 5,000). */
  readonly periodicMs: number;
  /** 'limit-ioc': a marketable IOC limit at the touch plus `capPercent`; 'market'. */
  readonly execution: 'limit-ioc' | 'market';
  /** How far beyond the touch the IOC limit may pay, in % (default 0.1). */
  readonly capPercent: number;
  /** Largest single hedge order, USD notional (default 100,000). */
  readonly maxOrderUsd: number;
  /** Hedge orders per rolling minute (default 6). */
  readonly maxHedgesPerMinute: number;
  /**
   * A hedge order with no final answer this long is cancelled (an IOC rests nowhere, so this
   * only makes sure) and then waited for, never decided afresh (default 5,000).
   */
  readonly orderTimeoutMs: number;
  /**
   * The long bound of reconciling (default 30,000): a hedge whose outcome is still unknown
   * is then looked up at the venue; one filled but still missing from the position pauses
   * the hedger until the position shows it.
   */
  readonly reconcileAfterMs: number;
  /** Market or account data older than this pauses the hedger (default 10,000). */
  readonly staleAfterMs: number;
  /** This many rejections in a row switch the hedger off (default 3). */
  readonly maxConsecutiveRejects: number;
  /**
   * When to re-hedge (issue 20; src/hedge/policy.ts): 'fixed' (the band above, the default),
   * 'gamma' (a Whalley–Wilmott band from the book's gamma, `aversion` and the hedge's cost),
   * 'time' (back to the target every `everyMs`).
   */
  readonly policy?: 'fixed' | 'gamma' | 'time';
  /** The gamma band's risk aversion γ, per USD (default 1e-3). */
  readonly aversion?: number;
  /** The time policy's interval (default 15 min). */
  readonly everyMs?: number;
  /** The hedge instrument's taker fee, a fraction of notional (default 0.0005). */
  readonly feeRate?: number;
  /** Net delta to hold, in coins (default 0). */
  readonly target?: number;
  /**
   * Where a hedge trades to: 'zero' (the target, the default) or 'edge' (back just inside the
   * band's nearer edge, Whalley–Wilmott's optimum for proportional costs: less traded, more
   * delta kept). The time policy has no band and always trades to the target.
   */
  readonly hedgeTo?: 'zero' | 'edge';
  /** Share of the distance to the target a hedge trades, in (0, 1] (default 1). */
  readonly ratio?: number;
  /**
   * What the hedge side of the net counts: 'only' the hedge instrument's position (the
   * default; other futures of the coin are the trader's own business), 'net' every future
   * and perpetual of the coin held, the one instrument still the only one traded, or
   * 'expiry': each expiry's options hedged in that expiry's future where the feed follows
   * one, the rest in `instrument` (the hedger then trades one of them at a time).
   */
  readonly futures?: 'only' | 'net' | 'expiry';
}

/** The hedge instrument's trading rules and quote, as the decision needs them. */
export interface HedgeInstrumentView {
  readonly name: string;
  /** Amount unit: 'usd' (Deribit inverse perpetual, lots of $10) or 'base' (Bybit BTCUSDT). */
  readonly sizeUnit: 'base' | 'usd';
  readonly lotSize: number;
  readonly minSize: number;
  readonly tickSize: number;
  readonly bid: number | null;
  readonly ask: number | null;
  readonly mark: number | null;
  /** When the quote last changed (ms, the hedger's clock). */
  readonly quoteTs: number | null;
}

/** Everything one decision reads; gathered by the loop, never fetched by the decision. */
export interface HedgeInputs {
  readonly now: number;
  /** Net delta of all the currency's option positions, in coins; null when unknown. */
  readonly optionsDelta: number | null;
  /**
   * Delta of the hedge instrument position, in coins (inverse: -USD size / mark when short),
   * counting the hedger's own fills the venue's position does not show yet.
   */
  readonly hedgeDelta: number | null;
  /**
   * Those fills, signed, in the instrument's amount unit: filled hedges (by their replies)
   * that the position stream has not yet reflected. 0 once the position caught up.
   */
  readonly hedgeUnreflected: number;
  /** USD per coin (the index). */
  readonly indexUsd: number | null;
  readonly hedge: HedgeInstrumentView;
  /** Age (ms) of the oldest market input the options delta used (marks, forward); null = none. */
  readonly marketAgeMs: number | null;
  readonly connected: boolean;
  /** The account snapshot has loaded since the last (re)connect. */
  readonly accountLoaded: boolean;
  /** A hedge order is on its way or resting: nothing else may be sent. */
  readonly inFlight: boolean;
  /** Hedge orders sent in the last 60 s. */
  readonly hedgesLastMinute: number;
  readonly consecutiveRejects: number;
  /** The book's gamma: its options' delta change (coins) per USD of spot; null if unknown. */
  readonly optionsGamma?: number | null;
  /**
   * What the time policy counts its interval from (ms): when the last hedge order went, or
   * the last due decision that found nothing to trade; null before either.
   */
  readonly lastHedgeAt?: number | null;
}

export type HedgeDecision =
  /** |net| inside the band (or nothing to do): no order. */
  | { readonly action: 'none'; readonly reason: string }
  /** Not safe to decide (stale data, disconnected, crossed book, caps): no order, say why. */
  | { readonly action: 'pause'; readonly reason: string }
  /** Too many rejections: the hedger switches itself off and raises an alert. */
  | { readonly action: 'off'; readonly reason: string }
  | {
      readonly action: 'hedge';
      readonly side: OrderSide;
      /** Decimal text in the instrument's amount unit, a whole number of lots. */
      readonly amount: string;
      /** Limit price (decimal text) for 'limit-ioc'; absent for 'market'. */
      readonly price?: string;
      readonly reason: string;
    };

/** Band and net delta, in USD, for the header and the log. */
export interface HedgeMeasure {
  readonly netDelta: number | null;
  readonly netUsd: number | null;
  readonly bandUsd: number | null;
}

/** One line of the JSONL hedge log: the inputs, the decision and what was done. */
export interface HedgeLogEntry {
  readonly ts: number;
  readonly state: HedgerState['mode'];
  readonly inputs: HedgeInputs;
  readonly measure: HedgeMeasure;
  readonly decision: HedgeDecision;
  /** The gateway label of the order sent, when one was. */
  readonly label?: string;
}

/** What the header and the hedger panel show. */
export interface HedgerState {
  readonly mode: 'off' | 'on' | 'paused';
  /** Why paused, or why it switched itself off. */
  readonly reason: string | null;
  readonly instrument: string;
  readonly measure: HedgeMeasure;
  readonly hedges: number;
  readonly inFlight: string | null;
  /**
   * What the hedger waits on before it trusts the position, one line: an order whose outcome
   * is unknown, or fills the position does not show yet (counted meanwhile); null when none.
   */
  readonly reconciling: string | null;
  /** The latest decisions, newest first, as one line each. */
  readonly recent: readonly string[];
  /**
   * Per expiry (`hinst expiry`): each bucket's instrument, its net and its own band in USD;
   * `instrument` and `measure` are then the bucket being decided. Absent otherwise.
   */
  readonly buckets?: readonly {
    readonly instrument: string;
    readonly netUsd: number | null;
    readonly bandUsd: number | null;
  }[];
  /** The policy in force and its band now (absent in states published by older serves). */
  readonly policy?: {
    readonly name: 'fixed' | 'gamma' | 'time';
    /** Why the band is what it is ("Γ 5.6e-4/$ · cost 5.5 bp · γ 1e-3/$ → ±0.286"). */
    readonly why: string | null;
    readonly bandCoins: number | null;
    readonly target: number;
    readonly lastHedgeAt: number | null;
  };
  /** Hedges sent today and what they cost (absent in states published by older serves). */
  readonly today?: HedgeDay;
}

/**
 * Hedges sent since 00:00 UTC (the hedger's clock) and what their fills cost, in USD. A cost
 * is null once one of its parts could not be priced (a fee in a currency with no USD price,
 * a hedge sent with no two-sided quote): it then reads "-", never a partial sum.
 */
export interface HedgeDay {
  /** 00:00 UTC of the day counted (ms). */
  readonly since: number;
  readonly hedges: number;
  /** The venue's fees on the hedges' fills. */
  readonly feesUsd: number | null;
  /** Each fill's distance from the instrument's mid when its order was sent, times its size. */
  readonly spreadUsd: number | null;
  /** Fees plus spread. */
  readonly costUsd: number | null;
}
