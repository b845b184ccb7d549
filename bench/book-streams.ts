// The order-book streams both contenders are fed: every message exists twice, once as
// ivtrade's BookEvent (flat level pairs) and once as the tardis-dev book_change it would be
// (level objects, Date timestamps), all built before anything is timed.

import type { BookChange as PeerBookChange, BookPriceLevel } from 'tardis-dev';
import type { BookEvent, LevelPairs } from '../src/book/events.js';
import { deribitBookFromMessage } from '../src/feeds/deribit/book.js';
import { readJsonLines, recordedMessage } from '../test/support/fixtures.js';
import { logUniform, mulberry32 } from './common.js';

export interface BookStream {
  ours: readonly BookEvent[];
  peer: readonly PeerBookChange[];
  /** Times the messages are replayed per timed run; each pass starts with every snapshot. */
  loops: number;
  instruments: readonly string[];
  /** Level changes in one pass, snapshot levels included. */
  levels: number;
}

export interface SyntheticStats {
  snapshotLevels: number;
  deltaMessages: number;
  deltaLevels: number;
  /** Levels per side, averaged over every side after every delta. */
  meanLevelsPerSide: number;
  minLevelsPerSide: number;
  maxLevelsPerSide: number;
  /** Share of delta level changes at the best level or inside the spread. */
  atTop: number;
  /** Share at most 2 levels below the best (the top included). */
  nearTop: number;
}

const VENUE = 'deribit';
/** Deribit's option tick below 0.005 coin; used throughout so every price is a tick. */
const TICKS_PER_COIN = 2000;
/** 0.5 coin: a deep in-the-money inverse option. */
const MAX_TICK = 1000;
const MIN_LEVELS = 10;
const MAX_LEVELS = 50;
const START_TS = Date.UTC(2021, 6, 22, 22, 42);

// ——— Synthetic stream ———

/**
 * One side of the generator's own book, best first. Keys are signed ticks (bids +tick,
 * asks −tick) so that "better" is "greater" on both sides and one code path serves both.
 */
interface ModelSide {
  readonly sign: 1 | -1;
  readonly keys: number[];
  readonly sizes: number[];
}

interface ModelBook {
  readonly name: string;
  readonly sides: readonly [ModelSide, ModelSide];
  sequence: number;
}

const priceOf = (key: number, sign: 1 | -1): number => (sign * key) / TICKS_PER_COIN;

/**
 * 1,000 option books with 10–50 levels a side, then `messages` deltas of 1–4 level changes
 * shaped like an option market: half are size changes, mostly at the best three levels;
 * a quarter new levels (inside the spread, just below the top, or deep); a quarter deletes,
 * mostly of the top or near-top levels. Busy instruments get most messages, as near-the-money
 * options do. Books never cross and every side stays within 10–50 levels.
 */
export function syntheticStream(
  instruments: number,
  messages: number,
  seed: number,
): { stream: BookStream; stats: SyntheticStats } {
  const rnd = mulberry32(seed);
  const size = (): number => Math.round(logUniform(rnd(), 1, 2000)) / 10;
  const ours: BookEvent[] = [];
  const peer: PeerBookChange[] = [];
  const books: ModelBook[] = [];
  let ts = START_TS;
  let snapshotLevels = 0;

  for (let i = 0; i < instruments; i++) {
    const depthBid = MIN_LEVELS + Math.floor(rnd() * (MAX_LEVELS - MIN_LEVELS + 1));
    const depthAsk = MIN_LEVELS + Math.floor(rnd() * (MAX_LEVELS - MIN_LEVELS + 1));
    const spread = 1 + Math.floor(rnd() * 8);
    // Gaps between levels are 1–3 ticks, so 3 ticks a level always fits in 1..MAX_TICK.
    const lo = 3 * depthBid + 1;
    const hi = MAX_TICK - spread - 3 * depthAsk;
    const bestBid = Math.round(logUniform(rnd(), lo, hi));
    const bid: ModelSide = { sign: 1, keys: [], sizes: [] };
    const ask: ModelSide = { sign: -1, keys: [], sizes: [] };
    for (let t = bestBid, n = 0; n < depthBid; n++, t -= 1 + Math.floor(rnd() * 3)) {
      bid.keys.push(t);
      bid.sizes.push(size());
    }
    for (let t = bestBid + spread, n = 0; n < depthAsk; n++, t += 1 + Math.floor(rnd() * 3)) {
      ask.keys.push(-t);
      ask.sizes.push(size());
    }
    const book: ModelBook = {
      name: `BTC-${expiryLabel(i)}-${(i % 50) * 1000 + 20_000}-${i % 2 === 0 ? 'C' : 'P'}`,
      sides: [bid, ask],
      sequence: 1_000_000 + i * 7919,
    };
    books.push(book);
    ts += 1;
    const bids = flatSide(bid);
    const asks = flatSide(ask);
    snapshotLevels += (bids.length + asks.length) >> 1;
    ours.push({
      kind: 'book-snapshot',
      venue: VENUE,
      instrument: book.name,
      ts,
      sequence: book.sequence,
      bids,
      asks,
    });
    peer.push(peerChange(book.name, true, bids, asks, ts));
  }

  let deltaLevels = 0;
  let atTop = 0;
  let nearTop = 0;
  let sideSamples = 0;
  let sideLevelSum = 0;
  let minSide = Infinity;
  let maxSide = 0;
  const changes: [number[], number[]] = [[], []];
  for (let m = 0; m < messages; m++) {
    // u² puts most traffic on a few books, the way near-the-money options dominate a feed.
    const book = books[Math.floor(instruments * rnd() * rnd())]!;
    const u = rnd();
    const count = u < 0.4 ? 1 : u < 0.7 ? 2 : u < 0.9 ? 3 : 4;
    changes[0].length = 0;
    changes[1].length = 0;
    for (let c = 0; c < count; c++) {
      const s = rnd() < 0.5 ? 0 : 1;
      const [side, other] = s === 0 ? book.sides : [book.sides[1], book.sides[0]];
      const depth = changeLevel(side, other, rnd, size, changes[s]);
      if (depth <= 0) atTop++;
      if (depth <= 2) nearTop++;
      deltaLevels++;
    }
    for (const side of book.sides) {
      const n = side.keys.length;
      sideLevelSum += n;
      sideSamples++;
      if (n < minSide) minSide = n;
      if (n > maxSide) maxSide = n;
    }
    ts += 1;
    const prevSequence = book.sequence;
    book.sequence += 1 + Math.floor(rnd() * 4);
    const bids = [...changes[0]];
    const asks = [...changes[1]];
    ours.push({
      kind: 'book-delta',
      venue: VENUE,
      instrument: book.name,
      ts,
      sequence: book.sequence,
      prevSequence,
      bids,
      asks,
    });
    peer.push(peerChange(book.name, false, bids, asks, ts));
  }

  return {
    stream: {
      ours,
      peer,
      loops: 1,
      instruments: books.map((b) => b.name),
      levels: snapshotLevels + deltaLevels,
    },
    stats: {
      snapshotLevels,
      deltaMessages: messages,
      deltaLevels,
      meanLevelsPerSide: sideLevelSum / sideSamples,
      minLevelsPerSide: minSide,
      maxLevelsPerSide: maxSide,
      atTop: atTop / deltaLevels,
      nearTop: nearTop / deltaLevels,
    },
  };
}

/** Distinct, plausible names; 20 weekly expiries. */
function expiryLabel(i: number): string {
  const d = new Date(START_TS + (1 + Math.floor(i / 50)) * 7 * 86_400_000);
  const month = [
    'JAN',
    'FEB',
    'MAR',
    'APR',
    'MAY',
    'JUN',
    'JUL',
    'AUG',
    'SEP',
    'OCT',
    'NOV',
    'DEC',
  ];
  return `${d.getUTCDate()}${month[d.getUTCMonth()]!}${String(d.getUTCFullYear()).slice(2)}`;
}

function flatSide(side: ModelSide): number[] {
  const out: number[] = [];
  for (let i = 0; i < side.keys.length; i++)
    out.push(priceOf(side.keys[i]!, side.sign), side.sizes[i]!);
  return out;
}

/** Depth 0 with 45 %, 1 with 25 %, 2 with 15 %, else anywhere deeper. */
function pickDepth(rnd: () => number, count: number): number {
  const u = rnd();
  const depth = u < 0.45 ? 0 : u < 0.7 ? 1 : u < 0.85 ? 2 : 3 + Math.floor(rnd() * (count - 3));
  return Math.min(depth, count - 1);
}

/**
 * Applies one random change to the model side and appends it to `out` as a (price, size)
 * pair. Returns the depth it happened at: −1 for a new level inside the spread.
 */
function changeLevel(
  side: ModelSide,
  other: ModelSide,
  rnd: () => number,
  size: () => number,
  out: number[],
): number {
  const { keys, sizes, sign } = side;
  const u = rnd();
  let action: 'size' | 'insert' | 'delete' = u < 0.5 ? 'size' : u < 0.75 ? 'insert' : 'delete';
  if (action === 'insert' && keys.length >= MAX_LEVELS) action = 'delete';
  else if (action === 'delete' && keys.length <= MIN_LEVELS) action = 'insert';

  if (action === 'insert') {
    // Keys must stay below the other side's best (uncrossed) and on a listed tick.
    const best = keys[0]!;
    const maxKey = -other.keys[0]! - 1;
    const minKey = sign === 1 ? 1 : -MAX_TICK;
    const v = rnd();
    let key = NaN;
    if (v < 0.35 && best < maxKey) {
      key = best + 1 + Math.floor(rnd() * Math.min(3, maxKey - best));
    } else {
      const near = v < 0.8;
      const lo = Math.max(minKey, near ? best - 6 : keys[keys.length - 1]! - 3);
      for (let tries = 0; tries < 8 && Number.isNaN(key); tries++) {
        const k = best - 1 - Math.floor(rnd() * (best - lo));
        if (k >= lo && !keys.includes(k)) key = k;
      }
    }
    if (!Number.isNaN(key)) {
      let at = 0;
      while (at < keys.length && keys[at]! > key) at++;
      const s = size();
      keys.splice(at, 0, key);
      sizes.splice(at, 0, s);
      out.push(priceOf(key, sign), s);
      return at === 0 ? -1 : at;
    }
    action = 'size';
  }
  const depth = pickDepth(rnd, keys.length);
  const price = priceOf(keys[depth]!, sign);
  if (action === 'delete') {
    keys.splice(depth, 1);
    sizes.splice(depth, 1);
    out.push(price, 0);
  } else {
    const s = size();
    sizes[depth] = s;
    out.push(price, s);
  }
  return depth;
}

// ——— Replayed capture ———

/**
 * The 46 book messages of the 2021-07-22 Deribit capture (10 options): each instrument's
 * first message is its snapshot, so replaying the list again resets every book and the
 * change ids chain again, for ivtrade's sequence check as on the first pass.
 */
export function captureStream(loops: number): BookStream {
  const ours: BookEvent[] = [];
  const peer: PeerBookChange[] = [];
  const instruments = new Set<string>();
  let levels = 0;
  for (const { value } of readJsonLines('deribit', 'ws-capture-2021-07-22.jsonl')) {
    const event = deribitBookFromMessage(recordedMessage(value));
    if (event === null) continue;
    const localTs = (value as { localTs: number }).localTs;
    instruments.add(event.instrument);
    levels += (event.bids.length + event.asks.length) >> 1;
    ours.push(event);
    peer.push(
      peerChange(
        event.instrument,
        event.kind === 'book-snapshot',
        event.bids,
        event.asks,
        event.ts,
        localTs,
      ),
    );
  }
  return { ours, peer, loops, instruments: [...instruments], levels };
}

// ——— tardis-dev's shape ———

function peerLevels(pairs: LevelPairs): BookPriceLevel[] {
  const out: BookPriceLevel[] = [];
  for (let i = 0; i + 1 < pairs.length; i += 2)
    out.push({ price: pairs[i]!, amount: pairs[i + 1]! });
  return out;
}

function peerChange(
  symbol: string,
  isSnapshot: boolean,
  bids: LevelPairs,
  asks: LevelPairs,
  ts: number,
  localTs = ts + 3,
): PeerBookChange {
  return {
    type: 'book_change',
    symbol,
    exchange: VENUE,
    isSnapshot,
    bids: peerLevels(bids),
    asks: peerLevels(asks),
    timestamp: new Date(ts),
    localTimestamp: new Date(localTs),
  };
}
