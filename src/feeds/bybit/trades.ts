import type { TradeEvent } from '../../book/events.js';
import {
  isRecord,
  requireArray,
  requireBoolean,
  requireDecimalString,
  requireNumber,
  requireOneOf,
  requireString,
  WireFormatError,
  zeroAsNull,
  type WireRecord,
} from '../wire-fields.js';

const VENUE = 'bybit';
const TOPIC_PREFIX = 'publicTrade.';
const SIDES = ['Buy', 'Sell'] as const;

/**
 * Maps a `publicTrade.<coin>` message to its trades, in wire order; each row names its own
 * contract. Returns null for every other message; throws when a trade message is malformed.
 */
export function bybitTradesFromMessage(message: unknown): TradeEvent[] | null {
  if (!isRecord(message)) return null;
  const topic = message['topic'];
  if (typeof topic !== 'string' || !topic.startsWith(TOPIC_PREFIX)) return null;
  const where = `Bybit ${topic}`;
  const rows = requireArray(message, 'data', where);
  const trades: TradeEvent[] = [];
  for (let index = 0; index < rows.length; index += 1) {
    const row = rows[index];
    const at = `${where} data[${index}]`;
    if (!isRecord(row)) throw new WireFormatError(`${at}: must be an object`);
    trades.push(tradeOf(row, at));
  }
  return trades;
}

function tradeOf(row: WireRecord, at: string): TradeEvent {
  return {
    kind: 'trade',
    venue: VENUE,
    instrument: requireString(row, 's', at),
    ts: requireNumber(row, 'T', at),
    tradeId: requireString(row, 'i', at),
    price: presentDecimal(row, 'p', at),
    size: presentDecimal(row, 'v', at),
    takerSide: requireOneOf(row, 'S', SIDES, at) === 'Buy' ? 'buy' : 'sell',
    // Already a decimal on this venue; 0 is its "none", as in its tickers.
    iv: zeroAsNull(optionalDecimal(row, 'iv', at)),
    markPrice: optionalDecimal(row, 'mP', at),
    indexPrice: optionalDecimal(row, 'iP', at),
    block: requireBoolean(row, 'BT', at),
  };
}

function presentDecimal(row: WireRecord, key: string, at: string): number {
  const value = requireDecimalString(row, key, at);
  if (value !== null) return value;
  throw new WireFormatError(`${at}: "${key}" must be a decimal string, got ""`);
}

/** Rows recorded before the venue added mark, index and IV fields lack them. */
function optionalDecimal(row: WireRecord, key: string, at: string): number | null {
  return row[key] === undefined ? null : requireDecimalString(row, key, at);
}
