// The per-frame path of a live Deribit feed, minus the socket: text → JSON.parse → the venue
// mapper for the frame's channel → MarketState.apply, with the chain settled (IVs and greeks
// recomputed for every expiry whose forward moved) once per 100 ms of message time, as the
// UI's frame would. Timed by bench/pipeline.ts and measured by bench/pipeline-memory-child.ts.

import type { MarketEvent } from '../src/book/events.js';
import { MarketState } from '../src/book/market-state.js';
import { deribitBookFromMessage } from '../src/feeds/deribit/book.js';
import { deribitInstrumentsFromResult } from '../src/feeds/deribit/instruments.js';
import { deribitTickerFromMessage } from '../src/feeds/deribit/ticker.js';
import { isRecord, WireFormatError } from '../src/feeds/wire-fields.js';
import type { InstrumentSpec } from '../src/instruments/types.js';

export const VENUE = 'deribit';
/** How often a reader (the UI's frame, the hedger) settles the chain, in message time. */
export const SETTLE_MS = 100;

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
  #nextSettle = -Infinity;

  constructor(instruments: readonly InstrumentSpec[], now: number) {
    this.state.loadInstruments(VENUE, instruments, now);
  }

  push(text: string): void {
    this.counts.frames++;
    let event: MarketEvent | null;
    try {
      event = marketEventOf(JSON.parse(text));
    } catch (error) {
      if (!(error instanceof SyntaxError || error instanceof WireFormatError)) throw error;
      this.counts.malformed++;
      return;
    }
    if (event === null) {
      this.counts.skipped++;
      return;
    }
    const change = this.state.apply(event);
    if (change === 'top') this.counts.tops++;
    else if (change === 'gap') this.counts.gaps++;
    if (event.ts >= this.#nextSettle) {
      this.settle(event.ts);
      this.#nextSettle = event.ts - (event.ts % SETTLE_MS) + SETTLE_MS;
    }
  }

  /** Counts from here on: after the opening frames, say. */
  resetCounts(): void {
    Object.assign(this.counts, zeroCounts());
  }

  settle(now: number): void {
    this.counts.settles++;
    this.counts.repriced += this.state.settle(now);
  }
}

function zeroCounts(): PipelineCounts {
  return { frames: 0, skipped: 0, malformed: 0, tops: 0, gaps: 0, settles: 0, repriced: 0 };
}

// One look at the channel picks the mapper, as a feed routes its subscriptions.
function marketEventOf(message: unknown): MarketEvent | null {
  if (!isRecord(message)) return null;
  const params = message['params'];
  if (!isRecord(params)) return null;
  const channel = params['channel'];
  if (typeof channel !== 'string') return null;
  if (channel.startsWith('ticker.')) return deribitTickerFromMessage(message);
  if (channel.startsWith('book.')) return deribitBookFromMessage(message);
  return null;
}
