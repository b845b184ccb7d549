/**
 * `replay --emit surface`: the fitted surface of a recording or of a saved chain reply.
 * - A saved reply (Deribit `public/get_book_summary_by_currency`, Bybit
 *   `/v5/market/tickers?category=option`) is the whole chain at one instant: one line per coin.
 * - A recording of ticker messages (Deribit `ticker.*` notifications, Bybit `tickers.*`) keeps
 *   each option's latest ticker and prints each coin's surface as the recording's venue time
 *   crosses a minute, valued at the last ticker before it, and once more at the end.
 */
import type { TickerEvent } from '../book/events.js';
import { bybitTickersReply } from '../feeds/bybit/tickers-reply.js';
import { deribitBookSummaryTickers } from '../feeds/deribit/book-summary.js';
import type { OptionContract } from '../instruments/types.js';
import { ReplayVenues, unwrapRecorded, type ReplayVenue } from './replay-venues.js';
import type { CoinSurface } from './surface-model.js';
import { chainsByCoin, coinSurfaceOf, surfaceJson, type QuotedOption } from './surface-report.js';

const MINUTE_MS = 60_000;

export class SurfaceReplay {
  readonly #venues = new ReplayVenues();
  /** Per venue and instrument, its latest ticker. */
  readonly #latest = new Map<string, QuotedOption>();
  readonly #previous = new Map<string, CoinSurface>();
  /** Coins (venue:coin) with a ticker since their last line. */
  readonly #changed = new Set<string>();
  #minute: number | null = null;
  #newestTs = 0;

  /** The lines for one parsed value (a message or a saved reply), joined; null for none. */
  linesFor(value: unknown): string | null {
    const message = unwrapRecorded(value);
    const saved = deribitBookSummaryTickers(message) ?? bybitTickersReply(message);
    if (saved !== null) return this.#snapshot(saved);
    const venue = this.#venues.venueOf(message);
    if (venue === null) return null;
    const ticker = venue.tickerFrom(message);
    if (ticker === null) return null;
    const contract = contractOf(venue, ticker.instrument);
    if (contract === null) return null;
    const minute = Math.floor(ticker.ts / MINUTE_MS);
    const lines = this.#minute !== null && minute > this.#minute ? this.#flush() : [];
    this.#minute = Math.max(this.#minute ?? minute, minute);
    this.#take(ticker, contract);
    return lines.length === 0 ? null : lines.join('\n');
  }

  /** The last lines, for what changed since the last minute printed. */
  end(): string | null {
    const lines = this.#flush();
    return lines.length === 0 ? null : lines.join('\n');
  }

  #snapshot(tickers: readonly TickerEvent[]): string | null {
    for (const ticker of tickers) {
      const venue = this.#venues.named(ticker.venue);
      const contract = venue === null ? null : contractOf(venue, ticker.instrument);
      if (contract !== null) this.#take(ticker, contract);
    }
    const lines = this.#flush();
    return lines.length === 0 ? null : lines.join('\n');
  }

  #take(ticker: TickerEvent, contract: OptionContract): void {
    const key = `${ticker.venue}:${ticker.instrument}`;
    const held = this.#latest.get(key);
    if (held !== undefined && held.ticker.ts > ticker.ts) return;
    this.#latest.set(key, { ticker, contract });
    this.#changed.add(`${ticker.venue}:${contract.base}/${contract.quote}`);
    this.#newestTs = Math.max(this.#newestTs, ticker.ts);
  }

  #flush(): string[] {
    if (this.#changed.size === 0) return [];
    const lines: string[] = [];
    const byVenue = new Map<string, QuotedOption[]>();
    for (const option of this.#latest.values()) {
      const list = byVenue.get(option.ticker.venue) ?? [];
      list.push(option);
      byVenue.set(option.ticker.venue, list);
    }
    for (const [venue, options] of byVenue) {
      const ts = Math.max(...options.map((option) => option.ticker.ts));
      for (const [chain, chains] of chainsByCoin(options, ts)) {
        const key = `${venue}:${chain}`;
        const [coin = chain, quote = chain] = chain.split('/');
        if (!this.#changed.has(key) || chains.length === 0) continue;
        const report = coinSurfaceOf(venue, coin, quote, ts, chains, {
          previous: this.#previous.get(key) ?? null,
        });
        this.#previous.set(key, report);
        lines.push(JSON.stringify(surfaceJson(report)));
      }
    }
    this.#changed.clear();
    return lines;
  }
}

function contractOf(venue: ReplayVenue, instrument: string): OptionContract | null {
  try {
    return venue.contractOf(instrument);
  } catch {
    return null; // a future's or the index's ticker: no place on a surface
  }
}
