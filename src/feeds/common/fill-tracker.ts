/**
 * Which of our fills a feed has emitted, and from when it must read the venue's trade history
 * after a reconnect to find the ones it missed while the private stream was down.
 *
 * Every fill goes out once: one from the live stream, one read back from history, one the
 * stream replays after history delivered it. Trade ids are remembered up to a bound (oldest
 * forgotten first); a fill old enough to have been forgotten is older than any history read
 * asks for.
 */
import type { FillEvent } from '../../book/events.js';

/** Far more fills than a reconnect's history read returns. */
export const REMEMBERED_TRADE_IDS = 20_000;
/**
 * History is read from a little before the last fill seen: fills of different instruments
 * are stamped by different engines, so one stamped a moment earlier may reach us later.
 * Whatever the overlap brings back again is dropped as already emitted.
 */
export const HISTORY_OVERLAP_MS = 1_000;

export class FillTracker {
  readonly #emitted = new Set<string>();
  readonly #limit: number;
  /** Venue time from which the private stream has been delivering; null before it first did. */
  #coveredSince: number | null = null;
  #lastFillTs = -Infinity;

  constructor(limit = REMEMBERED_TRADE_IDS) {
    this.#limit = limit;
  }

  /**
   * The private stream is subscribed and the account loaded at venue time `ts`: fills before
   * it are in that load, fills after it come as events. Only the first call counts; later
   * connections are covered by reading history from `resumeFrom`.
   */
  streaming(ts: number): void {
    if (this.#coveredSince === null && Number.isFinite(ts)) this.#coveredSince = ts;
  }

  /**
   * Where a history read after a reconnect starts (inclusive venue ms), or null when nothing
   * was streamed yet (the first connection's account load covers everything before it).
   * Never before the first connection: earlier fills are in the positions that load reported,
   * and emitting them would count them twice.
   */
  resumeFrom(): number | null {
    if (this.#coveredSince === null) return null;
    return Math.max(this.#coveredSince, this.#lastFillTs - HISTORY_OVERLAP_MS);
  }

  /** True the first time a trade id is offered (the fill should go out), false after. */
  admit(fill: FillEvent): boolean {
    if (this.#emitted.has(fill.tradeId)) return false;
    this.#emitted.add(fill.tradeId);
    if (this.#emitted.size > this.#limit) {
      this.#emitted.delete(this.#emitted.values().next().value as string);
    }
    if (fill.ts > this.#lastFillTs) this.#lastFillTs = fill.ts;
    return true;
  }

  /** Of fills read back from history, the ones not yet emitted, oldest first; admitted. */
  missed(fills: readonly FillEvent[]): FillEvent[] {
    const ordered = [...fills].sort(
      (a, b) => a.ts - b.ts || (a.tradeId < b.tradeId ? -1 : a.tradeId > b.tradeId ? 1 : 0),
    );
    return ordered.filter((fill) => this.admit(fill));
  }
}

/** The log line after a reconnect's history read; the count only, never account details. */
export function reconciledLine(venue: string, count: number): string {
  return `${venue}: reconciled ${count} fill${count === 1 ? '' : 's'} missed while disconnected`;
}
