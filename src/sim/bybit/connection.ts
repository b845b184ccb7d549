// One client socket: its kind, subscriptions, authenticated key and fault stream. Every
// outgoing frame goes through ConnectionFaults so configured faults hit it as advertised.

import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import { ConnectionFaults, type FaultOptions, type FrameKind } from '../faults.js';
import { Random } from '../random.js';
import type { SimApiKey } from '../venue-server.js';
import { turnSender } from '../turn-sender.js';
import type { SocketKind } from './topics.js';

const CONN_ID_ALPHABET = '0123456789abcdefghijklmnopqrstuv';

/** Shaped like the venue's ("da7u80nak99fkijm8s6g-3x3ed") and the same for the same seed. */
function connectionId(seed: number): string {
  const random = new Random(seed);
  const chars = (n: number): string =>
    Array.from({ length: n }, () => CONN_ID_ALPHABET[random.nextUint32() % 32]).join('');
  return `${chars(20)}-${chars(5)}`;
}

export class BybitConnection {
  readonly connId: string;
  readonly faults: ConnectionFaults;
  readonly topics = new Set<string>();
  key: SimApiKey | null = null;
  lastFrameAt: number;
  private closed = false;

  constructor(
    readonly socket: WebSocket,
    raw: Duplex,
    readonly kind: SocketKind,
    faults: FaultOptions,
    seed: number,
    wallNow: number,
  ) {
    this.connId = connectionId(seed);
    this.lastFrameAt = wallNow;
    this.faults = new ConnectionFaults(
      faults,
      { send: turnSender(socket, raw), terminate: () => socket.terminate() },
      seed,
    );
  }

  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === WebSocket.OPEN;
  }

  send(text: string, kind: FrameKind): void {
    if (this.isOpen) this.faults.send(text, kind);
  }

  close(): void {
    this.closed = true;
    this.faults.close();
  }
}
