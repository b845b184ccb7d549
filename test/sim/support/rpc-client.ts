// A bare JSON-RPC client over `ws` for tests that must not lean on ivtrade's own adapters.

import { WebSocket } from 'ws';

export interface RpcReply {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: { readonly code: number; readonly message: string; readonly data?: unknown };
  readonly [key: string]: unknown;
}

export class RpcClient {
  /** Every frame without an id, parsed, in arrival order. */
  readonly notifications: Record<string, unknown>[] = [];
  /** Frames that were not JSON. */
  readonly unparsable: string[] = [];
  private nextId = 1;
  private readonly pending = new Map<number, (reply: RpcReply) => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => this.onFrame(data.toString('utf8')));
  }

  static async connect(url: string): Promise<RpcClient> {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new RpcClient(socket);
  }

  call(method: string, params: Record<string, unknown> = {}): Promise<RpcReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, resolve);
      this.socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }), (error) => {
        if (error) reject(error);
      });
    });
  }

  /** Resolves once every frame the server sent before this call has arrived. */
  async sync(): Promise<void> {
    await this.call('public/test');
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.readyState === WebSocket.CLOSED) {
        resolve();
        return;
      }
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }

  private onFrame(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.unparsable.push(text);
      return;
    }
    const record = message as Record<string, unknown>;
    if (typeof record.id === 'number') {
      const resolve = this.pending.get(record.id);
      this.pending.delete(record.id);
      resolve?.(record as RpcReply);
      return;
    }
    this.notifications.push(record);
  }
}
