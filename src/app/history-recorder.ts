/**
 * Writes every option's top, ivtrade's IVs and greeks to the minute history as each minute
 * begins, and each chain's fitted surface (read-outs by maturity, 30-day index, grid). The values are the option chains' own, the ones the screen shows, settled first as
 * any reader does; nothing is priced differently here.
 *
 * Minutes are the venue's (the clock expiries and greeks run on), so a sped-up sim still
 * stamps each entry with the market minute it shows. The clock is checked every second rather
 * than slept to the next boundary for that reason; a minute is attempted once, so an entry
 * never carries a quote from well after the minute it is stamped with.
 */
import type { OptionChain } from '../book/option-chain.js';
import type { RedisClient } from '../store/connect.js';
import {
  DEFAULT_MAX_ENTRIES,
  DEFAULT_RETENTION_MS,
  MINUTE_MS,
  writeHistoryMinute,
  type HistoryRow,
} from '../store/history.js';
import type { KeySchema } from '../store/keys.js';
import { writeSurfaceMinute } from '../store/surface-history.js';
import { SurfaceModel } from './surface-model.js';
import { surfaceMinuteOf } from './surface-report.js';
import type { MarketEngine } from './market-engine.js';

export interface HistoryRecorderOptions {
  readonly engine: MarketEngine;
  readonly client: RedisClient;
  readonly keys: KeySchema;
  readonly venue: string;
  /** How long minutes are kept (default 30 days). */
  readonly retentionMs?: number;
  /** At most about this many minutes per instrument. */
  readonly maxEntries?: number;
  /** The time minutes are cut from; the venue's clock by default. */
  readonly now?: () => number;
  /** How often the clock is looked at (default 1 s); 0 = never, the caller calls `tick`. */
  readonly checkEveryMs?: number;
  /** A minute that could not be written (Redis down): said, and the next minute tried. */
  readonly onError?: (error: unknown, minuteMs: number) => void;
}

export interface HistoryRecorder {
  /** Writes the current minute if it has not been attempted yet; resolves to entries added. */
  tick(): Promise<number>;
  /** Minutes written, option entries and chain surfaces added since the start. */
  readonly stats: { minutes: number; entries: number; surfaces: number; failures: number };
  /** Stops the timer and waits for a write in flight. */
  stop(): Promise<void>;
}

export function startHistoryRecorder(options: HistoryRecorderOptions): HistoryRecorder {
  const { engine, client, keys, venue } = options;
  const now = options.now ?? (() => engine.venueNow(venue));
  const limits = {
    retentionMs: options.retentionMs ?? DEFAULT_RETENTION_MS,
    maxEntries: options.maxEntries ?? DEFAULT_MAX_ENTRIES,
  };
  const stats = { minutes: 0, entries: 0, surfaces: 0, failures: 0 };
  // The minute under way at the start is not written: its start has passed unrecorded.
  let lastMinute = minuteOf(now());
  let inFlight: Promise<number> | null = null;

  const surfaces = new SurfaceModel();
  const record = async (minuteMs: number, at: number): Promise<number> => {
    engine.market.settle(at);
    let added = 0;
    for (const chain of engine.market.chains(venue)) {
      // The fitted surface of each chain beside its options' minutes (a failed fit is said
      // like a failed write: the options' minutes still go).
      try {
        const minute = surfaceMinuteOf(surfaces.surface(chain, at));
        await writeSurfaceMinute(
          client,
          keys.coin(venue, chain.base),
          minuteMs,
          minute,
          limits,
          at,
        );
        stats.surfaces += 1;
      } catch (error) {
        stats.failures += 1;
        options.onError?.(error, minuteMs);
      }
    }
    for (const [coin, rows] of rowsByCoin(engine.market.chains(venue))) {
      try {
        added += await writeHistoryMinute(
          client,
          keys.coin(venue, coin),
          minuteMs,
          rows,
          limits,
          at,
        );
      } catch (error) {
        stats.failures += 1;
        options.onError?.(error, minuteMs);
      }
    }
    stats.minutes += 1;
    stats.entries += added;
    return added;
  };

  const tick = async (): Promise<number> => {
    if (inFlight !== null) return 0;
    const at = now();
    const minute = minuteOf(at);
    if (minute <= lastMinute) return 0;
    lastMinute = minute;
    inFlight = record(minute, at);
    try {
      return await inFlight;
    } finally {
      inFlight = null;
    }
  };

  const every = options.checkEveryMs ?? 1_000;
  const timer =
    every > 0
      ? setInterval(() => {
          void tick();
        }, every)
      : null;
  timer?.unref();

  return {
    tick,
    stats,
    async stop() {
      if (timer !== null) clearInterval(timer);
      await inFlight;
    },
  };
}

function minuteOf(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/**
 * Every quoted option's row, grouped by coin (the key's slot). An option with no quote yet, or
 * whose quote can no longer be trusted, has no entry that minute: a gap says what a stale
 * price would hide.
 */
export function rowsByCoin(chains: readonly OptionChain[]): Map<string, HistoryRow[]> {
  const byCoin = new Map<string, HistoryRow[]>();
  for (const chain of chains) {
    const index = Number.isNaN(chain.index) ? null : chain.index;
    for (const row of chain.rows) {
      const forward = Number.isNaN(row.forward) ? null : row.forward;
      for (const spec of row.specs) {
        if (spec === null) continue;
        const quote = chain.option(spec.name);
        if (quote === undefined || quote.stale || quote.source === 'none') continue;
        let rows = byCoin.get(spec.base);
        if (rows === undefined) byCoin.set(spec.base, (rows = []));
        rows.push({
          instrument: spec.name,
          values: {
            bid: quote.bid,
            ask: quote.ask,
            mark: quote.mark,
            bid_iv: quote.bidIv,
            ask_iv: quote.askIv,
            mark_iv: quote.markIv,
            delta: quote.delta,
            gamma: quote.gamma,
            vega: quote.vega,
            theta: quote.theta,
            forward,
            index,
          },
        });
      }
    }
  }
  return byCoin;
}
