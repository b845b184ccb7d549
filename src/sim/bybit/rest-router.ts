// Bybit's REST surface under /v5/: reads the request, applies the rate limit (per API key for
// private routes, per client address for public ones), checks signatures, dispatches, and
// answers in the `{retCode, retMsg, result, retExtInfo, time}` envelope.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimExchange } from '../contract.js';
import { ConnectionFaults, type FaultOptions } from '../faults.js';
import { readBody } from '../http-body.js';
import type { SimApiKey } from '../venue-server.js';
import { restReply } from './envelopes.js';
import { BybitError, RET, paramsError, toBybitError } from './errors.js';
import type { MarketStats } from './market-stats.js';
import type { Body } from './order-requests.js';
import { deliveryPrice, instrumentsInfo, orderbook, serverTime, tickers } from './rest-market.js';
import type { MarketHistory } from '../model/history.js';
import { CustomEnvelope, historicalVolatility, indexPriceKline, kline } from './rest-history.js';
import { executionList } from './rest-executions.js';
import type { TradingRoutes } from './rest-trading.js';
import { verifyRest } from './signing.js';
import { accountInfo, coinInfo, feeRate, queryApi } from './rest-account.js';
import { emptyList, emptyPage, requireAnyCategory } from './categories.js';
import { recentTrades } from './rest-recent-trades.js';
import { openInterest } from './rest-open-interest.js';
import { PAPER_GETS, PAPER_POSTS, refusePaperPost } from './rest-paper.js';
import { runBatch, WithExtInfo } from './rest-batch.js';
import { setLeverage, setMarginMode, switchMode } from './rest-position.js';
import type { PerpetualPremiums } from './perp-premium.js';
import { closedPnl } from './rest-closed-pnl.js';
import type { DisconnectProtection } from './dcp.js';
import { transactionLog } from './rest-transaction-log.js';
import { fundingHistory, markPriceKline, premiumIndexPriceKline } from './rest-funding.js';

const MAX_BODY_BYTES = 64 * 1024;

type PublicRoute = (query: URLSearchParams) => unknown;
type PrivateGet = (key: SimApiKey, query: URLSearchParams) => unknown;
type PrivatePost = (key: SimApiKey, body: Body) => unknown;

export interface RestDependencies {
  readonly exchange: SimExchange;
  readonly history?: MarketHistory;
  /** Served with the history: the perpetuals' premium, live and past. */
  readonly premiums?: PerpetualPremiums;
  readonly stats: MarketStats;
  /** Disconnection protection windows; without it the route is not served. */
  readonly dcp?: DisconnectProtection;
  readonly trading: TradingRoutes;
  readonly apiKeys: readonly SimApiKey[];
  readonly faults: FaultOptions;
  readonly seed: number;
  readonly log: (line: string) => void;
}

export class RestRouter {
  private readonly publicGets: ReadonlyMap<string, PublicRoute>;
  private readonly privateGets: ReadonlyMap<string, PrivateGet>;
  private readonly privatePosts: ReadonlyMap<string, PrivatePost>;
  private readonly limiters = new Map<string, ConnectionFaults>();

  constructor(private readonly deps: RestDependencies) {
    const { exchange, stats, trading, history, premiums } = deps;
    this.publicGets = new Map<string, PublicRoute>([
      ['/v5/market/time', () => serverTime(Date.now())],
      ['/v5/market/instruments-info', (q) => emptyPage(q) ?? instrumentsInfo(exchange, q)],
      ['/v5/market/tickers', (q) => emptyList(q) ?? tickers(exchange, stats, q)],
      ['/v5/market/recent-trade', (q) => recentTrades(exchange, q)],
      ['/v5/market/orderbook', (q) => orderbook(exchange, q)],
      ['/v5/market/kline', (q) => kline(exchange, history, q)],
      ['/v5/market/index-price-kline', (q) => indexPriceKline(exchange, history, q)],
      ['/v5/market/funding/history', (q) => fundingHistory(exchange, history, premiums, q)],
      ['/v5/market/mark-price-kline', (q) => markPriceKline(exchange, history, premiums, q)],
      [
        '/v5/market/premium-index-price-kline',
        (q) => premiumIndexPriceKline(exchange, history, premiums, q),
      ],
      ['/v5/market/delivery-price', (q) => deliveryPrice(exchange, q)],
      ['/v5/market/historical-volatility', (q) => historicalVolatility(exchange, history, q)],
      ['/v5/market/open-interest', (q) => openInterest(exchange, q)],
      // No maintenance is ever scheduled on the sim.
      ['/v5/system/status', () => ({ list: [] })],
    ]);
    this.privateGets = new Map<string, PrivateGet>([
      ['/v5/order/realtime', (k, q) => emptyPage(q) ?? trading.realtime(k, q)],
      ['/v5/order/history', (k, q) => trading.history(k, q)],
      ['/v5/position/list', (k, q) => positionCategory(q) ?? trading.positions(k, q)],
      ['/v5/account/wallet-balance', (k, q) => trading.wallet(k, q)],
      ['/v5/execution/list', (k, q) => executionList(exchange, k, q)],
      ['/v5/account/info', () => accountInfo(Date.now())],
      ['/v5/position/closed-pnl', (k, q) => closedPnl(exchange, k, q)],
      ['/v5/account/transaction-log', (k, q) => transactionLog(exchange, k, q)],
      ['/v5/account/fee-rate', (_k, q) => feeRate(exchange, q)],
      ['/v5/user/query-api', (k) => queryApi(k, Date.now())],
      ['/v5/asset/coin/query-info', (_k, q) => coinInfo(exchange, q)],
      ...[...PAPER_GETS].map(([path, route]): [string, PrivateGet] => [path, (_k, q) => route(q)]),
    ]);
    const now = (): number => Date.now();
    this.privatePosts = new Map<string, PrivatePost>([
      ['/v5/order/create', (k, b) => trading.create(k, b)],
      ['/v5/order/amend', (k, b) => trading.amend(k, b)],
      ['/v5/order/cancel', (k, b) => trading.cancel(k, b)],
      ['/v5/order/cancel-all', (k, b) => trading.cancelAll(k, b)],
      [
        '/v5/order/create-batch',
        (k, b) => runBatch((kk, bb) => trading.create(kk, bb), true, now, k, b),
      ],
      [
        '/v5/order/amend-batch',
        (k, b) => runBatch((kk, bb) => trading.amend(kk, bb), false, now, k, b),
      ],
      [
        '/v5/order/cancel-batch',
        (k, b) => runBatch((kk, bb) => trading.cancel(kk, bb), false, now, k, b),
      ],
      ['/v5/position/set-leverage', (k, b) => setLeverage(exchange, k, b)],
      ...(deps.dcp === undefined
        ? []
        : [
            [
              '/v5/order/disconnected-cancel-all',
              (k: SimApiKey, b: Body) => deps.dcp!.set(k.accountId, b),
            ] as [string, PrivatePost],
          ]),
      ['/v5/position/switch-mode', (_k, b) => switchMode(exchange, b)],
      ['/v5/account/set-margin-mode', (_k, b) => setMarginMode(b)],
      ...PAPER_POSTS.map((path): [string, PrivatePost] => [path, () => refusePaperPost()]),
    ]);
  }

  handle(request: IncomingMessage, response: ServerResponse, url: URL): void {
    readBody(request, MAX_BODY_BYTES, (body) => {
      if (body === null) {
        response.writeHead(413, { 'content-type': 'text/plain' }).end('request entity too large');
        return;
      }
      const { status, text } = this.answer(request, url, body);
      const send = (): void => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(text);
      };
      if (this.deps.faults.replyDelayMs > 0) setTimeout(send, this.deps.faults.replyDelayMs);
      else send();
    });
  }

  close(): void {
    for (const limiter of this.limiters.values()) limiter.close();
    this.limiters.clear();
  }

  private limiter(client: string): ConnectionFaults {
    let limiter = this.limiters.get(client);
    if (limiter === undefined) {
      const noTransport = { send: () => undefined, terminate: () => undefined };
      limiter = new ConnectionFaults(
        { ...this.deps.faults, disconnectEverySec: 0, stallEverySec: 0, stallForSec: 0 },
        noTransport,
        this.deps.seed + this.limiters.size,
      );
      this.limiters.set(client, limiter);
    }
    return limiter;
  }

  private answer(
    request: IncomingMessage,
    url: URL,
    rawBody: string,
  ): { status: number; text: string } {
    const path = url.pathname;
    const method = request.method ?? 'GET';
    const reply = (retCode: number, retMsg: string, result: unknown, status = 200) =>
      result instanceof WithExtInfo
        ? { status, text: restReply(retCode, retMsg, result.result, Date.now(), result.retExtInfo) }
        : { status, text: restReply(retCode, retMsg, result, Date.now()) };
    const publicRoute = method === 'GET' ? this.publicGets.get(path) : undefined;
    const privateGet = method === 'GET' ? this.privateGets.get(path) : undefined;
    const privatePost = method === 'POST' ? this.privatePosts.get(path) : undefined;
    if (publicRoute === undefined && privateGet === undefined && privatePost === undefined) {
      return reply(RET.routeNotFound, 'Route not found', {}, 404);
    }
    const apiKey = header(request, 'x-bapi-api-key');
    const client =
      publicRoute === undefined
        ? `key:${apiKey ?? ''}`
        : `ip:${request.socket.remoteAddress ?? ''}`;
    if (!this.limiter(client).admitRequest()) return reply(RET.rateLimit, 'Too many visits!', {});
    try {
      if (publicRoute !== undefined) {
        const result = publicRoute(url.searchParams);
        if (result instanceof CustomEnvelope) {
          const { retMsg, top } = result;
          return {
            status: 200,
            text: JSON.stringify({ retCode: RET.ok, retMsg, ...top, result: result.result }),
          };
        }
        return reply(RET.ok, 'OK', result);
      }
      // The signature covers the query string exactly as sent, or the body exactly as sent.
      const payload = method === 'GET' ? url.search.replace(/^\?/, '') : rawBody;
      const key = verifyRest(
        this.deps.apiKeys,
        {
          apiKey,
          timestamp: header(request, 'x-bapi-timestamp'),
          recvWindow: header(request, 'x-bapi-recv-window'),
          sign: header(request, 'x-bapi-sign'),
        },
        payload,
        Date.now(),
      );
      this.deps.exchange.openAccount(key.accountId);
      if (privateGet !== undefined) return reply(RET.ok, 'OK', privateGet(key, url.searchParams));
      return reply(RET.ok, 'OK', privatePost!(key, parseBody(rawBody)));
    } catch (error) {
      const failure = knownFailure(error);
      if (failure === null) {
        this.deps.log(
          `${method} ${path} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        return reply(RET.serverError, 'Server error.', {}, 500);
      }
      return reply(failure.retCode, failure.retMsg, failure.result);
    }
  }
}

/** Positions are kept for linear, inverse and option contracts; spot has none to ask about. */
function positionCategory(query: URLSearchParams): unknown {
  if (requireAnyCategory(query) === 'spot')
    throw paramsError('category only support linear, inverse and option');
  return emptyPage(query);
}

function knownFailure(error: unknown): BybitError | null {
  try {
    return toBybitError(error);
  } catch {
    return null;
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseBody(raw: string): Body {
  let body: unknown;
  try {
    body = JSON.parse(raw === '' ? '{}' : raw);
  } catch {
    throw paramsError('request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw paramsError('request body must be a JSON object');
  }
  return body as Body;
}
