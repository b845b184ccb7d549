import type { BookEvent } from './events.js';
import { OrderBook, type BookChange } from './order-book.js';

/**
 * Every L2 book a process holds, by venue then instrument. Two map lookups per update, and no
 * composite key string built per message.
 */
export class Books {
  readonly #byVenue = new Map<string, Map<string, OrderBook>>();

  /** The book for an instrument, created (awaiting its snapshot) on first use. */
  bookFor(venue: string, instrument: string): OrderBook {
    let byInstrument = this.#byVenue.get(venue);
    if (byInstrument === undefined) {
      byInstrument = new Map();
      this.#byVenue.set(venue, byInstrument);
    }
    let book = byInstrument.get(instrument);
    if (book === undefined) {
      book = new OrderBook(venue, instrument);
      byInstrument.set(instrument, book);
    }
    return book;
  }

  get(venue: string, instrument: string): OrderBook | undefined {
    return this.#byVenue.get(venue)?.get(instrument);
  }

  apply(event: BookEvent): BookChange {
    return this.bookFor(event.venue, event.instrument).apply(event);
  }

  /** An instrument expired or was delisted. */
  remove(venue: string, instrument: string): void {
    this.#byVenue.get(venue)?.delete(instrument);
  }

  /** A venue's connection dropped: all its books are stale until their snapshots return. */
  markVenueStale(venue: string): void {
    for (const book of this.#byVenue.get(venue)?.values() ?? []) book.markStale();
  }

  *all(): IterableIterator<OrderBook> {
    for (const byInstrument of this.#byVenue.values()) yield* byInstrument.values();
  }
}
