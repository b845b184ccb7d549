// The fault flags over HTTP, per keep-alive connection as they are per WebSocket: requests
// above the rate limit answer too_many_requests, replies wait the configured delay, and a
// connection is dropped after `disconnect` seconds (a request in flight then fails as it would
// against a venue whose load balancer resets). Frame faults (drop, duplicate, stall) concern
// notifications, which HTTP has none of.

import type { Socket } from 'node:net';
import { ConnectionFaults, type FaultOptions } from '../faults.js';

export class HttpFaults {
  private readonly bySocket = new WeakMap<Socket, ConnectionFaults>();
  private connections = 0;

  constructor(
    private readonly options: FaultOptions,
    private readonly seed: number,
  ) {}

  private of(socket: Socket): ConnectionFaults {
    let faults = this.bySocket.get(socket);
    if (faults === undefined) {
      faults = new ConnectionFaults(
        this.options,
        // Replies are written by the HTTP handler; only the drop goes through the transport.
        { send: () => undefined, terminate: () => socket.destroy() },
        this.seed + this.connections++,
      );
      const opened = faults;
      socket.once('close', () => opened.close());
      this.bySocket.set(socket, faults);
    }
    return faults;
  }

  /** Counts the request; false means answer too_many_requests. */
  admit(socket: Socket): boolean {
    return this.of(socket).admitRequest();
  }

  /** Runs `reply` after the configured delay, or at once. */
  reply(reply: () => void): void {
    if (this.options.replyDelayMs > 0) setTimeout(reply, this.options.replyDelayMs);
    else reply();
  }
}
