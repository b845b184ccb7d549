// Fault injection on one simulated connection: what a flaky venue does to a client. Protocol
// servers send every outgoing frame through a ConnectionFaults; with no faults configured it
// is a straight pass-through.

import { Random } from './random.js';

export interface FaultOptions {
  /** Fraction of book change notifications never sent (their change ids still advance). */
  readonly dropBookChanges: number;
  /** Fraction of book change notifications sent twice. */
  readonly duplicateBookChanges: number;
  /** Fraction of book change notifications held back and sent after the next one. */
  readonly reorderBookChanges: number;
  /** Fraction of notifications replaced by a frame that is not valid JSON. */
  readonly malformedFrames: number;
  /** Close every connection this many wall seconds after it opens; 0 is never. */
  readonly disconnectEverySec: number;
  /** Every `stallEverySec` wall seconds, hold all notifications for `stallForSec`. */
  readonly stallEverySec: number;
  readonly stallForSec: number;
  /** Wall ms added before every reply to a request. */
  readonly replyDelayMs: number;
  /** Requests per second per connection above which the venue answers too_many_requests;
   * 0 is unlimited. */
  readonly maxRequestsPerSec: number;
}

export const NO_FAULTS: FaultOptions = {
  dropBookChanges: 0,
  duplicateBookChanges: 0,
  reorderBookChanges: 0,
  malformedFrames: 0,
  disconnectEverySec: 0,
  stallEverySec: 0,
  stallForSec: 0,
  replyDelayMs: 0,
  maxRequestsPerSec: 0,
};

const FAULT_KEYS: Readonly<Record<string, keyof FaultOptions>> = {
  drop: 'dropBookChanges',
  duplicate: 'duplicateBookChanges',
  reorder: 'reorderBookChanges',
  malformed: 'malformedFrames',
  disconnect: 'disconnectEverySec',
  'stall-every': 'stallEverySec',
  stall: 'stallForSec',
  delay: 'replyDelayMs',
  'rate-limit': 'maxRequestsPerSec',
};
const FRACTIONS = new Set<keyof FaultOptions>([
  'dropBookChanges',
  'duplicateBookChanges',
  'reorderBookChanges',
  'malformedFrames',
]);

export class FaultSpecError extends Error {
  override readonly name = 'FaultSpecError';
}

/**
 * `drop=0.01,duplicate=0.001,reorder=0.001,malformed=0.001,disconnect=60,stall=5,stall-every=30,
 * delay=200,rate-limit=20`; fractions may be written as percentages (`drop=1%`).
 */
export function parseFaults(spec: string): FaultOptions {
  const result: Record<keyof FaultOptions, number> = { ...NO_FAULTS };
  for (const part of spec.split(',').map((p) => p.trim())) {
    if (part === '') continue;
    const [name, raw] = part.split('=', 2);
    const key = FAULT_KEYS[name ?? ''];
    if (key === undefined || raw === undefined) {
      throw new FaultSpecError(
        `unknown fault "${part}": expected name=value with name one of ${Object.keys(FAULT_KEYS).join(', ')}`,
      );
    }
    const percent = raw.endsWith('%');
    const value = Number(percent ? raw.slice(0, -1) : raw) / (percent ? 100 : 1);
    if (!Number.isFinite(value) || value < 0 || (FRACTIONS.has(key) && value > 1)) {
      throw new FaultSpecError(
        `fault "${name}" needs ${FRACTIONS.has(key) ? 'a fraction in [0, 1] or a percentage' : 'a number ≥ 0'}, got "${raw}"`,
      );
    }
    result[key] = value;
  }
  if (result.stallForSec > 0 && result.stallEverySec === 0) result.stallEverySec = 30;
  return result;
}

export interface FaultTransport {
  send(text: string): void;
  /** Closes the socket as a venue outage would (the client sees an abnormal close). */
  terminate(): void;
}

/** What kind of outgoing frame this is, so faults hit only what they advertise. */
export type FrameKind = 'book-change' | 'notification' | 'reply';

export interface FaultCounters {
  dropped: number;
  duplicated: number;
  reordered: number;
  malformed: number;
  stalled: number;
  rateLimited: number;
  disconnects: number;
}

export class ConnectionFaults {
  readonly counters: FaultCounters = {
    dropped: 0,
    duplicated: 0,
    reordered: 0,
    malformed: 0,
    stalled: 0,
    rateLimited: 0,
    disconnects: 0,
  };
  private readonly random: Random;
  private heldBack: string | null = null;
  private stallQueue: string[] | null = null;
  private readonly timers: NodeJS.Timeout[] = [];
  private windowStart = 0;
  private windowCount = 0;
  private closed = false;

  constructor(
    private readonly options: FaultOptions,
    private readonly transport: FaultTransport,
    seed: number,
    private readonly wallNow: () => number = Date.now,
  ) {
    this.random = new Random(seed);
    if (options.disconnectEverySec > 0) {
      this.timers.push(
        setTimeout(() => {
          this.counters.disconnects++;
          this.transport.terminate();
        }, options.disconnectEverySec * 1000),
      );
    }
    if (options.stallEverySec > 0 && options.stallForSec > 0) {
      this.timers.push(setInterval(() => this.stall(), options.stallEverySec * 1000));
    }
  }

  get active(): boolean {
    const o = this.options;
    return (
      o.dropBookChanges + o.duplicateBookChanges + o.reorderBookChanges + o.malformedFrames > 0 ||
      o.stallForSec > 0 ||
      o.replyDelayMs > 0
    );
  }

  /** Sends a frame, subject to the faults that apply to its kind. */
  send(text: string, kind: FrameKind): void {
    if (this.closed) return;
    if (kind === 'reply') {
      if (this.options.replyDelayMs > 0) {
        this.timers.push(setTimeout(() => this.reply(text), this.options.replyDelayMs));
      } else {
        this.reply(text);
      }
      return;
    }
    if (this.options.malformedFrames > 0 && this.random.chance(this.options.malformedFrames)) {
      this.counters.malformed++;
      this.deliver(malformed(text));
      return;
    }
    if (kind === 'book-change') {
      const o = this.options;
      if (o.dropBookChanges > 0 && this.random.chance(o.dropBookChanges)) {
        this.counters.dropped++;
        return;
      }
      if (
        o.reorderBookChanges > 0 &&
        this.heldBack === null &&
        this.random.chance(o.reorderBookChanges)
      ) {
        this.counters.reordered++;
        this.heldBack = text;
        return;
      }
      this.deliver(text);
      if (o.duplicateBookChanges > 0 && this.random.chance(o.duplicateBookChanges)) {
        this.counters.duplicated++;
        this.deliver(text);
      }
      if (this.heldBack !== null) {
        const held = this.heldBack;
        this.heldBack = null;
        this.deliver(held);
      }
      return;
    }
    this.deliver(text);
  }

  /** Counts a request against the rate limit; false means answer too_many_requests. */
  admitRequest(): boolean {
    const limit = this.options.maxRequestsPerSec;
    if (limit <= 0) return true;
    const now = this.wallNow();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.windowCount = 0;
    }
    this.windowCount++;
    if (this.windowCount > limit) {
      this.counters.rateLimited++;
      return false;
    }
    return true;
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.length = 0;
  }

  private stall(): void {
    if (this.stallQueue !== null || this.closed) return;
    this.stallQueue = [];
    this.timers.push(
      setTimeout(() => {
        const queued = this.stallQueue ?? [];
        this.stallQueue = null;
        for (const text of queued) this.deliver(text);
      }, this.options.stallForSec * 1000),
    );
  }

  // A stalled stream still answers requests, as a venue whose feed hangs does.
  private reply(text: string): void {
    if (!this.closed) this.transport.send(text);
  }

  private deliver(text: string): void {
    if (this.closed) return;
    if (this.stallQueue !== null) {
      this.counters.stalled++;
      this.stallQueue.push(text);
      return;
    }
    this.transport.send(text);
  }
}

/** A frame cut short, as a broken proxy or a partial write would leave it. */
function malformed(text: string): string {
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}
