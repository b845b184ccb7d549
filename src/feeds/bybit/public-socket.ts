/**
 * One Bybit public socket (an option shard or the linear socket) and the topics it should
 * hold: subscribes everything on every (re)connect, then follows additions and removals, in
 * chunks, one op at a time, each awaiting its ack. Data frames go to the owner untouched.
 * Every op and ping carries a req_id its answer echoes, which times the connection's round
 * trip; the socket the feed reports on also pings for it when nothing else was timed lately.
 */
import type { StatusEvent } from '../../book/events.js';
import { Backoff, type BackoffOptions } from '../common/backoff.js';
import { ConnectionLostError, RequestTimeoutError } from '../common/errors.js';
import { ManagedSocket, type SocketSession } from '../common/managed-socket.js';
import { PendingRequests } from '../common/pending-requests.js';
import type { RequestPacer } from '../common/request-pacer.js';
import { RoundTripMeter, type RoundTripStamp } from '../common/round-trip-meter.js';
import { RoundTripProbe } from '../common/round-trip-probe.js';
import { isRecord, WireFormatError, type WireRecord } from '../wire-fields.js';
import { chunkTopics } from './subscriptions.js';
import {
  bybitControlReply,
  bybitPingFrame,
  bybitTopicOpFrame,
  isRateLimitMessage,
  type BybitControlReply,
  type BybitTopicOp,
} from './ws-ops.js';

type Reply = Extract<BybitControlReply, { kind: 'reply' }>;

// The venue counts requests per second: a pause of one window, doubling while refusals go on.
const DEFAULT_RATE_BACKOFF = { initialMs: 1000, maxMs: 30_000 } as const;
const PING_ID_PREFIX = 'ping-';
/** Answers lost for good (a timed-out op, a pong never sent) must not pile up stamps. */
const MAX_STAMPS = 32;

export interface PublicSocketOptions {
  readonly venue: string;
  /** The status events' stream name: `option`, `option-2`, `linear`. */
  readonly stream: string;
  readonly url: string;
  readonly pingIntervalMs: number;
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly subscribeChunk: number;
  readonly backoff?: Partial<BackoffOptions>;
  readonly rateLimitBackoff?: Partial<BackoffOptions>;
  /** Paces this socket's ops; penalized when the venue says too many requests. */
  readonly pacer: RequestPacer;
  /**
   * Set on the socket whose round trip the feed reports: a ping goes when nothing was timed
   * for most of this long, so the figure is never much older while connected.
   */
  readonly roundTripIntervalMs?: number;
  readonly now: () => number;
  /** A new connection opened: reset per-connection state before anything is subscribed. */
  readonly onConnection: (epoch: number) => void;
  readonly onRaw: (text: string, localTs: number) => void;
  readonly onData: (message: WireRecord, localTs: number) => void;
  /** `topic`: the topic a frame cut short still names at its start, if any. */
  readonly onMalformed: (detail: string, topic: string | null) => void;
  readonly onStatus: (event: StatusEvent) => void;
  readonly onRateLimited: (delayMs: number, detail: string) => void;
  /** The venue refused these topics (listed in failTopics, or the whole op). */
  readonly onRefused: (topics: readonly string[], detail: string) => void;
}

export class PublicSocket {
  readonly #options: PublicSocketOptions;
  readonly #socket: ManagedSocket;
  readonly #pending: PendingRequests<string>;
  readonly #rateBackoff: Backoff;
  /** The first rate-limit pause: the venue's counting window. */
  readonly #rateWindowMs: number;
  /** What the socket should hold, in the order it was asked for. */
  readonly #desired = new Set<string>();
  /** Topics waiting for the next resubscribe op, and that op while it waits its turn. */
  readonly #resyncQueue = new Set<string>();
  #resyncDone: Promise<void> | null = null;
  #session: SocketSession | null = null;
  #chain: Promise<void> = Promise.resolve();
  #requestSeq = 0;
  readonly #meter = new RoundTripMeter();
  readonly #probe: RoundTripProbe | null;
  /** When each op or ping awaiting its answer left, by req_id, oldest first. */
  readonly #stamps = new Map<string, RoundTripStamp>();
  #pingSeq = 0;
  /** Until when the venue's rate limit holds every op back: no ping of ours adds to it. */
  #rateLimitedUntil = -Infinity;

  constructor(options: PublicSocketOptions) {
    this.#options = options;
    this.#pending = new PendingRequests({ defaultTimeoutMs: options.requestTimeoutMs });
    const rateBackoff = { ...DEFAULT_RATE_BACKOFF, ...options.rateLimitBackoff };
    this.#rateBackoff = new Backoff(rateBackoff);
    this.#rateWindowMs = rateBackoff.initialMs;
    this.#socket = new ManagedSocket({
      venue: options.venue,
      stream: options.stream,
      url: options.url,
      connectTimeoutMs: options.connectTimeoutMs,
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
      keepAlive: { intervalMs: options.pingIntervalMs, frame: () => this.#pingFrame() },
      // Pongs count as frames: three missed ones mean the connection is gone.
      deadAfterMs: options.pingIntervalMs * 3,
      now: options.now,
      onConnected: (session) => this.#connected(session),
      onFrame: (text, localTs) => this.#frame(text, localTs),
      onStatus: options.onStatus,
      onDisconnected: (reason) => this.#disconnected(reason),
    });
    this.#probe =
      options.roundTripIntervalMs === undefined
        ? null
        : new RoundTripProbe({
            meter: this.#meter,
            intervalMs: options.roundTripIntervalMs,
            // Ops waiting their turn will be timed anyway.
            ready: () =>
              this.#socket.live &&
              options.now() >= this.#rateLimitedUntil &&
              options.pacer.waiting === 0,
            send: () => {
              this.#socket.send(this.#pingFrame());
            },
          });
  }

  get stream(): string {
    return this.#options.stream;
  }

  get live(): boolean {
    return this.#socket.live;
  }

  get epoch(): number {
    return this.#socket.epoch;
  }

  /** The latest op or ping round trip, in ms; null before the first and while disconnected. */
  get roundTripMs(): number | null {
    return this.#meter.latestMs;
  }

  /** Topics this socket holds or is about to, in subscription order. */
  topics(): IterableIterator<string> {
    return this.#desired.values();
  }

  holds(topic: string): boolean {
    return this.#desired.has(topic);
  }

  async start(): Promise<void> {
    this.#probe?.start();
    try {
      await this.#socket.start();
    } catch (error) {
      this.#probe?.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.#probe?.stop();
    await this.#socket.stop();
    this.#pending.rejectAll('stopped');
  }

  reconnect(reason: string): void {
    this.#socket.reconnect(reason);
  }

  /** Resolves once the venue acknowledged them (at once when not connected: the next connection subscribes them). */
  subscribe(topics: readonly string[]): Promise<void> {
    const fresh = topics.filter((topic) => !this.#desired.has(topic));
    for (const topic of fresh) this.#desired.add(topic);
    return this.#run((session) => this.#request(session, 'subscribe', fresh));
  }

  unsubscribe(topics: readonly string[]): Promise<void> {
    const held = topics.filter((topic) => this.#desired.delete(topic));
    return this.#run((session) => this.#request(session, 'unsubscribe', held));
  }

  /**
   * Unsubscribe then subscribe again: the venue answers with a fresh snapshot. Topics asked
   * for while an earlier resubscribe waits its turn join it, so a burst of broken books
   * costs two ops, not two per book.
   */
  resubscribe(topic: string): Promise<void> {
    // Without a connection there is nothing to do: the next one subscribes everything.
    if (!this.#desired.has(topic) || this.#session === null) return Promise.resolve();
    this.#resyncQueue.add(topic);
    if (this.#resyncDone !== null) return this.#resyncDone;
    const done = this.#run(async (session) => {
      this.#resyncDone = null;
      const topics = [...this.#resyncQueue].filter((queued) => this.#desired.has(queued));
      this.#resyncQueue.clear();
      await this.#request(session, 'unsubscribe', topics);
      await this.#request(session, 'subscribe', topics);
    });
    this.#resyncDone = done;
    return done;
  }

  async #connected(session: SocketSession): Promise<void> {
    this.#session = session;
    this.#chain = Promise.resolve();
    this.#resyncQueue.clear();
    this.#resyncDone = null;
    this.#options.onConnection(session.epoch);
    const all = [...this.#desired];
    await this.#enqueue(session, () => this.#request(session, 'subscribe', all));
  }

  #disconnected(reason: string): void {
    this.#session = null;
    this.#meter.reset();
    this.#stamps.clear();
    this.#pending.rejectAll(reason);
  }

  /** Runs an op on the current connection, after the ops before it; failures are handled here. */
  #run(op: (session: SocketSession) => Promise<void>): Promise<void> {
    const session = this.#session;
    if (session === null) return Promise.resolve();
    return this.#enqueue(session, () => op(session)).catch((error: unknown) => {
      this.#opFailed(error);
    });
  }

  /** Ops of one connection run one after another: an unsubscribe must not overtake a subscribe. */
  #enqueue(session: SocketSession, op: () => Promise<void>): Promise<void> {
    const run = this.#chain.then(() => (session === this.#session ? op() : undefined));
    this.#chain = run.catch(() => undefined);
    return run;
  }

  #opFailed(error: unknown): void {
    // The connection went away: the next one subscribes everything anyway.
    if (error instanceof ConnectionLostError) return;
    if (error instanceof RequestTimeoutError) {
      this.#socket.reconnect(`no answer to ${error.method} within ${error.timeoutMs} ms`);
      return;
    }
    this.#options.onStatus({
      kind: 'status',
      venue: this.#options.venue,
      stream: this.#options.stream,
      ts: this.#options.now(),
      status: 'error',
      detail: error instanceof Error ? error.message : String(error),
    });
  }

  async #request(session: SocketSession, op: BybitTopicOp, topics: readonly string[]) {
    for (const chunk of chunkTopics(topics, this.#options.subscribeChunk)) {
      await this.#send(session, op, chunk);
    }
  }

  /** One op, retried after a backoff while the venue says too many requests. */
  async #send(session: SocketSession, op: BybitTopicOp, chunk: readonly string[]): Promise<void> {
    for (;;) {
      await this.#options.pacer.take();
      if (session !== this.#session) throw new ConnectionLostError(op, 'connection replaced');
      this.#requestSeq += 1;
      const reqId = `${op === 'subscribe' ? 'sub' : 'unsub'}-${this.#requestSeq}`;
      const answer = this.#pending.add(reqId, `${this.#options.stream} ${op}`);
      try {
        this.#stamp(reqId);
        session.send(bybitTopicOpFrame(op, reqId, chunk));
      } catch (error) {
        this.#pending.reject(reqId, error instanceof Error ? error : new Error(String(error)));
      }
      const reply = (await answer) as Reply;
      if (reply.success) {
        this.#rateBackoff.reset();
        return;
      }
      if (isRateLimitMessage(reply.message)) {
        const delayMs = this.#rateBackoff.next();
        this.#options.onRateLimited(delayMs, `${op}: ${reply.message}`);
        this.#penalize(delayMs);
        continue;
      }
      // Unsubscribing a topic the venue already dropped (a delisting) leaves the same state.
      if (op === 'subscribe') {
        const refused = reply.failTopics.length > 0 ? reply.failTopics : chunk;
        this.#options.onRefused(
          refused,
          reply.message === '' ? 'subscribe refused' : reply.message,
        );
      }
      return;
    }
  }

  #frame(text: string, localTs: number): void {
    this.#options.onRaw(text, localTs);
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.#options.onMalformed(`not JSON: ${excerpt(text)}`, topicNamedIn(text));
      return;
    }
    if (isRecord(message) && typeof message['topic'] === 'string') {
      this.#options.onData(message, localTs);
      return;
    }
    let reply: BybitControlReply | null;
    try {
      reply = bybitControlReply(message);
    } catch (error) {
      if (!(error instanceof WireFormatError)) throw error;
      this.#options.onMalformed(`${error.message}: ${excerpt(text)}`, null);
      return;
    }
    if (reply === null) return;
    // Any answer is a round trip, a refusal included.
    this.#timed(reply.reqId, reply.kind === 'pong');
    if (reply.kind === 'pong') return;
    if (reply.reqId !== null && !isPingId(reply.reqId)) {
      this.#pending.resolve(reply.reqId, reply);
    } else if (!reply.success && isRateLimitMessage(reply.message)) {
      // A refused ping: nothing is retried, so one window's pause without growing the backoff.
      const delayMs = this.#rateWindowMs;
      this.#options.onRateLimited(delayMs, `${reply.op ?? 'op'}: ${reply.message}`);
      this.#penalize(delayMs);
    }
  }

  #penalize(delayMs: number): void {
    this.#rateLimitedUntil = Math.max(this.#rateLimitedUntil, this.#options.now() + delayMs);
    this.#options.pacer.penalize(delayMs);
  }

  #pingFrame(): string {
    this.#pingSeq += 1;
    const reqId = `${PING_ID_PREFIX}${this.#pingSeq}`;
    this.#stamp(reqId);
    return bybitPingFrame(reqId);
  }

  #stamp(reqId: string): void {
    this.#stamps.set(reqId, this.#meter.sent());
    if (this.#stamps.size > MAX_STAMPS) {
      const oldest = this.#stamps.keys().next().value;
      if (oldest !== undefined) this.#stamps.delete(oldest);
    }
  }

  /**
   * Measures the answer to `reqId`. A pong without one (should the venue not echo it) is
   * the oldest ping's: one connection answers in order.
   */
  #timed(reqId: string | null, pong: boolean): void {
    let key = reqId;
    if (key === null && pong) {
      for (const pending of this.#stamps.keys()) {
        if (isPingId(pending)) {
          key = pending;
          break;
        }
      }
    }
    if (key === null) return;
    const stamp = this.#stamps.get(key);
    if (stamp === undefined) return;
    this.#stamps.delete(key);
    this.#meter.replied(stamp);
  }
}

function isPingId(reqId: string): boolean {
  return reqId.startsWith(PING_ID_PREFIX);
}

const EXCERPT_CHARS = 120;
// The venue writes `topic` first; a frame cut short usually still names it.
const TOPIC_AT_START = /^\{"topic":"([^"]+)"/;

function topicNamedIn(text: string): string | null {
  return TOPIC_AT_START.exec(text)?.[1] ?? null;
}

/** Public frames carry no secret; an excerpt is enough to recognise one in a log. */
function excerpt(text: string): string {
  return text.length <= EXCERPT_CHARS ? text : `${text.slice(0, EXCERPT_CHARS)}…`;
}
