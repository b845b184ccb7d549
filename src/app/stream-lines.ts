import { Books } from '../book/books.js';
import type { FeedEvent, StatusEvent, TickerEvent } from '../book/events.js';
import {
  computeTickerAnalytics,
  emptyTickerAnalytics,
  IvMemory,
} from '../book/ticker-analytics.js';
import type { OptionContract } from '../instruments/types.js';
import { formatGreeksLine } from './greeks-line.js';
import { breakLines, formatGapLine, formatTopLine } from './tops-line.js';

export const STREAM_EMITS = [
  'tops',
  'greeks',
  'status',
  'index',
  'trades',
  'account',
  'instruments',
] as const;
export type StreamEmit = (typeof STREAM_EMITS)[number];

/** A line to print; lines with the same key supersede each other when the reader lags. */
export interface StreamLine {
  readonly key: string | null;
  readonly text: string;
}

/**
 * Turns live feed events into `ivtrade stream` lines. `tops` and `greeks` are exactly the
 * lines `ivtrade replay` prints for the same messages (same books, same analytics), so a
 * live session and the replay of its recording can be compared line for line; the rest are
 * the normalized events with their kind as `type`.
 */
export class StreamLines {
  readonly #emit: ReadonlySet<StreamEmit>;
  readonly #contractOf: (venue: string, instrument: string) => OptionContract | undefined;
  readonly #books = new Books();
  readonly #analytics = emptyTickerAnalytics();
  readonly #ivMemory = new IvMemory();

  constructor(
    emit: Iterable<StreamEmit>,
    contractOf: (venue: string, instrument: string) => OptionContract | undefined,
  ) {
    this.#emit = new Set(emit);
    this.#contractOf = contractOf;
  }

  linesFor(event: FeedEvent): StreamLine[] {
    switch (event.kind) {
      case 'book-snapshot':
      case 'book-delta':
        return this.#emit.has('tops') ? this.#top(event) : [];
      case 'ticker':
        return this.#emit.has('greeks') ? this.#greeks(event) : [];
      case 'status': {
        const breaks = this.#emit.has('tops') ? this.#breaks(event) : [];
        return this.#emit.has('status') ? [...breaks, typed(event, null)] : breaks;
      }
      case 'index':
        return this.#emit.has('index') ? [typed(event, `index:${event.venue}:${event.base}`)] : [];
      case 'volatility-index':
        return this.#emit.has('index') ? [typed(event, `vol:${event.venue}:${event.base}`)] : [];
      case 'trade':
        return this.#emit.has('trades') ? [typed(event, null)] : [];
      case 'instrument-added':
      case 'instrument-removed':
        return this.#emit.has('instruments') ? [typed(event, null)] : [];
      case 'order':
      case 'fill':
      case 'position':
      case 'balance':
      case 'account-snapshot':
        return this.#emit.has('account') ? [typed(event, null)] : [];
    }
  }

  #top(event: FeedEvent & { kind: 'book-snapshot' | 'book-delta' }): StreamLine[] {
    const book = this.#books.bookFor(event.venue, event.instrument);
    switch (book.apply(event)) {
      case 'top':
        return [{ key: `top:${event.venue}:${event.instrument}`, text: formatTopLine(book) }];
      case 'gap':
        return [{ key: null, text: formatGapLine(book.resyncRequest()!) }];
      default:
        return [];
    }
  }

  /** A book the feed says is broken though no update showed it: a gap line, then silence. */
  #breaks(status: StatusEvent): StreamLine[] {
    if (status.status !== 'gap' || status.instruments === undefined) return [];
    return breakLines(this.#books, status.venue, status.instruments, status.detail).map((text) => ({
      key: null,
      text,
    }));
  }

  #greeks(ticker: TickerEvent): StreamLine[] {
    const contract = this.#contractOf(ticker.venue, ticker.instrument);
    if (contract === undefined) return [];
    computeTickerAnalytics(ticker, contract, this.#analytics, this.#ivMemory);
    return [
      {
        key: `greeks:${ticker.venue}:${ticker.instrument}`,
        text: formatGreeksLine(ticker, contract, this.#analytics, false),
      },
    ];
  }
}

function typed(event: FeedEvent, key: string | null): StreamLine {
  const { kind, ...rest } = event;
  return { key, text: JSON.stringify({ type: kind, ...rest }) };
}
