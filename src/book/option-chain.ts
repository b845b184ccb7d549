import type { OptionSpec } from '../instruments/types.js';
import type { TickerEvent } from './events.js';
import { ExpiryRow, QUOTE_BOOK, QUOTE_NONE, QUOTE_TICKER } from './expiry-row.js';
import type { OrderBook } from './order-book.js';

/** Where one option lives in its chain. */
interface SlotRef {
  readonly row: ExpiryRow;
  readonly slot: number;
}

/** One option's state, copied out of the row (allocates: for display and tests). */
export interface OptionQuote {
  readonly spec: OptionSpec;
  readonly bid: number | null;
  readonly bidSize: number | null;
  readonly ask: number | null;
  readonly askSize: number | null;
  readonly mark: number | null;
  readonly source: 'book' | 'ticker' | 'none';
  readonly stale: boolean;
  readonly bidIv: number | null;
  readonly askIv: number | null;
  readonly markIv: number | null;
  readonly delta: number | null;
  readonly gamma: number | null;
  readonly vega: number | null;
  readonly theta: number | null;
}

/**
 * The live option chain of one base coin and premium currency on one venue (Deribit's BTC
 * inverse options and its BTC_USDC linear ones are two chains): expiries → strikes → call and put,
 * with each expiry's forward and ATM strike, and ivtrade's own IVs and greeks.
 *
 * Recomputation is incremental: a quote change reprices that one option at once; a forward
 * move only marks its expiry dirty, and `settle(now)` reprices each dirty expiry in one batch.
 * A venue that sends a new forward with every option ticker would otherwise reprice a whole
 * expiry per message; readers (the UI's frame, the hedger's decision) settle first.
 */
export class OptionChain {
  readonly rows: ExpiryRow[] = [];
  /** Latest index price seen in a ticker; NaN before any. */
  index = NaN;
  readonly #slots = new Map<string, SlotRef>();
  #version = 0;

  constructor(
    readonly venue: string,
    readonly base: string,
    /** Premium currency: the base coin for inverse options, else USDC/USDT. */
    readonly quote: string,
    options: readonly OptionSpec[] = [],
  ) {
    this.#rebuild(options);
  }

  /**
   * Bumped by every change a reader could see (a quote, a forward, a listing, a repricing):
   * equal versions mean identical prices and forwards, so a derived view (the fitted surface)
   * can be kept until it moves.
   */
  get version(): number {
    return this.#version;
  }

  /** Every option currently listed in the chain. */
  get options(): OptionSpec[] {
    return this.rows.flatMap((row) => row.specs.filter((spec) => spec !== null));
  }

  has(instrument: string): boolean {
    return this.#slots.has(instrument);
  }

  /**
   * Listings appeared or went away (the daily expiry): rebuilds the rows, carrying over the
   * quotes, analytics and forwards of everything still listed.
   */
  relist(options: readonly OptionSpec[]): void {
    this.#version += 1;
    this.#rebuild(options);
  }

  row(expiry: number): ExpiryRow | undefined {
    return this.rows.find((row) => row.expiry === expiry);
  }

  /** Applies an option ticker of this chain; false if the instrument is not in it. */
  applyTicker(event: TickerEvent): boolean {
    const ref = this.#slots.get(event.instrument);
    if (ref === undefined) return false;
    const { row, slot } = ref;
    this.#version += 1;
    if (event.index !== null) this.index = event.index;
    row.mark[slot] = event.mark ?? NaN;
    if (row.hasBook[slot] === 0 || row.quoteSource[slot] !== QUOTE_BOOK) {
      row.bid[slot] = event.bid ?? NaN;
      row.bidSize[slot] = event.bidSize ?? NaN;
      row.ask[slot] = event.ask ?? NaN;
      row.askSize[slot] = event.askSize ?? NaN;
      row.quoteSource[slot] = QUOTE_TICKER;
      row.stale[slot] = 0;
    }
    if (event.forward !== null) row.setVenueForward(event.forward);
    this.#afterQuote(row, slot, event.ts);
    return true;
  }

  /**
   * Takes an option's best bid/ask from its L2 book after a top change. A book that is not
   * good (stale after a gap, crossed, or awaiting its snapshot) marks the option stale; the
   * venue's next ticker then supplies the quotes until the book is good again.
   */
  applyBookTop(book: OrderBook, now: number): boolean {
    const ref = this.#slots.get(book.instrument);
    if (ref === undefined) return false;
    const { row, slot } = ref;
    this.#version += 1;
    row.hasBook[slot] = 1;
    if (!book.good) {
      if (row.quoteSource[slot] === QUOTE_BOOK) row.quoteSource[slot] = QUOTE_NONE;
      row.stale[slot] = 1;
      return true;
    }
    row.bid[slot] = nanIfEmpty(book.bids.bestPrice);
    row.bidSize[slot] = book.bids.bestSize;
    row.ask[slot] = nanIfEmpty(book.asks.bestPrice);
    row.askSize[slot] = book.asks.bestSize;
    row.quoteSource[slot] = QUOTE_BOOK;
    row.stale[slot] = 0;
    this.#afterQuote(row, slot, now, true);
    return true;
  }

  /** The dated future expiring with `expiry` moved: a forward for rows without the venue's. */
  applyFuturePrice(expiry: number, price: number): void {
    this.#version += 1;
    this.row(expiry)?.setFutureForward(price);
  }

  /** The stream carrying an option stopped: keep its last quotes for display, flagged. */
  markStale(instrument: string): void {
    const ref = this.#slots.get(instrument);
    if (ref === undefined) return;
    this.#version += 1;
    ref.row.stale[ref.slot] = 1;
  }

  /** Reprices every expiry whose forward moved; returns how many were repriced. */
  settle(now: number): number {
    let repriced = 0;
    for (const row of this.rows) {
      if (!row.dirty) continue;
      row.reprice(now);
      repriced += 1;
    }
    if (repriced > 0) this.#version += 1;
    return repriced;
  }

  /** Reprices everything, e.g. once a second so time decay shows in the greeks. */
  repriceAll(now: number): void {
    this.#version += 1;
    for (const row of this.rows) row.reprice(now);
  }

  option(instrument: string): OptionQuote | undefined {
    const ref = this.#slots.get(instrument);
    if (ref === undefined) return undefined;
    const { row, slot } = ref;
    const source = row.quoteSource[slot];
    return {
      spec: row.specs[slot]!,
      bid: nullIfNaN(row.bid[slot]!),
      bidSize: nullIfNaN(row.bidSize[slot]!),
      ask: nullIfNaN(row.ask[slot]!),
      askSize: nullIfNaN(row.askSize[slot]!),
      mark: nullIfNaN(row.mark[slot]!),
      source: source === QUOTE_BOOK ? 'book' : source === QUOTE_TICKER ? 'ticker' : 'none',
      stale: row.stale[slot] === 1,
      bidIv: nullIfNaN(row.bidIv[slot]!),
      askIv: nullIfNaN(row.askIv[slot]!),
      markIv: nullIfNaN(row.markIv[slot]!),
      delta: nullIfNaN(row.greeks.delta[slot]!),
      gamma: nullIfNaN(row.greeks.gamma[slot]!),
      vega: nullIfNaN(row.greeks.vega[slot]!),
      theta: nullIfNaN(row.greeks.theta[slot]!),
    };
  }

  #afterQuote(row: ExpiryRow, slot: number, now: number, quotesOnly = false): void {
    // Without the venue's forward or a future, quotes decide the forward (parity): settle.
    if (row.forwardSource === 'none' || row.forwardSource === 'parity') row.dirty = true;
    if (row.dirty) return;
    // A fresh slot (its first quote) has no mark IV or greeks yet: price it whole.
    if (quotesOnly && !Number.isNaN(row.markIv[slot]!)) row.repriceQuotes(slot, now);
    else row.repriceSlot(slot, now);
  }

  #rebuild(options: readonly OptionSpec[]): void {
    const oldSlots = new Map(this.#slots);
    const oldRows = new Map(this.rows.map((row) => [row.expiry, row]));
    const byExpiry = new Map<number, OptionSpec[]>();
    for (const option of options) {
      if (option.base !== this.base || option.quote !== this.quote) continue;
      const list = byExpiry.get(option.expiry) ?? [];
      list.push(option);
      byExpiry.set(option.expiry, list);
    }
    this.rows.length = 0;
    this.#slots.clear();
    for (const expiry of [...byExpiry.keys()].sort((a, b) => a - b)) {
      const row = new ExpiryRow(expiry, byExpiry.get(expiry)!);
      this.rows.push(row);
      const oldRow = oldRows.get(expiry);
      if (oldRow !== undefined) row.adoptForward(oldRow);
      row.specs.forEach((spec, slot) => {
        if (spec === null) return;
        this.#slots.set(spec.name, { row, slot });
        const old = oldSlots.get(spec.name);
        if (old !== undefined) row.copySlot(old.row, old.slot, slot);
      });
    }
  }
}

function nanIfEmpty(price: number): number {
  return price > 0 ? price : NaN;
}

function nullIfNaN(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}
