// Load mode: synthetic orderbook deltas at a set rate across the books clients follow, for
// benchmarks. Each delta restates the book's current top levels, so a client's book stays
// exact while it proves it can keep up; each advances the book's `u` chain like a real update.
// Messages are stitched from pre-serialised pieces; nothing is JSON-encoded per message.

import type { SimExchange } from '../contract.js';
import type { BookStream, MarketStreams } from './market-streams.js';

const TICK_MS = 10;
/** One tick never sends more than this many seconds' worth, however late the timer fires. */
const MAX_CATCH_UP_SEC = 0.1;

export class LoadGenerator {
  private readonly timer: NodeJS.Timeout;
  private last = Date.now();
  private budget = 0;
  private next = 0;
  published = 0;

  constructor(
    private readonly rate: number,
    private readonly streams: MarketStreams,
    private readonly exchange: SimExchange,
  ) {
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const now = Date.now();
    this.budget += (this.rate * Math.min(now - this.last, MAX_CATCH_UP_SEC * 1000)) / 1000;
    this.last = now;
    const books = this.streams.liveBooks();
    if (books.length === 0) {
      this.budget = 0;
      return;
    }
    const ts = String(this.exchange.now());
    while (this.budget >= 1) {
      this.budget -= 1;
      const book = books[this.next++ % books.length]!;
      this.publish(book, ts);
    }
  }

  private publish(book: BookStream, ts: string): void {
    const template = (book.template ??= buildTemplate(book));
    book.u++;
    const seq = String(this.streams.nextSeq());
    const text =
      book.instrument.spec.kind === 'option'
        ? `${template.head}${ts},"type":"delta","id":"${book.topic}-${seq}-${ts}"${template.middle}${book.u},"seq":${seq}${template.tail}${ts}}`
        : `${template.head}${ts}${template.middle}${book.u},"seq":${seq}${template.tail}${ts}}`;
    for (const connection of book.subscribers) connection.send(text, 'book-change');
    this.published++;
  }
}

function buildTemplate(book: BookStream): NonNullable<BookStream['template']> {
  const topic = JSON.stringify(book.topic);
  const levels = `"b":${JSON.stringify(book.bids.slice(0, 1))},"a":${JSON.stringify(book.asks.slice(0, 1))}`;
  const data = `"data":{"s":${JSON.stringify(book.instrument.spec.name)},${levels},"u":`;
  if (book.instrument.spec.kind === 'option') {
    return { head: `{"topic":${topic},"ts":`, middle: `,${data}`, tail: '},"cts":' };
  }
  return { head: `{"topic":${topic},"type":"delta","ts":`, middle: `,${data}`, tail: '},"cts":' };
}
