/**
 * Which streams have gone quiet. Pure bookkeeping with time passed in, so the owner decides
 * how often to check and tests need no clock: a key goes stale after `staleAfterMs` without a
 * touch, is reported once, and is reported fresh again by the touch that revives it.
 */

interface Watch {
  lastSeen: number;
  stale: boolean;
}

export class StaleWatchdog {
  private readonly watches = new Map<string, Watch>();

  constructor(private readonly staleAfterMs: number) {
    if (!(staleAfterMs > 0)) throw new RangeError('staleAfterMs must be positive');
  }

  /** Records activity on `key` (watching it from now on); true if it was stale and is now fresh. */
  touch(key: string, now: number): boolean {
    const watch = this.watches.get(key);
    if (watch === undefined) {
      this.watches.set(key, { lastSeen: now, stale: false });
      return false;
    }
    watch.lastSeen = Math.max(watch.lastSeen, now);
    if (!watch.stale) return false;
    watch.stale = false;
    return true;
  }

  /** Keys that just became stale (each reported once until touched again). */
  check(now: number): string[] {
    const newlyStale: string[] = [];
    for (const [key, watch] of this.watches) {
      if (!watch.stale && now - watch.lastSeen >= this.staleAfterMs) {
        watch.stale = true;
        newlyStale.push(key);
      }
    }
    return newlyStale;
  }

  remove(key: string): void {
    this.watches.delete(key);
  }

  /** When `key` was last touched; NaN if it is not watched. */
  lastSeen(key: string): number {
    return this.watches.get(key)?.lastSeen ?? NaN;
  }

  isStale(key: string): boolean {
    return this.watches.get(key)?.stale ?? false;
  }

  /** Keys currently stale, e.g. to mark everything a dropped connection covered. */
  staleKeys(): string[] {
    return [...this.watches].filter(([, watch]) => watch.stale).map(([key]) => key);
  }

  clear(): void {
    this.watches.clear();
  }
}
