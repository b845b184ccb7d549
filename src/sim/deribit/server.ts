// Deribit's JSON-RPC v2 API on the sim: WebSocket at /ws/api/v2 and HTTP under /api/v2/.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { ComboRegistry } from './combos.js';
import type { MarketHistory, SimCandle } from '../model/history.js';
import type { RawData, WebSocket } from 'ws';
import { ConnectionFaults } from '../faults.js';
import { turnSender } from '../turn-sender.js';
import type { VenueServer, VenueServerContext } from '../venue-server.js';
import { TokenStore } from './auth.js';
import { InstrumentCatalog } from './catalog.js';
import { ChangeChains } from './chains.js';
import type { DeribitCore } from './core.js';
import { asRequest, execute, rejection } from './dispatch.js';
import { FundingRecord } from './funding-record.js';
import { CODE, tooManyRequests } from './errors.js';
import { handleHttp, HTTP_PREFIX } from './http.js';
import { HttpFaults } from './http-faults.js';
import { LoadGenerator } from './load.js';
import { Publisher } from './publisher.js';
import { RpcError } from './rpc.js';
import { Session } from './session.js';
import { Views } from './views.js';

export const DERIBIT_WS_PATH = '/ws/api/v2';
const IDLE_CHECK_MS = 1000;
/** HTTP connections draw their fault randomness apart from the WebSocket ones. */
const HTTP_SEED_OFFSET = 500_009;

export interface DeribitServer extends VenueServer {
  /** Synthetic frames sent by load mode so far (0 when it is off). */
  loadFramesSent(): number;
}

export function createDeribitServer(context: VenueServerContext): DeribitServer {
  const exchange = context.exchange;
  const catalog = new InstrumentCatalog(exchange);
  const views = new Views(exchange, catalog);
  const chains = new ChangeChains();
  const history = context.history;
  const publisher = new Publisher(
    exchange,
    catalog,
    views,
    chains,
    history === undefined ? null : (currency) => history.latestVolatility(currency),
    history === undefined
      ? null
      : (coin, periodMs) => formingCandle(history, coin, periodMs, exchange.now()),
  );
  const core: DeribitCore = {
    context,
    exchange,
    tokens: new TokenStore(context.apiKeys, context.tokenTtlSec),
    catalog,
    views,
    publisher,
    accountCancelOnDisconnect: new Set(),
    combos: new ComboRegistry(),
    httpFaults: new HttpFaults(context.faults, context.seed + HTTP_SEED_OFFSET),
    funding: new FundingRecord(exchange),
  };
  const load =
    context.loadRate > 0 ? new LoadGenerator(context.loadRate, exchange, publisher, chains) : null;
  const sessions = new Set<Session>();
  let connections = 0;

  const idleTimer =
    context.idleTimeoutSec > 0
      ? setInterval(() => {
          const cutoff = Date.now() - context.idleTimeoutSec * 1000;
          for (const session of sessions) if (session.lastHeardWall < cutoff) session.terminate();
        }, IDLE_CHECK_MS)
      : null;
  idleTimer?.unref();

  function onConnection(socket: WebSocket, request: IncomingMessage): void {
    const id = connections++;
    const faults = new ConnectionFaults(
      context.faults,
      { send: turnSender(socket, request.socket), terminate: () => socket.terminate() },
      context.seed + id,
    );
    const session = new Session(id, socket, faults, Date.now());
    sessions.add(session);
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) onMessage(session, rawText(data));
    });
    socket.on('ping', () => {
      session.lastHeardWall = Date.now();
    });
    socket.on('close', () => onClose(session));
    socket.on('error', (error) => context.log(`deribit: connection ${id}: ${error.message}`));
  }

  function onMessage(session: Session, text: string): void {
    session.lastHeardWall = Date.now();
    session.heartbeat?.heard();
    let decoded: unknown;
    try {
      decoded = JSON.parse(text) as unknown;
    } catch {
      session.send(rejection(core, null, new RpcError(CODE.parseError, 'Parse error')), 'reply');
      return;
    }
    const request = asRequest(decoded);
    if (request instanceof RpcError) {
      session.send(rejection(core, null, request), 'reply');
      return;
    }
    if (!session.faults.admitRequest()) {
      session.send(rejection(core, request.id, tooManyRequests()), 'reply');
      return;
    }
    const outcome = execute(core, request, session, null);
    session.send(outcome.frame, 'reply');
    for (const task of outcome.after) task();
  }

  function onClose(session: Session): void {
    if (session.closed) return;
    session.closed = true;
    sessions.delete(session);
    session.heartbeat?.stop();
    session.faults.close();
    publisher.removeSession(session);
    const account = session.accountId;
    if (
      account !== null &&
      (session.cancelOnDisconnect || core.accountCancelOnDisconnect.has(account))
    ) {
      // Deribit cancels the orders the connection created; other connections' orders stay.
      for (const order of exchange.openOrders(account)) {
        if (session.placedOrders.has(order.orderId)) exchange.cancel(account, order.orderId);
      }
    }
  }

  return {
    wsPaths: [DERIBIT_WS_PATH],
    handlesHttp: (pathname) => pathname.startsWith(HTTP_PREFIX),
    onConnection: (socket: WebSocket, request: IncomingMessage, _pathname: string) =>
      onConnection(socket, request),
    onHttp: (request: IncomingMessage, response: ServerResponse, url: URL) =>
      handleHttp(core, request, response, url),
    connectionCount: () => sessions.size,
    loadFramesSent: () => load?.sent ?? 0,
    close: () => {
      load?.stop();
      if (idleTimer !== null) clearInterval(idleTimer);
      for (const session of [...sessions]) {
        session.terminate();
        onClose(session);
      }
      publisher.close();
      core.funding.close();
    },
  };
}

/** The index candle of `periodMs` that the latest recorded minute belongs to. */
function formingCandle(
  history: MarketHistory,
  coin: string,
  periodMs: number,
  now: number,
): SimCandle | null {
  const candles = history.candles('index', coin, periodMs, now - 2 * periodMs, Infinity);
  return candles[candles.length - 1] ?? null;
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
