/**
 * Requests awaiting their reply, keyed by whatever the venue echoes back (a JSON-RPC id, a
 * Bybit reqId). Each one ends exactly once: by its reply, by its own time limit, or by the
 * connection going away — so no caller ever waits forever and no timer outlives its request.
 */
import { ConnectionLostError, RequestTimeoutError } from './errors.js';

interface Pending {
  readonly label: string;
  readonly timer: NodeJS.Timeout;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

export class PendingRequests<K> {
  private readonly defaultTimeoutMs: number;
  private readonly pending = new Map<K, Pending>();

  constructor(options: { defaultTimeoutMs: number }) {
    this.defaultTimeoutMs = options.defaultTimeoutMs;
  }

  /**
   * Registers a request; the promise settles by resolve/reject or rejects with
   * RequestTimeoutError(label, timeoutMs). Registering a key already in flight rejects the
   * new request at once: two requests sharing an id could not be told apart.
   */
  add(key: K, label: string, timeoutMs: number = this.defaultTimeoutMs): Promise<unknown> {
    if (this.pending.has(key)) {
      return Promise.reject(new Error(`${label}: request id ${String(key)} already in flight`));
    }
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(key);
        reject(new RequestTimeoutError(label, timeoutMs));
      }, timeoutMs);
      this.pending.set(key, { label, timer, resolve, reject });
    });
  }

  /** False for an unknown key: a late or duplicate reply, to be ignored. */
  resolve(key: K, value: unknown): boolean {
    const entry = this.take(key);
    if (entry === undefined) return false;
    entry.resolve(value);
    return true;
  }

  reject(key: K, error: Error): boolean {
    const entry = this.take(key);
    if (entry === undefined) return false;
    entry.reject(error);
    return true;
  }

  /** On disconnect: rejects every pending request with ConnectionLostError(label). */
  rejectAll(detail?: string): void {
    const entries = [...this.pending.values()];
    this.pending.clear();
    for (const entry of entries) {
      clearTimeout(entry.timer);
      entry.reject(new ConnectionLostError(entry.label, detail));
    }
  }

  has(key: K): boolean {
    return this.pending.has(key);
  }

  get size(): number {
    return this.pending.size;
  }

  private take(key: K): Pending | undefined {
    const entry = this.pending.get(key);
    if (entry === undefined) return undefined;
    this.pending.delete(key);
    clearTimeout(entry.timer);
    return entry;
  }
}
