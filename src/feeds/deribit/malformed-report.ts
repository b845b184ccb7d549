/**
 * Malformed frames are logged one line each but reported as status events at most once per
 * interval, with a count: a venue spewing garbage must not turn into a status storm that
 * drowns the UI and the hedger.
 */

export interface MalformedReportOptions {
  readonly emit: (count: number, detail: string) => void;
  readonly log: (line: string) => void;
  readonly intervalMs?: number;
  /** Wall clock (default Date.now). */
  readonly now?: () => number;
}

export class MalformedReport {
  private readonly intervalMs: number;
  private readonly now: () => number;
  private lastEmitAt = -Infinity;
  private suppressed = 0;
  private lastDetail = '';
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: MalformedReportOptions) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /** `detail` must already be free of secrets: it is logged and shown. */
  report(detail: string): void {
    this.options.log(`malformed frame skipped: ${detail}`);
    this.lastDetail = detail;
    const now = this.now();
    if (now - this.lastEmitAt >= this.intervalMs && this.flushTimer === null) {
      this.lastEmitAt = now;
      this.options.emit(1, detail);
      return;
    }
    this.suppressed += 1;
    this.flushTimer ??= setTimeout(
      () => this.flush(),
      Math.max(0, this.lastEmitAt + this.intervalMs - now),
    );
  }

  /** Clears the pending report without emitting it (the feed is stopping). */
  stop(): void {
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.suppressed = 0;
  }

  private flush(): void {
    this.flushTimer = null;
    if (this.suppressed === 0) return;
    const count = this.suppressed;
    this.suppressed = 0;
    this.lastEmitAt = this.now();
    this.options.emit(count, this.lastDetail);
  }
}
