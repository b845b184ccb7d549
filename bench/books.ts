// Order books: level updates per second for ivtrade's Books against tardis-dev's OrderBook,
// fed the same changes, after a pass that proves both end up with the same tops.

// The package index also loads its HTTP and WebSocket clients; the book alone is the peer.
import { OrderBook as PeerOrderBook } from 'tardis-dev/dist/orderbook.js';
import type { BookChange as PeerBookChange } from 'tardis-dev';
import { Books } from '../src/book/books.js';
import type { BookEvent } from '../src/book/events.js';
import type { OrderBook } from '../src/book/order-book.js';
import { PEER_BOOK, type Row } from './common.js';
import { captureStream, syntheticStream, type BookStream } from './book-streams.js';
import { race } from './timing.js';

export interface BooksConfig {
  reps: number;
  instruments: number;
  /** Deltas in the synthetic stream, after one snapshot per instrument. */
  messages: number;
  /** Passes over the 46 captured messages per timed run. */
  captureLoops: number;
}

export interface BooksResult {
  rows: Row[];
  notes: string[];
  sink: number;
}

const SYNTHETIC_SEED = 0xb00c;

/** Thrown when the two books disagree: the timings would compare different work. */
export class BookMismatchError extends Error {
  override name = 'BookMismatchError';
}

function newPeerBooks(stream: BookStream): Map<string, PeerOrderBook> {
  return new Map(stream.instruments.map((name) => [name, new PeerOrderBook()]));
}

// One function per contender keeps each loop monomorphic. ivtrade goes through Books.apply,
// the path a feed takes (venue, then instrument lookup); tardis-dev gets one Map lookup.

function runOurs(books: Books, events: readonly BookEvent[], loops: number): number {
  let tops = 0;
  for (let l = 0; l < loops; l++) {
    for (let i = 0; i < events.length; i++) if (books.apply(events[i]!) === 'top') tops++;
  }
  return tops;
}

function runPeer(
  books: Map<string, PeerOrderBook>,
  changes: readonly PeerBookChange[],
  loops: number,
): number {
  for (let l = 0; l < loops; l++) {
    for (let i = 0; i < changes.length; i++) {
      const change = changes[i]!;
      books.get(change.symbol)!.update(change);
    }
  }
  return loops * changes.length;
}

// NaN is an empty side on ivtrade's book; undefined on tardis-dev's.
function same(ours: number, theirs: number | undefined): boolean {
  return theirs === undefined ? Number.isNaN(ours) : ours === theirs;
}

function describeTops(book: OrderBook, peer: PeerOrderBook): string {
  const b = peer.bestBid();
  const a = peer.bestAsk();
  return (
    `ivtrade ${book.bids.bestSize}@${book.bids.bestPrice} / ${book.asks.bestSize}@${book.asks.bestPrice}, ` +
    `tardis-dev ${b?.amount}@${b?.price} / ${a?.amount}@${a?.price}`
  );
}

/**
 * Applies every message (two passes, so the replay's restart is checked too) to both and
 * compares best bid and ask, price and size, after each; then every level of every book.
 */
function verify(what: string, stream: BookStream): void {
  const books = new Books();
  const peers = newPeerBooks(stream);
  const passes = Math.min(2, stream.loops + 1);
  for (let pass = 0; pass < passes; pass++) {
    for (let i = 0; i < stream.ours.length; i++) {
      const event = stream.ours[i]!;
      const change = books.apply(event);
      const book = books.get(event.venue, event.instrument)!;
      if (change === 'gap' || change === 'ignored' || book.state !== 'live') {
        throw new BookMismatchError(
          `${what}: message ${i} (${event.instrument}) left ivtrade's book ${book.state} (${change})`,
        );
      }
      const peer = peers.get(event.instrument)!;
      peer.update(stream.peer[i]!);
      const bid = peer.bestBid();
      const ask = peer.bestAsk();
      if (
        !same(book.bids.bestPrice, bid?.price) ||
        !same(book.bids.bestSize, bid?.amount) ||
        !same(book.asks.bestPrice, ask?.price) ||
        !same(book.asks.bestSize, ask?.amount)
      ) {
        throw new BookMismatchError(
          `${what}: tops differ after message ${i} of pass ${pass} (${event.instrument}): ` +
            describeTops(book, peer),
        );
      }
    }
  }
  for (const [name, peer] of peers) {
    const book = books.get('deribit', name);
    const ours = book === undefined ? { bids: [], asks: [] } : book.depth(Infinity);
    const theirs = {
      bids: [...peer.bids()].map((l) => [l.price, l.amount]),
      asks: [...peer.asks()].map((l) => [l.price, l.amount]),
    };
    if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
      throw new BookMismatchError(`${what}: ${name}'s levels differ after the last message`);
    }
  }
}

function timeStream(
  stream: BookStream,
  reps: number,
  sink: { v: number },
): { ours: number; peer: number } {
  const books = new Books();
  const peers = newPeerBooks(stream);
  const levels = stream.levels * stream.loops;
  const [ours, peer] = race(
    [
      { run: () => runOurs(books, stream.ours, stream.loops), ops: levels },
      { run: () => runPeer(peers, stream.peer, stream.loops), ops: levels },
    ],
    reps,
    sink,
  ) as [number, number];
  return { ours, peer };
}

function streamRows(
  label: string,
  stream: BookStream,
  perSecond: { ours: number; peer: number },
): Row[] {
  const messagesPerLevel = stream.ours.length / stream.levels;
  return [
    {
      bench: 'books',
      metric: `${label}: level updates/s`,
      better: 'higher',
      unit: 'ops/s',
      ivtrade: perSecond.ours,
      peer: PEER_BOOK,
      peerValue: perSecond.peer,
      target: { on: 'ratio', op: '>=', value: 2 },
    },
    {
      bench: 'books',
      metric: `${label}: messages/s`,
      better: 'higher',
      unit: 'ops/s',
      ivtrade: perSecond.ours * messagesPerLevel,
      peer: PEER_BOOK,
      peerValue: perSecond.peer * messagesPerLevel,
    },
  ];
}

export function runBooks(cfg: BooksConfig, log: (s: string) => void): BooksResult {
  const sink = { v: 0 };
  const rows: Row[] = [];
  const notes: string[] = [];

  log(`books: generating ${cfg.instruments} books and ${cfg.messages} deltas`);
  const { stream: synthetic, stats } = syntheticStream(
    cfg.instruments,
    cfg.messages,
    SYNTHETIC_SEED,
  );
  log('books: verifying tops after every synthetic message');
  verify('synthetic stream', synthetic);
  log(`books: timing the synthetic stream, ${synthetic.levels} level changes a run`);
  rows.push(...streamRows('synthetic', synthetic, timeStream(synthetic, cfg.reps, sink)));
  notes.push(
    `books synthetic: ${cfg.instruments} option books (tick 0.0005, prices 0.0005–0.5), ` +
      `snapshots of 10–50 levels a side (${stats.snapshotLevels} levels), then ` +
      `${stats.deltaMessages} deltas with ${stats.deltaLevels} level changes ` +
      `(${pct(stats.atTop)} at the best level or inside the spread, ${pct(stats.nearTop)} ` +
      `within 3 levels of the top); levels per side ${stats.minLevelsPerSide}–` +
      `${stats.maxLevelsPerSide}, mean ${stats.meanLevelsPerSide.toFixed(1)}. ` +
      'Tops (price and size) identical after every message, and every level at the end.',
  );

  const capture = captureStream(cfg.captureLoops);
  log(`books: verifying the capture replay (${capture.ours.length} messages)`);
  verify('capture replay', capture);
  log(`books: timing ${cfg.captureLoops} replays of the capture`);
  rows.push(...streamRows('capture replay', capture, timeStream(capture, cfg.reps, sink)));
  const snapshots = capture.ours.filter((e) => e.kind === 'book-snapshot');
  const snapshotLevels = snapshots.reduce((n, e) => n + ((e.bids.length + e.asks.length) >> 1), 0);
  notes.push(
    `books capture: the ${capture.ours.length} Deribit book messages of ` +
      `ws-capture-2021-07-22.jsonl (${capture.instruments.length} options; ${snapshots.length} ` +
      `snapshots with ${snapshotLevels} of the ${capture.levels} levels), replayed ` +
      `${cfg.captureLoops}× per run, each pass starting from the snapshots; tops identical after ` +
      'every message. Level updates count snapshot levels too.',
  );
  notes.push(
    `books: ivtrade through Books.apply (venue and instrument lookups); ${PEER_BOOK} ` +
      'OrderBook.update after one Map lookup, default options (no crossed-level removal).',
  );
  return { rows, notes, sink: sink.v };
}

function pct(x: number): string {
  return `${(100 * x).toFixed(0)} %`;
}
