// `startSim`: the embedded exchange on 127.0.0.1. One HTTP server carries both venues; their
// paths do not overlap (/ws/api/v2 and /api/v2/* are Deribit's, /v5/* Bybit's), so one port
// serves every URL a client needs.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { createBybitServer } from './bybit/server.js';
import type { SimVenueName } from './contract.js';
import { createDeribitServer } from './deribit/server.js';
import { NO_FAULTS, type FaultOptions } from './faults.js';
import { withOrderLog, type SimOrderLog } from './order-log.js';
import type { SimApiKey, VenueServer, VenueServerContext } from './venue-server.js';
import { DEFAULT_FUNDING, SimWorld, type SimWorldOptions } from './world.js';

export interface SimServerOptions {
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly seed?: number;
  /** Sim ms per wall ms (1 = real time). */
  readonly speed?: number;
  /** Sim time at start; defaults to now. */
  readonly start?: number;
  /** Tests: sim time moves only through advance(). */
  readonly manualClock?: boolean;
  /** Wall ms between model steps of a running clock. */
  readonly stepWallMs?: number;
  readonly currencies?: readonly string[];
  /** The venues whose markets move (default both; see SimWorldOptions). */
  readonly venues?: readonly SimVenueName[];
  readonly faults?: Partial<FaultOptions>;
  /** Load mode: synthetic book changes per second per venue; 0 off. */
  readonly loadRate?: number;
  readonly apiKeys?: Partial<Record<SimVenueName, readonly SimApiKey[]>>;
  readonly funding?: Partial<SimWorldOptions['funding']>;
  readonly minHeartbeatSec?: number;
  readonly tokenTtlSec?: number;
  readonly idleTimeoutSec?: number;
  readonly log?: (line: string) => void;
  /** Every order request that reaches an exchange, with its outcome (see order-log.ts). */
  readonly orderLog?: SimOrderLog;
}

export interface SimUrls {
  readonly deribitWs: string;
  readonly deribitHttp: string;
  readonly bybitOptionWs: string;
  readonly bybitLinearWs: string;
  readonly bybitPrivateWs: string;
  /** Order entry over WebSocket (order.create / amend / cancel). */
  readonly bybitTradeWs: string;
  readonly bybitRest: string;
}

export interface RunningSim {
  readonly urls: SimUrls;
  readonly port: number;
  readonly world: SimWorld;
  readonly apiKeys: Readonly<Record<SimVenueName, readonly SimApiKey[]>>;
  readonly venues: Readonly<Record<SimVenueName, VenueServer>>;
  /** Manual clock: moves sim time and runs one model step, synchronously. */
  advance(ms: number): void;
  close(): Promise<void>;
}

/** The paper account keys the sim accepts unless told otherwise; they guard nothing real. */
export const DEFAULT_SIM_KEYS: Readonly<Record<SimVenueName, readonly SimApiKey[]>> = {
  deribit: [{ key: 'sim-deribit-client', secret: 'sim-deribit-secret', accountId: 'paper' }],
  bybit: [{ key: 'sim-bybit-key', secret: 'sim-bybit-secret', accountId: 'paper' }],
};

export const DEFAULT_STEP_WALL_MS = 250;

export async function startSim(options: SimServerOptions = {}): Promise<RunningSim> {
  const seed = options.seed ?? 1;
  const world = new SimWorld({
    seed,
    start: options.start ?? Date.now(),
    speed: options.speed ?? 1,
    manual: options.manualClock ?? false,
    currencies: options.currencies ?? ['BTC', 'ETH'],
    funding: { ...DEFAULT_FUNDING, ...options.funding },
    venues: options.venues,
  });
  const apiKeys = { ...DEFAULT_SIM_KEYS, ...options.apiKeys };
  const faults: FaultOptions = { ...NO_FAULTS, ...options.faults };
  const log = options.log ?? (() => undefined);
  const context = (venue: SimVenueName, seedOffset: number): VenueServerContext => ({
    exchange:
      options.orderLog === undefined
        ? world.exchanges[venue]
        : withOrderLog(world.exchanges[venue], options.orderLog),
    history: world.history,
    apiKeys: apiKeys[venue],
    faults,
    seed: seed * 7919 + seedOffset,
    loadRate: options.loadRate ?? 0,
    minHeartbeatSec: options.minHeartbeatSec ?? 10,
    tokenTtlSec: options.tokenTtlSec ?? 900,
    idleTimeoutSec: options.idleTimeoutSec ?? 300,
    log: (line) => log(`[${venue}] ${line}`),
  });
  for (const venue of ['deribit', 'bybit'] as const) {
    for (const key of apiKeys[venue]) world.exchanges[venue].openAccount(key.accountId);
  }
  const venues = {
    deribit: createDeribitServer(context('deribit', 1)),
    bybit: createBybitServer(context('bybit', 1_000_003)),
  };
  const servers = Object.values(venues);
  const sockets = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const http = createServer((request, response) => routeHttp(servers, request, response));
  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = pathOf(request);
    const venue = servers.find((server) => server.wsPaths.includes(pathname));
    if (venue === undefined) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws: WebSocket) => {
      venue.onConnection(ws, request, pathname);
    });
  });
  let port: number;
  try {
    port = await listen(http, options.host ?? '127.0.0.1', options.port ?? 0);
  } catch (error) {
    // Nothing may keep running for a sim that never served: the caller reports and exits.
    for (const server of servers) server.close();
    sockets.close();
    throw error;
  }
  const host = options.host ?? '127.0.0.1';
  const base = `${host}:${port}`;
  world.start(options.stepWallMs ?? DEFAULT_STEP_WALL_MS);
  return {
    urls: {
      deribitWs: `ws://${base}/ws/api/v2`,
      deribitHttp: `http://${base}/api/v2`,
      bybitOptionWs: `ws://${base}/v5/public/option`,
      bybitLinearWs: `ws://${base}/v5/public/linear`,
      bybitPrivateWs: `ws://${base}/v5/private`,
      bybitTradeWs: `ws://${base}/v5/trade`,
      bybitRest: `http://${base}`,
    },
    port,
    world,
    apiKeys,
    venues,
    advance: (ms) => world.advance(ms),
    close: () => closeAll(world, servers, sockets, http),
  };
}

function pathOf(request: IncomingMessage): string {
  return new URL(request.url ?? '/', 'http://sim').pathname;
}

function routeHttp(
  servers: readonly VenueServer[],
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const url = new URL(request.url ?? '/', 'http://sim');
  const venue = servers.find((server) => server.handlesHttp(url.pathname));
  if (venue === undefined) {
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end(`no simulated venue serves ${url.pathname}\n`);
    return;
  }
  venue.onHttp(request, response, url);
}

function listen(http: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, host, () => {
      http.off('error', reject);
      resolve((http.address() as AddressInfo).port);
    });
  });
}

async function closeAll(
  world: SimWorld,
  servers: readonly VenueServer[],
  sockets: WebSocketServer,
  http: Server,
): Promise<void> {
  world.stop();
  for (const server of servers) server.close();
  for (const client of sockets.clients) client.terminate();
  await new Promise<void>((resolve) => sockets.close(() => resolve()));
  http.closeAllConnections();
  await new Promise<void>((resolve) => http.close(() => resolve()));
}
