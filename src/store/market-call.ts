/**
 * A coin's market batch as the bytes of ONE Redis command: `EVALSHA <market script> …` with
 * the keys and arguments the script reads (scripts.ts), written straight into a buffer.
 *
 * Why bytes: publishing is the busiest path of `serve`, and building each ticker's texts as
 * strings, joining them into arguments, having ioredis frame each argument as more strings and
 * the socket turn the whole back into bytes cost as much as everything else the process did
 * per update. Here a ticker's numbers are written once, as digits, where they go: into its
 * event JSON and into its row (see writeTickerJson and writeQuoteValues in codec.ts).
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
  tickerSpans,
  writeQuotedTs,
  writeQuoteValues,
  writeTickerJson,
  type MarketWrite,
} from './codec.js';
import type { RedisClient } from './connect.js';
import type { CoinKeys } from './keys.js';
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
const TICKER_ROW = latin1('["T",');
const ROW_OPEN = latin1('[');
const ROW_CLOSE = latin1(']');
const COMMA = 44;

/** Per instrument, what every call of it repeats: its ticker field and its quote key. */
interface InstrumentBytes {
  /** `"t:<instrument>"` as JSON. */
  readonly tickerField: Buffer;
  /** The quote hash key as a RESP bulk string. */
  readonly quoteKey: Buffer;
  /** The call that last listed the quote key, and its KEYS index there. */
  call: number;
  keyIndex: number;
}

/** Instruments kept per coin; past this the cache starts again (expired ones leave it). */
const INSTRUMENTS_KEPT = 50_000;

/** One encoded call: its bytes and what the script's reply is counted against. */
export interface MarketCall {
  /** The whole command, EVALSHA form. */
  readonly bytes: Buffer;
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
    this.#rows.bytes(ROW_OPEN);
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
    this.#nextRow();
    rows.bytes(TICKER_ROW);
    rows.bytes(instrument.tickerField);
    rows.byte(COMMA);
    writeQuotedTs(rows, json, spans);
    rows.byte(COMMA);
    rows.whole(this.#keyIndex(instrument));
    rows.byte(COMMA);
    writeQuoteValues(rows, ticker, spec, json, spans);
    rows.bytes(ROW_CLOSE);
    events.endBulk(start);
  }

  /** Any other write, from its texts (a spec, an index, a book, a removal, a trade). */
  addWrite(write: MarketWrite): void {
    this.#nextRow();
    switch (write.op) {
      case 'set':
        if (write.quote === null) {
          const listed = write.listing === undefined ? 0 : this.#listedKey(write.listing);
          this.#rows.utf8(row('S', write.field, write.ts, listed));
        } else {
          const head = row(
            'T',
            write.field,
            write.ts,
            this.#keyIndex(this.#instrument(write.quote.instrument)),
          );
          this.#rows.utf8(`${head.slice(0, -1)},${write.quote.valuesJson}]`);
        }
        break;
      case 'remove':
        this.#rows.utf8(
          row('R', write.instrument, write.ts, this.#keyIndex(this.#instrument(write.instrument))),
        );
        break;
      case 'stream':
        this.#rows.utf8(row('E', '', write.ts, 0));
        break;
    }
    const events = this.#events;
    events.bulkHeader(Buffer.byteLength(write.json));
    events.utf8(write.json);
    events.crlf();
  }

  /** The call's command bytes; the encoder is ready for the next `begin`. */
  finish(): MarketCall {
    this.#rows.bytes(ROW_CLOSE);
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
    return {
      bytes: Buffer.concat(parts),
      updates: this.#updates,
      bodyAt: head.length + EVALSHA_NAME.length + SHA_ARG.length,
      argCount,
      slotKey: this.#keys.snapshot,
    };
  }

  #nextRow(): void {
    if (this.#updates > 0) this.#rows.byte(COMMA);
    this.#updates += 1;
  }

  #instrument(name: string): InstrumentBytes {
    let held = this.#instruments.get(name);
    if (held === undefined) {
      if (this.#instruments.size >= INSTRUMENTS_KEPT) this.#instruments.clear();
      held = {
        tickerField: Buffer.from(JSON.stringify(tickerField(name))),
        quoteKey: bulk(this.#keys.quote(name)),
        call: 0,
        keyIndex: 0,
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

/** One update of a market batch as JSON: `[op, field, "ts", quoteKeyIndex]`. */
function row(op: string, field: string, ts: number, quoteKey: number): string {
  return `["${op}",${JSON.stringify(field)},"${decimalText(ts)}",${quoteKey}]`;
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
  try {
    return await send(client, call.bytes, call.slotKey);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    const evalForm = Buffer.concat([
      latin1(`*${call.argCount + 1}\r\n`),
      EVAL_NAME,
      SCRIPT_ARG,
      call.bytes.subarray(call.bodyAt),
    ]);
    return send(client, evalForm, call.slotKey);
  }
}

function send(client: RedisClient, bytes: Buffer, slotKey: string): Promise<unknown> {
  return client.sendCommand(new EncodedCommand(bytes, slotKey)) as Promise<unknown>;
}

/**
 * A call's keys and arguments, read back from its bytes: what `marketCallArgs` gives, for
 * tests and tools that drive the script by hand.
 */
export function callArguments(call: MarketCall): { keys: string[]; args: string[] } {
  const parts: string[] = [];
  const bytes = call.bytes;
  let at = bytes.indexOf(CRLF) + 2;
  while (at < bytes.length) {
    const end = bytes.indexOf(CRLF, at);
    const length = Number(bytes.toString('latin1', at + 1, end));
    parts.push(bytes.toString('utf8', end + 2, end + 2 + length));
    at = end + 2 + length + 2;
  }
  // EVALSHA, sha, numkeys, keys…, args…
  const keyCount = Number(parts[2]);
  return { keys: parts.slice(3, 3 + keyCount), args: parts.slice(3 + keyCount) };
}
