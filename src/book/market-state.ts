import { InstrumentRegistry, type InstrumentChange } from '../instruments/registry.js';
import type { InstrumentSpec, OptionSpec, PriceBand } from '../instruments/types.js';
import { Books } from './books.js';
import type {
  BookEvent,
  IndexEvent,
  MarketEvent,
  TickerEvent,
  TradeEvent,
  VolatilityIndexEvent,
} from './events.js';
import { OptionChain } from './option-chain.js';
import type { OrderBook, ResyncRequest } from './order-book.js';

/**
 * What one event changed, so a consumer can decide whether to wake: `top` a best bid/ask
 * (from a book or a ticker), `depth` only deeper book levels, `gap` a book broke (a resync
 * request is waiting), `ticker` marks/forwards/venue figures, `index`, `trade`, `instruments`
 * listings, `none` nothing ivtrade tracks.
 */
export type MarketChange =
  'top' | 'depth' | 'gap' | 'ticker' | 'index' | 'trade' | 'instruments' | 'none';

/** Per venue: its listings, the option chains built from them, and the latest quotes. */
/** Prints kept per instrument: a screen's tape, not a history. */
export const TAPE_LENGTH = 50;

/** In ts order; a print heard twice (a reconnect replays) is kept once. */
function addToTape(tapes: Map<string, TradeEvent[]>, trade: TradeEvent): void {
  let tape = tapes.get(trade.instrument);
  if (tape === undefined) {
    tape = [];
    tapes.set(trade.instrument, tape);
  }
  if (tape.some((held) => held.tradeId === trade.tradeId)) return;
  let at = tape.length;
  while (at > 0 && tape[at - 1]!.ts > trade.ts) at -= 1;
  tape.splice(at, 0, trade);
  if (tape.length > TAPE_LENGTH) tape.shift();
}

class VenueState {
  readonly registry: InstrumentRegistry;
  /** Chains by `base/quote`. */
  readonly chains = new Map<string, OptionChain>();
  /** The chain holding each option, for one lookup per ticker or book update. */
  readonly chainOf = new Map<string, OptionChain>();
  /** Latest ticker of every non-option (futures and perpetuals: the hedge instruments). */
  readonly tickers = new Map<string, TickerEvent>();
  readonly lastTrades = new Map<string, TradeEvent>();
  /** Each instrument's latest prints, oldest first, at most TAPE_LENGTH (the tape). */
  readonly tapes = new Map<string, TradeEvent[]>();
  /** The latest price band a ticker sent, options included (the order gateway's check). */
  readonly priceBands = new Map<string, PriceBand>();
  /** Index prices by `base/quote`. */
  readonly indices = new Map<string, IndexEvent>();
  /** The venue's own volatility index per coin (Deribit's DVOL). */
  readonly volatilityIndices = new Map<string, VolatilityIndexEvent>();
  relistPending = false;

  constructor(venue: string) {
    this.registry = new InstrumentRegistry(venue);
  }
}

/**
 * Market state for every venue a process follows: instrument registries, L2 books, option
 * chains, futures' and perpetuals' tickers, index prices. Fed normalized events only, with
 * time coming in as values, so a replay reproduces a session exactly. Broken books leave
 * resync requests for the feed to collect.
 */
export class MarketState {
  readonly books = new Books();
  readonly #venues = new Map<string, VenueState>();
  #resyncRequests: ResyncRequest[] = [];

  /** Loads a venue's full instrument list (start-up, the daily refresh); returns the changes. */
  loadInstruments(venue: string, specs: readonly InstrumentSpec[], ts: number): InstrumentChange[] {
    const state = this.#venue(venue);
    const changes = state.registry.sync(specs, ts);
    for (const change of changes) {
      if (change.kind === 'instrument-removed') {
        this.books.remove(venue, change.instrument);
        state.tapes.delete(change.instrument);
      }
    }
    if (changes.length > 0) this.#relist(state);
    return changes;
  }

  /** Instruments whose expiry has passed leave the registry, their books and their chains. */
  expire(venue: string, now: number): InstrumentChange[] {
    const state = this.#venue(venue);
    const removed = state.registry.expire(now);
    for (const change of removed) this.books.remove(venue, change.instrument);
    if (removed.length > 0) this.#relist(state);
    return removed;
  }

  registry(venue: string): InstrumentRegistry {
    return this.#venue(venue).registry;
  }

  apply(event: MarketEvent): MarketChange {
    const state = this.#venue(event.venue);
    switch (event.kind) {
      case 'book-snapshot':
      case 'book-delta':
        // Quotes for a new listing may follow its instrument-added event before any settle.
        if (state.relistPending) this.#relist(state);
        return this.#applyBook(state, event);
      case 'ticker':
        if (state.relistPending) this.#relist(state);
        return this.#applyTicker(state, event);
      case 'index':
        state.indices.set(`${event.base}/${event.quote}`, event);
        return 'index';
      case 'volatility-index':
        state.volatilityIndices.set(event.base, event);
        return 'index';
      case 'trade':
        state.lastTrades.set(event.instrument, event);
        addToTape(state.tapes, event);
        return 'trade';
      case 'instrument-added':
      case 'instrument-removed':
        state.registry.apply(event);
        if (event.kind === 'instrument-removed') {
          this.books.remove(event.venue, event.instrument);
          state.tapes.delete(event.instrument);
        }
        // Many listings arrive together; the chains are rebuilt once, at the next settle.
        state.relistPending = true;
        return 'instruments';
    }
  }

  /**
   * Brings derived state up to date before it is read: rebuilds chains after listing
   * changes and reprices expiries whose forward moved. Returns the expiries repriced.
   */
  settle(now: number): number {
    let repriced = 0;
    for (const state of this.#venues.values()) {
      if (state.relistPending) this.#relist(state);
      for (const chain of state.chains.values()) repriced += chain.settle(now);
    }
    return repriced;
  }

  /**
   * A stream went quiet (the feed's watchdog said so): these options' quotes are flagged
   * stale until their next ticker or good book top. Their books keep their levels: a quiet
   * book is old, not wrong, and its next delta still chains on; a broken one is the feed's
   * to resync.
   */
  markStale(venue: string, instruments: readonly string[]): void {
    const state = this.#venues.get(venue);
    if (state === undefined) return;
    for (const instrument of instruments) state.chainOf.get(instrument)?.markStale(instrument);
  }

  /**
   * The feed found these books wrong without a sequence break to show it (the top disagrees
   * with the ticker, the connection dropped): their levels go, as after a gap, and the options
   * fall back to their tickers, flagged stale, until the resync's snapshot. Returns the books
   * that were live and are now broken (one already broken by its gap is left as it is).
   */
  breakBooks(venue: string, instruments: readonly string[], now: number): string[] {
    const state = this.#venues.get(venue);
    const broken: string[] = [];
    for (const instrument of instruments) {
      const book = this.books.get(venue, instrument);
      if (book?.state !== 'live') continue;
      book.markStale();
      broken.push(instrument);
      state?.chainOf.get(instrument)?.applyBookTop(book, now);
    }
    return broken;
  }

  /** The resync requests raised since the last call; the feed acts on each once. */
  takeResyncRequests(): ResyncRequest[] {
    const requests = this.#resyncRequests;
    this.#resyncRequests = [];
    return requests;
  }

  chain(venue: string, base: string, quote: string): OptionChain | undefined {
    return this.#venues.get(venue)?.chains.get(`${base}/${quote}`);
  }

  chains(venue: string): OptionChain[] {
    return [...(this.#venues.get(venue)?.chains.values() ?? [])];
  }

  /** Latest ticker of a future or perpetual. */
  ticker(venue: string, instrument: string): TickerEvent | undefined {
    return this.#venues.get(venue)?.tickers.get(instrument);
  }

  /** The band of prices the venue's latest ticker for `instrument` said it accepts. */
  priceBand(venue: string, instrument: string): PriceBand | undefined {
    return this.#venues.get(venue)?.priceBands.get(instrument);
  }

  index(venue: string, base: string, quote: string): IndexEvent | undefined {
    return this.#venues.get(venue)?.indices.get(`${base}/${quote}`);
  }

  /**
   * The coin's dollar index: its USD index, else its USDC one (Deribit prices its linear
   * coins' options on `<coin>_usdc` and publishes no USD index for them; a USDC price is the
   * unit those options are quoted in).
   */
  usdIndex(venue: string, base: string): IndexEvent | undefined {
    return this.index(venue, base, 'USD') ?? this.index(venue, base, 'USDC');
  }

  /** The venue's latest volatility index for a coin (Deribit's DVOL), if it sent one. */
  volatilityIndex(venue: string, base: string): VolatilityIndexEvent | undefined {
    return this.#venues.get(venue)?.volatilityIndices.get(base);
  }

  /** The instrument's latest prints, newest first (the tape), at most `limit`. */
  recentTrades(venue: string, instrument: string, limit = TAPE_LENGTH): TradeEvent[] {
    const tape = this.#venues.get(venue)?.tapes.get(instrument) ?? [];
    return tape.slice(Math.max(0, tape.length - limit)).reverse();
  }

  lastTrade(venue: string, instrument: string): TradeEvent | undefined {
    return this.#venues.get(venue)?.lastTrades.get(instrument);
  }

  #applyBook(state: VenueState, event: BookEvent): MarketChange {
    const book = this.books.bookFor(event.venue, event.instrument);
    const change = book.apply(event);
    if (change === 'gap') this.#resyncRequests.push(book.resyncRequest()!);
    if (change === 'top' || change === 'gap') {
      const chain = state.chainOf.get(event.instrument);
      if (chain !== undefined) chain.applyBookTop(book, event.ts);
      else this.#futureMoved(state, event.instrument, bookMid(book));
    }
    return change === 'ignored' ? 'none' : change;
  }

  #applyTicker(state: VenueState, event: TickerEvent): MarketChange {
    if (event.priceBand !== undefined) state.priceBands.set(event.instrument, event.priceBand);
    const chain = state.chainOf.get(event.instrument);
    if (chain !== undefined) {
      chain.applyTicker(event);
      return 'ticker';
    }
    state.tickers.set(event.instrument, event);
    this.#futureMoved(state, event.instrument, tickerMid(event));
    return 'ticker';
  }

  /** A dated future's price is a forward for the options expiring with it. */
  #futureMoved(state: VenueState, instrument: string, price: number): void {
    const spec = state.registry.get(instrument);
    if (spec?.kind !== 'future' || spec.expiry === null || !(price > 0)) return;
    for (const chain of state.chains.values()) {
      if (chain.base === spec.base) chain.applyFuturePrice(spec.expiry, price);
    }
  }

  #relist(state: VenueState): void {
    state.relistPending = false;
    const byChain = new Map<string, OptionSpec[]>();
    for (const base of state.registry.bases()) {
      for (const option of state.registry.optionsOf(base)) {
        const key = `${option.base}/${option.quote}`;
        const list = byChain.get(key) ?? [];
        list.push(option);
        byChain.set(key, list);
      }
    }
    for (const key of state.chains.keys()) if (!byChain.has(key)) state.chains.delete(key);
    for (const [key, options] of byChain) {
      const chain = state.chains.get(key);
      if (chain === undefined) {
        const first = options[0]!;
        state.chains.set(
          key,
          new OptionChain(state.registry.venue, first.base, first.quote, options),
        );
      } else {
        chain.relist(options);
      }
    }
    state.chainOf.clear();
    for (const chain of state.chains.values()) {
      for (const option of chain.options) state.chainOf.set(option.name, chain);
    }
  }

  #venue(venue: string): VenueState {
    let state = this.#venues.get(venue);
    if (state === undefined) {
      state = new VenueState(venue);
      this.#venues.set(venue, state);
    }
    return state;
  }
}

function bookMid(book: OrderBook): number {
  return book.good ? (book.bids.bestPrice + book.asks.bestPrice) / 2 : NaN;
}

/** Mid of a two-sided ticker, else its mark. */
function tickerMid(ticker: TickerEvent): number {
  if (ticker.bid !== null && ticker.ask !== null) return (ticker.bid + ticker.ask) / 2;
  return ticker.mark ?? NaN;
}
