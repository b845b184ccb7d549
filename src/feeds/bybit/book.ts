import type { BookEvent, LevelPairs } from '../../book/events.js';
import {
  elementError,
  isArray,
  isRecord,
  parseDecimal,
  requireArray,
  requireNumber,
  requireOneOf,
  requireRecord,
  requireString,
  WireFormatError,
  type WireRecord,
} from '../wire-fields.js';

const VENUE = 'bybit';
const TOPIC_PREFIX = 'orderbook.';
const DEPTH = /^\d+$/;
const BOOK_TYPES = ['snapshot', 'delta'] as const;
// The venue numbers a fresh book from 1: a delta with u == 1 follows a restart of its book
// service and replaces the book rather than building on anything sent before.
const RESTART_UPDATE_ID = 1;
type Side = 'b' | 'a';

/**
 * Maps an `orderbook.<depth>.<symbol>` message to a book event: a snapshot, or a delta that
 * builds on update `u − 1`. Returns null for every other message; throws when a book
 * message is malformed.
 */
export function bybitBookFromMessage(message: unknown): BookEvent | null {
  const topic = bookTopic(message);
  if (topic === null) return null;
  const where = `Bybit ${topic.name}`;
  const data = requireRecord(topic.message, 'data', where);
  const ts = requireNumber(topic.message, 'ts', where);
  const type = requireOneOf(topic.message, 'type', BOOK_TYPES, where);

  const instrument = requireString(data, 's', where);
  if (instrument !== topic.symbol) {
    throw new WireFormatError(`${where}: "s" is ${JSON.stringify(instrument)}, not the topic's`);
  }
  const sequence = requireNumber(data, 'u', where);
  const snapshot = type === 'snapshot' || sequence === RESTART_UPDATE_ID;
  const bids = levels(data, 'b', snapshot, where);
  const asks = levels(data, 'a', snapshot, where);
  if (snapshot) {
    return { kind: 'book-snapshot', venue: VENUE, instrument, ts, sequence, bids, asks };
  }
  const prevSequence = sequence - 1;
  return { kind: 'book-delta', venue: VENUE, instrument, ts, sequence, prevSequence, bids, asks };
}

interface BookTopic {
  readonly name: string;
  readonly symbol: string;
  readonly message: WireRecord;
}

function bookTopic(message: unknown): BookTopic | null {
  if (!isRecord(message)) return null;
  const name = message['topic'];
  if (typeof name !== 'string' || !name.startsWith(TOPIC_PREFIX)) return null;
  // Symbols may contain '.' (XRP-30OCT26-0.4-P-USDT); the depth never does.
  const depthEnd = name.indexOf('.', TOPIC_PREFIX.length);
  if (depthEnd === -1 || !DEPTH.test(name.slice(TOPIC_PREFIX.length, depthEnd))) return null;
  const symbol = name.slice(depthEnd + 1);
  if (symbol === '') return null;
  return { name, symbol, message };
}

/**
 * `[price, size]` decimal strings. In a snapshot a size-0 level is dropped: deleting from a
 * book that is being replaced is a no-op, and the book must not hold empty levels.
 */
function levels(data: WireRecord, side: Side, snapshot: boolean, where: string): LevelPairs {
  const wire = requireArray(data, side, where);
  const pairs: number[] = [];
  for (let index = 0; index < wire.length; index += 1) {
    const level = wire[index];
    if (!isArray(level) || level.length !== 2) {
      throw elementError(where, side, index, 'must be [price, size]', level);
    }
    const price = quantity(level[0], where, side, index, 'price');
    const size = quantity(level[1], where, side, index, 'size');
    if (!snapshot || size !== 0) pairs.push(price, size);
  }
  return pairs;
}

function quantity(value: unknown, where: string, side: Side, index: number, what: string): number {
  const parsed = parseDecimal(value);
  if (parsed !== null && parsed >= 0) return parsed;
  throw elementError(where, side, index, `${what} must be a decimal string ≥ 0`, value);
}
