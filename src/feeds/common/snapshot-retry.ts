/**
 * Books waiting for the snapshot a (re)subscription brings. The venue sends that snapshot
 * first, before any change of the book, so a change arriving after the subscription was
 * acknowledged, with no snapshot before it, proves the snapshot was lost (a corrupted frame);
 * a book too quiet to send a change is given a fixed time instead. Either way the book is
 * subscribed again after a backoff delay (growing, jittered, capped), until its snapshot
 * lands: a book is never left broken for good. Pure bookkeeping with time passed in.
 */
import { Backoff, type BackoffOptions } from './backoff.js';

interface Wait {
  /** When the venue acknowledged the latest (re)subscription; null while it is in flight. */
  ackAt: number | null;
  /** When to subscribe again; Infinity while the snapshot may still come. */
  retryAt: number;
  readonly backoff: Backoff;
}

export interface SnapshotRetryOptions {
  /** How long after the acknowledgement a snapshot may take before it counts as lost. */
  readonly snapshotDueMs?: number;
  readonly backoff?: Partial<BackoffOptions>;
}

/** A snapshot follows its acknowledgement within a round trip; a second is generous. */
const DEFAULT_SNAPSHOT_DUE_MS = 1_000;
/** First retry within a quarter second, doubling to 8 s: a bad second on the wire recovers at once. */
export const SNAPSHOT_RETRY_BACKOFF: BackoffOptions = Object.freeze({
  initialMs: 250,
  maxMs: 8_000,
  factor: 2,
  jitter: 0.5,
});

export class SnapshotRetry {
  readonly #waits = new Map<string, Wait>();
  readonly #snapshotDueMs: number;
  readonly #backoff: Partial<BackoffOptions>;

  constructor(options: SnapshotRetryOptions = {}) {
    this.#snapshotDueMs = options.snapshotDueMs ?? DEFAULT_SNAPSHOT_DUE_MS;
    this.#backoff = { ...SNAPSHOT_RETRY_BACKOFF, ...options.backoff };
  }

  /** A (re)subscription of the book is about to go out; its attempts count on. */
  requested(instrument: string): void {
    const wait = this.#waits.get(instrument);
    if (wait === undefined) {
      this.#waits.set(instrument, {
        ackAt: null,
        retryAt: Infinity,
        backoff: new Backoff(this.#backoff),
      });
      return;
    }
    wait.ackAt = null;
    wait.retryAt = Infinity;
  }

  /** The venue answered the subscription: the snapshot is due. */
  acknowledged(instrument: string, now: number): void {
    const wait = this.#waits.get(instrument);
    if (wait !== undefined && wait.ackAt === null) wait.ackAt = now;
  }

  /** A change of a book still waiting for its snapshot: lost if the subscription was answered. */
  changeWhileWaiting(instrument: string, now: number): void {
    const wait = this.#waits.get(instrument);
    if (wait !== undefined && wait.ackAt !== null && wait.retryAt === Infinity) {
      wait.retryAt = now + wait.backoff.next();
    }
  }

  /** The snapshot landed: the book is live, and its next break starts a fresh backoff. */
  arrived(instrument: string): void {
    this.#waits.delete(instrument);
  }

  isWaiting(instrument: string): boolean {
    return this.#waits.has(instrument);
  }

  /** Books to subscribe again now; each waits for its new acknowledgement from here. */
  takeDue(now: number): string[] {
    const due: string[] = [];
    for (const [instrument, wait] of this.#waits) {
      if (
        wait.ackAt !== null &&
        wait.retryAt === Infinity &&
        now - wait.ackAt >= this.#snapshotDueMs
      ) {
        wait.retryAt = wait.ackAt + this.#snapshotDueMs + wait.backoff.next();
      }
      if (wait.retryAt > now) continue;
      wait.ackAt = null;
      wait.retryAt = Infinity;
      due.push(instrument);
    }
    return due;
  }

  forget(instrument: string): void {
    this.#waits.delete(instrument);
  }

  /** The connection is gone: its reconnect subscribes every book afresh. */
  clear(): void {
    this.#waits.clear();
  }
}
