/**
 * The private socket: on every (re)connect, authenticate, subscribe to the account topics,
 * then load the account over REST and emit it as a snapshot. Subscribing first means nothing
 * that happens while the snapshot loads is missed: those events are held back and replayed
 * after it. Each is a full state (an order's, a position's) or a fill, so replaying them over
 * the snapshot ends on the latest state whichever side of the REST read they fell.
 *
 * After a reconnect the fills made while the socket was down are read back from the execution
 * history (while the stream is still held back) and go out after the snapshot, oldest first;
 * every fill, read back or streamed, goes out once.
 */
import type { AccountEvent, AccountSnapshotEvent, FillEvent } from '../../book/events.js';
import type { BackoffOptions } from '../common/backoff.js';
import { FillTracker, reconciledLine } from '../common/fill-tracker.js';
import { ManagedSocket, type SocketSession } from '../common/managed-socket.js';
import { PendingRequests } from '../common/pending-requests.js';
import { WireFormatError } from '../wire-fields.js';
import { bybitAccountEventsFromMessage } from './account.js';
import type { FeedSink } from './feed-sink.js';
import { BybitApiError, type BybitCredentials } from './rest.js';
import { bybitWsAuthFrame } from './signing.js';
import {
  BYBIT_PING_FRAME,
  bybitControlReply,
  bybitTopicOpFrame,
  type BybitControlReply,
} from './ws-ops.js';

type Reply = Extract<BybitControlReply, { kind: 'reply' }>;

/** Every category at once: options and the linear hedge. */
export const PRIVATE_TOPICS = ['order', 'execution', 'position', 'wallet'] as const;
/** How far ahead the auth signature's expiry lies: enough for the frame to arrive. */
const AUTH_EXPIRY_MS = 10_000;
const STREAM = 'private';

export interface PrivateStreamOptions {
  readonly url: string;
  readonly credentials: BybitCredentials;
  readonly pingIntervalMs: number;
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly backoff?: Partial<BackoffOptions>;
  readonly sink: FeedSink;
  /** REST read of the account as it is now (retries and rate limits are the caller's). */
  readonly loadSnapshot: () => Promise<AccountSnapshotEvent>;
  /** REST read of our fills from a venue time (inclusive), any order. */
  readonly loadFillsSince: (since: number) => Promise<readonly FillEvent[]>;
}

export class PrivateStream {
  readonly #options: PrivateStreamOptions;
  readonly #sink: FeedSink;
  readonly #socket: ManagedSocket;
  readonly #pending: PendingRequests<string>;
  /** Events held back while the snapshot loads; null when they go straight out. */
  #held: AccountEvent[] | null = null;
  readonly #fills = new FillTracker();
  #requestSeq = 0;

  constructor(options: PrivateStreamOptions) {
    this.#options = options;
    this.#sink = options.sink;
    this.#pending = new PendingRequests({ defaultTimeoutMs: options.requestTimeoutMs });
    const sink = options.sink;
    this.#socket = new ManagedSocket({
      venue: 'bybit',
      stream: STREAM,
      url: options.url,
      connectTimeoutMs: options.connectTimeoutMs,
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
      keepAlive: { intervalMs: options.pingIntervalMs, frame: () => BYBIT_PING_FRAME },
      deadAfterMs: options.pingIntervalMs * 3,
      now: () => sink.now(),
      onConnected: (session) => this.#connected(session),
      onFrame: (text) => this.#frame(text),
      onStatus: (event) => sink.socketStatus(event),
      onDisconnected: (reason) => {
        this.#held = null;
        this.#pending.rejectAll(reason);
      },
    });
  }

  get live(): boolean {
    return this.#socket.live;
  }

  start(): Promise<void> {
    return this.#socket.start();
  }

  async stop(): Promise<void> {
    await this.#socket.stop();
    this.#pending.rejectAll('stopped');
    this.#held = null;
  }

  async #connected(session: SocketSession): Promise<void> {
    this.#held = [];
    const { apiKey, apiSecret } = this.#options.credentials;
    const auth = await this.#request(session, 'auth', (reqId) =>
      bybitWsAuthFrame(apiKey, apiSecret, Math.round(this.#sink.now()) + AUTH_EXPIRY_MS, reqId),
    );
    if (!auth.success) this.#refuse(`authentication refused: ${auth.message || 'no reason given'}`);
    const subscribed = await this.#request(session, 'subscribe', (reqId) =>
      bybitTopicOpFrame('subscribe', reqId, PRIVATE_TOPICS),
    );
    if (!subscribed.success) {
      this.#refuse(`private subscription refused: ${subscribed.message || 'no reason given'}`);
    }
    const resumeFrom = this.#fills.resumeFrom();
    const snapshot = await this.#options.loadSnapshot();
    const history = resumeFrom === null ? null : await this.#readFills(resumeFrom);
    const held = this.#held ?? [];
    this.#held = null;
    this.#sink.emit(snapshot);
    this.#fills.streaming(snapshot.ts);
    if (history !== null) {
      const missed = this.#fills.missed(history);
      for (const fill of missed) this.#sink.emit(fill);
      this.#sink.log(reconciledLine('bybit', missed.length));
    }
    this.#emitOnce(held);
  }

  /** A venue refusal (say, a key without the right permission) costs the missed fills only. */
  async #readFills(since: number): Promise<readonly FillEvent[] | null> {
    try {
      return await this.#options.loadFillsSince(since);
    } catch (error) {
      if (!(error instanceof BybitApiError)) throw error;
      this.#sink.log(
        `bybit: could not read the execution history after reconnecting: ${error.message}`,
      );
      return null;
    }
  }

  /** Fills already emitted (read back from history, or replayed by the venue) are dropped. */
  #emitOnce(events: readonly AccountEvent[]): void {
    for (const event of events) {
      if (event.kind === 'fill' && !this.#fills.admit(event)) continue;
      this.#sink.emit(event);
    }
  }

  /** Reported as an event too: a refusal is worth showing, not only retrying. */
  #refuse(detail: string): never {
    this.#sink.status(STREAM, 'error', { detail });
    throw new Error(detail);
  }

  async #request(
    session: SocketSession,
    op: string,
    frame: (reqId: string) => string,
  ): Promise<Reply> {
    this.#requestSeq += 1;
    const reqId = `${op}-${this.#requestSeq}`;
    const answer = this.#pending.add(reqId, `${STREAM} ${op}`);
    try {
      session.send(frame(reqId));
    } catch (error) {
      this.#pending.reject(reqId, error instanceof Error ? error : new Error(String(error)));
    }
    return (await answer) as Reply;
  }

  #frame(text: string): void {
    const sink = this.#sink;
    sink.count('messages');
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      // Private frames never reach a log, not even in part.
      sink.malformed(STREAM, `not JSON (${text.length} characters)`);
      return;
    }
    try {
      const events = bybitAccountEventsFromMessage(message);
      if (events !== null) {
        this.#deliver(events);
        return;
      }
      const reply = bybitControlReply(message);
      if (reply?.kind === 'reply' && reply.reqId !== null)
        this.#pending.resolve(reply.reqId, reply);
    } catch (error) {
      if (!(error instanceof WireFormatError)) throw error;
      sink.malformed(STREAM, error.message);
    }
  }

  #deliver(events: readonly AccountEvent[]): void {
    if (this.#held !== null) {
      this.#held.push(...events);
      return;
    }
    this.#emitOnce(events);
  }
}
