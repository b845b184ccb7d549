// Bybit's order-entry socket, /v5/trade ("Websocket Trade Guideline"): `auth` as on the
// private socket, then `order.create` / `order.amend` / `order.cancel` with one args item each,
// the REST parameters, answered by the same TradingRoutes handlers as /v5/order/* so both
// paths validate, fail and refuse duplicate orderLinkIds identically.
//
// Frames, as the guideline documents them:
//   auth reply   {reqId?, retCode, retMsg:"OK", op:"auth", connId}; 20001 repeat auth,
//                10004 bad signature, 10001 params error.
//   order reply  {reqId?, retCode, retMsg, op, data:{orderId, orderLinkId}, retExtInfo:{},
//                header:{X-Bapi-Limit, X-Bapi-Limit-Status, X-Bapi-Limit-Reset-Timestamp,
//                Traceid, Timenow}, connId}; data is {} on failure. A reqId seen before on the
//                connection is refused with 20006; an unknown op with 10404.
//   pong         {reqId?, retCode:0, retMsg:"OK", op:"pong", data:[server ms], connId}.
// A trade op before auth is refused with 10003 (the sim's choice: the guideline lists no
// code for it; ccxt reads any non-zero retCode as a failure of that reqId).

import { randomBytes } from 'node:crypto';
import type { SimApiKey } from '../venue-server.js';
import type { BybitConnection } from './connection.js';
import { BybitError, RET, paramsError, toBybitError } from './errors.js';
import type { Body } from './order-requests.js';
import type { TradingRoutes } from './rest-trading.js';
import { DEFAULT_RECV_WINDOW, verifyWsAuth } from './signing.js';

const TRADE_RET = {
  repeatAuth: 20001,
  duplicateReqId: 20006,
  opNotFound: 10404,
} as const;
/** The per-second order budget the venue reports in each reply's header. */
const ORDER_LIMIT = 10;
const FUTURE_TOLERANCE_MS = 1000;
const MAX_REQ_ID_LENGTH = 36;

type TradeOp = 'order.create' | 'order.amend' | 'order.cancel';
const TRADE_OPS: ReadonlySet<string> = new Set<TradeOp>([
  'order.create',
  'order.amend',
  'order.cancel',
]);

export class TradeSocket {
  /** reqIds each connection has used: the venue refuses a repeat. */
  private readonly seenReqIds = new WeakMap<BybitConnection, Set<string>>();

  constructor(
    private readonly trading: TradingRoutes,
    private readonly apiKeys: readonly SimApiKey[],
    private readonly onAuthenticated: (key: SimApiKey) => void,
  ) {}

  handle(connection: BybitConnection, text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.reply(connection, { retCode: RET.params, retMsg: 'request is not json', op: '' });
      return;
    }
    const record = (typeof message === 'object' && message !== null ? message : {}) as Record<
      string,
      unknown
    >;
    const op = typeof record['op'] === 'string' ? record['op'] : '';
    const reqId = typeof record['reqId'] === 'string' ? record['reqId'] : undefined;
    const base = { ...(reqId === undefined ? {} : { reqId }), op };
    if (!connection.faults.admitRequest()) {
      this.reply(connection, { ...base, retCode: RET.rateLimit, retMsg: 'Too many visits!' });
      return;
    }
    if (op === 'ping') {
      this.reply(connection, { ...base, op: 'pong', retCode: 0, retMsg: 'OK', data: [pongMs()] });
      return;
    }
    if (op === 'auth') {
      this.auth(connection, base, record['args']);
      return;
    }
    if (!TRADE_OPS.has(op)) {
      this.reply(connection, {
        ...base,
        retCode: TRADE_RET.opNotFound,
        retMsg: `op type ${op} is not found`,
      });
      return;
    }
    const answer = this.order(connection, op as TradeOp, reqId, record);
    this.reply(connection, {
      ...base,
      retCode: answer.retCode,
      retMsg: answer.retMsg,
      data: answer.data,
      retExtInfo: {},
      header: replyHeader(),
    });
  }

  private auth(connection: BybitConnection, base: object, args: unknown): void {
    if (connection.key !== null) {
      this.reply(connection, { ...base, retCode: TRADE_RET.repeatAuth, retMsg: 'Repeat auth' });
      return;
    }
    const result = verifyWsAuth(this.apiKeys, args, Date.now());
    if (!result.ok) {
      const retCode = result.retMsg === 'Params Error' ? RET.params : RET.sign;
      this.reply(connection, { ...base, retCode, retMsg: result.retMsg });
      return;
    }
    connection.key = result.key;
    this.onAuthenticated(result.key);
    this.reply(connection, { ...base, retCode: 0, retMsg: 'OK' });
  }

  private order(
    connection: BybitConnection,
    op: TradeOp,
    reqId: string | undefined,
    record: Record<string, unknown>,
  ): { retCode: number; retMsg: string; data: unknown } {
    try {
      const key = connection.key;
      if (key === null) throw new BybitError(RET.apiKey, 'Request not authorized');
      if (reqId !== undefined) this.claimReqId(connection, reqId);
      checkHeader(record['header']);
      const args = record['args'];
      if (!Array.isArray(args) || args.length !== 1 || typeof args[0] !== 'object') {
        throw paramsError('args must hold exactly one order');
      }
      const body = args[0] as Body;
      const data =
        op === 'order.create'
          ? this.trading.create(key, body)
          : op === 'order.amend'
            ? this.trading.amend(key, body)
            : this.trading.cancel(key, body);
      return { retCode: 0, retMsg: 'OK', data };
    } catch (error) {
      const failure = toBybitError(error);
      return { retCode: failure.retCode, retMsg: failure.retMsg, data: {} };
    }
  }

  private claimReqId(connection: BybitConnection, reqId: string): void {
    if (reqId.length > MAX_REQ_ID_LENGTH) throw paramsError('reqId is too long');
    let seen = this.seenReqIds.get(connection);
    if (seen === undefined) {
      seen = new Set();
      this.seenReqIds.set(connection, seen);
    }
    if (seen.has(reqId)) {
      throw new BybitError(TRADE_RET.duplicateReqId, `reqId is duplicated: ${reqId}`);
    }
    seen.add(reqId);
  }

  private reply(connection: BybitConnection, frame: Record<string, unknown>): void {
    connection.send(JSON.stringify({ ...frame, connId: connection.connId }), 'reply');
  }
}

/** X-BAPI-TIMESTAMP is required; the window rule is REST's: now − recvWindow ≤ ts < now + 1 s. */
function checkHeader(header: unknown): void {
  const fields = (typeof header === 'object' && header !== null ? header : {}) as Record<
    string,
    unknown
  >;
  const rawTs = fields['X-BAPI-TIMESTAMP'];
  const rawWindow = fields['X-BAPI-RECV-WINDOW'];
  if (rawTs === undefined) throw paramsError('header X-BAPI-TIMESTAMP is required');
  const timestamp = Number(rawTs);
  const window = rawWindow === undefined ? DEFAULT_RECV_WINDOW : Number(rawWindow);
  const now = Date.now();
  if (
    !Number.isFinite(timestamp) ||
    !Number.isFinite(window) ||
    timestamp < now - window ||
    timestamp >= now + FUTURE_TOLERANCE_MS
  ) {
    throw new BybitError(
      RET.timestamp,
      `invalid request, please check your server timestamp or recv_window param. req_timestamp[${JSON.stringify(rawTs)}],server_timestamp[${now}],recv_window[${JSON.stringify(rawWindow ?? DEFAULT_RECV_WINDOW)}]`,
    );
  }
}

function replyHeader(): Record<string, string> {
  const now = Date.now();
  return {
    'X-Bapi-Limit': String(ORDER_LIMIT),
    'X-Bapi-Limit-Status': String(ORDER_LIMIT - 1),
    'X-Bapi-Limit-Reset-Timestamp': String(now),
    Traceid: randomBytes(16).toString('hex'),
    Timenow: String(now),
  };
}

function pongMs(): string {
  return String(Date.now());
}
