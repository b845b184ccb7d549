// What each Bybit socket lets a client subscribe to. The option socket acknowledges
// orderbook.1 and orderbook.50 and then never publishes them (seen in a 2026 recording, see
// the protocol sheet); the sim reproduces that quirk so clients learn to ask for depth 25.

import type { SimExchange, SimInstrument } from '../contract.js';
import type { KlineTopic } from './kline-streams.js';
import { INTERVALS } from './rest-history.js';

/** `trade` is the order-entry socket: no topics, see trade-socket.ts. */
export type SocketKind = 'option' | 'linear' | 'private' | 'trade';

export type Topic =
  | { readonly kind: 'ticker'; readonly name: string; readonly instrument: SimInstrument }
  | {
      readonly kind: 'book';
      readonly name: string;
      readonly instrument: SimInstrument;
      readonly depth: number;
      /** Acknowledged but silent (the option socket's depths 1 and 50). */
      readonly silent: boolean;
    }
  | { readonly kind: 'optionTrades'; readonly name: string; readonly currency: string }
  | { readonly kind: 'linearTrades'; readonly name: string; readonly instrument: SimInstrument }
  | { readonly kind: 'private'; readonly name: string; readonly stream: PrivateStream }
  | ({ readonly kind: 'kline' } & KlineTopic)
  /** The perpetual's liquidations: acknowledged and silent, the sim liquidates no one. */
  | { readonly kind: 'liquidation'; readonly name: string; readonly instrument: SimInstrument };

export type PrivateStream = 'order' | 'execution' | 'position' | 'wallet' | 'greeks' | 'dcp';
/** Which categories a private topic covers: `order` all, `order.option` options only. */
export type PrivateScope = 'all' | 'option' | 'linear';

const OPTION_BOOK_DEPTHS = new Map<number, boolean>([
  [1, true],
  [25, false],
  [50, true],
  [100, false],
]);
const LINEAR_BOOK_DEPTHS = new Set([1, 50, 200, 500]);
/** `dcp` arms disconnection protection (dcp.ts) and publishes nothing in the sim. */
const PRIVATE_STREAMS = new Set<string>([
  'order',
  'execution',
  'position',
  'wallet',
  'greeks',
  'dcp',
]);
const DCP_SCOPES = new Set(['future', 'spot', 'option']);

export function privateScope(topic: string): PrivateScope {
  if (topic.endsWith('.option')) return 'option';
  if (topic.endsWith('.linear')) return 'linear';
  return 'all';
}

/** The topic, or null when this socket does not serve it (the ack lists it as failed). */
export function parseTopic(exchange: SimExchange, socket: SocketKind, name: string): Topic | null {
  if (socket === 'private') {
    const [stream, scope, extra] = name.split('.');
    if (stream === undefined || !PRIVATE_STREAMS.has(stream) || extra !== undefined) return null;
    if (stream === 'dcp') {
      return scope === undefined || DCP_SCOPES.has(scope)
        ? { kind: 'private', name, stream: 'dcp' }
        : null;
    }
    if (scope !== undefined && (stream === 'wallet' || stream === 'greeks')) return null;
    if (scope !== undefined && scope !== 'option' && scope !== 'linear') return null;
    return { kind: 'private', name, stream: stream as PrivateStream };
  }
  const parts = name.split('.');
  const head = parts[0];
  if (head === 'tickers' && parts.length >= 2) {
    const instrument = instrumentFor(exchange, socket, parts.slice(1).join('.'));
    return instrument === undefined ? null : { kind: 'ticker', name, instrument };
  }
  if (head === 'orderbook' && parts.length >= 3) {
    const depth = Number(parts[1]);
    const instrument = instrumentFor(exchange, socket, parts.slice(2).join('.'));
    if (instrument === undefined) return null;
    if (socket === 'option') {
      const silent = OPTION_BOOK_DEPTHS.get(depth);
      return silent === undefined ? null : { kind: 'book', name, instrument, depth, silent };
    }
    return LINEAR_BOOK_DEPTHS.has(depth)
      ? { kind: 'book', name, instrument, depth, silent: false }
      : null;
  }
  if (socket === 'linear' && (head === 'kline' || head === 'allLiquidation')) {
    const symbol = parts[head === 'kline' ? 2 : 1] ?? '';
    const instrument = instrumentFor(exchange, socket, symbol);
    if (instrument?.spec.kind !== 'perpetual') return null;
    if (head === 'allLiquidation') {
      return parts.length === 2 ? { kind: 'liquidation', name, instrument } : null;
    }
    const interval = parts[1] ?? '';
    const periodMs = INTERVALS[interval];
    if (parts.length !== 3 || periodMs === undefined) return null;
    return { kind: 'kline', name, symbol, base: instrument.spec.base, interval, periodMs };
  }
  if (head === 'publicTrade' && parts.length === 2) {
    const target = parts[1] ?? '';
    if (socket === 'option') {
      return exchange.currencies().includes(target)
        ? { kind: 'optionTrades', name, currency: target }
        : null;
    }
    const instrument = instrumentFor(exchange, socket, target);
    return instrument === undefined ? null : { kind: 'linearTrades', name, instrument };
  }
  return null;
}

function instrumentFor(
  exchange: SimExchange,
  socket: SocketKind,
  symbol: string,
): SimInstrument | undefined {
  const instrument = exchange.instrument(symbol);
  if (instrument === undefined) return undefined;
  const isOption = instrument.spec.kind === 'option';
  return (socket === 'option') === isOption ? instrument : undefined;
}
