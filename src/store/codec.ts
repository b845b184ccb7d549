/**
 * From normalized events to what the store scripts write: which snapshot field an event
 * updates, and an instrument's latest-state hash (QUOTE_FIELDS) with ivtrade's own IVs and
 * greeks. Pure: the event JSON is the event as it is (the wire format adds nothing).
 */
import type {
  AccountEvent,
  AccountSnapshotEvent,
  MarketEvent,
  StatusEvent,
  TickerEvent,
} from '../book/events.js';
import {
  computeTickerAnalytics,
  emptyTickerAnalytics,
  IvMemory,
  type TickerAnalytics,
} from '../book/ticker-analytics.js';
import type { InstrumentSpec } from '../instruments/types.js';
import { QUOTE_VALUE_FIELDS, type QuoteField } from './keys.js';

/** What one market event does to its coin's keys. */
export type MarketWrite =
  | {
      readonly op: 'set';
      readonly field: string;
      readonly ts: number;
      readonly json: string;
      /**
       * The instrument whose quote hash is written, with the values of QUOTE_VALUE_FIELDS in
       * that order (the script holds the names: half the arguments to encode and to parse).
       */
      readonly quote: { readonly instrument: string; readonly values: readonly string[] } | null;
    }
  | {
      readonly op: 'remove';
      readonly instrument: string;
      readonly ts: number;
      readonly json: string;
    }
  | { readonly op: 'stream'; readonly ts: number; readonly json: string };

/** What one venue event does to the venue's keys. */
export type VenueWrite =
  | {
      readonly op: 'set' | 'delete';
      readonly field: string;
      readonly ts: number;
      readonly json: string;
    }
  | { readonly op: 'stream'; readonly ts: number; readonly json: string }
  | {
      readonly op: 'account';
      readonly ts: number;
      readonly json: string;
      readonly items: readonly {
        readonly field: string;
        readonly ts: number;
        readonly json: string;
      }[];
    };

export type VenueEvent = AccountEvent | AccountSnapshotEvent | StatusEvent;

export const instrumentField = (instrument: string): string => `i:${instrument}`;
export const tickerField = (instrument: string): string => `t:${instrument}`;
export const bookField = (instrument: string): string => `b:${instrument}`;
export const indexField = (base: string, quote: string): string => `x:${base}:${quote}`;
/** The venue's volatility index of a coin (Deribit's DVOL). */
export const volIndexField = (base: string): string => `v:${base}`;
export const orderField = (orderId: string): string => `o:${orderId}`;
export const positionField = (instrument: string): string => `p:${instrument}`;
export const balanceField = (currency: string): string => `b:${currency}`;
export const statusField = (stream: string): string => `s:${stream}`;

/** The coin a market event belongs to (the base of its instrument), when it can be known. */
export function coinOfMarketEvent(
  event: MarketEvent,
  specOf: (instrument: string) => InstrumentSpec | undefined,
): string | undefined {
  switch (event.kind) {
    case 'index':
    case 'volatility-index':
      return event.base;
    case 'instrument-added':
      return event.spec.base;
    default:
      return specOf(event.instrument)?.base;
  }
}

/**
 * The write for a market event; null for one the wire format does not carry (a book delta:
 * books are published as snapshots of their top levels).
 */
export function marketWrite(
  event: MarketEvent,
  specOf: (instrument: string) => InstrumentSpec | undefined,
): MarketWrite | null {
  const json = JSON.stringify(event);
  switch (event.kind) {
    case 'ticker':
      return {
        op: 'set',
        field: tickerField(event.instrument),
        ts: event.ts,
        json,
        quote: {
          instrument: event.instrument,
          values: quoteValues(event, specOf(event.instrument)),
        },
      };
    case 'book-snapshot':
      return { op: 'set', field: bookField(event.instrument), ts: event.ts, json, quote: null };
    case 'index':
      return {
        op: 'set',
        field: indexField(event.base, event.quote),
        ts: event.ts,
        json,
        quote: null,
      };
    case 'instrument-added':
      return {
        op: 'set',
        field: instrumentField(event.spec.name),
        ts: event.ts,
        json,
        quote: null,
      };
    case 'instrument-removed':
      return { op: 'remove', instrument: event.instrument, ts: event.ts, json };
    case 'trade':
      return { op: 'stream', ts: event.ts, json };
    case 'volatility-index':
      return {
        op: 'set',
        field: volIndexField(event.base),
        ts: event.ts,
        json,
        quote: null,
      };
    case 'book-delta':
      return null;
  }
}

const TERMINAL = new Set(['filled', 'cancelled', 'rejected']);

export function venueWrite(event: VenueEvent): VenueWrite {
  const json = JSON.stringify(event);
  switch (event.kind) {
    case 'order':
      return {
        op: TERMINAL.has(event.status) ? 'delete' : 'set',
        field: orderField(event.orderId),
        ts: event.ts,
        json,
      };
    case 'position':
      return {
        op: event.size === 0 ? 'delete' : 'set',
        field: positionField(event.instrument),
        ts: event.ts,
        json,
      };
    case 'balance':
      return { op: 'set', field: balanceField(event.currency), ts: event.ts, json };
    case 'status':
      return { op: 'set', field: statusField(event.stream), ts: event.ts, json };
    case 'fill':
      return { op: 'stream', ts: event.ts, json };
    case 'account-snapshot':
      return {
        op: 'account',
        ts: event.ts,
        json,
        items: [
          ...event.orders
            .filter((order) => !TERMINAL.has(order.status))
            .map((o) => ({ field: orderField(o.orderId), ts: o.ts, json: JSON.stringify(o) })),
          ...event.positions
            .filter((position) => position.size !== 0)
            .map((p) => ({
              field: positionField(p.instrument),
              ts: p.ts,
              json: JSON.stringify(p),
            })),
          ...event.balances.map((b) => ({
            field: balanceField(b.currency),
            ts: b.ts,
            json: JSON.stringify(b),
          })),
        ],
      };
  }
}

/**
 * A number as decimal text, never in exponent form (a gamma of 2.3e-7 reads 0.00000023), and
 * '' for none: a number with no meaning is shown as nothing rather than as 0.
 */
export function decimalText(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  const text = String(value);
  const e = text.indexOf('e');
  return e === -1 ? text : expandExponent(text.slice(0, e), Number(text.slice(e + 1)));
}

/**
 * `2.3`, -7 → `0.00000023`: the shortest round-trip digits moved by the exponent. Done on the
 * text because Intl formatting costs tens of microseconds a number, most of a quote's budget.
 */
function expandExponent(mantissa: string, exponent: number): string {
  const negative = mantissa.startsWith('-');
  const unsigned = negative ? mantissa.slice(1) : mantissa;
  const dot = unsigned.indexOf('.');
  const digits = dot === -1 ? unsigned : unsigned.slice(0, dot) + unsigned.slice(dot + 1);
  const point = (dot === -1 ? unsigned.length : dot) + exponent;
  let body: string;
  if (point <= 0) body = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) body = digits + '0'.repeat(point - digits.length);
  else body = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${body}` : body;
}

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, at) => 10 ** at);

/**
 * `decimalText(Number(value.toPrecision(digits)))`, at half the cost: a computed value (an IV,
 * a greek) carries no more meaning than a few significant digits, and this runs for seven of
 * them in every ticker published. Scaled to an integer and cut as text; a value near a
 * rounding tie, or of a magnitude past the table, takes the exact way.
 */
export function significantText(value: number | null | undefined, digits: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  if (value === 0) return '0';
  const size = value < 0 ? -value : value;
  const places = digits - 1 - Math.floor(Math.log10(size));
  const scaled = places > 0 && places < POWERS_OF_TEN.length ? size * POWERS_OF_TEN[places]! : 0;
  const fraction = scaled - Math.floor(scaled);
  if (scaled === 0 || scaled >= 2 ** 31 || Math.abs(fraction - 0.5) < 1e-6) {
    return decimalText(Number(value.toPrecision(digits)));
  }
  let whole = Math.round(scaled);
  let point = places;
  while (point > 0 && whole % 10 === 0) {
    whole /= 10;
    point -= 1;
  }
  let text = String(whole);
  if (point > 0) {
    text =
      text.length <= point
        ? `0.${'0'.repeat(point - text.length)}${text}`
        : `${text.slice(0, text.length - point)}.${text.slice(text.length - point)}`;
  }
  return value < 0 ? `-${text}` : text;
}

/** Significant digits of ivtrade's IVs and greeks in a quote hash (as in the history). */
export const COMPUTED_DIGITS = 6;

/** Reused by every ticker: the analytics are read into text at once. */
const scratch: TickerAnalytics = emptyTickerAnalytics();
/** Each option's last IVs, where its next solve starts. */
const ivMemory = new IvMemory();

/**
 * The quote hash of a ticker as values in QUOTE_VALUE_FIELDS order: the venue's prices and
 * sizes, and for an option ivtrade's own IVs (solved from those prices; '' for a missing or
 * zero price) and greeks at the mark IV, to COMPUTED_DIGITS significant digits. Built as one array literal: this runs for every
 * ticker published, and a record turned into pairs cost as much as solving the IVs.
 */
export function quoteValues(ticker: TickerEvent, spec: InstrumentSpec | undefined): string[] {
  const a =
    spec?.kind === 'option' ? computeTickerAnalytics(ticker, spec, scratch, ivMemory) : null;
  return [
    decimalText(ticker.bid),
    decimalText(ticker.ask),
    decimalText(ticker.bidSize),
    decimalText(ticker.askSize),
    decimalText(ticker.mark),
    a === null ? '' : significantText(a.bidIv, COMPUTED_DIGITS),
    a === null ? '' : significantText(a.askIv, COMPUTED_DIGITS),
    a === null ? '' : significantText(a.markIv, COMPUTED_DIGITS),
    a === null ? '' : significantText(a.delta, COMPUTED_DIGITS),
    a === null ? '' : significantText(a.gamma, COMPUTED_DIGITS),
    a === null ? '' : significantText(a.vega, COMPUTED_DIGITS),
    a === null ? '' : significantText(a.theta, COMPUTED_DIGITS),
    decimalText(ticker.forward),
    decimalText(ticker.index),
    decimalText(ticker.volume),
    decimalText(ticker.openInterest),
    String(ticker.ts),
  ];
}

/** The quote hash of a ticker by field name (`seq` is the script's to add). */
export function quoteFields(
  ticker: TickerEvent,
  spec: InstrumentSpec | undefined,
): Record<Exclude<QuoteField, 'seq'>, string> {
  const values = quoteValues(ticker, spec);
  const out = {} as Record<Exclude<QuoteField, 'seq'>, string>;
  QUOTE_VALUE_FIELDS.forEach((field, at) => (out[field] = values[at]!));
  return out;
}
