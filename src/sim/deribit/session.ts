// One WebSocket client: its authentication, subscriptions, heartbeat and fault stream. Every
// outgoing frame goes through the connection's ConnectionFaults.

import type { WebSocket } from 'ws';
import type { ConnectionFaults, FrameKind } from '../faults.js';
import type { Channel } from './channels.js';
import type { Heartbeat } from './heartbeat.js';

export class Session {
  /** Set by `public/auth` on this connection. */
  accountId: string | null = null;
  cancelOnDisconnect = false;
  /** Orders this connection placed: the venue's cancel-on-disconnect covers these alone. */
  readonly placedOrders = new Set<string>();
  heartbeat: Heartbeat | null = null;
  /** Subscribed channel names and what they mean. */
  readonly channels = new Map<string, Channel>();
  lastHeardWall: number;
  closed = false;

  constructor(
    readonly id: number,
    private readonly socket: WebSocket,
    readonly faults: ConnectionFaults,
    wallNow: number,
  ) {
    this.lastHeardWall = wallNow;
  }

  send(text: string, kind: FrameKind): void {
    if (!this.closed) this.faults.send(text, kind);
  }

  /** Drops the connection without a close handshake, as the venue does on a dead client. */
  terminate(): void {
    this.socket.terminate();
  }

  hasUserChannels(): boolean {
    for (const channel of this.channels.values()) {
      if (channel.type.startsWith('user.')) return true;
    }
    return false;
  }
}
