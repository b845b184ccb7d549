import type { Writable } from 'node:stream';
import { CoalescingQueue } from '../feeds/common/coalescing-queue.js';
import type { StreamLine } from './stream-lines.js';

/**
 * Writes lines to a possibly slow reader (a pipe into `jq`, a terminal being scrolled)
 * without letting the feed wait or memory grow without bound: while the reader lags, a line
 * replaces any pending line with the same key (a newer top of the same book), keyless lines
 * queue up to a bound, and whatever a bound forces out is counted, never silently lost.
 */
export class LineSink {
  readonly #out: Writable;
  readonly #queue: CoalescingQueue<StreamLine>;
  #blocked = false;
  #failure: Error | null = null;
  #dropped = 0;
  #reportFailure: () => void = () => undefined;
  /** Resolves when the reader goes away (EPIPE and the like). */
  readonly failed = new Promise<void>((resolve) => {
    this.#reportFailure = resolve;
  });
  readonly #onDrain = (): void => this.#flush();
  readonly #onError = (error: Error): void => {
    this.#failure ??= error;
    this.#reportFailure();
  };

  constructor(out: Writable, maxPending = 100_000) {
    this.#out = out;
    this.#queue = new CoalescingQueue<StreamLine>({
      keyOf: (line) => line.key,
      maxItems: maxPending,
      onOverflow: (dropped) => {
        this.#dropped += dropped.length;
      },
    });
    out.on('drain', this.#onDrain);
    out.on('error', this.#onError);
  }

  /** Lines forced out by the bound while the reader lagged. */
  get dropped(): number {
    return this.#dropped;
  }

  /** The write error (EPIPE: the reader left), if one happened. */
  get failure(): Error | null {
    return this.#failure;
  }

  write(line: StreamLine): void {
    if (this.#failure !== null) return;
    if (this.#blocked) {
      this.#queue.push(line);
      return;
    }
    if (!this.#out.write(`${line.text}\n`)) this.#blocked = true;
  }

  /** Resolves once every pending line has been handed to the stream. */
  async close(): Promise<void> {
    while (this.#blocked && this.#failure === null && this.#queue.size > 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.#out.off('drain', this.#onDrain);
    this.#out.off('error', this.#onError);
  }

  #flush(): void {
    this.#blocked = false;
    for (const line of this.#queue.drain()) {
      if (!this.#out.write(`${line.text}\n`)) this.#blocked = true;
    }
  }
}
