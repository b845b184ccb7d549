// Bybit v5 on loopback: the public option and linear sockets, the private socket, and the
// REST routes under /v5/, all over one SimExchange.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import type { VenueServer, VenueServerContext } from '../venue-server.js';
import { OrderRegistry } from './account-orders.js';
import { BybitConnection } from './connection.js';
import { LoadGenerator } from './load-generator.js';
import { MarketStats } from './market-stats.js';
import { MarketStreams } from './market-streams.js';
import { DisconnectProtection } from './dcp.js';
import { PerpetualPremiums } from './perp-premium.js';
import { PositionTimes } from './position-times.js';
import { PrivateFeed } from './private-feed.js';
import { RestRouter } from './rest-router.js';
import { TradingRoutes } from './rest-trading.js';
import { SocketCommands } from './socket-commands.js';
import { TradeSocket } from './trade-socket.js';
import type { SocketKind } from './topics.js';

const SOCKET_PATHS: ReadonlyMap<string, SocketKind> = new Map([
  ['/v5/public/option', 'option'],
  ['/v5/public/linear', 'linear'],
  ['/v5/private', 'private'],
  ['/v5/trade', 'trade'],
]);
const IDLE_CHECK_MAX_MS = 1000;

class BybitServer implements VenueServer {
  readonly wsPaths = [...SOCKET_PATHS.keys()];
  private readonly connections = new Set<BybitConnection>();
  private readonly streams: MarketStreams;
  private readonly feed: PrivateFeed;
  private readonly commands: SocketCommands;
  private readonly tradeSocket: TradeSocket;
  private readonly rest: RestRouter;
  private readonly premiums: PerpetualPremiums | null;
  private readonly dcp: DisconnectProtection;
  private readonly load: LoadGenerator | null;
  private readonly stopListening: () => void;
  private readonly idleTimer: NodeJS.Timeout | null;
  private serial = 0;

  constructor(private readonly context: VenueServerContext) {
    const { exchange } = context;
    const stats = new MarketStats();
    const orders = new OrderRegistry();
    const positionTimes = new PositionTimes();
    this.streams = new MarketStreams(exchange, stats, context.history);
    this.feed = new PrivateFeed(exchange, orders, positionTimes, () => this.connections);
    this.commands = new SocketCommands(exchange, this.streams, context.apiKeys, (_c, key) =>
      exchange.openAccount(key.accountId),
    );
    const trading = new TradingRoutes(exchange, orders, this.feed, positionTimes);
    this.premiums =
      context.history === undefined
        ? null
        : new PerpetualPremiums(exchange, context.seed, context.history.anchor);
    this.tradeSocket = new TradeSocket(trading, context.apiKeys, (key) =>
      exchange.openAccount(key.accountId),
    );
    this.dcp = new DisconnectProtection(
      exchange,
      (accountId) =>
        [...this.connections].filter((c) => c.kind === 'private' && c.key?.accountId === accountId)
          .length,
    );
    this.rest = new RestRouter({
      dcp: this.dcp,
      exchange,
      ...(context.history === undefined ? {} : { history: context.history }),
      ...(this.premiums === null ? {} : { premiums: this.premiums }),
      stats,
      trading,
      apiKeys: context.apiKeys,
      faults: context.faults,
      seed: context.seed + 500_000,
      log: context.log,
    });
    // A formatting bug must cost a message, never the exchange's event loop.
    this.stopListening = exchange.subscribe((event) => {
      try {
        this.streams.onEvent(event);
        this.feed.onEvent(event);
      } catch (error) {
        context.log(
          `dropped ${event.type} event: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    });
    this.load =
      context.loadRate > 0 ? new LoadGenerator(context.loadRate, this.streams, exchange) : null;
    this.idleTimer =
      context.idleTimeoutSec > 0
        ? setInterval(
            () => this.closeIdle(),
            Math.min(IDLE_CHECK_MAX_MS, (context.idleTimeoutSec * 1000) / 4),
          )
        : null;
    this.idleTimer?.unref();
  }

  handlesHttp(pathname: string): boolean {
    return pathname.startsWith('/v5/');
  }

  onConnection(socket: WebSocket, request: IncomingMessage, pathname: string): void {
    const kind = SOCKET_PATHS.get(pathname);
    if (kind === undefined) {
      socket.terminate();
      return;
    }
    const connection = new BybitConnection(
      socket,
      request.socket,
      kind,
      this.context.faults,
      this.context.seed + this.serial++,
      Date.now(),
    );
    this.connections.add(connection);
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      connection.lastFrameAt = Date.now();
      const text = frameText(data);
      if (kind === 'trade') this.tradeSocket.handle(connection, text);
      else this.commands.handle(connection, text);
    });
    // A protocol-level ping is traffic too; the venue only drops connections that say nothing.
    socket.on('ping', () => (connection.lastFrameAt = Date.now()));
    socket.on('close', () => this.forget(connection));
    socket.on('error', () => this.forget(connection));
  }

  onHttp(request: IncomingMessage, response: ServerResponse, url: URL): void {
    this.rest.handle(request, response, url);
  }

  connectionCount(): number {
    return this.connections.size;
  }

  close(): void {
    this.stopListening();
    this.premiums?.close();
    this.dcp.close();
    this.load?.stop();
    if (this.idleTimer !== null) clearInterval(this.idleTimer);
    this.rest.close();
    for (const connection of [...this.connections]) {
      connection.socket.terminate();
      this.forget(connection);
    }
  }

  private forget(connection: BybitConnection): void {
    if (!this.connections.delete(connection)) return;
    connection.close();
    this.dcp.onClosed(connection);
    this.streams.remove(connection);
  }

  private closeIdle(): void {
    const limit = Date.now() - this.context.idleTimeoutSec * 1000;
    for (const connection of [...this.connections]) {
      if (connection.lastFrameAt >= limit) continue;
      this.context.log(`closing idle connection ${connection.connId}`);
      connection.socket.terminate();
      this.forget(connection);
    }
  }
}

function frameText(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

export function createBybitServer(context: VenueServerContext): VenueServer {
  return new BybitServer(context);
}
