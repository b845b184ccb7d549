import type { Books } from '../book/books.js';
import type { OrderBook, ResyncRequest } from '../book/order-book.js';

/**
 * `{"venue","instrument","ts","bid","bidSize","ask","askSize"}` for a top-of-book change, with
 * `"crossed":true` appended when the book is crossed (so a reader never takes it as good).
 * Built by hand for a fixed key order and no object per line.
 */
export function formatTopLine(book: OrderBook): string {
  const bid = book.bids.bestPrice;
  const ask = book.asks.bestPrice;
  const line =
    `{"venue":${JSON.stringify(book.venue)},"instrument":${JSON.stringify(book.instrument)}` +
    `,"ts":${book.ts},"bid":${num(bid)},"bidSize":${num(book.bids.bestSize)}` +
    `,"ask":${num(ask)},"askSize":${num(book.asks.bestSize)}`;
  return book.crossed ? `${line},"crossed":true}` : `${line}}`;
}

/**
 * A book broke. `received` is null for a break no update showed (the feed found the top
 * wrong against the ticker, or the connection dropped): `detail` then says which.
 */
export function formatGapLine(
  gap: ResyncRequest | { venue: string; instrument: string; expected: number; received: null },
  detail?: string,
): string {
  const line =
    `{"type":"gap","venue":${JSON.stringify(gap.venue)}` +
    `,"instrument":${JSON.stringify(gap.instrument)}` +
    `,"expected":${num(gap.expected)},"received":${gap.received === null ? 'null' : num(gap.received)}`;
  return detail === undefined ? `${line}}` : `${line},"detail":${JSON.stringify(detail)}}`;
}

/**
 * The feed says these books are broken though no update showed it: each one still live is
 * broken (so nothing more prints for it until its snapshot) and gets a gap line.
 */
export function breakLines(
  books: Books,
  venue: string,
  instruments: readonly string[],
  detail: string | undefined,
): string[] {
  const lines: string[] = [];
  for (const instrument of instruments) {
    const book = books.get(venue, instrument);
    if (book?.state !== 'live') continue;
    const expected = book.sequence;
    book.markStale();
    lines.push(formatGapLine({ venue, instrument, expected, received: null }, detail));
  }
  return lines;
}

function num(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}
