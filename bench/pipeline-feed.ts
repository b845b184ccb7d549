// The per-frame path of a live Deribit feed, minus the socket, in the order DeribitFeed and
// MarketEngine take it: JSON.parse → a JSON-RPC notification's channel → the venue mapper for
// it → the feed's own bookkeeping (stream watchdog, listing check, change-id chain, book/ticker
// top cross-check) → MarketState.apply, with the chain settled (IVs and greeks recomputed for
// every expiry whose forward moved) once per 100 ms of message time, as the UI's frame would.
// The frame's own timestamp stands in for the socket's arrival time. With
// `feedBookkeeping: false` only the mappers and the market state remain.
// Timed by bench/pipeline.ts and measured by bench/pipeline-memory-child.ts.

import type { BookEvent, MarketEvent, TickerEvent } from '../src/book/events.js';
import { MarketState } from '../src/book/market-state.js';
import { StaleWatchdog } from '../src/feeds/common/stale-watchdog.js';
import { TopCrossCheck } from '../src/feeds/common/top-check.js';
import { deribitBookFromMessage } from '../src/feeds/deribit/book.js';
import { BookSequencer } from '../src/feeds/deribit/book-sequencer.js';
import { deribitInstrumentsFromResult } from '../src/feeds/deribit/instruments.js';
import { hedgeTopChannel } from '../src/feeds/deribit/subscriptions.js';
import { deribitTickerFromMessage } from '../src/feeds/deribit/ticker.js';
import { isRecord, WireFormatError, type WireRecord } from '../src/feeds/wire-fields.js';
import { InstrumentRegistry } from '../src/instruments/registry.js';
import type { InstrumentSpec } from '../src/instruments/types.js';

export const VENUE = 'deribit';
/** How often a reader (the UI's frame, the hedger) settles the chain, in message time. */
export const SETTLE_MS = 100;
/** DeribitFeed's default; no stream goes quiet in the bench, so only the touches cost. */
const STALE_AFTER_MS = 5_000;

export interface PipelineCounts {
  frames: number;
  /** Frames no mapper claimed (none are expected: every generated frame is market data). */
  skipped: number;
  /** Frames that failed to parse or map: counted and skipped, as the feed does. */
  malformed: number;
  tops: number;
  gaps: number;
  settles: number;
  /** Expiry rows repriced as a whole by the settles. */
  repriced: number;
}

export interface PipelineOptions {
  /** The feed's per-frame checks besides the mappers (default true, as DeribitFeed runs). */
  feedBookkeeping?: boolean;
}

/** Specs from a `public/get_instruments` result, refusing one with rejected rows. */
export function specsFromResult(result: unknown): InstrumentSpec[] {
  const { specs, rejected } = deribitInstrumentsFromResult(result);
  if (rejected.length > 0) {
    throw new Error(`get_instruments rejected ${rejected.length} rows: ${rejected[0]!.reason}`);
  }
  return specs;
}

export class FramePipeline {
  readonly state = new MarketState();
  readonly counts = zeroCounts();
  readonly feedBookkeeping: boolean;
  // The feed's side: its own listing, chains and checks, apart from the market state's.
  readonly #registry = new InstrumentRegistry(VENUE);
  readonly #sequencer = new BookSequencer();
  readonly #tops = new TopCrossCheck();
  readonly #watchdog = new StaleWatchdog(STALE_AFTER_MS);
  /** The hedge perpetuals' top-of-book channels, told apart from option books by name. */
  readonly #hedgeTops = new Set(['BTC', 'ETH'].map((coin) => hedgeTopChannel(`${coin}-PERPETUAL`)));
  #nextSettle = -Infinity;

  constructor(instruments: readonly InstrumentSpec[], now: number, options: PipelineOptions = {}) {
    this.feedBookkeeping = options.feedBookkeeping ?? true;
    this.#registry.sync(instruments, now);
    this.state.loadInstruments(VENUE, instruments, now);
  }

  push(text: string): void {
    this.counts.frames++;
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.counts.malformed++;
      return;
    }
    if (!isRecord(message) || message['method'] !== 'subscription') {
      this.counts.skipped++;
      return;
    }
    const params = message['params'];
    const channel = isRecord(params) ? params['channel'] : undefined;
    if (typeof channel !== 'string') {
      this.counts.malformed++;
      return;
    }
    let event: MarketEvent | null;
    try {
      if (channel.startsWith('ticker.')) event = this.#ticker(message);
      else if (channel.startsWith('book.')) event = this.#book(message, channel);
      else event = null;
    } catch (error) {
      if (!(error instanceof WireFormatError)) throw error;
      this.counts.malformed++;
      return;
    }
    if (event === null) {
      this.counts.skipped++;
      return;
    }
    this.#apply(event);
  }

  /** Counts from here on: after the opening frames, say. */
  resetCounts(): void {
    Object.assign(this.counts, zeroCounts());
  }

  /** Books whose top has disagreed with their ticker since before `cutoff`. */
  disagreeingTops(cutoff: number): string[] {
    return this.#tops.takeDisagreeing(cutoff);
  }

  settle(now: number): void {
    this.counts.settles++;
    this.counts.repriced += this.state.settle(now);
  }

  #ticker(message: WireRecord): TickerEvent | null {
    const event = deribitTickerFromMessage(message);
    if (event === null || !this.feedBookkeeping) return event;
    this.#watchdog.touch('tickers', event.ts);
    // A late message of a retired option must not bring it back downstream.
    if (this.#registry.option(event.instrument) === undefined) return null;
    this.#tops.onTicker(event, event.ts);
    return event;
  }

  #book(message: WireRecord, channel: string): BookEvent | null {
    const event = deribitBookFromMessage(message);
    if (event === null || !this.feedBookkeeping) return event;
    if (this.#hedgeTops.has(channel)) return event;
    this.#watchdog.touch('books', event.ts);
    if (event.kind === 'book-snapshot') {
      this.#sequencer.snapshot(event.instrument, event.sequence);
      this.#tops.onBook(event, event.ts);
      return event;
    }
    const verdict = this.#sequencer.change(event.instrument, event.prevSequence, event.sequence);
    if (verdict === 'apply') this.#tops.onBook(event, event.ts);
    else if (verdict === 'gap') this.#tops.forgetBook(event.instrument);
    // The feed passes a gap on so the consumer's book breaks too; the rest it drops.
    return verdict === 'apply' || verdict === 'gap' ? event : null;
  }

  /** MarketEngine's part: apply, drop the state's spare resync requests, settle on time. */
  #apply(event: MarketEvent): void {
    const change = this.state.apply(event);
    this.state.takeResyncRequests();
    if (change === 'top') this.counts.tops++;
    else if (change === 'gap') this.counts.gaps++;
    if (event.ts >= this.#nextSettle) {
      this.settle(event.ts);
      this.#nextSettle = event.ts - (event.ts % SETTLE_MS) + SETTLE_MS;
    }
  }
}

function zeroCounts(): PipelineCounts {
  return { frames: 0, skipped: 0, malformed: 0, tops: 0, gaps: 0, settles: 0, repriced: 0 };
}
