// Subscription channel names: parsing and validating what a client asked for. Instrument
// names never contain '.', so a channel splits cleanly on dots.

import type { SimExchange } from '../contract.js';
import { KIND_SELECTORS, type KindSelector } from './kinds.js';
import { coinOfIndex, hasVolatilityIndex, isVenueCurrency } from './markets.js';
import { CHART_RESOLUTIONS } from './methods-history.js';

export type Interval = 'raw' | '100ms' | 'agg2';
const INTERVALS: readonly string[] = ['raw', '100ms', 'agg2'];
const GROUPED_DEPTHS: readonly number[] = [1, 10, 20];

/** One instrument, or every instrument of a kind (or any kind) and currency (or any). */
export type Scope =
  { readonly instrument: string } | { readonly kind: KindSelector; readonly currency: string };

export type Channel =
  | { readonly type: 'book'; readonly instrument: string; readonly interval: Interval }
  | {
      readonly type: 'book-grouped';
      readonly instrument: string;
      readonly depth: number;
      readonly interval: Interval;
    }
  | { readonly type: 'ticker'; readonly instrument: string; readonly interval: Interval }
  | { readonly type: 'quote'; readonly instrument: string }
  | { readonly type: 'index'; readonly currency: string }
  | { readonly type: 'volatility-index'; readonly currency: string }
  | { readonly type: 'markprice'; readonly currency: string }
  | { readonly type: 'trades'; readonly scope: Scope; readonly interval: Interval }
  | {
      readonly type: 'user.orders' | 'user.trades' | 'user.changes';
      readonly scope: Scope;
      readonly interval: Interval;
    }
  | { readonly type: 'user.portfolio'; readonly currency: string }
  | { readonly type: 'chart'; readonly instrument: string; readonly periodMs: number };

export function isPrivateChannel(channel: Channel): boolean {
  return channel.type.startsWith('user.');
}

/** Raw feeds are for authenticated connections only, as on the venue. */
export function needsAuthentication(channel: Channel): boolean {
  return isPrivateChannel(channel) || ('interval' in channel && channel.interval === 'raw');
}

/** The channel, or null when the name is malformed or names nothing the sim lists. */
export function parseChannel(name: string, exchange: SimExchange): Channel | null {
  const parts = name.split('.');
  const head = parts[0];
  switch (head) {
    case 'book':
      return parseBook(parts, exchange);
    case 'ticker': {
      const [, instrument, interval] = parts;
      if (parts.length !== 3 || !listed(exchange, instrument) || !isInterval(interval)) return null;
      return { type: 'ticker', instrument, interval };
    }
    case 'quote': {
      const [, instrument] = parts;
      if (parts.length !== 2 || !listed(exchange, instrument)) return null;
      return { type: 'quote', instrument };
    }
    case 'deribit_price_index': {
      const currency = coinOfIndex(parts[1], exchange);
      return parts.length === 2 && currency !== null ? { type: 'index', currency } : null;
    }
    case 'deribit_volatility_index': {
      const currency = coinOfIndex(parts[1], exchange);
      return parts.length === 2 && currency !== null && hasVolatilityIndex(currency)
        ? { type: 'volatility-index', currency }
        : null;
    }
    case 'markprice': {
      const currency = coinOfIndex(parts[2], exchange);
      if (parts.length !== 3 || parts[1] !== 'options' || currency === null) return null;
      return { type: 'markprice', currency };
    }
    case 'trades': {
      const parsed = parseScoped(parts.slice(1), exchange);
      return parsed === null ? null : { type: 'trades', ...parsed };
    }
    case 'user':
      return parseUser(parts, exchange);
    case 'chart':
      return parseChart(parts, exchange);
    default:
      return null;
  }
}

function parseBook(parts: string[], exchange: SimExchange): Channel | null {
  const instrument = parts[1];
  if (!listed(exchange, instrument)) return null;
  if (parts.length === 3) {
    const interval = parts[2];
    return isInterval(interval) ? { type: 'book', instrument, interval } : null;
  }
  if (parts.length === 5) {
    const [, , group, depthText, interval] = parts;
    const depth = Number(depthText);
    if (group !== 'none' || !GROUPED_DEPTHS.includes(depth) || !isInterval(interval)) return null;
    if (interval === 'raw') return null;
    return { type: 'book-grouped', instrument, depth, interval };
  }
  return null;
}

/** `chart.trades.{instrument}.{resolution}`: candles as the sim charts them, perpetuals only. */
function parseChart(parts: string[], exchange: SimExchange): Channel | null {
  const [, what, instrument, resolution] = parts;
  if (parts.length !== 4 || what !== 'trades' || !listed(exchange, instrument)) return null;
  if (exchange.instrument(instrument)?.spec.kind !== 'perpetual') return null;
  const periodMs = resolution === undefined ? undefined : CHART_RESOLUTIONS[resolution];
  return periodMs === undefined ? null : { type: 'chart', instrument, periodMs };
}

function parseUser(parts: string[], exchange: SimExchange): Channel | null {
  const what = parts[1];
  if (what === 'portfolio') {
    const currency = parts[2]?.toUpperCase();
    if (parts.length !== 3 || currency === undefined || !knownCurrency(exchange, currency))
      return null;
    return { type: 'user.portfolio', currency };
  }
  if (what !== 'orders' && what !== 'trades' && what !== 'changes') return null;
  const parsed = parseScoped(parts.slice(2), exchange);
  return parsed === null ? null : { type: `user.${what}`, ...parsed };
}

/** `{instrument}.{interval}` or `{kind}.{currency}.{interval}`. */
function parseScoped(
  rest: string[],
  exchange: SimExchange,
): { scope: Scope; interval: Interval } | null {
  if (rest.length === 2) {
    const [instrument, interval] = rest;
    if (!listed(exchange, instrument) || !isInterval(interval)) return null;
    return { scope: { instrument }, interval };
  }
  if (rest.length === 3) {
    const [kind, currencyText, interval] = rest;
    const currency = currencyText?.toUpperCase();
    if (!isKind(kind) || currency === undefined || !isInterval(interval)) return null;
    if (currency !== 'ANY' && !knownCurrency(exchange, currency)) return null;
    return { scope: { kind, currency }, interval };
  }
  return null;
}

function listed(exchange: SimExchange, name: string | undefined): name is string {
  return name !== undefined && exchange.instrument(name) !== undefined;
}

function isInterval(value: string | undefined): value is Interval {
  return value !== undefined && INTERVALS.includes(value);
}

function isKind(value: string | undefined): value is KindSelector {
  return value !== undefined && (KIND_SELECTORS as readonly string[]).includes(value);
}

function knownCurrency(exchange: SimExchange, currency: string): boolean {
  return currency === 'ANY' || isVenueCurrency(exchange, currency);
}
