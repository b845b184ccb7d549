// A bare Bybit v5 client over `ws` and fetch for the protocol tests: no ivtrade adapters.

import { createHmac } from 'node:crypto';
import { WebSocket } from 'ws';

export type Json = Record<string, unknown>;

export class BybitSocket {
  /** Every parsed frame, in arrival order. */
  readonly frames: Json[] = [];
  /** Frames that were not JSON. */
  readonly unparsable: string[] = [];
  private readonly waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      try {
        this.frames.push(JSON.parse(text) as Json);
      } catch {
        this.unparsable.push(text);
      }
      for (const wake of this.waiters.splice(0)) wake();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static async connect(url: string): Promise<BybitSocket> {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new BybitSocket(socket);
  }

  send(message: Json): void {
    this.socket.send(JSON.stringify(message));
  }

  /** Waits for the first frame (at or after `from`) that `match` accepts. */
  async next(match: (frame: Json) => boolean, from = 0, timeoutMs = 3000): Promise<Json> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.slice(from).find(match);
      if (found !== undefined) return found;
      if (this.closed) throw new Error('socket closed while waiting');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching frame within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Sends an op and waits for the reply that echoes its req_id. */
  async request(message: Json): Promise<Json> {
    const from = this.frames.length;
    this.send(message);
    return this.next((f) => f['req_id'] === message['req_id'], from);
  }

  /** Resolves once every frame sent before this call has arrived (a ping is answered in order). */
  async sync(): Promise<void> {
    const reqId = `sync-${Math.random()}`;
    await this.request({ op: 'ping', req_id: reqId });
  }

  topicFrames(topic: string): Json[] {
    return this.frames.filter((f) => f['topic'] === topic);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed || this.socket.readyState === WebSocket.CLOSED) {
        resolve();
        return;
      }
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}

export interface Credentials {
  readonly key: string;
  readonly secret: string;
}

export function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

export interface RestReply {
  readonly retCode: number;
  readonly retMsg: string;
  readonly result: Json;
  readonly retExtInfo: unknown;
  readonly time: number;
}

export class BybitRest {
  constructor(
    readonly base: string,
    readonly credentials: Credentials,
  ) {}

  async get(path: string, query = ''): Promise<RestReply> {
    const response = await fetch(`${this.base}${path}${query === '' ? '' : `?${query}`}`);
    return (await response.json()) as RestReply;
  }

  async signedGet(
    path: string,
    query: string,
    options: { timestamp?: number; secret?: string; key?: string } = {},
  ): Promise<RestReply> {
    const timestamp = String(options.timestamp ?? Date.now());
    const key = options.key ?? this.credentials.key;
    const signature = sign(
      options.secret ?? this.credentials.secret,
      `${timestamp}${key}5000${query}`,
    );
    const response = await fetch(`${this.base}${path}?${query}`, {
      headers: {
        'X-BAPI-API-KEY': key,
        'X-BAPI-TIMESTAMP': timestamp,
        'X-BAPI-RECV-WINDOW': '5000',
        'X-BAPI-SIGN': signature,
      },
    });
    return (await response.json()) as RestReply;
  }

  async signedPost(
    path: string,
    body: Json,
    options: { timestamp?: number; secret?: string } = {},
  ): Promise<RestReply> {
    const timestamp = String(options.timestamp ?? Date.now());
    const text = JSON.stringify(body);
    const signature = sign(
      options.secret ?? this.credentials.secret,
      `${timestamp}${this.credentials.key}5000${text}`,
    );
    const response = await fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'X-BAPI-API-KEY': this.credentials.key,
        'X-BAPI-TIMESTAMP': timestamp,
        'X-BAPI-RECV-WINDOW': '5000',
        'X-BAPI-SIGN': signature,
      },
      body: text,
    });
    return (await response.json()) as RestReply;
  }
}

/** `{"op":"auth","args":[key, expires, signature]}` as a client builds it. */
export function authOp(credentials: Credentials, expires: number, reqId = 'auth'): Json {
  return {
    op: 'auth',
    req_id: reqId,
    args: [credentials.key, expires, sign(credentials.secret, `GET/realtime${expires}`)],
  };
}

/** Merges ticker snapshot + deltas for one topic, as a client must. */
export function mergeTicker(frames: readonly Json[]): Record<string, string> {
  let state: Record<string, string> = {};
  for (const frame of frames) {
    const data = frame['data'] as Record<string, string>;
    state = frame['type'] === 'snapshot' ? { ...data } : { ...state, ...data };
  }
  return state;
}
