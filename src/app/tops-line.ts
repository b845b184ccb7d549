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

export function formatGapLine(gap: ResyncRequest): string {
  return (
    `{"type":"gap","venue":${JSON.stringify(gap.venue)}` +
    `,"instrument":${JSON.stringify(gap.instrument)}` +
    `,"expected":${gap.expected},"received":${gap.received}}`
  );
}

function num(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}
