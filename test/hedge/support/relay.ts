// A TCP relay between a feed and the sim: real sockets the test can cut (the venue drops the
// connection and refuses new ones until restored) or hold (bytes from the venue stop flowing,
// the connection stays up: a stalled stream), deterministically, whatever the wall clock does.

import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  readonly held: Buffer[];
}

export class Relay {
  readonly #server: Server;
  readonly #targetPort: number;
  readonly #pairs = new Set<Pair>();
  #refusing = false;
  #holding = false;
  /** Connections accepted so far (the first plus every reconnect). */
  connections = 0;

  private constructor(server: Server, targetPort: number) {
    this.#server = server;
    this.#targetPort = targetPort;
  }

  static async open(targetPort: number): Promise<Relay> {
    const server = createServer();
    const relay = new Relay(server, targetPort);
    server.on('connection', (client) => relay.#accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return relay;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** The same URL with the relay's port in place of the sim's. */
  url(simUrl: string): string {
    const url = new URL(simUrl);
    url.port = String(this.port);
    return url.toString().replace(/\/$/, simUrl.endsWith('/') ? '/' : '');
  }

  /** Drops every connection and refuses new ones until `restore`. */
  cut(): void {
    this.#refusing = true;
    for (const pair of [...this.#pairs]) this.#drop(pair);
  }

  restore(): void {
    this.#refusing = false;
  }

  /** Bytes from the venue stop reaching the feed (kept, in order) until `release`. */
  hold(): void {
    this.#holding = true;
  }

  release(): void {
    this.#holding = false;
    for (const pair of this.#pairs) {
      for (const chunk of pair.held.splice(0)) pair.client.write(chunk);
    }
  }

  async close(): Promise<void> {
    this.#refusing = true;
    for (const pair of [...this.#pairs]) this.#drop(pair);
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client: Socket): void {
    if (this.#refusing) {
      client.destroy();
      return;
    }
    this.connections += 1;
    const upstream = connect(this.#targetPort, '127.0.0.1');
    const pair: Pair = { client, upstream, held: [] };
    this.#pairs.add(pair);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    upstream.on('data', (chunk: Buffer) => {
      if (this.#holding) pair.held.push(chunk);
      else client.write(chunk);
    });
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    const drop = (): void => this.#drop(pair);
    for (const socket of [client, upstream]) {
      socket.on('error', drop);
      socket.on('close', drop);
    }
  }

  #drop(pair: Pair): void {
    if (!this.#pairs.delete(pair)) return;
    pair.client.destroy();
    pair.upstream.destroy();
  }
}
