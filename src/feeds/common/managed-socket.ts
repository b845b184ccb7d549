/**
 * One venue WebSocket that heals itself: connect with a time limit, run the caller's setup
 * (auth, subscribe, snapshots) on every open, and after any loss reconnect with backoff until
 * stopped. Connection health is reported as status events, never thrown: a socket handler
 * must not bring the process down because of one bad frame or one bad venue.
 */
import { performance } from 'node:perf_hooks';
import { WebSocket, type RawData } from 'ws';
import type { FeedStatus, StatusEvent } from '../../book/events.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { ConnectionLostError } from './errors.js';

/** What setup code sees of one connection: its number, and a send that stays on it. */
export interface SocketSession {
  readonly epoch: number;
  /** Throws ConnectionLostError if this connection is no longer open, so setup stops early. */
  send(text: string): void;
}

export interface ManagedSocketOptions {
  venue: string;
  stream: string;
  url: string;
  /** Default 10000: an open that takes longer is abandoned. */
  connectTimeoutMs?: number;
  backoff?: Partial<BackoffOptions>;
  /**
   * Runs after each successful open, before the socket counts as live (auth, subscribe,
   * snapshots). If it throws or rejects, the connection is closed and retried with backoff;
   * its error message goes into the status detail, so it must not carry a secret. Frames keep
   * flowing to onFrame while it runs.
   */
  onConnected: (session: SocketSession) => Promise<void>;
  onFrame: (text: string, localTs: number) => void;
  onStatus: (event: StatusEvent) => void;
  /**
   * Called when an opened connection is lost (before reconnecting) and when stop() closes it,
   * e.g. to reject pending requests.
   */
  onDisconnected?: (reason: string) => void;
  /** e.g. Bybit {"op":"ping"} every 20 s. Runs from open, so long setups stay alive too. */
  keepAlive?: { intervalMs: number; frame: () => string };
  /** No frame at all for this long → the connection is presumed dead: closed and reconnected. */
  deadAfterMs?: number;
  /** Wall clock for status ts and frame localTs (default Date.now). */
  now?: () => number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** stop() closes politely, but does not wait on a peer that never answers the close. */
const CLOSE_GRACE_MS = 1_000;

type Phase = 'idle' | 'starting' | 'running' | 'stopped';

/** One attempt: a socket and everything that dies with it. */
interface Connection {
  readonly ws: WebSocket;
  epoch: number;
  opened: boolean;
  /** Why we are dropping it; the first reason wins over the errors it then causes. */
  reason: string | null;
  lastFrameAt: number;
  connectTimer: NodeJS.Timeout | null;
  keepAliveTimer: NodeJS.Timeout | null;
  deadTimer: NodeJS.Timeout | null;
  closed: boolean;
}

interface Deferred {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function frameText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class ManagedSocket {
  private readonly options: ManagedSocketOptions;
  private readonly backoff: Backoff;
  private readonly connectTimeoutMs: number;
  private readonly now: () => number;
  private phase: Phase = 'idle';
  private current: Connection | null = null;
  private isLive = false;
  private epochCount = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private starting: Deferred | null = null;
  private stopping: Deferred | null = null;

  constructor(options: ManagedSocketOptions) {
    this.options = options;
    this.backoff = new Backoff(options.backoff);
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
  }

  /**
   * Connects; resolves when the first connection is live (onConnected done). Rejects if that
   * first attempt fails (bad URL, refused, timeout, onConnected threw) — no retry then, so a
   * wrong URL fails fast. After the first live, any loss is retried forever with backoff.
   */
  start(): Promise<void> {
    if (this.phase === 'stopped') return Promise.reject(new Error('socket was stopped'));
    if (this.phase === 'starting' && this.starting !== null) return this.starting.promise;
    if (this.phase === 'running') return Promise.resolve();
    this.phase = 'starting';
    this.starting = deferred();
    const { promise } = this.starting;
    this.connect();
    return promise;
  }

  /** Closes for good: no reconnect, timers cleared, status 'closed'; resolves when closed. */
  stop(): Promise<void> {
    if (this.stopping !== null) return this.stopping.promise;
    const stopping = deferred();
    this.stopping = stopping;
    const wasIdle = this.phase === 'idle';
    this.phase = 'stopped';
    this.isLive = false;
    this.clearRetry();
    this.failStart(new Error('socket stopped before it was live'));
    const connection = this.current;
    if (connection === null) {
      if (!wasIdle) this.emit('closed', { detail: 'stopped' });
      stopping.resolve();
      return stopping.promise;
    }
    connection.reason ??= 'stopped';
    this.stopTimers(connection);
    if (connection.ws.readyState === WebSocket.OPEN) {
      connection.ws.close(1000, 'client stopping');
      const grace = setTimeout(() => connection.ws.terminate(), CLOSE_GRACE_MS);
      connection.ws.once('close', () => clearTimeout(grace));
    } else {
      connection.ws.terminate();
    }
    return stopping.promise;
  }

  /** Sends if open; returns false (and sends nothing) otherwise. */
  send(text: string): boolean {
    const connection = this.current;
    if (connection === null || connection.ws.readyState !== WebSocket.OPEN) return false;
    connection.ws.send(text);
    return true;
  }

  /** Open and onConnected completed. */
  get live(): boolean {
    return this.isLive;
  }

  /** Increments per successful open. */
  get epoch(): number {
    return this.epochCount;
  }

  /** Drops the current connection and reconnects through the backoff (e.g. after a stale period). */
  reconnect(reason: string): void {
    if (this.phase !== 'running') return;
    const connection = this.current;
    if (connection === null) return;
    this.drop(connection, reason);
  }

  private connect(): void {
    this.retryTimer = null;
    const retry = this.backoff.attempt;
    this.emit('connecting', retry > 0 ? { attempt: retry } : {});
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.options.url, { perMessageDeflate: false });
    } catch (error) {
      // A malformed URL throws synchronously; treat it like any failed attempt.
      this.lost(null, `cannot connect: ${messageOf(error)}`);
      return;
    }
    const connection: Connection = {
      ws,
      epoch: 0,
      opened: false,
      reason: null,
      lastFrameAt: performance.now(),
      connectTimer: null,
      keepAliveTimer: null,
      deadTimer: null,
      closed: false,
    };
    this.current = connection;
    connection.connectTimer = setTimeout(() => {
      connection.connectTimer = null;
      this.drop(connection, `connect timeout after ${this.connectTimeoutMs} ms`);
    }, this.connectTimeoutMs);

    ws.on('open', () => this.opened(connection));
    ws.on('message', (data) => this.frame(connection, data));
    ws.on('ping', () => this.touch(connection));
    ws.on('pong', () => this.touch(connection));
    ws.on('error', (error) => {
      connection.reason ??= error.message;
    });
    ws.on('close', (code, reason) => {
      if (connection.closed) return;
      connection.closed = true;
      const said = reason.toString('utf8');
      this.lost(connection, connection.reason ?? `closed ${code}${said ? ` ${said}` : ''}`);
    });
  }

  private opened(connection: Connection): void {
    if (connection !== this.current || connection.closed) return;
    this.clearTimer(connection, 'connectTimer');
    this.epochCount += 1;
    connection.epoch = this.epochCount;
    connection.opened = true;
    connection.lastFrameAt = performance.now();
    this.armKeepAlive(connection);
    this.armDeadTimer(connection, this.options.deadAfterMs);
    const session: SocketSession = {
      epoch: connection.epoch,
      send: (text: string) => {
        if (connection !== this.current || connection.ws.readyState !== WebSocket.OPEN) {
          throw new ConnectionLostError('send', 'connection closed');
        }
        connection.ws.send(text);
      },
    };
    let setup: Promise<void>;
    try {
      setup = Promise.resolve(this.options.onConnected(session));
    } catch (error) {
      setup = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    setup.then(
      () => {
        if (connection !== this.current || connection.closed || this.phase === 'stopped') return;
        this.isLive = true;
        this.backoff.reset();
        this.emit('live');
        if (this.phase === 'starting') {
          this.phase = 'running';
          this.starting?.resolve();
          this.starting = null;
        }
      },
      (error: unknown) => {
        if (connection !== this.current || connection.closed) return;
        this.drop(connection, `setup failed: ${messageOf(error)}`);
      },
    );
  }

  private frame(connection: Connection, data: RawData): void {
    // A connection being dropped may still flush buffered frames: they belong to no session.
    if (connection !== this.current || connection.reason !== null) return;
    connection.lastFrameAt = performance.now();
    try {
      this.options.onFrame(frameText(data), this.now());
    } catch (error) {
      this.emit('error', { detail: `frame handler failed: ${messageOf(error)}` });
    }
  }

  private touch(connection: Connection): void {
    connection.lastFrameAt = performance.now();
  }

  /** Ends this connection now; its 'close' then runs the loss handling with this reason. */
  private drop(connection: Connection, reason: string): void {
    connection.reason ??= reason;
    if (connection === this.current) this.isLive = false;
    this.stopTimers(connection);
    connection.ws.terminate();
  }

  private lost(connection: Connection | null, reason: string): void {
    if (connection !== null) {
      this.stopTimers(connection);
      if (connection !== this.current) return;
    }
    this.current = null;
    this.isLive = false;
    if (connection?.opened === true) this.callDisconnected(reason);

    if (this.phase === 'stopped') {
      this.emit('closed', { detail: 'stopped' });
      this.stopping?.resolve();
      return;
    }
    if (this.phase === 'starting') {
      // The first attempt failed: fail fast rather than retry a URL that may be wrong.
      this.phase = 'idle';
      this.backoff.reset();
      this.emit('closed', { detail: reason });
      this.failStart(new Error(`${this.options.venue} ${this.options.stream}: ${reason}`));
      return;
    }
    const delayMs = this.backoff.next();
    this.emit('reconnecting', { attempt: this.backoff.attempt, delayMs, detail: reason });
    this.retryTimer = setTimeout(() => this.connect(), delayMs);
  }

  private callDisconnected(reason: string): void {
    try {
      this.options.onDisconnected?.(reason);
    } catch (error) {
      this.emit('error', { detail: `disconnect handler failed: ${messageOf(error)}` });
    }
  }

  private failStart(error: Error): void {
    const starting = this.starting;
    this.starting = null;
    starting?.reject(error);
  }

  private armKeepAlive(connection: Connection): void {
    const keepAlive = this.options.keepAlive;
    if (keepAlive === undefined) return;
    connection.keepAliveTimer = setInterval(() => {
      if (connection.ws.readyState !== WebSocket.OPEN) return;
      try {
        connection.ws.send(keepAlive.frame());
      } catch (error) {
        this.emit('error', { detail: `keep-alive failed: ${messageOf(error)}` });
      }
    }, keepAlive.intervalMs);
  }

  /**
   * One timer per silence window rather than one re-armed per frame: at thousands of frames a
   * second the check runs at most once per window and just re-aims at the newest frame.
   */
  private armDeadTimer(connection: Connection, deadAfterMs: number | undefined): void {
    if (deadAfterMs === undefined) return;
    const check = (): void => {
      connection.deadTimer = null;
      const silentMs = performance.now() - connection.lastFrameAt;
      if (silentMs >= deadAfterMs) {
        this.drop(connection, `no frame for ${deadAfterMs} ms`);
        return;
      }
      connection.deadTimer = setTimeout(check, Math.max(1, Math.ceil(deadAfterMs - silentMs)));
    };
    connection.deadTimer = setTimeout(check, deadAfterMs);
  }

  private stopTimers(connection: Connection): void {
    this.clearTimer(connection, 'connectTimer');
    this.clearTimer(connection, 'keepAliveTimer');
    this.clearTimer(connection, 'deadTimer');
  }

  private clearTimer(
    connection: Connection,
    name: 'connectTimer' | 'keepAliveTimer' | 'deadTimer',
  ): void {
    const timer = connection[name];
    if (timer !== null) {
      clearTimeout(timer);
      connection[name] = null;
    }
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
  }

  private emit(
    status: FeedStatus,
    extra: { attempt?: number; delayMs?: number; detail?: string } = {},
  ): void {
    const event: StatusEvent = {
      kind: 'status',
      venue: this.options.venue,
      stream: this.options.stream,
      ts: this.now(),
      status,
      ...extra,
    };
    try {
      this.options.onStatus(event);
    } catch {
      // A failing status listener has nowhere to report to; the socket must keep running.
    }
  }
}
