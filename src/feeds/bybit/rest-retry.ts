/**
 * Idempotent REST reads (instrument pages, account snapshots) under the venue's rate limit:
 * paced, and when the venue still says too many requests, retried after a growing backoff
 * during which nothing else is sent — never a retry storm.
 */
import { Backoff, type BackoffOptions } from '../common/backoff.js';
import type { RequestPacer } from '../common/request-pacer.js';
import { BybitApiError, BybitHttpError } from './rest.js';
import { isRateLimitMessage } from './ws-ops.js';

/** Bybit's "Too many visits!" (v5 error page). */
export const RATE_LIMIT_RET_CODE = 10006;
/** The edge answers 403 (and some proxies 429) to an address over the limit. */
const RATE_LIMIT_HTTP = new Set([403, 429]);

export function isBybitRateLimit(error: unknown): boolean {
  if (error instanceof BybitApiError) {
    return error.retCode === RATE_LIMIT_RET_CODE || isRateLimitMessage(error.retMsg);
  }
  return error instanceof BybitHttpError && RATE_LIMIT_HTTP.has(error.status);
}

export interface RateLimitedReadsOptions {
  readonly pacer: RequestPacer;
  readonly backoff?: Partial<BackoffOptions>;
  /** Gives up (rethrows the rate-limit error) after this many refusals in a row. */
  readonly maxAttempts?: number;
  readonly onRateLimited: (delayMs: number, detail: string) => void;
}

const DEFAULT_MAX_ATTEMPTS = 8;

export class RateLimitedReads {
  readonly #options: RateLimitedReadsOptions;
  readonly #backoff: Backoff;
  readonly #maxAttempts: number;

  constructor(options: RateLimitedReadsOptions) {
    this.#options = options;
    this.#backoff = new Backoff({ initialMs: 1000, maxMs: 30_000, ...options.backoff });
    this.#maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  }

  /** Runs `read` (which must be safe to repeat) until it is not refused for the rate. */
  async run<T>(what: string, read: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      await this.#options.pacer.take();
      try {
        const result = await read();
        this.#backoff.reset();
        return result;
      } catch (error) {
        if (!isBybitRateLimit(error) || attempt >= this.#maxAttempts) throw error;
        const delayMs = this.#backoff.next();
        this.#options.pacer.penalize(delayMs);
        this.#options.onRateLimited(
          delayMs,
          `${what}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
}
