/**
 * A second opinion on each followed book: the instrument's ticker carries the venue's best bid
 * and ask too. A book whose last change was lost shows no gap (there is no later update to
 * break its sequence chain), but its top then disagrees with the ticker's for as long as the
 * market stays put. A disagreement that outlasts the time the two streams may drift apart marks the
 * book for a resync.
 */
import type { BookEvent, LevelPairs, TickerEvent } from '../../book/events.js';

interface Levels {
  readonly bids: Map<number, number>;
  readonly asks: Map<number, number>;
}

/** The ticker's best levels, overwritten in place (tickers are the busiest stream). */
interface Top {
  bid: number | null;
  bidSize: number | null;
  ask: number | null;
  askSize: number | null;
}

/**
 * Events only record what changed and when; tops are compared when disagreements are
 * collected (the feed's watchdog tick), so the per-message cost is a map update and a
 * comparison runs once per touched book per tick rather than once per message.
 */
export class TopCrossCheck {
  readonly #books = new Map<string, Levels>();
  readonly #tickers = new Map<string, Top>();
  /** Instruments whose book or ticker changed since the last collection, with when. */
  readonly #touched = new Map<string, number>();
  /** When each book was first seen disagreeing with its ticker. */
  readonly #since = new Map<string, number>();

  /** A book event that was applied (its chain is intact). */
  onBook(event: BookEvent, now: number): void {
    let levels = this.#books.get(event.instrument);
    if (levels === undefined || event.kind === 'book-snapshot') {
      levels = { bids: new Map(), asks: new Map() };
      this.#books.set(event.instrument, levels);
    }
    applyPairs(levels.bids, event.bids);
    applyPairs(levels.asks, event.asks);
    this.#touched.set(event.instrument, now);
  }

  onTicker(event: TickerEvent, now: number): void {
    if (!this.#books.has(event.instrument)) return;
    const top = this.#tickers.get(event.instrument);
    if (top === undefined) {
      const { bid, bidSize, ask, askSize } = event;
      this.#tickers.set(event.instrument, { bid, bidSize, ask, askSize });
    } else {
      top.bid = event.bid;
      top.bidSize = event.bidSize;
      top.ask = event.ask;
      top.askSize = event.askSize;
    }
    this.#touched.set(event.instrument, now);
  }

  /** The book's levels can no longer be trusted (a gap, a resubscribe, a new connection). */
  forgetBook(instrument: string): void {
    this.#books.delete(instrument);
    this.#since.delete(instrument);
    this.#touched.delete(instrument);
  }

  /** The instrument is no longer followed here. */
  forget(instrument: string): void {
    this.forgetBook(instrument);
    this.#tickers.delete(instrument);
  }

  /** The ticker's state is gone with its connection. */
  clear(): void {
    this.#books.clear();
    this.#tickers.clear();
    this.#since.clear();
    this.#touched.clear();
  }

  /** Books that have disagreed with their ticker since before `cutoff`; each reported once. */
  takeDisagreeing(cutoff: number): string[] {
    for (const [instrument, changedAt] of this.#touched) this.#compare(instrument, changedAt);
    this.#touched.clear();
    const late: string[] = [];
    for (const [instrument, since] of this.#since) {
      if (since >= cutoff) continue;
      late.push(instrument);
    }
    for (const instrument of late) this.forgetBook(instrument);
    return late;
  }

  /**
   * The state has been as it is since `changedAt`: a disagreement already running keeps its
   * start; a new one is dated from then (the latest it can have begun).
   */
  #compare(instrument: string, changedAt: number): void {
    const ticker = this.#tickers.get(instrument);
    const levels = this.#books.get(instrument);
    if (ticker === undefined || levels === undefined) return;
    if (agrees(levels, ticker)) this.#since.delete(instrument);
    else if (!this.#since.has(instrument)) this.#since.set(instrument, changedAt);
  }
}

function applyPairs(side: Map<number, number>, pairs: LevelPairs): void {
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const price = pairs[i]!;
    const size = pairs[i + 1]!;
    if (size === 0) side.delete(price);
    else side.set(price, size);
  }
}

function agrees(levels: Levels, ticker: Top): boolean {
  return (
    sameLevel(best(levels.bids, 1), levels.bids, ticker.bid, ticker.bidSize) &&
    sameLevel(best(levels.asks, -1), levels.asks, ticker.ask, ticker.askSize)
  );
}

function sameLevel(
  price: number | null,
  side: Map<number, number>,
  tickerPrice: number | null,
  tickerSize: number | null,
): boolean {
  if (price === null || tickerPrice === null) return price === tickerPrice;
  return price === tickerPrice && side.get(price) === tickerSize;
}

/** Best price of a side of at most a few dozen levels: bids highest (1), asks lowest (−1). */
function best(side: Map<number, number>, direction: 1 | -1): number | null {
  let top: number | null = null;
  for (const price of side.keys()) {
    if (top === null || (price - top) * direction > 0) top = price;
  }
  return top;
}
