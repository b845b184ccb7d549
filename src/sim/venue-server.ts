// What each venue's protocol server plugs into: the loopback HTTP server (src/sim/server.ts)
// routes WebSocket upgrades and HTTP requests by path to the venue that serves them.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import type { SimExchange } from './contract.js';
import type { FaultOptions } from './faults.js';
import type { MarketHistory } from './model/history.js';

/** One API key pair the venue accepts; every key maps to one paper account. */
export interface SimApiKey {
  readonly key: string;
  readonly secret: string;
  readonly accountId: string;
}

export interface VenueServerContext {
  readonly exchange: SimExchange;
  /** Candle and vol index history; without it the history methods answer an error. */
  readonly history?: MarketHistory;
  readonly apiKeys: readonly SimApiKey[];
  readonly faults: FaultOptions;
  /** Seeds each connection's fault stream (connection n uses seed + n). */
  readonly seed: number;
  /** Load mode: synthetic book changes published per second across subscribed books; 0 off. */
  readonly loadRate: number;
  /** Smallest `public/set_heartbeat` interval accepted (the venue's is 10 s; tests lower it). */
  readonly minHeartbeatSec: number;
  /** Lifetime of an access token, wall seconds. */
  readonly tokenTtlSec: number;
  /** A socket that sends nothing (not even a ping) for this long is closed, wall seconds. */
  readonly idleTimeoutSec: number;
  /** Diagnostics (never secrets). */
  readonly log: (line: string) => void;
}

export interface VenueServer {
  /** WebSocket paths served, e.g. ['/ws/api/v2']. */
  readonly wsPaths: readonly string[];
  /** Whether an HTTP path belongs to this venue (e.g. starts with '/api/v2/'). */
  handlesHttp(pathname: string): boolean;
  onConnection(socket: WebSocket, request: IncomingMessage, pathname: string): void;
  onHttp(request: IncomingMessage, response: ServerResponse, url: URL): void;
  /** Connected clients right now (for status lines and tests). */
  connectionCount(): number;
  close(): void;
}
