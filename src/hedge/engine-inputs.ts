/**
 * Gathers one decision's inputs from the engine's state: the currency's option positions and
 * their quotes, the hedge position and quote, the index, and what the feed said about its
 * connections. The state holds no quote times and no connection health, so both are learned
 * here from the events as they pass.
 */
import type { AccountState } from '../book/account-state.js';
import type { FeedEvent, FeedStatus, StatusEvent } from '../book/events.js';
import type { MarketState } from '../book/market-state.js';
import type { OptionChain } from '../book/option-chain.js';
import type { InstrumentSpec, OptionSpec } from '../instruments/types.js';
import { hedgeDelta, optionsDelta, type OptionDeltaQuote } from './delta.js';
import type { HedgeConfig, HedgeInputs, HedgeInstrumentView } from './types.js';

/** What only the loop knows: its order in flight, its pace, its run of rejections. */
export interface LoopFacts {
  readonly inFlight: boolean;
  readonly hedgesLastMinute: number;
  readonly consecutiveRejects: number;
  /** Own hedge fills, signed, that the venue's position does not show yet. */
  readonly unreflected: number;
  /** What the time policy counts from (HedgeInputs.lastHedgeAt), or null. */
  readonly lastHedgeAt?: number | null;
}

const SOCKET_STATES: ReadonlySet<FeedStatus> = new Set([
  'connecting',
  'live',
  'reconnecting',
  'closed',
]);

/**
 * Connections that carry market data only (events.ts names them `public`, `option`,
 * `linear`…). Losing one of them leaves the account as it was; losing any other (a venue's
 * single socket, its `private` one) means the account must be reloaded before it is trusted.
 */
const MARKET_ONLY_STREAM = /^(public|option|linear|inverse|spot)\b/;

/**
 * The feed's connections as its status events tell them. Streams never heard of are taken to
 * be up: the hedger is usually built on an engine that is already running, whose first
 * `live` it never saw. The account counts as loaded once a snapshot has arrived after the
 * last loss of an account-carrying connection.
 */
export class ConnectionWatch {
  readonly #venue: string;
  readonly #sockets = new Map<string, FeedStatus>();
  #accountLoaded: boolean;

  constructor(venue: string, accountLoaded: boolean) {
    this.#venue = venue;
    this.#accountLoaded = accountLoaded;
  }

  /** True when the event changed what `connected` or `accountLoaded` say. */
  observe(event: FeedEvent): boolean {
    if (event.venue !== this.#venue) return false;
    if (event.kind === 'account-snapshot') {
      const changed = !this.#accountLoaded;
      this.#accountLoaded = true;
      return changed;
    }
    if (event.kind !== 'status' || !SOCKET_STATES.has(event.status)) return false;
    return this.#socket(event);
  }

  get connected(): boolean {
    for (const status of this.#sockets.values()) if (status !== 'live') return false;
    return true;
  }

  get accountLoaded(): boolean {
    return this.#accountLoaded;
  }

  #socket(event: StatusEvent): boolean {
    const before = this.#sockets.get(event.stream);
    this.#sockets.set(event.stream, event.status);
    let changed = before !== event.status;
    if (event.status !== 'live' && !MARKET_ONLY_STREAM.test(event.stream) && this.#accountLoaded) {
      this.#accountLoaded = false;
      changed = true;
    }
    return changed;
  }
}

export interface EngineInputsOptions {
  readonly config: HedgeConfig;
  readonly market: MarketState;
  readonly account: AccountState;
  /**
   * The venue's time, which options are priced at (time to expiry); the decision's own clock
   * when left out. They differ when the sim runs fast (`--speed`).
   */
  readonly pricingNow?: () => number;
}

/**
 * The inputs of a decision, read from the engine when asked. `observe` must see every event
 * of the venue (after the engine applied it) to know how old each quote is.
 */
export class EngineInputs {
  readonly connection: ConnectionWatch;
  #config: HedgeConfig;
  readonly #market: MarketState;
  readonly #account: AccountState;
  /**
   * When each instrument's quote was last heard of, on the hedger's clock: its ticker, and for
   * the hedge instrument its book too. Time of hearing rather than the venue's stamp, so a
   * venue clock that differs from ours (or a sim running faster than real time) cannot make
   * quotes look older or newer than they are here.
   */
  readonly #heard = new Map<string, number>();
  readonly #pricingNow: (() => number) | null;
  /** Per expiry, the instrument of the options with no future of their own (`instrument`). */
  #home: string;

  constructor(options: EngineInputsOptions) {
    this.#config = options.config;
    this.#market = options.market;
    this.#account = options.account;
    this.#pricingNow = options.pricingNow ?? null;
    this.#home = options.config.instrument;
    const venue = options.config.venue;
    this.connection = new ConnectionWatch(
      venue,
      this.#account.balances(venue).length > 0 || this.#account.positions(venue).length > 0,
    );
  }

  /**
   * Records what an event says about freshness and connections, `now` being when it was heard
   * (the hedger's clock); true when the connection or account state changed.
   */
  observe(event: FeedEvent, now: number): boolean {
    if (event.venue !== this.#config.venue) return false;
    switch (event.kind) {
      case 'ticker':
        this.#heard.set(event.instrument, now);
        return false;
      case 'book-snapshot':
      case 'book-delta':
        // Every future's book, not only the hedge's: `hinst` may make another the hedge at any
        // time. An option's freshness is its ticker's alone (its marks and greeks come there).
        if (this.#spec(event.instrument)?.kind !== 'option') this.#heard.set(event.instrument, now);
        return false;
      case 'instrument-removed':
        this.#heard.delete(event.instrument);
        return false;
      default:
        return this.connection.observe(event);
    }
  }

  /**
   * A new hedge instrument or way of counting futures (`hinst`), same venue and coin. Per
   * expiry, `config.instrument` is the bucket being decided and `home` the instrument of the
   * rest (the options with no future of their own expiry).
   */
  retarget(config: HedgeConfig, home?: string): void {
    this.#config = config;
    if (home !== undefined) this.#home = home;
  }

  /**
   * Per expiry, the instruments with something to hedge: each held option's bucket (its
   * expiry's followed future, else the home instrument), and the home one always.
   */
  bucketInstruments(): string[] {
    const { venue, currency } = this.#config;
    const buckets = new Set<string>([this.#home]);
    for (const position of this.#account.positions(venue)) {
      if (position.size === 0) continue;
      const spec = this.#spec(position.instrument);
      if (spec?.kind === 'option' && spec.base === currency) buckets.add(this.#bucketOf(spec));
    }
    return [...buckets];
  }

  /** The instrument an option's delta is hedged in, per expiry: its expiry's future if followed. */
  #bucketOf(spec: OptionSpec): string {
    const { venue, currency } = this.#config;
    const future = this.#market.registry(venue).futureExpiring(currency, spec.expiry);
    if (future === undefined) return this.#home;
    const mark = this.#market.ticker(venue, future.name)?.mark;
    return mark !== null && mark !== undefined && mark > 0 ? future.name : this.#home;
  }

  /** Per expiry, only the options of the bucket being decided count. */
  #inBucket(spec: OptionSpec): boolean {
    return this.#config.futures !== 'expiry' || this.#bucketOf(spec) === this.#config.instrument;
  }

  /**
   * Whether a ticker of this instrument can move the net delta: a held option, the hedge, or
   * (counting every future) a held future of the coin.
   */
  moves(instrument: string): boolean {
    if (instrument === this.#config.instrument) return true;
    const spec = this.#spec(instrument);
    if (spec === undefined || spec.base !== this.#config.currency) return false;
    if (spec.kind !== 'option' && (this.#config.futures ?? 'only') === 'only') return false;
    return this.#account.position(this.#config.venue, instrument) !== undefined;
  }

  gather(now: number, loop: LoopFacts): HedgeInputs {
    const { venue, currency, convention, deltaSource } = this.#config;
    const chains = this.#market.chains(venue).filter((chain) => chain.base === currency);
    // Greeks of an expiry whose forward moved are repriced lazily: bring them to the venue's
    // now (the rows are the screen's too: a machine clock would price them at the wrong time).
    const pricedAt = this.#pricingNow?.() ?? now;
    for (const chain of chains) chain.settle(pricedAt);
    const options = optionsDelta(
      this.#account.positions(venue),
      (instrument) => this.#optionQuote(chains, instrument),
      convention,
      deltaSource,
    );
    const hedge = this.#hedgeView();
    const position = this.#account.position(venue, this.#config.instrument);
    const size = (position?.size ?? 0) + loop.unreflected;
    const others = this.#config.futures === 'net' ? this.#otherFutures() : NO_OTHERS;
    const own = hedge.lotSize > 0 ? hedgeDelta(size, hedge.sizeUnit, hedge.mark) : null;
    const oldest = minOrNull(options.oldestTs, others.oldestTs);
    return {
      now,
      optionsDelta: options.delta,
      hedgeDelta: own === null || others.delta === null ? null : own + others.delta,
      hedgeUnreflected: loop.unreflected,
      indexUsd: this.#indexUsd(chains),
      hedge,
      marketAgeMs: oldest === null ? null : Math.max(0, now - oldest),
      connected: this.connection.connected,
      accountLoaded: this.connection.accountLoaded,
      inFlight: loop.inFlight,
      hedgesLastMinute: loop.hedgesLastMinute,
      consecutiveRejects: loop.consecutiveRejects,
      optionsGamma: this.#optionsGamma(chains),
      lastHedgeAt: loop.lastHedgeAt ?? null,
    };
  }

  /** The book's gamma in coins per USD: each held option's size × its Black-76 gamma. */
  #optionsGamma(chains: readonly OptionChain[]): number | null {
    let sum = 0;
    for (const position of this.#account.positions(this.#config.venue)) {
      if (position.size === 0) continue;
      const spec = this.#spec(position.instrument);
      if (spec?.kind !== 'option' || spec.base !== this.#config.currency) continue;
      if (!this.#inBucket(spec)) continue;
      const gamma = chains
        .find((chain) => chain.has(position.instrument))
        ?.option(position.instrument)?.gamma;
      if (gamma === null || gamma === undefined || !Number.isFinite(gamma)) return null;
      sum += position.size * gamma;
    }
    return sum;
  }

  /**
   * Every other future and perpetual of the coin held, in coins at its own mark (the ticker's,
   * else the position's), and when its ticker was last heard; unknown when a mark is missing.
   */
  #otherFutures(): { delta: number | null; oldestTs: number | null } {
    const { venue, currency, instrument } = this.#config;
    let delta = 0;
    let oldestTs: number | null = null;
    for (const position of this.#account.positions(venue)) {
      if (position.size === 0 || position.instrument === instrument) continue;
      const spec = this.#spec(position.instrument);
      if (spec === undefined || spec.kind === 'option' || spec.base !== currency) continue;
      const mark = this.#market.ticker(venue, position.instrument)?.mark ?? position.markPrice;
      const coins = hedgeDelta(position.size, spec.sizeUnit, mark ?? null);
      if (coins === null) return { delta: null, oldestTs };
      delta += coins;
      oldestTs = minOrNull(oldestTs, this.#heard.get(position.instrument) ?? null);
    }
    return { delta, oldestTs };
  }

  #spec(instrument: string): InstrumentSpec | undefined {
    return this.#market.registry(this.#config.venue).get(instrument);
  }

  /**
   * A held option of the currency, as the delta reads it. One whose ticker has not been heard
   * since the hedger started listening counts as unquoted: its quote is of unknown age, so the
   * decision pauses until it speaks rather than hedge on it.
   */
  #optionQuote(chains: readonly OptionChain[], instrument: string): OptionDeltaQuote | undefined {
    const spec = this.#spec(instrument);
    if (spec?.kind !== 'option' || spec.base !== this.#config.currency) return undefined;
    if (!this.#inBucket(spec)) return undefined;
    const ts = this.#heard.get(instrument);
    const quote = chains.find((chain) => chain.has(instrument))?.option(instrument);
    if (quote === undefined || ts === undefined) {
      return { spec, mark: null, delta: null, ts: ts ?? null };
    }
    return { spec, mark: quote.mark, delta: quote.delta, ts };
  }

  /**
   * The hedge instrument's rules and touch. The L2 book's top when the book is live (crossed
   * or not: a crossed book must be seen as crossed), else the ticker's; a crossed ticker is
   * reported as such even beside a sane book, since either means something upstream is wrong.
   */
  #hedgeView(): HedgeInstrumentView {
    const { venue, instrument } = this.#config;
    const spec = this.#spec(instrument);
    const ticker = this.#market.ticker(venue, instrument);
    const book = this.#market.books.get(venue, instrument);
    let bid = ticker?.bid ?? null;
    let ask = ticker?.ask ?? null;
    const tickerCrossed = bid !== null && ask !== null && bid >= ask;
    if (book !== undefined && book.state === 'live' && !tickerCrossed) {
      bid = book.bids.count > 0 ? book.bids.bestPrice : null;
      ask = book.asks.count > 0 ? book.asks.bestPrice : null;
    }
    return {
      name: instrument,
      sizeUnit: spec?.sizeUnit ?? 'base',
      lotSize: spec?.lotSize ?? 0,
      minSize: spec?.minSize ?? 0,
      tickSize: spec?.tickSize ?? 0,
      bid,
      ask,
      mark: ticker?.mark ?? this.#account.position(venue, instrument)?.markPrice ?? null,
      quoteTs: this.#heard.get(instrument) ?? null,
    };
  }

  /**
   * USD per coin, by the positions panel's rule: the venue's USD index, else the index its
   * option tickers carry, else the hedge instrument's index or mark.
   */
  #indexUsd(chains: readonly OptionChain[]): number | null {
    const { venue, currency, instrument } = this.#config;
    const index = this.#market.usdIndex(venue, currency)?.price;
    if (positive(index)) return index;
    for (const chain of chains) if (positive(chain.index)) return chain.index;
    const ticker = this.#market.ticker(venue, instrument);
    if (positive(ticker?.index)) return ticker.index;
    if (positive(ticker?.mark)) return ticker.mark;
    return null;
  }
}

const NO_OTHERS = { delta: 0, oldestTs: null } as const;

function minOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

function positive(value: number | null | undefined): value is number {
  return value !== null && value !== undefined && Number.isFinite(value) && value > 0;
}
