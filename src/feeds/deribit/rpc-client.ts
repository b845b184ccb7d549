/**
 * Deribit's JSON-RPC over one self-healing WebSocket: requests are paced and matched to their
 * replies by id, the venue's heartbeat is kept, and notifications go to the feed. A
 * too-many-requests answer puts every request behind a backoff; only requests that can be
 * repeated without effect are then retried — an order never is, its caller decides. Every
 * reply also times its request, so the connection's round trip is always at hand.
 */
import type { StatusEvent } from '../../book/events.js';
import { Backoff, type BackoffOptions } from '../common/backoff.js';
import { ConnectionLostError, VenueReplyError } from '../common/errors.js';
import {
  ManagedSocket,
  type ManagedSocketOptions,
  type SocketSession,
} from '../common/managed-socket.js';
import { PendingRequests } from '../common/pending-requests.js';
import { RequestPacer, type RequestPacerOptions } from '../common/request-pacer.js';
import { RoundTripMeter, type RoundTripStamp } from '../common/round-trip-meter.js';
import { RoundTripProbe } from '../common/round-trip-probe.js';
import type { RpcCallOptions, RpcCaller } from '../common/rpc-caller.js';
import { isRecord, type WireRecord } from '../wire-fields.js';

const VENUE = 'deribit';
export const TOO_MANY_REQUESTS = 10028;

/** Deribit's default non-matching-engine allowance is about 20 requests/s with some burst. */
const DEFAULT_PACE: RequestPacerOptions = { ratePerSec: 20, burst: 40 };
const DEFAULT_RATE_BACKOFF: Partial<BackoffOptions> = {
  initialMs: 500,
  maxMs: 10_000,
  factor: 2,
  jitter: 0.2,
};
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_RATE_RETRIES = 6;
/** Missing this many heartbeat intervals means the connection is dead whatever TCP says. */
const DEAD_AFTER_HEARTBEATS = 3;

/** Reads and subscriptions: repeating them changes nothing at the venue. */
const REPEATABLE = new Set([
  'public/subscribe',
  'public/unsubscribe',
  'private/subscribe',
  'private/unsubscribe',
  'public/set_heartbeat',
  'public/test',
  'public/ticker',
  'private/enable_cancel_on_disconnect',
]);

export function isRepeatable(method: string, params: Record<string, unknown>): boolean {
  if (REPEATABLE.has(method)) return true;
  if (method.startsWith('public/get_') || method.startsWith('private/get_')) return true;
  // A client_credentials login only issues a new token; a refresh_token one spends its token.
  return method === 'public/auth' && params['grant_type'] === 'client_credentials';
}

export interface DeribitRpcClientOptions {
  readonly url: string;
  /** The status stream name (the feed's one connection). */
  readonly stream: string;
  readonly heartbeatSec: number;
  readonly requestTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  readonly backoff?: Partial<BackoffOptions>;
  readonly pace?: RequestPacerOptions;
  readonly rateLimitBackoff?: Partial<BackoffOptions>;
  readonly maxRateLimitRetries?: number;
  /**
   * The round trip is measured at least this often while connected (default 5000): a
   * `public/test` goes when no other request was timed for most of it.
   */
  readonly roundTripIntervalMs?: number;
  /**
   * Setup of every connection after the heartbeat is on: `rpc` sends on that connection only,
   * so a setup overtaken by a reconnect fails instead of talking on the next connection.
   */
  readonly onConnected: (rpc: RpcCaller, session: SocketSession) => Promise<void>;
  /** A `subscription` notification, decoded, with its text and arrival time. */
  readonly onNotification: (message: WireRecord, text: string, localTs: number) => void;
  /** A frame that is not JSON-RPC; `detail` never quotes the frame (it may hold a token). */
  readonly onMalformed: (detail: string) => void;
  readonly onStatus: (event: StatusEvent) => void;
  readonly onDisconnected?: (reason: string) => void;
  /** Every frame, before it is read (the feed counts them). */
  readonly onFrame?: () => void;
  readonly now?: () => number;
}

type Send = (text: string) => void;

export class DeribitRpcClient implements RpcCaller {
  readonly socket: ManagedSocket;
  private readonly options: DeribitRpcClientOptions;
  private readonly pending: PendingRequests<number>;
  private readonly pacer: RequestPacer;
  private readonly rateBackoff: Backoff;
  private readonly maxRateRetries: number;
  private readonly now: () => number;
  private nextId = 1;
  /** Method of each request in flight, to name it in the venue's error. */
  private readonly methods = new Map<number, string>();
  /** When each request in flight left, heartbeat answers included. */
  private readonly stamps = new Map<number, RoundTripStamp>();
  private readonly meter = new RoundTripMeter();
  private readonly probe: RoundTripProbe;
  private penaltyUntil = -Infinity;
  private latestServerTime = NaN;
  private stopped = false;

  constructor(options: DeribitRpcClientOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.pending = new PendingRequests<number>({
      defaultTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    });
    this.pacer = new RequestPacer(options.pace ?? DEFAULT_PACE);
    this.rateBackoff = new Backoff({ ...DEFAULT_RATE_BACKOFF, ...options.rateLimitBackoff });
    this.maxRateRetries = options.maxRateLimitRetries ?? DEFAULT_MAX_RATE_RETRIES;
    const socketOptions: ManagedSocketOptions = {
      venue: VENUE,
      stream: options.stream,
      url: options.url,
      onConnected: (session) => this.setUp(session),
      onFrame: (text, localTs) => this.onFrame(text, localTs),
      onStatus: options.onStatus,
      onDisconnected: (reason) => {
        this.meter.reset();
        this.stamps.clear();
        this.pending.rejectAll(reason);
        options.onDisconnected?.(reason);
      },
      deadAfterMs: options.heartbeatSec * 1000 * DEAD_AFTER_HEARTBEATS,
      ...(options.connectTimeoutMs !== undefined
        ? { connectTimeoutMs: options.connectTimeoutMs }
        : {}),
      ...(options.backoff !== undefined ? { backoff: options.backoff } : {}),
      ...(options.now !== undefined ? { now: options.now } : {}),
    };
    this.socket = new ManagedSocket(socketOptions);
    this.probe = new RoundTripProbe({
      meter: this.meter,
      ...(options.roundTripIntervalMs !== undefined
        ? { intervalMs: options.roundTripIntervalMs }
        : {}),
      // Requests already queued will be timed anyway; under a penalty, one more is one too many.
      ready: () => this.socket.live && this.now() >= this.penaltyUntil && this.pacer.waiting === 0,
      // Only to time the connection: a refused probe is not worth a retry.
      send: () => {
        const method = 'public/test';
        this.callVia(this.sendCurrent(method), method, {}, undefined, false).catch(() => undefined);
      },
    });
  }

  /** Connects; resolves once the first connection's setup is done (see ManagedSocket.start). */
  async start(): Promise<void> {
    this.probe.start();
    try {
      await this.socket.start();
    } catch (error) {
      this.probe.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.probe.stop();
    this.pacer.stop();
    await this.socket.stop();
    this.pending.rejectAll('client stopped');
  }

  /**
   * The latest request→reply round trip on the current connection, in ms; null before its
   * first reply and while disconnected.
   */
  get roundTripMs(): number | null {
    return this.meter.latestMs;
  }

  /** The venue's clock as its latest reply stated it (`usOut`); NaN before any reply. */
  get serverTime(): number {
    return this.latestServerTime;
  }

  /** On whatever connection is current when the request's turn comes. */
  call(
    method: string,
    params: Record<string, unknown>,
    options?: RpcCallOptions,
  ): Promise<unknown> {
    return this.callVia(this.sendCurrent(method), method, params, options);
  }

  /** A caller bound to one connection: it fails once that connection is gone. */
  on(session: SocketSession): RpcCaller {
    return {
      call: (method, params, options) =>
        this.callVia((text) => session.send(text), method, params, options),
    };
  }

  private async setUp(session: SocketSession): Promise<void> {
    const rpc = this.on(session);
    await rpc.call('public/set_heartbeat', { interval: this.options.heartbeatSec });
    await this.options.onConnected(rpc, session);
  }

  private sendCurrent(method: string): Send {
    return (text) => {
      if (!this.socket.send(text)) throw new ConnectionLostError(method, 'not connected');
    };
  }

  /** `retryRateLimited` false: a refusal still starts the penalty, but the call just fails. */
  private async callVia(
    send: Send,
    method: string,
    params: Record<string, unknown>,
    options: RpcCallOptions | undefined,
    retryRateLimited = true,
  ): Promise<unknown> {
    const maxRetries = retryRateLimited && isRepeatable(method, params) ? this.maxRateRetries : 0;
    for (let retries = 0; ; retries += 1) {
      await this.turn(method);
      try {
        const result = await this.once(send, method, params, options?.timeoutMs);
        if (this.now() >= this.penaltyUntil) this.rateBackoff.reset();
        return result;
      } catch (error) {
        if (!(error instanceof VenueReplyError) || error.code !== TOO_MANY_REQUESTS) throw error;
        this.rateLimited(method);
        if (retries >= maxRetries) throw error;
      }
    }
  }

  private async turn(method: string): Promise<void> {
    if (this.stopped) throw new ConnectionLostError(method, 'client stopped');
    try {
      await this.pacer.take();
    } catch {
      throw new ConnectionLostError(method, 'client stopped');
    }
  }

  private once(
    send: Send,
    method: string,
    params: Record<string, unknown>,
    timeoutMs: number | undefined,
  ): Promise<unknown> {
    const id = this.nextId++;
    const reply = this.pending.add(id, method, timeoutMs);
    this.methods.set(id, method);
    const forget = (): void => {
      this.methods.delete(id);
      this.stamps.delete(id);
    };
    reply.then(forget, forget);
    try {
      this.stamps.set(id, this.meter.sent());
      send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    } catch (error) {
      this.pending.reject(
        id,
        error instanceof ConnectionLostError ? new ConnectionLostError(method) : toError(error),
      );
    }
    return reply;
  }

  /**
   * One penalty per episode: requests that were already in flight when the venue said stop
   * come back refused too, and each must not double the wait again.
   */
  private rateLimited(method: string): void {
    const now = this.now();
    const fresh = now >= this.penaltyUntil;
    const delayMs = fresh ? this.rateBackoff.next() : Math.max(0, this.penaltyUntil - now);
    if (fresh) {
      this.penaltyUntil = now + delayMs;
      this.pacer.penalize(delayMs);
    }
    this.options.onStatus({
      kind: 'status',
      venue: VENUE,
      ts: now,
      stream: this.options.stream,
      status: 'rate-limited',
      delayMs,
      detail: `${method}: too_many_requests`,
    });
  }

  private onFrame(text: string, localTs: number): void {
    this.options.onFrame?.();
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.options.onMalformed(`not JSON (${text.length} characters)`);
      return;
    }
    if (!isRecord(message)) {
      this.options.onMalformed('not a JSON-RPC object');
      return;
    }
    const method = message['method'];
    if (method === 'subscription') {
      this.options.onNotification(message, text, localTs);
      return;
    }
    if (method === 'heartbeat') {
      this.onHeartbeat(message);
      return;
    }
    const id = message['id'];
    if (typeof id === 'number') {
      this.onReply(id, message);
      return;
    }
    this.options.onMalformed(
      `neither a reply nor a notification (method ${JSON.stringify(method ?? null)})`,
    );
  }

  private onHeartbeat(message: WireRecord): void {
    const params = message['params'];
    if (!isRecord(params) || params['type'] !== 'test_request') return;
    // Answered at once, past the pacer: a late answer costs the connection.
    const id = this.nextId++;
    const frame = JSON.stringify({ jsonrpc: '2.0', id, method: 'public/test', params: {} });
    const stamp = this.meter.sent();
    if (this.socket.send(frame)) this.stamps.set(id, stamp);
  }

  private onReply(id: number, message: WireRecord): void {
    const stamp = this.stamps.get(id);
    if (stamp !== undefined) {
      this.stamps.delete(id);
      this.meter.replied(stamp);
    }
    const usOut = message['usOut'];
    if (typeof usOut === 'number' && Number.isFinite(usOut)) {
      const serverMs = usOut / 1000;
      if (!(serverMs <= this.latestServerTime)) this.latestServerTime = serverMs;
    }
    const error = message['error'];
    if (error === undefined) {
      this.pending.resolve(id, message['result']);
      return;
    }
    const label = this.methods.get(id) ?? 'request';
    if (!isRecord(error) || typeof error['code'] !== 'number') {
      this.pending.reject(id, new VenueReplyError(label, 0, 'malformed error reply'));
      return;
    }
    const venueMessage = typeof error['message'] === 'string' ? error['message'] : '';
    this.pending.reject(
      id,
      new VenueReplyError(label, error['code'], venueMessage, error['data'] ?? null),
    );
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
