// What the two threads of the Redis bench's latency child measure: when each ticker was sent
// (serve's side) and arrived (the screen's), logged into arrays made once, so that the measuring
// adds no garbage of its own to either heap, and matched afterwards; and each thread's
// collector pauses.

import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

/**
 * Milliseconds on the process's monotonic clock, which both threads read: `performance.now()`
 * counts from each thread's own origin, so each thread measures that origin once, and a
 * reading makes no BigInt.
 */
const ORIGIN = Number(process.hrtime.bigint()) / 1e6 - performance.now();
export const monotonicMs = (): number => performance.now() + ORIGIN;

/** A log as posted between the threads: ticker i is names[i] at ts[i], logged at at[i]. */
export interface ArrivalLog {
  readonly names: string[];
  readonly ts: Float64Array;
  readonly at: Float64Array;
}

export class Arrivals {
  readonly #names: string[];
  readonly #ts: Float64Array;
  readonly #at: Float64Array;
  #count = 0;

  /** Logs at most `capacity` tickers; later ones are not logged (so not counted). */
  constructor(capacity: number) {
    this.#names = new Array<string>(capacity);
    this.#ts = new Float64Array(capacity);
    this.#at = new Float64Array(capacity);
  }

  add(instrument: string, ts: number): void {
    const i = this.#count;
    if (i >= this.#ts.length) return;
    this.#names[i] = instrument;
    this.#ts[i] = ts;
    this.#at[i] = monotonicMs();
    this.#count = i + 1;
  }

  log(): ArrivalLog {
    const count = this.#count;
    return {
      names: this.#names.slice(0, count),
      ts: this.#ts.slice(0, count),
      at: this.#at.slice(0, count),
    };
  }
}

/**
 * Milliseconds from each arrival's send: a ticker is its instrument and venue ts. One that
 * arrived with no send logged (sent before the log began) is not counted.
 */
export function latencies(sent: ArrivalLog, arrived: ArrivalLog): number[] {
  const sentAt = new Map<string, number>();
  for (let i = 0; i < sent.names.length; i += 1) {
    sentAt.set(`${sent.names[i]}@${sent.ts[i]}`, sent.at[i]!);
  }
  const out: number[] = [];
  for (let i = 0; i < arrived.names.length; i += 1) {
    const at = sentAt.get(`${arrived.names[i]}@${arrived.ts[i]}`);
    if (at !== undefined) out.push(arrived.at[i]! - at);
  }
  return out;
}

export interface GcPauses {
  /** Milliseconds: scavenges, and every other pause. */
  readonly minor: number[];
  readonly other: number[];
}

/** This thread's collector pauses from now until the returned function is called. */
export function gcPauses(): () => GcPauses {
  const gc = { minor: [] as number[], other: [] as number[] };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      (kind === constants.NODE_PERFORMANCE_GC_MINOR ? gc.minor : gc.other).push(entry.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => {
    observer.disconnect();
    return gc;
  };
}
