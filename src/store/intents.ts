/**
 * Intents: what an attached screen asks the one `serve` to do (send orders, cancel, switch the
 * hedger), and the answers. The screen XADDs a request to the venue's `requests` stream and
 * reads its own `replies(screen)` stream; `serve` reads `requests`, takes each intent at most
 * once (SET NX on `taken(id)`, which then keeps the outcome), refuses one older than its
 * limit, and answers on the sender's stream. A request entry's fields:
 *
 * - `id` — random per intent; a retry of the same intent sends the same entry again;
 * - `screen` — the sender, whose `replies` stream gets the answers;
 * - `created` — ms on Redis's clock (TIME), so machines whose clocks disagree agree on age;
 * - `kind` and `payload` (JSON), which this module carries without reading.
 *
 * A reply entry: `id` (the intent's), `t` = `report` (one of the intent's order reports,
 * during and after it) or `end` (its outcome, once), `b` = JSON body.
 */
import { randomBytes } from 'node:crypto';
import { isCluster, type RedisClient } from './connect.js';
import type { IntentKeys } from './keys.js';

/** How an intent ended, as its sender hears it. */
export type IntentOutcome =
  /** It ran; `result` is the executor's answer. `duplicate`: a retry answered from the record. */
  | { readonly status: 'done'; readonly result: unknown; readonly duplicate?: boolean }
  /** `serve` did not run it (too old, malformed, not allowed); nothing was sent. */
  | { readonly status: 'refused'; readonly reason: string }
  /** Another screen sent the same id and `serve` runs it for that one. */
  | { readonly status: 'taken'; readonly reason: string }
  /** It ran and failed in a way the executor did not answer for. */
  | { readonly status: 'failed'; readonly reason: string }
  // Screen side only:
  /** Redis refused the XADD for lack of rights (ACL): this connection is read-only. */
  | { readonly status: 'forbidden'; readonly reason: string }
  /** The request could not be written while it was young enough to be run. */
  | { readonly status: 'unsent'; readonly reason: string }
  /** Sent, but no answer came in time: it may or may not have run. */
  | { readonly status: 'timeout'; readonly reason: string };

/** One request as `serve` reads it. */
export interface IntentRequest {
  readonly id: string;
  readonly screen: string;
  /** ms, Redis's clock. */
  readonly created: number;
  readonly kind: string;
  readonly payload: unknown;
}

export const DEFAULT_INTENT_MAX_AGE_MS = 5_000;
/** Requests kept in the stream (MAXLEN ~): only the last seconds' matter. */
const REQUESTS_MAXLEN = 10_000;
/** Replies kept per screen; a screen reads them as they come. */
const REPLIES_MAXLEN = 1_000;
/** A screen's replies stream vanishes this long after its last reply (a dead screen's). */
const REPLIES_TTL_MS = 10 * 60_000;
const READ_BLOCK_MS = 1_000;
const RETRY_PAUSE_MS = 250;
/**
 * Replies waiting for Redis at most (a long outage of a busy desk): past this the oldest go,
 * said in the log. Each is kept until its stream would have expired anyway.
 */
const UNSENT_REPLIES_KEPT = 10_000;
/** Replies sent per round trip when catching up. */
const REPLIES_PER_FLUSH = 64;
/** Re-learn the offset to Redis's clock this often: clocks drift. */
const CLOCK_RESYNC_MS = 30_000;

/** Ids and screen names go into key names: nothing that could move a key to another slot. */
const ID = /^[A-Za-z0-9_-]{6,64}$/;

export function newIntentId(): string {
  return randomBytes(12).toString('hex');
}

export function newScreenId(): string {
  return `s-${randomBytes(6).toString('hex')}`;
}

/**
 * Redis's clock: the offset from ours, learned with TIME around one round trip. A user whose
 * ACL does not allow TIME gets `fallback` (our own clock, at first).
 */
export async function redisClockOffset(client: RedisClient, fallback = 0): Promise<number> {
  const before = Date.now();
  let answer: readonly (string | number)[];
  try {
    answer = await client.time();
  } catch (error) {
    if (isNoPerm(error)) return fallback;
    throw error;
  }
  const after = Date.now();
  const redisMs = Number(answer[0]) * 1000 + Math.floor(Number(answer[1]) / 1000);
  return redisMs - Math.round((before + after) / 2);
}

/** Redis's clock kept here: learned at start, re-learned every CLOCK_RESYNC_MS until stopped. */
class RedisClock {
  #offset: number;
  readonly #resync: ReturnType<typeof setInterval>;

  private constructor(client: RedisClient, offset: number) {
    this.#offset = offset;
    this.#resync = setInterval(() => {
      redisClockOffset(client).then(
        (next) => (this.#offset = next),
        () => undefined,
      );
    }, CLOCK_RESYNC_MS);
    this.#resync.unref();
  }

  static async start(client: RedisClient): Promise<RedisClock> {
    return new RedisClock(client, await redisClockOffset(client));
  }

  now(): number {
    return Date.now() + this.#offset;
  }

  stop(): void {
    clearInterval(this.#resync);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isNoPerm(error: unknown): boolean {
  return /^NOPERM\b/.test(messageOf(error));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A connection of its own for a blocking read (which holds its connection while it waits), with
 * the client's options; connected now, as commands on a lazy one that is not yet up fail.
 */
export async function dedicatedConnection(client: RedisClient): Promise<RedisClient> {
  const reader: RedisClient = isCluster(client) ? client.duplicate() : client.duplicate();
  reader.on('error', () => undefined);
  try {
    await reader.connect();
  } catch (error) {
    reader.disconnect();
    throw error;
  }
  return reader;
}

type StreamEntry = [id: string, fields: string[]];

/** XREAD's answer for one stream, as ioredis maps it (RESP3 maps become arrays). */
async function readStream(
  reader: RedisClient,
  key: string,
  after: string,
  count: number,
): Promise<StreamEntry[]> {
  const answer = await reader.xread('COUNT', count, 'BLOCK', READ_BLOCK_MS, 'STREAMS', key, after);
  return answer?.[0]?.[1] ?? [];
}

function fieldsOf(list: readonly string[]): Map<string, string> {
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < list.length; i += 2) fields.set(list[i]!, list[i + 1]!);
  return fields;
}

// ——— the screen's side ———

export interface IntentSenderOptions {
  readonly client: RedisClient;
  readonly keys: IntentKeys;
  /** This screen's id (default a random one). */
  readonly screen?: string;
  /** How long to wait for an intent's end after it was created (default 10 s). */
  readonly timeoutMs?: number;
  /** No answer after this long: the same request is sent again, if still young (default 2 s). */
  readonly retryAfterMs?: number;
  /** The age past which `serve` refuses it: a request is not (re)sent older (default 5 s). */
  readonly maxAgeMs?: number;
}

export interface SendOptions {
  /** Sends a known intent again (a retry): its id and its creation time. */
  readonly id?: string;
  readonly created?: number;
}

type ReportListener = (intentId: string, body: unknown) => void;

/**
 * A screen's end of the intents: sends requests, reads its replies stream on a connection of
 * its own (XREAD BLOCK), and resolves each intent with its outcome. Reports on an intent's
 * orders, also those that come after its end (a resting order filled), go to `onReport`.
 */
export class IntentSender {
  readonly screen: string;
  readonly #client: RedisClient;
  readonly #reader: RedisClient;
  readonly #keys: IntentKeys;
  readonly #timeoutMs: number;
  readonly #retryAfterMs: number;
  readonly #maxAgeMs: number;
  readonly #waiting = new Map<string, ((outcome: IntentOutcome) => void)[]>();
  readonly #listeners = new Set<ReportListener>();
  readonly #clock: RedisClock;
  #closed = false;
  #reading: Promise<void> = Promise.resolve();

  private constructor(options: IntentSenderOptions, reader: RedisClient, clock: RedisClock) {
    this.#client = options.client;
    this.#reader = reader;
    this.#keys = options.keys;
    this.screen = options.screen ?? newScreenId();
    if (!ID.test(this.screen)) throw new Error(`invalid screen id ${JSON.stringify(this.screen)}`);
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#retryAfterMs = options.retryAfterMs ?? 2_000;
    this.#maxAgeMs = options.maxAgeMs ?? DEFAULT_INTENT_MAX_AGE_MS;
    this.#clock = clock;
  }

  /** Learns Redis's clock and starts reading the replies. */
  static async open(options: IntentSenderOptions): Promise<IntentSender> {
    const clock = await RedisClock.start(options.client);
    // A blocking read holds its connection: it gets one of its own.
    const reader = await dedicatedConnection(options.client);
    const sender = new IntentSender(options, reader, clock);
    sender.#reading = sender.#readReplies();
    return sender;
  }

  /** Now on Redis's clock (ms). */
  now(): number {
    return this.#clock.now();
  }

  onReport(listener: ReportListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /**
   * Sends an intent and resolves with its outcome; never rejects. A request that cannot be
   * written is retried while young enough to be run; one without an answer is sent again once
   * (the same id: `serve` runs it at most once).
   */
  async send(kind: string, payload: unknown, options: SendOptions = {}): Promise<IntentOutcome> {
    if (this.#closed) return { status: 'unsent', reason: 'the screen is closing' };
    const id = options.id ?? newIntentId();
    const created = options.created ?? this.now();
    const fields = [
      'id',
      id,
      'screen',
      this.screen,
      'created',
      String(created),
      'kind',
      kind,
      'payload',
      JSON.stringify(payload),
    ];
    const ended = new Promise<IntentOutcome>((resolve) => {
      const list = this.#waiting.get(id) ?? [];
      list.push(resolve);
      this.#waiting.set(id, list);
    });
    const written = await this.#write(fields, created);
    if (written !== null) {
      this.#finish(id, written);
      return ended;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const retryIn = created + this.#retryAfterMs - this.now();
    if (created + this.#maxAgeMs - this.now() > this.#retryAfterMs) {
      retry = setTimeout(
        () => void this.#write(fields, created).catch(() => undefined),
        Math.max(0, retryIn),
      );
    }
    const timeout = new Promise<IntentOutcome>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            status: 'timeout',
            reason: `no answer from serve in ${Math.round(this.#timeoutMs / 1000)} s`,
          }),
        Math.max(0, created + this.#timeoutMs - this.now()),
      );
    });
    const outcome = await Promise.race([ended, timeout]);
    clearTimeout(timer);
    clearTimeout(retry);
    this.#waiting.delete(id);
    return outcome;
  }

  /** Null once written; else why it never was. */
  async #write(fields: readonly string[], created: number): Promise<IntentOutcome | null> {
    for (;;) {
      try {
        await this.#client.xadd(
          this.#keys.requests,
          'MAXLEN',
          '~',
          REQUESTS_MAXLEN,
          '*',
          ...fields,
        );
        return null;
      } catch (error) {
        if (isNoPerm(error)) return { status: 'forbidden', reason: messageOf(error) };
        if (this.#closed || this.now() - created + RETRY_PAUSE_MS > this.#maxAgeMs) {
          return { status: 'unsent', reason: `Redis did not take it (${messageOf(error)})` };
        }
        await sleep(RETRY_PAUSE_MS);
      }
    }
  }

  #finish(id: string, outcome: IntentOutcome): void {
    const list = this.#waiting.get(id);
    if (list === undefined) return;
    this.#waiting.delete(id);
    for (const resolve of list) resolve(outcome);
  }

  async #readReplies(): Promise<void> {
    const key = this.#keys.replies(this.screen);
    // The stream is this screen's alone and new with it: everything in it is for us.
    let after = '0-0';
    while (!this.#closed) {
      let entries: StreamEntry[];
      try {
        entries = await readStream(this.#reader, key, after, 100);
      } catch {
        if (!this.#closed) await sleep(RETRY_PAUSE_MS);
        continue;
      }
      for (const [entryId, list] of entries) {
        after = entryId;
        this.#dispatch(fieldsOf(list));
      }
    }
  }

  #dispatch(fields: Map<string, string>): void {
    const id = fields.get('id');
    const type = fields.get('t');
    let body: unknown;
    try {
      body = JSON.parse(fields.get('b') ?? 'null');
    } catch {
      return;
    }
    if (id === undefined) return;
    if (type === 'report') {
      for (const listener of this.#listeners) listener(id, body);
    } else if (type === 'end') {
      this.#finish(id, body as IntentOutcome);
    }
  }

  /** Stops reading; intents still waiting end as unsent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#clock.stop();
    this.#reader.disconnect();
    await this.#reading;
    for (const id of [...this.#waiting.keys()]) {
      this.#finish(id, { status: 'unsent', reason: 'the screen is closing' });
    }
  }
}

// ——— serve's side ———

/** Where one intent's answers go, during its run and after (later reports on its orders). */
export interface ReplyChannel {
  readonly screen: string;
  readonly intentId: string;
  report(body: unknown): void;
}

export type IntentHandler = (
  request: IntentRequest,
  channel: ReplyChannel,
) => Promise<IntentOutcome>;

export interface IntentServerOptions {
  readonly client: RedisClient;
  readonly keys: IntentKeys;
  readonly handle: IntentHandler;
  /** Older than this when read (Redis's clock): refused, not run late (default 5 s). */
  readonly maxAgeMs?: number;
  /** Problems worth a line in serve's log; never a secret (intents carry none). */
  readonly log?: (line: string) => void;
}

/** What `taken(id)` holds: who sent it, and how it ended once it has. */
interface TakenRecord {
  readonly screen: string;
  readonly outcome: IntentOutcome | null;
}

/**
 * `serve`'s end: reads `requests` from where the last `serve` left it, takes each intent at
 * most once and runs it through the handler, answering on the sender's replies stream. A
 * request is taken in read order before the next is looked at, but runs on its own: an order
 * waiting for the venue does not hold up another screen's intent.
 */
export class IntentServer {
  readonly #client: RedisClient;
  readonly #reader: RedisClient;
  readonly #keys: IntentKeys;
  readonly #handle: IntentHandler;
  readonly #maxAgeMs: number;
  readonly #takenTtlMs: number;
  readonly #log: (line: string) => void;
  /**
   * The ids taken here lately, with their outcomes: a Redis that restarted empty forgets
   * `taken` keys, and a retry must still not run twice.
   */
  readonly #memo = new Map<string, { record: TakenRecord; until: number }>();
  readonly #running = new Set<Promise<void>>();
  readonly #clock: RedisClock;
  #closed = false;
  #reading: Promise<void> = Promise.resolve();
  /**
   * Replies not yet taken by Redis, in the order they were made: a Redis down when an intent
   * ends holds its answer here, not in the void, and the sender hears it once Redis is back
   * (reports of its order too, in order).
   */
  readonly #unsent: {
    readonly screen: string;
    readonly entry: string[];
    readonly until: number;
  }[] = [];
  #flushing: Promise<void> | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** Replies the current outage holds up, for one log line when it starts and one at its end. */
  #heldSince: number | null = null;

  private constructor(options: IntentServerOptions, reader: RedisClient, clock: RedisClock) {
    this.#client = options.client;
    this.#reader = reader;
    this.#keys = options.keys;
    this.#handle = options.handle;
    this.#maxAgeMs = options.maxAgeMs ?? DEFAULT_INTENT_MAX_AGE_MS;
    // Past its max age a retry is refused anyway; the record outlives that by a wide margin.
    this.#takenTtlMs = Math.max(60_000, 10 * this.#maxAgeMs);
    this.#log = options.log ?? (() => undefined);
    this.#clock = clock;
  }

  static async start(options: IntentServerOptions): Promise<IntentServer> {
    const clock = await RedisClock.start(options.client);
    const reader = await dedicatedConnection(options.client);
    const server = new IntentServer(options, reader, clock);
    const stored = await options.client.get(options.keys.cursor);
    // No cursor yet: what is older than the max age would only be refused, so skip it.
    const from = stored ?? `${Math.max(0, server.now() - server.#maxAgeMs)}-0`;
    server.#reading = server.#readRequests(from);
    return server;
  }

  now(): number {
    return this.#clock.now();
  }

  /** A channel to a screen for an intent's later reports. */
  channel(screen: string, intentId: string): ReplyChannel {
    return {
      screen,
      intentId,
      report: (body) => this.#reply(screen, intentId, 'report', body),
    };
  }

  async #readRequests(from: string): Promise<void> {
    let after = from;
    while (!this.#closed) {
      let entries: StreamEntry[];
      try {
        entries = await readStream(this.#reader, this.#keys.requests, after, 100);
      } catch {
        if (!this.#closed) await sleep(RETRY_PAUSE_MS);
        continue;
      }
      let done = after;
      for (const [entryId, list] of entries) {
        if (this.#closed) break;
        try {
          await this.#take(fieldsOf(list));
        } catch (error) {
          // Redis failed between reading and taking: read again from here, nothing was run.
          this.#log(`intents: could not take a request (${messageOf(error)}); retrying`);
          break;
        }
        done = entryId;
      }
      if (done !== after) {
        after = done;
        await this.#client.set(this.#keys.cursor, after).catch(() => undefined);
      } else if (entries.length > 0) {
        await sleep(RETRY_PAUSE_MS);
      }
    }
  }

  async #take(fields: Map<string, string>): Promise<void> {
    const request = this.#parse(fields);
    if (request === null) return;
    if (typeof request === 'string') {
      const screen = fields.get('screen');
      const id = fields.get('id');
      if (screen !== undefined && id !== undefined && ID.test(screen) && ID.test(id)) {
        this.#reply(screen, id, 'end', { status: 'refused', reason: request });
      }
      this.#log(`intents: refused a malformed request: ${request}`);
      return;
    }
    this.#prune();
    const known = this.#memo.get(request.id)?.record;
    if (known !== undefined) {
      this.#answerDuplicate(request, known);
      return;
    }
    const record: TakenRecord = { screen: request.screen, outcome: null };
    const took = await this.#client.set(
      this.#keys.taken(request.id),
      JSON.stringify(record),
      'PX',
      this.#takenTtlMs,
      'NX',
    );
    if (took !== 'OK') {
      const stored = await this.#client.get(this.#keys.taken(request.id));
      this.#answerDuplicate(
        request,
        stored === null ? record : (JSON.parse(stored) as TakenRecord),
      );
      return;
    }
    this.#memo.set(request.id, { record, until: Date.now() + this.#takenTtlMs });
    const age = this.now() - request.created;
    if (age > this.#maxAgeMs || age < -this.#maxAgeMs) {
      const seconds = (age / 1000).toFixed(1);
      const reason =
        age > 0
          ? `intent ${seconds} s old when serve read it (max ${this.#maxAgeMs / 1000} s): not run`
          : `intent dated ${(-age / 1000).toFixed(1)} s ahead of Redis's clock: not run`;
      this.#end(request, { status: 'refused', reason });
      return;
    }
    const channel = this.channel(request.screen, request.id);
    const running = this.#run(request, channel);
    this.#running.add(running);
    void running.finally(() => this.#running.delete(running));
  }

  async #run(request: IntentRequest, channel: ReplyChannel): Promise<void> {
    let outcome: IntentOutcome;
    try {
      outcome = await this.#handle(request, channel);
    } catch (error) {
      outcome = { status: 'failed', reason: messageOf(error) };
    }
    this.#end(request, outcome);
  }

  #end(request: IntentRequest, outcome: IntentOutcome): void {
    const record: TakenRecord = { screen: request.screen, outcome };
    this.#memo.set(request.id, { record, until: Date.now() + this.#takenTtlMs });
    this.#client
      .set(this.#keys.taken(request.id), JSON.stringify(record), 'PX', this.#takenTtlMs, 'XX')
      .catch(() => undefined);
    this.#reply(request.screen, request.id, 'end', outcome);
  }

  /** A second sight of an id: never run again; answered with how it ended where known. */
  #answerDuplicate(request: IntentRequest, record: TakenRecord): void {
    if (record.outcome !== null) {
      const outcome =
        record.outcome.status === 'done' ? { ...record.outcome, duplicate: true } : record.outcome;
      this.#reply(request.screen, request.id, 'end', outcome);
      return;
    }
    // Still running: its sender hears the end when it comes; another screen hears who has it.
    if (record.screen === request.screen) return;
    this.#reply(request.screen, request.id, 'end', {
      status: 'taken',
      reason: 'already taken: another screen sent this intent and serve runs it for that one',
    });
  }

  #parse(fields: Map<string, string>): IntentRequest | string | null {
    const id = fields.get('id');
    const screen = fields.get('screen');
    const created = Number(fields.get('created'));
    const kind = fields.get('kind');
    const text = fields.get('payload');
    if (id === undefined || screen === undefined) return null;
    if (!ID.test(id) || !ID.test(screen)) return null;
    if (!Number.isSafeInteger(created)) return 'no creation time';
    if (kind === undefined || kind === '') return 'no kind';
    let payload: unknown;
    try {
      payload = JSON.parse(text ?? 'null');
    } catch {
      return 'payload is not JSON';
    }
    return { id, screen, created, kind, payload };
  }

  /** Queued, then sent behind every reply before it (a screen hears its answers in order). */
  #reply(screen: string, intentId: string, type: 'report' | 'end', body: unknown): void {
    const entry = ['id', intentId, 't', type, 'b', JSON.stringify(body)];
    this.#unsent.push({ screen, entry, until: Date.now() + REPLIES_TTL_MS });
    if (this.#unsent.length > UNSENT_REPLIES_KEPT) {
      const dropped = this.#unsent.shift()!;
      this.#log(`intents: a reply to ${dropped.screen} was dropped: too many wait for Redis`);
    }
    void this.#flushReplies();
  }

  /** Sends the waiting replies in order; what Redis does not take waits for the next try. */
  #flushReplies(): Promise<void> {
    this.#flushing ??= this.#sendWaiting().finally(() => (this.#flushing = null));
    return this.#flushing;
  }

  async #sendWaiting(): Promise<void> {
    while (this.#unsent.length > 0) {
      const now = Date.now();
      // A reply past its stream's life would land in a stream nobody reads.
      while (this.#unsent.length > 0 && this.#unsent[0]!.until <= now) {
        const expired = this.#unsent.shift()!;
        this.#log(`intents: a reply to ${expired.screen} expired while Redis was away`);
      }
      const batch = this.#unsent.slice(0, REPLIES_PER_FLUSH);
      if (batch.length === 0) break;
      const pipeline = this.#client.pipeline();
      for (const { screen, entry } of batch) {
        const key = this.#keys.replies(screen);
        pipeline.xadd(key, 'MAXLEN', '~', REPLIES_MAXLEN, '*', ...entry);
        pipeline.pexpire(key, REPLIES_TTL_MS);
      }
      let sent = 0;
      let failure: unknown = null;
      try {
        const results = (await pipeline.exec()) ?? [];
        // Calls on one connection run in order: the replies before the first failure landed.
        while (sent < batch.length && results[2 * sent]?.[0] === null) sent += 1;
        if (sent < batch.length) failure = results[2 * sent]?.[0] ?? 'no answer';
      } catch (error) {
        failure = error;
      }
      this.#unsent.splice(0, sent);
      if (failure !== null) {
        this.#held(failure);
        return;
      }
    }
    if (this.#heldSince !== null) {
      this.#log(
        `intents: replies delivered after ${Date.now() - this.#heldSince} ms without Redis`,
      );
      this.#heldSince = null;
    }
  }

  /** Redis took not every reply: try again shortly (one log line per outage). */
  #held(failure: unknown): void {
    if (this.#heldSince === null) {
      this.#heldSince = Date.now();
      this.#log(
        `intents: replies wait for Redis (${this.#unsent.length} now): ${messageOf(failure)}`,
      );
    }
    if (this.#retryTimer !== null || this.#closed) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      void this.#flushReplies();
    }, RETRY_PAUSE_MS);
    this.#retryTimer.unref();
  }

  #prune(): void {
    const now = Date.now();
    for (const [id, { until }] of this.#memo) {
      if (until > now) break;
      this.#memo.delete(id);
    }
  }

  /** Replies waiting for Redis (it did not take them yet). */
  unsentReplies(): number {
    return this.#unsent.length;
  }

  /**
   * Stops reading; intents already running finish and are answered. Replies still waiting
   * for Redis get one more try (bounded by `deadlineMs`).
   */
  async close(deadlineMs = 2_000): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#clock.stop();
    this.#reader.disconnect();
    await this.#reading;
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    if (this.#unsent.length === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.#flushReplies(),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, deadlineMs))),
    ]);
    clearTimeout(timer);
    if (this.#unsent.length > 0) {
      this.#log(`intents: ${this.#unsent.length} replies never reached Redis before closing`);
    }
  }
}
