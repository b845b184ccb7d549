/**
 * A coin's market batch as the bytes of ONE Redis command: `EVALSHA <market script> …` with
 * the keys and arguments the script reads (scripts.ts), written straight into a buffer.
 *
 * Why bytes: publishing is the busiest path of `serve`, and building each ticker's texts as
 * strings, joining them into arguments, having ioredis frame each argument as more strings and
 * the socket turn the whole back into bytes cost as much as everything else the process did
 * per update. Here a ticker's numbers are written once, as digits, where they go: into its
 * event JSON and into its row (see writeTickerJson and writeQuoteRowValues in codec.ts).
 *
 * The command goes through ioredis as a Command whose wire form is these bytes, so it keeps
 * ioredis's connection, reply parsing and cluster routing (its one slot is that of the
 * snapshot key, which every key of the call shares). A server that lacks the script (a Redis
 * restarted empty, SCRIPT FLUSH) answers NOSCRIPT without running anything; the call is then
 * sent again as EVAL with the script's text, which loads it, as ioredis's own scripts do.
 */
import { createHash } from 'node:crypto';
import { Command } from 'ioredis';
import type { TickerEvent } from '../book/events.js';
import type { InstrumentSpec } from '../instruments/types.js';
import { ByteText } from './byte-text.js';
import {
  decimalText,
  TEXT_RULES,
  tickerField,
  readValueTexts,
  refuseZeroByte,
  tickerSpans,
  writeQuoteRowValues,
  ALL_QUOTE_GROUPS,
  QUOTE_ROW_ALWAYS,
  QUOTE_ROW_GROUPS,
  quoteValuesInRowOrder,
  writeTickerJson,
  writeTsValue,
  writeValueText,
  type MarketWrite,
} from './codec.js';
import type { RedisClient } from './connect.js';
import { QUOTE_VALUE_FIELDS, type CoinKeys } from './keys.js';
import { SCRIPTS } from './scripts.js';

const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

/** A bulk string's whole RESP form. */
function bulk(text: string): Buffer {
  const bytes = Buffer.from(text);
  return Buffer.concat([latin1(`$${bytes.length}\r\n`), bytes, latin1('\r\n')]);
}

const MARKET_LUA = SCRIPTS.ivtWriteMarket;
const MARKET_SHA = createHash('sha1').update(MARKET_LUA).digest('hex');
const EVALSHA_NAME = bulk('EVALSHA');
const EVAL_NAME = bulk('EVAL');
const SHA_ARG = bulk(MARKET_SHA);
const SCRIPT_ARG = bulk(MARKET_LUA);
const CRLF = latin1('\r\n');
/** Row ops (scripts.ts): a ticker, a field set, an instrument removed, a stream entry only. */
const TICKER = 84;
const SET = 83;
const REMOVE = 82;
const ENTRY = 69;

/** A row's text field: its UTF-8 and a zero byte (one holding a zero byte is refused). */
function zeroEnded(text: string): Buffer {
  refuseZeroByte(text);
  return Buffer.concat([Buffer.from(text), Buffer.alloc(1)]);
}

/** Per instrument, what every call of it repeats: its ticker field and its quote key. */
interface InstrumentBytes {
  /** `t:<instrument>` in UTF-8, zero-ended as a row holds it. */
  readonly tickerField: Buffer;
  /** The quote hash key as a RESP bulk string. */
  readonly quoteKey: Buffer;
  /** The call that last listed the quote key, and its KEYS index there. */
  call: number;
  keyIndex: number;
  /** The ts of the last ticker row written for it (NaN before the first). */
  lastTs: number;
  /** That row's values of the QUOTE_ROW_GROUPS, in order, as compared (see compared). */
  readonly groupValues: Float64Array;
}

/** Instruments kept per coin; past this the cache starts again (expired ones leave it). */
const INSTRUMENTS_KEPT = 50_000;

/**
 * Command buffers whose calls were answered, for the next calls. A call is about 100 KB; one
 * allocated for each (Buffer.concat) cost a publisher a twentieth of its time in fresh memory
 * and the collections its external size set off. A buffer comes back only once its call's
 * answer arrived: Redis cannot answer a command it has not received whole, so the socket is
 * done with it. One whose call failed is left to the collector (a reconnect may still hold it).
 */
const spareBuffers: Buffer[] = [];
const SPARES_KEPT = 4;
/** A command buffer's least size: most calls fit one of this size. */
const COMMAND_BUFFER_BYTES = 1 << 18;

function commandBuffer(size: number): Buffer {
  while (spareBuffers.length > 0) {
    const spare = spareBuffers.pop()!;
    if (spare.length >= size) return spare;
  }
  return Buffer.allocUnsafe(Math.max(size, COMMAND_BUFFER_BYTES));
}

function recycle(buffer: Buffer): void {
  if (spareBuffers.length < SPARES_KEPT) spareBuffers.push(buffer);
}

/** One encoded call: its bytes and what the script's reply is counted against. */
export interface MarketCall {
  /** The whole command, EVALSHA form (a view of `buffer`). */
  readonly bytes: Buffer;
  /** The buffer the bytes were written in, reused once the call is answered. */
  readonly buffer: Buffer;
  /** Updates in it. */
  readonly updates: number;
  /** Where the part after the script's sha starts: the EVAL form is EVAL + script + that. */
  readonly bodyAt: number;
  readonly argCount: number;
  /** A key of the call (all share one slot), for cluster routing. */
  readonly slotKey: string;
}

/**
 * Encodes one coin's market calls, one after another (begin, add…, finish). Holds its
 * buffers and per-instrument bytes between calls: one encoder per coin.
 */
export class MarketCallEncoder {
  readonly #keys: CoinKeys;
  readonly #fixedKeys: Buffer;
  readonly #instruments = new Map<string, InstrumentBytes>();
  readonly #keysOut = new ByteText(TEXT_RULES, 1 << 15);
  readonly #rows = new ByteText(TEXT_RULES);
  readonly #events = new ByteText(TEXT_RULES);
  readonly #spans = tickerSpans();
  #keyCount = 0;
  #updates = 0;
  #call = 0;
  #maxlen = '';

  constructor(keys: CoinKeys) {
    this.#keys = keys;
    this.#fixedKeys = Buffer.concat([keys.snapshot, keys.updates, keys.removals].map(bulk));
  }

  /** Updates added to the call being encoded. */
  get updates(): number {
    return this.#updates;
  }

  begin(maxlen: number): void {
    this.#call += 1;
    this.#maxlen = String(maxlen);
    this.#keysOut.reset();
    this.#rows.reset();
    this.#events.reset();
    this.#keyCount = 3;
    this.#updates = 0;
  }

  /** A ticker, written from its numbers (no intermediate texts). */
  addTicker(ticker: TickerEvent, spec: InstrumentSpec | undefined): void {
    const instrument = this.#instrument(ticker.instrument);
    const events = this.#events;
    const spans = this.#spans;
    const start = events.beginBulk();
    writeTickerJson(events, ticker, spans);
    // The row copies the JSON's digits, before the JSON's bulk header can move it.
    const json = events.view();
    const rows = this.#rows;
    this.#updates += 1;
    rows.byte(TICKER);
    rows.uint16(this.#keyIndex(instrument));
    rows.bytes(instrument.tickerField);
    writeTsValue(rows, json, spans);
    rows.float64(ticker.ts);
    const valuesAt = rows.length;
    rows.uint16(0);
    rows.float64(instrument.lastTs);
    const groups = changedGroups(
      instrument,
      compared(ticker.bid),
      compared(ticker.bidSize),
      compared(ticker.ask),
      compared(ticker.askSize),
      compared(ticker.volume),
      compared(ticker.openInterest),
    );
    rows.byte(groups);
    writeQuoteRowValues(rows, ticker, spec, json, spans, groups);
    rows.patchUint16(valuesAt, rows.length - valuesAt - 2);
    instrument.lastTs = ticker.ts;
    events.endBulk(start);
  }

  /** Any other write, from its texts (a spec, an index, a book, a removal, a trade). */
  addWrite(write: MarketWrite): void {
    this.#updates += 1;
    const rows = this.#rows;
    switch (write.op) {
      case 'set':
        if (write.quote === null) {
          const listed = write.listing === undefined ? 0 : this.#listedKey(write.listing);
          this.#rowHead(SET, listed, write.field, write.ts);
          rows.uint16(0);
        } else {
          const instrument = this.#instrument(write.quote.instrument);
          const quoted = this.#keyIndex(instrument);
          const values = write.quote.values;
          // The row carries the ts once: the quote's must be the update's.
          if (
            values.length !== QUOTE_VALUE_FIELDS.length ||
            values.at(-1) !== decimalText(write.ts)
          ) {
            throw new RangeError(`${write.field}: quote values are not its update's`);
          }
          this.#rowHead(TICKER, quoted, write.field, write.ts);
          const valuesAt = rows.length;
          rows.uint16(0);
          rows.float64(instrument.lastTs);
          const texts = quoteValuesInRowOrder(values);
          const always = QUOTE_ROW_ALWAYS.length;
          const g = texts.slice(always).map(comparedText);
          const groups = changedGroups(instrument, g[0]!, g[1]!, g[2]!, g[3]!, g[4]!, g[5]!);
          rows.byte(groups);
          for (let at = 0; at < texts.length; at += 1) {
            if (at < always || (groups & (1 << ((at - always) >> 1))) !== 0) {
              writeValueText(rows, texts[at]!);
            }
          }
          rows.patchUint16(valuesAt, rows.length - valuesAt - 2);
          instrument.lastTs = write.ts;
        }
        break;
      case 'remove':
        this.#rowHead(
          REMOVE,
          this.#keyIndex(this.#instrument(write.instrument)),
          write.instrument,
          write.ts,
        );
        rows.uint16(0);
        break;
      case 'stream':
        this.#rowHead(ENTRY, 0, '', write.ts);
        rows.uint16(0);
        break;
    }
    const events = this.#events;
    events.bulkHeader(Buffer.byteLength(write.json));
    events.utf8(write.json);
    events.crlf();
  }

  /** The call's command bytes; the encoder is ready for the next `begin`. */
  finish(): MarketCall {
    const argCount = 1 + 1 + this.#keyCount + 2 + this.#updates;
    const head = latin1(`*${argCount + 1}\r\n`);
    const rows = this.#rows.view();
    const parts = [
      head,
      EVALSHA_NAME,
      SHA_ARG,
      bulk(String(this.#keyCount)),
      this.#fixedKeys,
      this.#keysOut.view(),
      bulk(this.#maxlen),
      latin1(`$${rows.length}\r\n`),
      rows,
      CRLF,
      this.#events.view(),
    ];
    let length = 0;
    for (const part of parts) length += part.length;
    const buffer = commandBuffer(length);
    let at = 0;
    for (const part of parts) at += part.copy(buffer, at);
    return {
      bytes: buffer.subarray(0, length),
      buffer,
      updates: this.#updates,
      bodyAt: head.length + EVALSHA_NAME.length + SHA_ARG.length,
      argCount,
      slotKey: this.#keys.snapshot,
    };
  }

  /** A row's op, quote key index, field and ts (scripts.ts), before its values' length. */
  #rowHead(op: number, quoteKey: number, field: string, ts: number): void {
    const rows = this.#rows;
    rows.byte(op);
    rows.uint16(quoteKey);
    writeValueText(rows, field);
    writeValueText(rows, decimalText(ts));
    rows.float64(ts);
  }

  #instrument(name: string): InstrumentBytes {
    let held = this.#instruments.get(name);
    if (held === undefined) {
      if (this.#instruments.size >= INSTRUMENTS_KEPT) this.#instruments.clear();
      held = {
        tickerField: zeroEnded(tickerField(name)),
        quoteKey: bulk(this.#keys.quote(name)),
        call: 0,
        keyIndex: 0,
        lastTs: NaN,
        groupValues: new Float64Array(6),
      };
      this.#instruments.set(name, held);
    }
    return held;
  }

  #listedKey(instrument: string): number {
    return this.#keyIndex(this.#instrument(instrument));
  }

  /** The quote key's KEYS index in this call (1-based, as Lua's), listed once per call. */
  #keyIndex(instrument: InstrumentBytes): number {
    if (instrument.call !== this.#call) {
      this.#keysOut.bytes(instrument.quoteKey);
      this.#keyCount += 1;
      instrument.call = this.#call;
      instrument.keyIndex = this.#keyCount;
    }
    return instrument.keyIndex;
  }
}

/**
 * A quote value as the groups compare it: its number, and one for every value written as no
 * digits (none, NaN, an infinity), so that two values compare equal exactly when their texts
 * are (a number's text is a function of it).
 */
function compared(value: number | null | undefined): number {
  return value === null || value === undefined || !Number.isFinite(value) ? -Infinity : value;
}

/** A quote value's text as the groups compare it (the text of `compared`'s number). */
const comparedText = (text: string): number => (text === '' ? -Infinity : Number(text));

/**
 * The row's mask: which QUOTE_ROW_GROUPS changed since the instrument's last row (all of them
 * for its first), noting the values for the next. The groups' values, in QUOTE_ROW_GROUPS
 * order, as arguments: no array is made per ticker.
 */
function changedGroups(
  instrument: InstrumentBytes,
  bid: number,
  bidSize: number,
  ask: number,
  askSize: number,
  volume: number,
  openInterest: number,
): number {
  const last = instrument.groupValues;
  let groups = Number.isNaN(instrument.lastTs) ? ALL_QUOTE_GROUPS : 0;
  if (last[0] !== bid || last[1] !== bidSize) {
    groups |= 1;
    last[0] = bid;
    last[1] = bidSize;
  }
  if (last[2] !== ask || last[3] !== askSize) {
    groups |= 2;
    last[2] = ask;
    last[3] = askSize;
  }
  if (last[4] !== volume || last[5] !== openInterest) {
    groups |= 4;
    last[4] = volume;
    last[5] = openInterest;
  }
  return groups;
}

/** A command whose wire form is already written. */
class EncodedCommand extends Command {
  readonly #bytes: Buffer;

  constructor(bytes: Buffer, slotKey: string) {
    // The arguments are only what ioredis routes by: the one key (numkeys 1).
    super('evalsha', [MARKET_SHA, '1', slotKey]);
    this.#bytes = bytes;
  }

  override toWritable(): Buffer {
    return this.#bytes;
  }
}

/** Sends a market call; resolves with the script's reply. */
export async function sendMarketCall(client: RedisClient, call: MarketCall): Promise<unknown> {
  let reply: unknown;
  try {
    reply = await send(client, call.bytes, call.slotKey);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    const evalForm = Buffer.concat([
      latin1(`*${call.argCount + 1}\r\n`),
      EVAL_NAME,
      SCRIPT_ARG,
      call.bytes.subarray(call.bodyAt),
    ]);
    reply = await send(client, evalForm, call.slotKey);
  }
  recycle(call.buffer);
  return reply;
}

function send(client: RedisClient, bytes: Buffer, slotKey: string): Promise<unknown> {
  return client.sendCommand(new EncodedCommand(bytes, slotKey)) as Promise<unknown>;
}

/**
 * A call's keys and arguments, read back from its bytes: what `marketCallArgs` gives, for
 * tests and tools that drive the script by hand. The rows argument is binary: a Buffer.
 */
export function callArguments(call: MarketCall): { keys: string[]; args: (string | Buffer)[] } {
  const parts: Buffer[] = [];
  const bytes = call.bytes;
  let at = bytes.indexOf(CRLF) + 2;
  while (at < bytes.length) {
    const end = bytes.indexOf(CRLF, at);
    const length = Number(bytes.toString('latin1', at + 1, end));
    parts.push(bytes.subarray(end + 2, end + 2 + length));
    at = end + 2 + length + 2;
  }
  // EVALSHA, sha, numkeys, keys…, maxlen, rows, events…
  const texts = parts.map((part) => part.toString('utf8'));
  const keyCount = Number(texts[2]);
  const argsAt = 3 + keyCount;
  return {
    keys: texts.slice(3, argsAt),
    args: [texts[argsAt]!, Buffer.from(parts[argsAt + 1]!), ...texts.slice(argsAt + 2)],
  };
}

/** One row of a call, read back (for tests and tools). */
export interface MarketRow {
  readonly op: 'T' | 'S' | 'R' | 'E';
  /** The KEYS index of the quote hash it writes (1-based), 0 for none. */
  readonly quoteKey: number;
  readonly field: string;
  readonly ts: string;
  /**
   * A ticker's QUOTE_VALUE_FIELDS values, in order; undefined for a value of a group the row
   * left out (unchanged since `prevTs`, the ts of the writer's last row of the instrument).
   */
  readonly values: readonly (string | undefined)[];
  readonly prevTs?: number;
  /** Which QUOTE_ROW_GROUPS the row carries (a bit each). */
  readonly groups?: number;
}

/** A call's rows argument, read back (the double that repeats a ts is skipped). */
export function readRows(rows: Uint8Array): MarketRow[] {
  const bytes = Buffer.from(rows.buffer, rows.byteOffset, rows.length);
  const out: MarketRow[] = [];
  let at = 0;
  const text = (): string => {
    const end = bytes.indexOf(0, at);
    const read = bytes.toString('utf8', at, end);
    at = end + 1;
    return read;
  };
  while (at < bytes.length) {
    const op = String.fromCharCode(bytes[at]!) as MarketRow['op'];
    const quoteKey = bytes.readUInt16BE(at + 1);
    at += 3;
    const field = text();
    const ts = text();
    at += 8;
    const valuesLength = bytes.readUInt16BE(at);
    at += 2;
    const valuesEnd = at + valuesLength;
    if (op !== 'T') {
      out.push({ op, quoteKey, field, ts, values: readValueTexts(bytes.subarray(at, valuesEnd)) });
      at = valuesEnd;
      continue;
    }
    const prevTs = bytes.readDoubleBE(at);
    const groups = bytes[at + 8]!;
    at += 9;
    const texts = readValueTexts(bytes.subarray(at, valuesEnd));
    at = valuesEnd;
    const byField = new Map<string, string>();
    QUOTE_ROW_ALWAYS.forEach((name, index) => byField.set(name, texts[index]!));
    let next = QUOTE_ROW_ALWAYS.length;
    QUOTE_ROW_GROUPS.forEach((group, index) => {
      if ((groups & (1 << index)) === 0) return;
      for (const [name] of group) byField.set(name, texts[next++]!);
    });
    byField.set('ts', ts);
    const values = QUOTE_VALUE_FIELDS.map((name) => byField.get(name));
    out.push({ op, quoteKey, field, ts, values, prevTs, groups });
  }
  return out;
}
