// Run by bench/memory.ts in a fresh `node --expose-gc` per measurement:
// `node --expose-gc dist/bench/memory-child.js <mode>` builds one thing, collects garbage and
// prints process.memoryUsage() as one JSON line. A process loads only its own side's modules
// (ivtrade's books, chain and pricing, or tardis-dev's OrderBook), so neither side's RSS
// carries the other's code; `<side>-baseline` loads them and builds nothing.

import type { Books as BooksType } from '../src/book/books.js';
import type { OptionChain as OptionChainType } from '../src/book/option-chain.js';
import type { OptionSpec } from '../src/instruments/types.js';
import { mulberry32 } from './common.js';

const MEMORY_MODES = [
  'ivtrade-baseline',
  'ivtrade-books',
  'ivtrade-chain',
  'peer-baseline',
  'peer-books',
] as const;
export type MemoryMode = (typeof MEMORY_MODES)[number];

export interface MemorySample {
  mode: MemoryMode;
  rss: number;
  heapUsed: number;
  arrayBuffers: number;
  /** Options plus levels held when measured: proof the structures were still alive. */
  held: number;
  options: number;
  levelsPerSide: number;
}

const EXPIRIES = 20;
const STRIKES = 50;
const LEVELS = 20;
const NOW = Date.UTC(2021, 6, 22, 12);
const INDEX = 32_000;
const TICKS_PER_COIN = 2000;
const BOOK_SEED = 0x3e3;

interface Built {
  /** The structures measured; kept reachable until after the measurement. */
  held: unknown;
  count: () => number;
}

function optionSpecs(): OptionSpec[] {
  const specs: OptionSpec[] = [];
  for (let e = 0; e < EXPIRIES; e++) {
    const expiry = Date.UTC(2021, 6, 23 + 7 * e, 8);
    for (let k = 0; k < STRIKES; k++) {
      const strike = 10_000 + 1_000 * k;
      for (const type of ['call', 'put'] as const) {
        specs.push({
          kind: 'option',
          name: `BTC-W${e}-${strike}-${type === 'call' ? 'C' : 'P'}`,
          base: 'BTC',
          quote: 'BTC',
          settlement: 'inverse',
          settleCurrency: 'BTC',
          expiry,
          strike,
          type,
          tickSize: 0.0005,
          tickSteps: [],
          lotSize: 0.1,
          minSize: 0.1,
          contractSize: 1,
          sizeUnit: 'base',
        });
      }
    }
  }
  return specs;
}

/** 20 levels a side, 1–3 ticks apart, best first as venues send them. */
function bookLevels(rnd: () => number): { bids: number[]; asks: number[] } {
  const bestBid = 61 + Math.floor(rnd() * 800);
  const bids: number[] = [];
  const asks: number[] = [];
  for (let n = 0, t = bestBid; n < LEVELS; n++, t -= 1 + Math.floor(rnd() * 3)) {
    bids.push(t / TICKS_PER_COIN, Math.round(1 + rnd() * 999) / 10);
  }
  for (let n = 0, t = bestBid + 1 + Math.floor(rnd() * 6); n < LEVELS; n++) {
    asks.push(t / TICKS_PER_COIN, Math.round(1 + rnd() * 999) / 10);
    t += 1 + Math.floor(rnd() * 3);
  }
  return { bids, asks };
}

async function buildOurs(mode: MemoryMode): Promise<Built> {
  const { Books } = await import('../src/book/books.js');
  const { OptionChain } = await import('../src/book/option-chain.js');
  const { black76Price, yearFraction } = await import('../src/pricing/index.js');

  const books = (names: readonly string[]): BooksType => {
    const rnd = mulberry32(BOOK_SEED);
    const all = new Books();
    names.forEach((instrument, i) => {
      const { bids, asks } = bookLevels(rnd);
      all.apply({
        kind: 'book-snapshot',
        venue: 'deribit',
        instrument,
        ts: NOW,
        sequence: i,
        bids,
        asks,
      });
    });
    return all;
  };
  const levels = (all: BooksType): number => {
    let n = 0;
    for (const book of all.all()) n += book.bids.count + book.asks.count;
    return n;
  };
  // A venue-like ticker per option: Black-76 on a smile, in coin, on ticks, with its forward.
  const quote = (chain: OptionChainType, specs: readonly OptionSpec[]): void => {
    for (const spec of specs) {
      const forward = INDEX * (1 + 0.002 * ((spec.expiry - NOW) / 604_800_000));
      const years = yearFraction(NOW, spec.expiry);
      const sigma = 0.6 + 0.3 * Math.abs(Math.log(spec.strike / forward));
      const coin = black76Price(forward, spec.strike, years, sigma, spec.type) / forward;
      const mark = Math.max(1, Math.round(coin * TICKS_PER_COIN));
      chain.applyTicker({
        kind: 'ticker',
        venue: 'deribit',
        instrument: spec.name,
        ts: NOW,
        bid: mark > 1 ? (mark - 1) / TICKS_PER_COIN : null,
        bidSize: mark > 1 ? 10 : null,
        ask: (mark + 1) / TICKS_PER_COIN,
        askSize: 12.5,
        mark: mark / TICKS_PER_COIN,
        index: INDEX,
        forward,
        venueIv: { bid: null, ask: null, mark: null },
        venueGreeks: null,
      });
    }
    chain.settle(NOW);
  };

  if (mode === 'ivtrade-books') {
    const all = books(optionSpecs().map((spec) => spec.name));
    return { held: all, count: () => levels(all) };
  }
  if (mode === 'ivtrade-chain') {
    const specs = optionSpecs();
    const chain = new OptionChain('deribit', 'BTC', 'BTC', specs);
    quote(chain, specs);
    const all = books(specs.map((spec) => spec.name));
    return { held: { chain, all }, count: () => chain.options.length + levels(all) };
  }
  return { held: null, count: () => 0 };
}

async function buildPeer(mode: MemoryMode): Promise<Built> {
  // The package index also loads its HTTP and WebSocket clients (~20 MB RSS); the book alone
  // is the peer.
  const { OrderBook } = await import('tardis-dev/dist/orderbook.js');
  if (mode !== 'peer-books') return { held: null, count: () => 0 };
  const rnd = mulberry32(BOOK_SEED);
  const books = new Map<string, InstanceType<typeof OrderBook>>();
  const levels = (pairs: number[]): { price: number; amount: number }[] =>
    Array.from({ length: pairs.length >> 1 }, (_, j) => ({
      price: pairs[2 * j]!,
      amount: pairs[2 * j + 1]!,
    }));
  for (const spec of optionSpecs()) {
    const { bids, asks } = bookLevels(rnd);
    const book = new OrderBook();
    book.update({
      type: 'book_change',
      symbol: spec.name,
      exchange: 'deribit',
      isSnapshot: true,
      bids: levels(bids),
      asks: levels(asks),
      timestamp: new Date(NOW),
      localTimestamp: new Date(NOW),
    });
    books.set(spec.name, book);
  }
  const count = (): number => {
    let n = 0;
    for (const book of books.values()) n += [...book.bids()].length + [...book.asks()].length;
    return n;
  };
  return { held: books, count };
}

function isMode(value: string | undefined): value is MemoryMode {
  return (MEMORY_MODES as readonly (string | undefined)[]).includes(value);
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  if (!isMode(mode)) throw new Error(`usage: memory-child.js <${MEMORY_MODES.join('|')}>`);
  const collect = globalThis.gc;
  if (collect === undefined) throw new Error('memory-child.js needs node --expose-gc');
  const built = mode.startsWith('peer-') ? await buildPeer(mode) : await buildOurs(mode);
  // Several passes: one full GC can leave garbage that only the next one frees.
  for (let i = 0; i < 4; i++) collect();
  const usage = process.memoryUsage();
  const sample: MemorySample = {
    mode,
    rss: usage.rss,
    heapUsed: usage.heapUsed,
    arrayBuffers: usage.arrayBuffers,
    held: built.count(),
    options: EXPIRIES * STRIKES * 2,
    levelsPerSide: LEVELS,
  };
  process.stdout.write(`${JSON.stringify(sample)}\n`);
}

await main();
