// Loopback servers the managed-socket tests control: a real `ws` server whose behaviour each
// test scripts per connection, and a TCP listener that never answers the WebSocket upgrade.

import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { StatusEvent } from '../../../../src/book/events.js';

export interface Received {
  readonly connection: number;
  readonly text: string;
  readonly at: number;
}

/** A ws server on 127.0.0.1; `onConnection` scripts what each connection (1, 2, …) does. */
export class TestServer {
  readonly received: Received[] = [];
  readonly sockets: WebSocket[] = [];
  /** Date.now() at each connection, in order. */
  readonly connectedAt: number[] = [];
  connections = 0;
  onConnection: (socket: WebSocket, index: number) => void = () => undefined;

  private constructor(private wss: WebSocketServer) {
    this.attach();
  }

  static async start(port = 0): Promise<TestServer> {
    return new TestServer(await listen(port));
  }

  get port(): number {
    return (this.wss.address() as AddressInfo).port;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Stops listening and cuts every client off without a close handshake. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  /** Stops listening; `up(port)` brings it back, as a venue after an outage. */
  async down(): Promise<number> {
    const port = this.port;
    await this.close();
    return port;
  }

  async up(port: number): Promise<void> {
    this.wss = await listen(port);
    this.attach();
  }

  private attach(): void {
    this.wss.on('connection', (socket) => {
      this.connections += 1;
      const index = this.connections;
      this.sockets.push(socket);
      this.connectedAt.push(Date.now());
      socket.on('message', (data: Buffer) =>
        this.received.push({ connection: index, text: data.toString('utf8'), at: Date.now() }),
      );
      this.onConnection(socket, index);
    });
  }
}

function listen(port: number): Promise<WebSocketServer> {
  return new Promise((resolve, reject) => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });
    wss.once('listening', () => resolve(wss));
    wss.once('error', reject);
  });
}

/** Accepts TCP connections and never answers, so a WebSocket open can only time out. */
export class SilentServer {
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      // Reading is what lets the peer's FIN surface as 'end' and then 'close'.
      socket.resume();
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(): Promise<SilentServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new SilentServer(server);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get openSockets(): number {
    return this.sockets.size;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A port nothing listens on: bound, then released. */
export async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Collects status events and lets a test wait for one, failing instead of hanging. */
export class StatusLog {
  readonly events: StatusEvent[] = [];

  readonly record = (event: StatusEvent): void => {
    this.events.push(event);
  };

  statuses(): string[] {
    return this.events.map((event) => event.status);
  }

  of(status: StatusEvent['status']): StatusEvent[] {
    return this.events.filter((event) => event.status === status);
  }

  /** Resolves when the `count`-th event with this status has been seen. */
  waitFor(status: StatusEvent['status'], count = 1, timeoutMs = 3000): Promise<void> {
    return waitUntil(() => this.of(status).length >= count, timeoutMs, `${count}× ${status}`);
  }
}

/** Polls a condition every few ms; rejects after timeoutMs so a broken test fails, not hangs. */
export async function waitUntil(
  condition: () => boolean,
  timeoutMs = 3000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
