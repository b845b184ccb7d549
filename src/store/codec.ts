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
import { ByteText } from './byte-text.js';
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
       * that order (the script holds the names).
       */
      readonly quote: { readonly instrument: string; readonly values: readonly string[] } | null;
      /** An instrument's listing: the instrument, whose quote hash keeps it too (`listing`). */
      readonly listing?: string;
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
  if (event.kind === 'ticker') return tickerWrite(event, specOf(event.instrument));
  const json = JSON.stringify(event);
  const set = (field: string): MarketWrite => {
    return { op: 'set', field, ts: event.ts, json, quote: null };
  };
  switch (event.kind) {
    case 'book-snapshot':
      return set(bookField(event.instrument));
    case 'index':
      return set(indexField(event.base, event.quote));
    case 'instrument-added':
      return {
        op: 'set',
        field: instrumentField(event.spec.name),
        ts: event.ts,
        json,
        quote: null,
        listing: event.spec.name,
      };
    case 'instrument-removed':
      return { op: 'remove', instrument: event.instrument, ts: event.ts, json };
    case 'trade':
      return { op: 'stream', ts: event.ts, json };
    case 'volatility-index':
      return set(volIndexField(event.base));
    case 'book-delta':
      return null;
  }
}

const quotedNames = new Map<string, Buffer>();
/** Names kept quoted; past this the cache starts again (expired instruments leave it). */
const QUOTED_NAMES_KEPT = 50_000;

/** Venue and instrument names as JSON strings in UTF-8, quoted once per name. */
export function quotedName(name: string): Buffer {
  let held = quotedNames.get(name);
  if (held === undefined) {
    if (quotedNames.size >= QUOTED_NAMES_KEPT) quotedNames.clear();
    held = Buffer.from(JSON.stringify(name));
    quotedNames.set(name, held);
  }
  return held;
}

const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');
const NULL = ascii('null');
const TICKER_VENUE = ascii('{"kind":"ticker","venue":');
const INSTRUMENT = ascii(',"instrument":');
const TS = ascii(',"ts":');
const BID = ascii(',"bid":');
const BID_SIZE = ascii(',"bidSize":');
const ASK = ascii(',"ask":');
const ASK_SIZE = ascii(',"askSize":');
const MARK = ascii(',"mark":');
const INDEX = ascii(',"index":');
const FORWARD = ascii(',"forward":');
const VENUE_IV_BID = ascii(',"venueIv":{"bid":');
const VENUE_IV_ASK = ascii(',"ask":');
const VENUE_IV_MARK = ascii(',"mark":');
const VENUE_GREEKS = ascii('},"venueGreeks":');
const DELTA = ascii('{"delta":');
const GAMMA = ascii(',"gamma":');
const VEGA = ascii(',"vega":');
const THETA = ascii(',"theta":');
const CLOSE = ascii('}');
const BAND_MIN = ascii(',"priceBand":{"min":');
const BAND_MAX = ascii(',"max":');
const VOLUME = ascii(',"volume":');
const OPEN_INTEREST = ascii(',"openInterest":');

/** The rules ByteText falls back to: this module's. */
export const TEXT_RULES = {
  decimalText: (value: number): string => decimalText(value),
  significantText: (value: number, digits: number): string => significantText(value, digits),
};

/** A number in JSON: its decimal text, or null for none (JSON has no NaN). */
function jsonNumber(out: ByteText, value: number | null | undefined): void {
  if (value === null || value === undefined || !Number.isFinite(value)) out.bytes(NULL);
  else out.decimal(value);
}

/**
 * Where writeTickerJson wrote the numbers a quote hash repeats: [start, end) per number, in
 * QUOTED_NUMBERS order, empty for none. The row copies those digits instead of formatting the
 * same numbers a second time.
 */
export type TickerSpans = Int32Array;

const SPAN_TS = 0;
const SPAN_BID = 2;
const SPAN_BID_SIZE = 4;
const SPAN_ASK = 6;
const SPAN_ASK_SIZE = 8;
const SPAN_MARK = 10;
const SPAN_INDEX = 12;
const SPAN_FORWARD = 14;
const SPAN_VOLUME = 16;
const SPAN_OPEN_INTEREST = 18;

export const tickerSpans = (): TickerSpans => new Int32Array(20);

/** jsonNumber, noting where its digits went (an empty span for none). */
function spannedNumber(
  out: ByteText,
  value: number | null | undefined,
  spans: TickerSpans,
  slot: number,
): void {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    out.bytes(NULL);
    spans[slot] = spans[slot + 1] = 0;
  } else {
    spans[slot] = out.length;
    out.decimal(value);
    spans[slot + 1] = out.length;
  }
}

/*
 * A quote value on the wire is its text then a zero byte: what the store script unpacks with
 * Lua's struct library in C ('s', one item a value, found by memchr), with no JSON to scan and
 * no table to build. A text never holds a zero byte: numbers are digits, and any other text
 * with one is refused (writeValueText).
 */

const END = 0;

/** The digits at a span of `json` as a quote value (empty for none). */
function spanValue(out: ByteText, json: Uint8Array, spans: TickerSpans, slot: number): void {
  out.copy(json, spans[slot]!, spans[slot + 1]!);
  out.byte(END);
}

/** A computed value to COMPUTED_DIGITS as a quote value, empty for none. */
function computedValue(out: ByteText, value: number | null): void {
  if (value !== null && Number.isFinite(value)) {
    if (value === 0) out.byte(48);
    else out.significant(value, COMPUTED_DIGITS);
  }
  out.byte(END);
}

/** Refuses a text a row would carry zero-ended that holds a zero byte itself. */
export function refuseZeroByte(text: string): void {
  if (text.includes('\0')) throw new RangeError(`a zero byte in ${JSON.stringify(text)}`);
}

/** Any text as a quote value (UTF-8); one holding a zero byte is refused. */
export function writeValueText(out: ByteText, text: string): void {
  refuseZeroByte(text);
  out.utf8(text);
  out.byte(END);
}

/** The texts of quote values written one after another. */
export function readValueTexts(bytes: Uint8Array): string[] {
  const texts: string[] = [];
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let at = 0;
  while (at < buffer.length) {
    const end = buffer.indexOf(END, at);
    if (end === -1) throw new RangeError('a quote value without its end');
    texts.push(buffer.toString('utf8', at, end));
    at = end + 1;
  }
  return texts;
}

/**
 * A ticker's event JSON, written as bytes: the event as it is (its numbers in decimal form,
 * which JSON.parse reads back as the same numbers; keys in TickerEvent's order), noting in
 * `spans` where the numbers its quote hash repeats went. Every ticker published goes through
 * here.
 */
export function writeTickerJson(out: ByteText, ticker: TickerEvent, spans: TickerSpans): void {
  out.bytes(TICKER_VENUE);
  out.bytes(quotedName(ticker.venue));
  out.bytes(INSTRUMENT);
  out.bytes(quotedName(ticker.instrument));
  out.bytes(TS);
  spannedNumber(out, ticker.ts, spans, SPAN_TS);
  out.bytes(BID);
  spannedNumber(out, ticker.bid, spans, SPAN_BID);
  out.bytes(BID_SIZE);
  spannedNumber(out, ticker.bidSize, spans, SPAN_BID_SIZE);
  out.bytes(ASK);
  spannedNumber(out, ticker.ask, spans, SPAN_ASK);
  out.bytes(ASK_SIZE);
  spannedNumber(out, ticker.askSize, spans, SPAN_ASK_SIZE);
  out.bytes(MARK);
  spannedNumber(out, ticker.mark, spans, SPAN_MARK);
  out.bytes(INDEX);
  spannedNumber(out, ticker.index, spans, SPAN_INDEX);
  out.bytes(FORWARD);
  spannedNumber(out, ticker.forward, spans, SPAN_FORWARD);
  const iv = ticker.venueIv;
  out.bytes(VENUE_IV_BID);
  jsonNumber(out, iv.bid);
  out.bytes(VENUE_IV_ASK);
  jsonNumber(out, iv.ask);
  out.bytes(VENUE_IV_MARK);
  jsonNumber(out, iv.mark);
  out.bytes(VENUE_GREEKS);
  const greeks = ticker.venueGreeks;
  if (greeks === null) out.bytes(NULL);
  else {
    out.bytes(DELTA);
    jsonNumber(out, greeks.delta);
    out.bytes(GAMMA);
    jsonNumber(out, greeks.gamma);
    out.bytes(VEGA);
    jsonNumber(out, greeks.vega);
    out.bytes(THETA);
    jsonNumber(out, greeks.theta);
    out.bytes(CLOSE);
  }
  const band = ticker.priceBand;
  if (band !== undefined) {
    out.bytes(BAND_MIN);
    jsonNumber(out, band.min);
    out.bytes(BAND_MAX);
    jsonNumber(out, band.max);
    out.bytes(CLOSE);
  }
  spans[SPAN_VOLUME] = spans[SPAN_VOLUME + 1] = 0;
  if (ticker.volume !== undefined) {
    out.bytes(VOLUME);
    spannedNumber(out, ticker.volume, spans, SPAN_VOLUME);
  }
  spans[SPAN_OPEN_INTEREST] = spans[SPAN_OPEN_INTEREST + 1] = 0;
  if (ticker.openInterest !== undefined) {
    out.bytes(OPEN_INTEREST);
    spannedNumber(out, ticker.openInterest, spans, SPAN_OPEN_INTEREST);
  }
  out.bytes(CLOSE);
}

/**
 * A ticker row's quote values, as the market script reads them (scripts.ts): QUOTE_ROW_ALWAYS
 * every time, then each of these groups only when one of its values changed since the writer's
 * last row of the instrument (bit 1 << group of the row's mask), with the event JSON's key of
 * each value: what the script reads an omitted group from when the hash may not hold the
 * writer's last row. A book's sides and the day's statistics stay put across most of a venue's
 * tickers (on a recorded Deribit capture, the bid side in 97 % of them, the ask side in 61 %).
 */
export const QUOTE_ROW_GROUPS = [
  [
    ['bid', 'bid'],
    ['bid_size', 'bidSize'],
  ],
  [
    ['ask', 'ask'],
    ['ask_size', 'askSize'],
  ],
  [
    ['volume', 'volume'],
    ['open_interest', 'openInterest'],
  ],
] as const;

const GROUPED: ReadonlySet<string> = new Set(
  QUOTE_ROW_GROUPS.flatMap((group) => group.map(([field]) => field)),
);

/**
 * The values a ticker row carries every time, in QUOTE_VALUE_FIELDS order (mark, the seven
 * computed values, forward, index: writeQuoteRowValues writes them so); its ts is the row's.
 */
export const QUOTE_ROW_ALWAYS = QUOTE_VALUE_FIELDS.filter(
  (field) => field !== 'ts' && !GROUPED.has(field),
);

/** A row's mask with every group in it. */
export const ALL_QUOTE_GROUPS = (1 << QUOTE_ROW_GROUPS.length) - 1;

/** The quote fields in a full row's order. */
const QUOTE_ROW_ORDER: readonly string[] = [
  ...QUOTE_ROW_ALWAYS,
  ...QUOTE_ROW_GROUPS.flatMap((group) => group.map(([field]) => field)),
];
if (
  QUOTE_ROW_ORDER.length !== QUOTE_VALUE_FIELDS.length - 1 ||
  QUOTE_VALUE_FIELDS.some((field) => field !== 'ts' && !QUOTE_ROW_ORDER.includes(field))
) {
  throw new Error('a quote row must carry every quote value but ts');
}

/**
 * A ticker's quote values in a row's order (QUOTE_ROW_ALWAYS, then the QUOTE_ROW_GROUPS in
 * `groups`), one after another: the venue's prices and sizes (their digits copied from the
 * ticker's JSON, `json` with `spans` from writeTickerJson), and for an option ivtrade's own
 * IVs (solved from those prices) and greeks at the mark IV, to COMPUTED_DIGITS significant
 * digits. The ts is the row's own (writeTsValue).
 */
export function writeQuoteRowValues(
  out: ByteText,
  ticker: TickerEvent,
  spec: InstrumentSpec | undefined,
  json: Uint8Array,
  spans: TickerSpans,
  groups: number,
): void {
  spanValue(out, json, spans, SPAN_MARK);
  const a =
    spec?.kind === 'option'
      ? computeTickerAnalytics(ticker, spec, scratch, ivMemory, PUBLISHED_IV_STEP)
      : null;
  if (a === null) out.bytes(NO_ANALYTICS);
  else {
    computedValue(out, a.bidIv);
    computedValue(out, a.askIv);
    computedValue(out, a.markIv);
    computedValue(out, a.delta);
    computedValue(out, a.gamma);
    computedValue(out, a.vega);
    computedValue(out, a.theta);
  }
  spanValue(out, json, spans, SPAN_FORWARD);
  spanValue(out, json, spans, SPAN_INDEX);
  if ((groups & 1) !== 0) {
    spanValue(out, json, spans, SPAN_BID);
    spanValue(out, json, spans, SPAN_BID_SIZE);
  }
  if ((groups & 2) !== 0) {
    spanValue(out, json, spans, SPAN_ASK);
    spanValue(out, json, spans, SPAN_ASK_SIZE);
  }
  if ((groups & 4) !== 0) {
    spanValue(out, json, spans, SPAN_VOLUME);
    spanValue(out, json, spans, SPAN_OPEN_INTEREST);
  }
}

/** A full row's values (writeQuoteRowValues' texts) in QUOTE_VALUE_FIELDS order, with the ts. */
export function quoteValuesInFieldOrder(rowValues: readonly string[], tsText: string): string[] {
  return QUOTE_VALUE_FIELDS.map((field) =>
    field === 'ts' ? tsText : rowValues[QUOTE_ROW_ORDER.indexOf(field)]!,
  );
}

/** QUOTE_VALUE_FIELDS values in a full row's order (ts left out). */
export function quoteValuesInRowOrder(values: readonly string[]): string[] {
  return QUOTE_ROW_ORDER.map((field) => values[QUOTE_VALUE_FIELDS.indexOf(field as never)]!);
}

/** A ticker's ts as a quote value, copied from its JSON. */
export function writeTsValue(out: ByteText, json: Uint8Array, spans: TickerSpans): void {
  spanValue(out, json, spans, SPAN_TS);
}

/** The seven computed values, empty. */
const NO_ANALYTICS = Buffer.alloc(7, END);

/** Where tickerWrite's texts are written; reused. */
const tickerScratch = new ByteText(TEXT_RULES, 4096);
const valuesScratch = new ByteText(TEXT_RULES, 4096);
const scratchSpans = tickerSpans();

/**
 * A ticker's write as strings: its event JSON and its quote hash values, the same bytes the
 * publisher writes (writeTickerJson, writeQuoteRowValues).
 */
export function tickerWrite(ticker: TickerEvent, spec: InstrumentSpec | undefined): MarketWrite {
  tickerScratch.reset();
  writeTickerJson(tickerScratch, ticker, scratchSpans);
  const bytes = tickerScratch.view();
  valuesScratch.reset();
  writeQuoteRowValues(valuesScratch, ticker, spec, bytes, scratchSpans, ALL_QUOTE_GROUPS);
  const json = bytes.toString('utf8');
  const values = quoteValuesInFieldOrder(
    readValueTexts(valuesScratch.view()),
    decimalText(ticker.ts),
  );
  return {
    op: 'set',
    field: tickerField(ticker.instrument),
    ts: ticker.ts,
    json,
    quote: { instrument: ticker.instrument, values },
  };
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

/**
 * Where a published IV's solve stops: a last step under this share of the volatility. The
 * solver converges quartically, so such a step leaves an error near its fourth power, about
 * 1e-12 of the volatility (measured over the bench's 500,000 quotes: at most 1.7e-12, and not
 * one of them rounds differently at COMPUTED_DIGITS), where the default stop (1e-7) takes one
 * more evaluation of the Black function for about half the quotes.
 */
export const PUBLISHED_IV_STEP = 2e-3;

/** Reused by every ticker: the analytics are read into text at once. */
const scratch: TickerAnalytics = emptyTickerAnalytics();
/** Each option's last IVs, where its next solve starts. */
const ivMemory = new IvMemory();

/**
 * The quote hash of a ticker by field name (`seq` is the script's to add): the venue's prices
 * and sizes, and for an option ivtrade's own IVs (solved from those prices; '' for a missing
 * or zero price) and greeks at the mark IV, to COMPUTED_DIGITS significant digits. What the
 * publisher writes, read back from its write.
 */
export function quoteFields(
  ticker: TickerEvent,
  spec: InstrumentSpec | undefined,
): Record<Exclude<QuoteField, 'seq'>, string> {
  const write = tickerWrite(ticker, spec);
  const values = write.op === 'set' ? (write.quote?.values ?? []) : [];
  const out = {} as Record<Exclude<QuoteField, 'seq'>, string>;
  QUOTE_VALUE_FIELDS.forEach((field, at) => (out[field] = values[at]!));
  return out;
}
