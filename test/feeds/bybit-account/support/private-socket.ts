// A bare `ws` client for the Bybit private socket, authenticated with ivtrade's own auth frame;
// every frame is kept, and every private one is mapped through bybitAccountEventsFromMessage.

import { WebSocket } from 'ws';
import type { AccountEvent } from '../../../../src/book/events.js';
import { bybitAccountEventsFromMessage } from '../../../../src/feeds/bybit/account.js';
import { bybitWsAuthFrame } from '../../../../src/feeds/bybit/signing.js';

export type Frame = Record<string, unknown>;

export class PrivateSocket {
  readonly frames: Frame[] = [];
  readonly events: AccountEvent[] = [];
  private readonly waiters: (() => void)[] = [];
  private closed = false;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as Frame;
      this.frames.push(frame);
      const events = bybitAccountEventsFromMessage(frame);
      if (events !== null) this.events.push(...events);
      for (const wake of this.waiters.splice(0)) wake();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static async connect(url: string): Promise<PrivateSocket> {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new PrivateSocket(socket);
  }

  /** Authenticates with bybitWsAuthFrame and subscribes; resolves with the auth reply. */
  async login(key: string, secret: string, topics: readonly string[]): Promise<Frame> {
    this.socket.send(bybitWsAuthFrame(key, secret, Date.now() + 10_000, 'auth-1'));
    const auth = await this.next((f) => f['op'] === 'auth');
    if (auth['success'] === true) {
      this.socket.send(JSON.stringify({ op: 'subscribe', req_id: 'sub-1', args: topics }));
      await this.next((f) => f['op'] === 'subscribe');
    }
    return auth;
  }

  async next(match: (frame: Frame) => boolean, timeoutMs = 3000): Promise<Frame> {
    return this.waitFor(() => this.frames.find(match), timeoutMs);
  }

  /** The first mapped event at or after index `from` that `match` accepts. */
  async nextEvent<T extends AccountEvent>(
    match: (event: AccountEvent) => event is T,
    from = 0,
    timeoutMs = 3000,
  ): Promise<T> {
    return this.waitFor(() => this.events.slice(from).find(match), timeoutMs);
  }

  private async waitFor<T>(find: () => T | undefined, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      if (this.closed) throw new Error('private socket closed while waiting');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`nothing matching within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
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
