import { BookSide } from './book-side.js';
import type { BookEvent, LevelPairs } from './events.js';

/**
 * `awaiting-snapshot`: nothing to serve yet. `live`: levels are current. `stale`: a sequence
 * gap (or a dropped stream) broke the book; its levels are gone and only a snapshot revives it.
 */
export type BookState = 'awaiting-snapshot' | 'live' | 'stale';

/**
 * What an update did, so a consumer can sleep through the ones that do not concern it:
 * `top` best bid/ask price or size moved (or the book came back to life); `depth` levels
 * below the top may have changed (a snapshot always says at least this); `none` nothing
 * visible changed; `gap` the update did not follow the last one and the book went stale;
 * `ignored` the book is waiting for a snapshot, or the delta was one already applied.
 */
export type BookChange = 'top' | 'depth' | 'none' | 'gap' | 'ignored';

/** What a feed needs to resubscribe (or refetch) one broken book. */
export interface ResyncRequest {
  readonly venue: string;
  readonly instrument: string;
  /** The sequence of the last update applied: what the next one should have followed. */
  readonly expected: number;
  /** The sequence the offending update said it followed. */
  readonly received: number;
}

/** Best bid and ask; null on an empty side. */
export interface TopOfBook {
  bid: number | null;
  bidSize: number | null;
  ask: number | null;
  askSize: number | null;
}

export function emptyTop(): TopOfBook {
  return { bid: null, bidSize: null, ask: null, askSize: null };
}

/**
 * One instrument's L2 book with the venue's sequence rule: a delta must name the sequence of
 * the update applied before it. Anything else is a gap: the book clears itself (so nothing
 * stale can be read from it), remembers what it expected and what came, and ignores deltas
 * until a snapshot arrives. No allocation per update: levels live in typed arrays and the
 * change is reported as a constant.
 */
export class OrderBook {
  readonly bids = new BookSide(1);
  readonly asks = new BookSide(-1);
  #state: BookState = 'awaiting-snapshot';
  #sequence = NaN;
  #ts = NaN;
  #gapExpected = NaN;
  #gapReceived = NaN;
  /** The top as last reported: [bid, bidSize, ask, askSize], NaN for an empty side. */
  readonly #reportedTop = new Float64Array(4);

  constructor(
    readonly venue: string,
    readonly instrument: string,
  ) {}

  get state(): BookState {
    return this.#state;
  }

  /** Sequence of the last update applied; NaN before the first snapshot. */
  get sequence(): number {
    return this.#sequence;
  }

  /** Venue timestamp of the last update applied. */
  get ts(): number {
    return this.#ts;
  }

  /** Best bid at or above best ask: the venue's book or ours is wrong; never trade off it. */
  get crossed(): boolean {
    return this.bids.count > 0 && this.asks.count > 0 && this.bids.bestPrice >= this.asks.bestPrice;
  }

  /** Live and not crossed: the only state in which the top may be used as a price. */
  get good(): boolean {
    return this.#state === 'live' && !this.crossed;
  }

  apply(event: BookEvent): BookChange {
    return event.kind === 'book-snapshot'
      ? this.applySnapshot(event.sequence, event.ts, event.bids, event.asks)
      : this.applyDelta(event.prevSequence, event.sequence, event.ts, event.bids, event.asks);
  }

  applySnapshot(sequence: number, ts: number, bids: LevelPairs, asks: LevelPairs): BookChange {
    const wasLive = this.#state === 'live';
    this.bids.load(bids);
    this.asks.load(asks);
    this.#state = 'live';
    this.#sequence = sequence;
    this.#ts = ts;
    this.#gapExpected = this.#gapReceived = NaN;
    if (wasLive && this.#topUnchanged()) return 'depth';
    this.#rememberTop();
    return 'top';
  }

  applyDelta(
    prevSequence: number,
    sequence: number,
    ts: number,
    bids: LevelPairs,
    asks: LevelPairs,
  ): BookChange {
    if (this.#state !== 'live') return 'ignored';
    // Sequences only grow: one already applied is a redelivery (a reconnect's overlap, a
    // duplicated frame), harmless to skip, not a break.
    if (sequence <= this.#sequence) return 'ignored';
    if (prevSequence !== this.#sequence) {
      this.#gapExpected = this.#sequence;
      this.#gapReceived = prevSequence;
      this.#breakBook();
      return 'gap';
    }
    const bidTouches = this.bids.topTouches;
    const askTouches = this.asks.topTouches;
    this.bids.applyPairs(bids);
    this.asks.applyPairs(asks);
    this.#sequence = sequence;
    this.#ts = ts;
    // Most updates never reach the best level: then the top cannot have moved.
    if (bidTouches === this.bids.topTouches && askTouches === this.asks.topTouches) {
      return bids.length + asks.length > 0 ? 'depth' : 'none';
    }
    if (this.#topUnchanged()) return 'depth';
    this.#rememberTop();
    return 'top';
  }

  /**
   * The stream behind this book stopped (disconnect, watchdog): its levels can no longer be
   * trusted. Unlike a gap there is no sequence to report; the feed resubscribes anyway.
   */
  markStale(): void {
    this.#breakBook();
  }

  /** The resync request for the last gap; null if the book is not stale from a gap. */
  resyncRequest(): ResyncRequest | null {
    if (this.#state !== 'stale' || Number.isNaN(this.#gapExpected)) return null;
    return {
      venue: this.venue,
      instrument: this.instrument,
      expected: this.#gapExpected,
      received: this.#gapReceived,
    };
  }

  /** Fills `into` with the best bid and ask (null sides when empty or not live). */
  readTop(into: TopOfBook): TopOfBook {
    into.bid = nullIfNaN(this.bids.bestPrice);
    into.bidSize = into.bid === null ? null : this.bids.bestSize;
    into.ask = nullIfNaN(this.asks.bestPrice);
    into.askSize = into.ask === null ? null : this.asks.bestSize;
    return into;
  }

  /** The first `levels` levels of each side, best first (allocates: for display, not hot paths). */
  depth(levels: number): { bids: [number, number][]; asks: [number, number][] } {
    return { bids: sideLevels(this.bids, levels), asks: sideLevels(this.asks, levels) };
  }

  #rememberTop(): void {
    this.bids.copyTop(this.#reportedTop, 0);
    this.asks.copyTop(this.#reportedTop, 2);
  }

  #topUnchanged(): boolean {
    return this.bids.topEquals(this.#reportedTop, 0) && this.asks.topEquals(this.#reportedTop, 2);
  }

  #breakBook(): void {
    this.#state = 'stale';
    this.bids.clear();
    this.asks.clear();
  }
}

function sideLevels(side: BookSide, levels: number): [number, number][] {
  const result: [number, number][] = [];
  const n = Math.min(levels, side.count);
  for (let depth = 0; depth < n; depth += 1) result.push([side.priceAt(depth), side.sizeAt(depth)]);
  return result;
}

function nullIfNaN(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}
