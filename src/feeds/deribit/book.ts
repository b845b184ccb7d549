import type { BookEvent, LevelPairs } from '../../book/events.js';
import {
  elementError,
  isArray,
  isRecord,
  requireArray,
  requireNumber,
  requireOneOf,
  requireRecord,
  requireString,
  WireFormatError,
  type WireRecord,
} from '../wire-fields.js';

const VENUE = 'deribit';
const CHANNEL_PREFIX = 'book.';
const BOOK_TYPES = ['snapshot', 'change'] as const;
type Side = 'bids' | 'asks';

/**
 * Maps a `book.<instrument>.<interval>` notification (a snapshot, then changes chained by
 * change id) or a grouped `book.<instrument>.<group>.<depth>.<interval>` one (always a full
 * snapshot) to a book event. Returns null for every other message; throws when a book
 * notification is malformed.
 */
export function deribitBookFromMessage(message: unknown): BookEvent | null {
  const channel = bookChannel(message);
  if (channel === null) return null;
  const where = `Deribit ${channel.name}`;
  const data = requireRecord(channel.params, 'data', where);

  const instrument = requireString(data, 'instrument_name', where);
  if (instrument !== channel.instrument) {
    throw new WireFormatError(
      `${where}: "instrument_name" is ${JSON.stringify(instrument)}, not the channel's`,
    );
  }
  const ts = requireNumber(data, 'timestamp', where);
  const sequence = requireNumber(data, 'change_id', where);
  if (channel.grouped) {
    const bids = groupedLevels(data, 'bids', where);
    const asks = groupedLevels(data, 'asks', where);
    return { kind: 'book-snapshot', venue: VENUE, instrument, ts, sequence, bids, asks };
  }
  if (requireOneOf(data, 'type', BOOK_TYPES, where) === 'snapshot') {
    const bids = actionLevels(data, 'bids', true, where);
    const asks = actionLevels(data, 'asks', true, where);
    return { kind: 'book-snapshot', venue: VENUE, instrument, ts, sequence, bids, asks };
  }
  const prevSequence = requireNumber(data, 'prev_change_id', where);
  const bids = actionLevels(data, 'bids', false, where);
  const asks = actionLevels(data, 'asks', false, where);
  return { kind: 'book-delta', venue: VENUE, instrument, ts, sequence, prevSequence, bids, asks };
}

interface BookChannel {
  readonly name: string;
  readonly instrument: string;
  readonly grouped: boolean;
  readonly params: WireRecord;
}

function bookChannel(message: unknown): BookChannel | null {
  if (!isRecord(message) || message['method'] !== 'subscription') return null;
  const params = message['params'];
  if (!isRecord(params)) return null;
  const name = params['channel'];
  if (typeof name !== 'string' || !name.startsWith(CHANNEL_PREFIX)) return null;
  // Instrument names never contain '.', so the dots left after it tell the two channels apart.
  const instrumentEnd = name.indexOf('.', CHANNEL_PREFIX.length);
  if (instrumentEnd <= CHANNEL_PREFIX.length) return null;
  const suffixDots = dotsIn(name, instrumentEnd);
  if (suffixDots !== 1 && suffixDots !== 3) return null;
  const instrument = name.slice(CHANNEL_PREFIX.length, instrumentEnd);
  return { name, instrument, grouped: suffixDots === 3, params };
}

function dotsIn(text: string, from: number): number {
  let dots = 0;
  for (let at = text.indexOf('.', from); at !== -1; at = text.indexOf('.', at + 1)) dots += 1;
  return dots;
}

/** `[action, price, amount]` levels; a delete becomes size 0 whatever amount it carries. */
function actionLevels(data: WireRecord, side: Side, snapshot: boolean, where: string): LevelPairs {
  const levels = requireArray(data, side, where);
  const pairs: number[] = [];
  for (let index = 0; index < levels.length; index += 1) {
    const level = levels[index];
    if (!isArray(level) || level.length !== 3) {
      throw elementError(where, side, index, 'must be [action, price, amount]', level);
    }
    const action = level[0];
    if (snapshot ? action !== 'new' : !isAction(action)) {
      const expected = snapshot ? 'in a snapshot must be "new"' : 'must be new, change or delete';
      throw elementError(where, side, index, `action ${expected}`, action);
    }
    const price = quantity(level[1], where, side, index, 'price');
    const amount = quantity(level[2], where, side, index, 'amount');
    pairs.push(price, action === 'delete' ? 0 : amount);
  }
  return pairs;
}

/** `[price, amount]` levels of the grouped channel, which only ever sends whole books. */
function groupedLevels(data: WireRecord, side: Side, where: string): LevelPairs {
  const levels = requireArray(data, side, where);
  const pairs: number[] = [];
  for (let index = 0; index < levels.length; index += 1) {
    const level = levels[index];
    if (!isArray(level) || level.length !== 2) {
      throw elementError(where, side, index, 'must be [price, amount]', level);
    }
    pairs.push(
      quantity(level[0], where, side, index, 'price'),
      quantity(level[1], where, side, index, 'amount'),
    );
  }
  return pairs;
}

function isAction(value: unknown): boolean {
  return value === 'new' || value === 'change' || value === 'delete';
}

function quantity(value: unknown, where: string, side: Side, index: number, what: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  throw elementError(where, side, index, `${what} must be a number ≥ 0`, value);
}
