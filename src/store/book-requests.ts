/**
 * Books asked for by attached screens. Serve follows the L2 books of what is held; a screen
 * that wants another one (a depth view of a book not held) leaves a lease in a sorted set,
 * member `<instrument> <screen>`, score the lease's end on Redis's clock (so machines whose
 * clocks disagree still agree on it). The screen renews its leases while it
 * wants the books and removes them when it no longer does; a screen that dies simply stops
 * renewing, and serve stops following what no live lease asks for.
 *
 * Plain commands only (TIME, ZADD, ZREM, PEXPIRE; serve: ZREMRANGEBYSCORE, ZRANGE), so a
 * viewer's ACL can allow them on this one key without allowing scripts or any other write.
 */
import type { RedisClient } from './connect.js';
import { redisClockOffset } from './intents.js';

/** How long one lease lasts without renewal. */
export const BOOK_LEASE_MS = 30_000;
/** How often a screen renews its leases (a third of a lease: two renewals may fail). */
export const BOOK_LEASE_RENEW_MS = 10_000;
/** How often serve reads the leases. */
export const BOOK_REQUEST_POLL_MS = 1_000;
/** How long closing waits for its leases to be removed. */
const CLOSE_WAIT_MS = 500;

export const BOOK_REQUESTS_READ_ONLY =
  'read-only connection: this Redis user may not ask serve for books (serve follows the books of held instruments only)';

const member = (instrument: string, screenId: string): string => `${instrument} ${screenId}`;

function isNoPerm(error: unknown): boolean {
  return /^NOPERM\b/.test(error instanceof Error ? error.message : String(error));
}

async function redisNow(client: RedisClient): Promise<number> {
  return Date.now() + (await redisClockOffset(client));
}

export interface BookAsksOptions {
  readonly client: RedisClient;
  /** The venue's `books` key (KeySchema.venue(venue).books). */
  readonly key: string;
  readonly screenId: string;
  readonly leaseMs?: number;
  readonly renewMs?: number;
  /** A renewal that failed (Redis down): the leases are written again at the next one. */
  readonly onError?: (error: unknown) => void;
}

/** A screen's side: the books it asks serve for, renewed until dropped or closed. */
export class BookAsks {
  readonly #options: BookAsksOptions;
  readonly #leaseMs: number;
  readonly #wanted = new Set<string>();
  #timer: ReturnType<typeof setInterval> | null = null;
  /**
   * The renewal being written: a drop or close waits for it before removing leases, or its
   * ZADD, sent after its TIME's answer, could land after their ZREM and bring a lease back.
   */
  #renewal: Promise<void> | null = null;

  constructor(options: BookAsksOptions) {
    this.#options = options;
    this.#leaseMs = options.leaseMs ?? BOOK_LEASE_MS;
  }

  /** The instruments this screen asks for now. */
  wanted(): ReadonlySet<string> {
    return this.#wanted;
  }

  /**
   * Asks for these books (besides those asked already). Rejects with BOOK_REQUESTS_READ_ONLY
   * when the user's ACL may not write the key; nothing is then asked.
   */
  async ask(instruments: readonly string[]): Promise<void> {
    const fresh = instruments.filter((name) => !this.#wanted.has(name));
    if (fresh.length === 0) return;
    try {
      await this.#write(fresh);
    } catch (error) {
      throw isNoPerm(error) ? new Error(BOOK_REQUESTS_READ_ONLY) : error;
    }
    for (const name of fresh) this.#wanted.add(name);
    this.#timer ??= setInterval(() => this.#renew(), this.#options.renewMs ?? BOOK_LEASE_RENEW_MS);
    this.#timer.unref();
  }

  /** Stops asking for these books. */
  async drop(instruments: readonly string[]): Promise<void> {
    const gone = instruments.filter((name) => this.#wanted.delete(name));
    if (this.#wanted.size === 0) this.#stopRenewing();
    if (gone.length === 0) return;
    const { client, key, screenId } = this.#options;
    await this.#renewal;
    await client.zrem(key, ...gone.map((name) => member(name, screenId)));
  }

  /** Drops every lease of this screen (best effort: unrenewed leases end by themselves). */
  async close(): Promise<void> {
    this.#stopRenewing();
    const all = [...this.#wanted];
    this.#wanted.clear();
    if (all.length === 0) return;
    const { client, key, screenId } = this.#options;
    // Not waited for long: a hung Redis must not hold up quitting (the leases end anyway).
    let timer: ReturnType<typeof setTimeout> | undefined;
    const remove = async (): Promise<void> => {
      await this.#renewal;
      await client.zrem(key, ...all.map((name) => member(name, screenId))).catch(() => undefined);
    };
    await Promise.race([
      remove(),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS))),
    ]);
    clearTimeout(timer);
  }

  #stopRenewing(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  #renew(): void {
    // One renewal at a time: a slow Redis gets no pile of them.
    if (this.#wanted.size === 0 || this.#renewal !== null) return;
    this.#renewal = this.#write([...this.#wanted])
      .catch((error: unknown) => this.#options.onError?.(error))
      .finally(() => {
        this.#renewal = null;
      });
  }

  async #write(instruments: readonly string[]): Promise<void> {
    const { client, key, screenId } = this.#options;
    const until = (await redisNow(client)) + this.#leaseMs;
    const args: (string | number)[] = [];
    for (const name of instruments) args.push(until, member(name, screenId));
    await client.zadd(key, ...args);
    // The key outlives its last lease by one lease at most, even if serve never trims it.
    await client.pexpire(key, 2 * this.#leaseMs);
  }
}

/**
 * Serve's side: the instruments some live lease asks for, read now (expired leases removed).
 */
export async function readBookRequests(client: RedisClient, key: string): Promise<Set<string>> {
  const now = await redisNow(client);
  await client.zremrangebyscore(key, '-inf', now);
  const members = await client.zrange(key, 0, -1);
  const instruments = new Set<string>();
  for (const entry of members) {
    const space = entry.indexOf(' ');
    if (space > 0) instruments.add(entry.slice(0, space));
  }
  return instruments;
}

export interface BookRequestWatcherOptions {
  readonly client: RedisClient;
  readonly key: string;
  readonly pollMs?: number;
  /** The instruments asked for, whenever that set changes (first call: the first read). */
  readonly onChange: (instruments: ReadonlySet<string>) => void;
  /** The first failed read of a streak (the poll runs every second; one line per outage). */
  readonly onError?: (error: unknown) => void;
}

/**
 * Reads the leases every poll and reports changes. While Redis cannot be read the last set
 * stands: a Redis outage must not make serve drop the books screens are looking at.
 */
export function watchBookRequests(options: BookRequestWatcherOptions): { stop(): void } {
  let last: string | null = null;
  let running = false;
  let stopped = false;
  let failing = false;
  const poll = async (): Promise<void> => {
    if (running || stopped) return;
    running = true;
    try {
      const asked = await readBookRequests(options.client, options.key);
      failing = false;
      const text = [...asked].sort().join(' ');
      if (text !== last && !stopped) {
        last = text;
        options.onChange(asked);
      }
    } catch (error) {
      if (!failing) options.onError?.(error);
      failing = true;
    } finally {
      running = false;
    }
  };
  void poll();
  const timer = setInterval(() => void poll(), options.pollMs ?? BOOK_REQUEST_POLL_MS);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
