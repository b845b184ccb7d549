import type { BookEvent, TickerEvent } from '../book/events.js';
import { bybitBookFromMessage } from '../feeds/bybit/book.js';
import { parseBybitOptionName } from '../feeds/bybit/instrument-name.js';
import { BybitTickerMerger } from '../feeds/bybit/ticker.js';
import { deribitBookFromMessage } from '../feeds/deribit/book.js';
import { parseDeribitOptionName } from '../feeds/deribit/instrument-name.js';
import { deribitTickerFromMessage } from '../feeds/deribit/ticker.js';
import { isRecord } from '../feeds/wire-fields.js';
import type { OptionContract } from '../instruments/types.js';

/** What replay needs from a venue: its ticker and book mappings and its instrument names. */
export interface ReplayVenue {
  tickerFrom(message: unknown): TickerEvent | null;
  bookFrom(message: unknown): BookEvent | null;
  contractOf(instrument: string): OptionContract;
}

/**
 * The venues a recording may contain, told apart by envelope shape: Deribit speaks
 * JSON-RPC (`jsonrpc`), Bybit publishes on `topic`s. Each replay gets fresh instances
 * because Bybit's ticker stream is stateful.
 */
export class ReplayVenues {
  readonly #deribit: ReplayVenue;
  readonly #bybit: ReplayVenue;

  constructor() {
    const bybitTickers = new BybitTickerMerger();
    this.#deribit = {
      tickerFrom: deribitTickerFromMessage,
      bookFrom: deribitBookFromMessage,
      contractOf: cachedBy(parseDeribitOptionName),
    };
    this.#bybit = {
      tickerFrom: (message) => bybitTickers.accept(message),
      bookFrom: bybitBookFromMessage,
      contractOf: cachedBy(parseBybitOptionName),
    };
  }

  /** The venue by its name (a saved reply says which venue it came from). */
  named(venue: string): ReplayVenue | null {
    if (venue === 'deribit') return this.#deribit;
    if (venue === 'bybit') return this.#bybit;
    return null;
  }

  venueOf(message: unknown): ReplayVenue | null {
    if (!isRecord(message)) return null;
    if ('jsonrpc' in message) return this.#deribit;
    if ('topic' in message) return this.#bybit;
    return null;
  }
}

/**
 * Recordings wrap each venue message as `{localTs, message}` (or carry other notes next to
 * `message`); raw venue messages are taken as they are.
 */
export function unwrapRecorded(line: unknown): unknown {
  if (isRecord(line) && !('jsonrpc' in line) && !('topic' in line) && isRecord(line['message'])) {
    return line['message'];
  }
  return line;
}

// A recording names a handful of instruments thousands of times; parse each name once.
function cachedBy(parse: (name: string) => OptionContract): (name: string) => OptionContract {
  const byName = new Map<string, OptionContract>();
  return (name) => {
    let contract = byName.get(name);
    if (contract === undefined) {
      contract = parse(name);
      byName.set(name, contract);
    }
    return contract;
  };
}
