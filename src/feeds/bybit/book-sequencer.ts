import type { BookEvent } from '../../book/events.js';

/**
 * - `apply`: pass the event on;
 * - `duplicate`: an update already applied (u ≤ the last one): drop it silently;
 * - `gap`: an update was lost: pass this one on (the book downstream breaks too) and resync;
 * - `skip`: the book is waiting for a snapshot: drop it.
 */
export type BookVerdict = 'apply' | 'duplicate' | 'gap' | 'skip';

/** Why a book waits for a snapshot: a first subscribe, a reconnect, or a gap. */
export type AwaitReason = 'subscribe' | 'reconnect' | 'gap';

export interface BookAcceptance {
  readonly verdict: BookVerdict;
  /** Set on the snapshot that ends a wait caused by a reconnect or a gap. */
  readonly resynced: AwaitReason | null;
}

interface Chain {
  /** The last update id applied; NaN while waiting for a snapshot. */
  last: number;
  waiting: AwaitReason | null;
  /** When the wait began (local ms), to notice a snapshot that never comes. */
  since: number;
}

const APPLY: BookAcceptance = { verdict: 'apply', resynced: null };
const DUPLICATE: BookAcceptance = { verdict: 'duplicate', resynced: null };
const GAP: BookAcceptance = { verdict: 'gap', resynced: null };
const SKIP: BookAcceptance = { verdict: 'skip', resynced: null };

/**
 * Bybit's `u` chain per book, on one connection: a delta builds on u − 1; a snapshot (or
 * u == 1, which the mapper already turns into one) starts over. Deltas are dropped while a
 * book waits for its snapshot, so a resubscribed book starts clean.
 */
export class BookSequencer {
  readonly #chains = new Map<string, Chain>();

  /** The book was (re)subscribed: ignore its deltas until the snapshot. */
  expect(instrument: string, reason: AwaitReason, now: number): void {
    const chain = this.#chains.get(instrument);
    if (chain === undefined) {
      this.#chains.set(instrument, { last: NaN, waiting: reason, since: now });
      return;
    }
    chain.last = NaN;
    // A gap's resync still reports as one if a reconnect overtakes it.
    if (chain.waiting !== 'gap') chain.waiting = reason;
    chain.since = now;
  }

  /** The connection was replaced: every book starts over from its next snapshot. */
  expectAll(reason: AwaitReason, now: number): void {
    for (const instrument of this.#chains.keys()) this.expect(instrument, reason, now);
  }

  /** Books whose chain is intact: their levels are current. */
  intact(): string[] {
    const live: string[] = [];
    for (const [instrument, chain] of this.#chains)
      if (chain.waiting === null) live.push(instrument);
    return live;
  }

  forget(instrument: string): void {
    this.#chains.delete(instrument);
  }

  accept(event: BookEvent, now: number): BookAcceptance {
    let chain = this.#chains.get(event.instrument);
    if (chain === undefined) {
      chain = { last: NaN, waiting: 'subscribe', since: now };
      this.#chains.set(event.instrument, chain);
    }
    if (event.kind === 'book-snapshot') {
      const reason = chain.waiting;
      chain.last = event.sequence;
      chain.waiting = null;
      return reason === null || reason === 'subscribe'
        ? APPLY
        : { verdict: 'apply', resynced: reason };
    }
    if (chain.waiting !== null) return SKIP;
    if (event.sequence <= chain.last) return DUPLICATE;
    if (event.prevSequence !== chain.last) {
      chain.last = NaN;
      chain.waiting = 'gap';
      chain.since = now;
      return GAP;
    }
    chain.last = event.sequence;
    return APPLY;
  }

  /**
   * Books that have waited for their snapshot since before `cutoff` (a lost snapshot, a
   * refused resubscribe); their wait restarts at `now`, so each is reported once per period.
   */
  takeOverdue(cutoff: number, now: number): string[] {
    const late: string[] = [];
    for (const [instrument, chain] of this.#chains) {
      if (chain.waiting === null || chain.since >= cutoff) continue;
      chain.since = now;
      late.push(instrument);
    }
    return late;
  }
}
