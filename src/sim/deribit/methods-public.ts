// Public methods: market data, subscriptions, connection upkeep and authentication.

import { websocketOnly, type DeribitCore, type Method, type MethodCall } from './core.js';
import { coinOfIndex, instrumentCurrency, isVenueCurrency, venueCurrencies } from './markets.js';
import { instrumentNotFound, invalidParams } from './errors.js';
import { instrumentRecord, orderBookResult, publicTradeRow } from './format-market.js';
import { Heartbeat } from './heartbeat.js';
import { HISTORY_METHODS } from './methods-history.js';
import { REFERENCE_METHODS } from './methods-reference.js';
import { KIND_SELECTORS, kindMatches } from './kinds.js';
import {
  optionalBoolean,
  optionalEnum,
  optionalNumber,
  optionalString,
  requireEnum,
  requireNumber,
  requireString,
  requireStringArray,
} from './params.js';
import { heartbeatFrame } from './rpc.js';

const API_VERSION = '1.2.26';
const DEFAULT_BOOK_DEPTH = 20;
const MAX_BOOK_DEPTH = 10_000;

const getInstruments: Method = ({ exchange }, { params }) => {
  // Without a currency the venue lists every currency's instruments, as with "any".
  const currency = (optionalString(params, 'currency') ?? 'any').toUpperCase();
  const kind = optionalEnum(params, 'kind', KIND_SELECTORS);
  if (currency !== 'ANY' && !isVenueCurrency(exchange, currency)) {
    throw invalidParams('currency', `must be one of ${venueCurrencies(exchange).join(', ')}, any`);
  }
  // Expired instruments are settled and gone from the sim.
  if (optionalBoolean(params, 'expired') === true) return [];
  return exchange
    .instruments()
    .filter((instrument) => currency === 'ANY' || instrumentCurrency(instrument) === currency)
    .filter((instrument) => kindMatches(kind, instrument.spec.kind))
    .map(instrumentRecord);
};

const getIndexPrice: Method = ({ exchange }, { params }) => {
  const name = requireString(params, 'index_name');
  const currency = coinOfIndex(name, exchange);
  if (currency === null) throw invalidParams('index_name', 'unknown index');
  const price = Math.round(exchange.indexPrice(currency) * 100) / 100;
  return { index_price: price, estimated_delivery_price: price };
};

/** Deribit keeps 1,000 rows to a page of delivery prices. */
const MAX_DELIVERY_COUNT = 1_000;

/**
 * An index's delivery prices, one per delivery day (everything on it delivers at 08:00 UTC
 * at that day's price), newest first, as {data: [{date, delivery_price}], records_total}.
 */
const getDeliveryPrices: Method = ({ exchange }, { params }) => {
  const name = requireString(params, 'index_name');
  const currency = coinOfIndex(name, exchange);
  if (currency === null) throw invalidParams('index_name', 'unknown index');
  const offset = optionalNumber(params, 'offset') ?? 0;
  const count = optionalNumber(params, 'count') ?? 10;
  if (!Number.isInteger(offset) || offset < 0) throw invalidParams('offset', 'must be 0 or more');
  if (!Number.isInteger(count) || count < 1 || count > MAX_DELIVERY_COUNT) {
    throw invalidParams('count', `must be 1 to ${MAX_DELIVERY_COUNT}`);
  }
  const byDate = new Map<string, number>();
  for (const delivery of exchange.deliveries(currency)) {
    const date = new Date(delivery.ts).toISOString().slice(0, 10);
    if (!byDate.has(date)) byDate.set(date, delivery.price);
  }
  const rows = [...byDate].map(([date, price]) => ({ date, delivery_price: price }));
  return { data: rows.slice(offset, offset + count), records_total: rows.length };
};

const ticker: Method = ({ views }, { params }) => {
  const name = requireString(params, 'instrument_name');
  const data = views.ticker(name);
  if (data === null) throw instrumentNotFound(name);
  return data;
};

const getOrderBook: Method = ({ exchange, catalog, views }, { params }) => {
  const name = requireString(params, 'instrument_name');
  const depth = optionalNumber(params, 'depth') ?? DEFAULT_BOOK_DEPTH;
  if (!Number.isInteger(depth) || depth < 1 || depth > MAX_BOOK_DEPTH) {
    throw invalidParams('depth', `must be an integer from 1 to ${MAX_BOOK_DEPTH}`);
  }
  const instrument = catalog.get(name);
  const tick = exchange.ticker(name);
  const book = exchange.book(name, depth);
  if (instrument === undefined || tick === undefined || book === undefined) {
    throw instrumentNotFound(name);
  }
  return orderBookResult(instrument, tick, book, views.marks);
};

/** Every print the tape keeps (at most 2,000 an instrument). */
const WHOLE_TAPE = 2_000;

/** The latest prints, newest first unless `sorting: "asc"` (then the oldest of the window
 * first), narrowed by trade sequence and time; `has_more` when the window holds more. */
const lastTrades =
  (timeRequired: boolean): Method =>
  ({ exchange, catalog }, { params }) => {
    const name = requireString(params, 'instrument_name');
    const count = optionalNumber(params, 'count') ?? 10;
    if (!Number.isInteger(count) || count < 1 || count > 1000) {
      throw invalidParams('count', 'must be an integer from 1 to 1000');
    }
    const sorting = optionalEnum(params, 'sorting', ['asc', 'desc', 'default'] as const);
    const startSeq = optionalNumber(params, 'start_seq');
    const endSeq = optionalNumber(params, 'end_seq');
    const since = timeRequired
      ? requireNumber(params, 'start_timestamp')
      : optionalNumber(params, 'start_timestamp');
    const until = timeRequired
      ? requireNumber(params, 'end_timestamp')
      : optionalNumber(params, 'end_timestamp');
    const instrument = catalog.get(name);
    if (instrument === undefined) throw instrumentNotFound(name);
    const window = exchange
      .recentTrades(name, WHOLE_TAPE)
      .filter(
        (trade) =>
          (startSeq === undefined || trade.tradeSeq >= startSeq) &&
          (endSeq === undefined || trade.tradeSeq <= endSeq) &&
          (since === undefined || trade.ts >= since) &&
          (until === undefined || trade.ts <= until),
      );
    const picked = sorting === 'asc' ? window.slice(0, count) : window.slice(-count).reverse();
    return {
      trades: picked.map((trade) => publicTradeRow(trade, instrument.spec.kind === 'option')),
      has_more: window.length > count,
    };
  };

/** Shared by public/ and private/subscribe: the reply lists what was actually subscribed. */
export const subscribe: Method = ({ publisher }, call) => {
  const session = websocketOnly(call);
  const subscribed: string[] = [];
  for (const name of requireStringArray(call.params, 'channels')) {
    const channel = publisher.subscribe(session, name);
    if (channel === null) continue;
    subscribed.push(name);
    call.after.push(() => publisher.sendInitial(session, name, channel));
  }
  return subscribed;
};

export const unsubscribe: Method = ({ publisher }, call) => {
  const session = websocketOnly(call);
  return requireStringArray(call.params, 'channels').filter((name) =>
    publisher.unsubscribe(session, name),
  );
};

const unsubscribeAll: Method = ({ publisher }, call) => {
  publisher.removeSession(websocketOnly(call));
  return 'ok';
};

const setHeartbeat: Method = ({ context }, call) => {
  const session = websocketOnly(call);
  const interval = requireNumber(call.params, 'interval');
  if (interval < context.minHeartbeatSec) {
    throw invalidParams('interval', `must be at least ${context.minHeartbeatSec}`);
  }
  session.heartbeat?.stop();
  session.heartbeat = new Heartbeat(interval, {
    send: (type) => session.send(heartbeatFrame(type), 'notification'),
    terminate: () => session.terminate(),
  });
  return 'ok';
};

const disableHeartbeat: Method = (_core, call) => {
  const session = websocketOnly(call);
  session.heartbeat?.stop();
  session.heartbeat = null;
  return 'ok';
};

const auth: Method = (core: DeribitCore, call: MethodCall) => {
  const { params } = call;
  const grant = requireEnum(params, 'grant_type', [
    'client_credentials',
    'client_signature',
    'refresh_token',
  ]);
  const issued =
    grant === 'client_credentials'
      ? core.tokens.withClientCredentials(
          requireString(params, 'client_id'),
          requireString(params, 'client_secret'),
        )
      : grant === 'client_signature'
        ? core.tokens.withSignature(
            requireString(params, 'client_id'),
            requireNumber(params, 'timestamp'),
            requireString(params, 'signature'),
            requireString(params, 'nonce'),
            typeof params['data'] === 'string' ? params['data'] : '',
          )
        : core.tokens.withRefreshToken(requireString(params, 'refresh_token'));
  core.exchange.openAccount(issued.accountId);
  if (call.session !== null) call.session.accountId = issued.accountId;
  return {
    access_token: issued.access_token,
    refresh_token: issued.refresh_token,
    expires_in: issued.expires_in,
    scope: issued.scope,
    token_type: issued.token_type,
    enabled_features: issued.enabled_features,
  };
};

export const PUBLIC_METHODS: Readonly<Record<string, Method>> = {
  ...HISTORY_METHODS,
  ...REFERENCE_METHODS,
  'public/get_instruments': getInstruments,
  'public/get_index_price': getIndexPrice,
  'public/get_delivery_prices': getDeliveryPrices,
  'public/ticker': ticker,
  'public/get_order_book': getOrderBook,
  'public/get_last_trades_by_instrument': lastTrades(false),
  'public/get_last_trades_by_instrument_and_time': lastTrades(true),
  'public/subscribe': subscribe,
  'public/unsubscribe': unsubscribe,
  'public/unsubscribe_all': unsubscribeAll,
  'public/set_heartbeat': setHeartbeat,
  'public/disable_heartbeat': disableHeartbeat,
  'public/test': () => ({ version: API_VERSION }),
  'public/hello': () => ({ version: API_VERSION }),
  'public/get_time': ({ exchange }) => exchange.now(),
  'public/auth': auth,
};
