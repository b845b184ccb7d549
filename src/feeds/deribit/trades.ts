import type { TradeEvent } from '../../book/events.js';
import {
  isRecord,
  optionalNumber,
  requireArray,
  requireNumber,
  requireOneOf,
  requireString,
  WireFormatError,
  type WireRecord,
} from '../wire-fields.js';
import { percentIv } from './ticker.js';

const VENUE = 'deribit';
const CHANNEL_PREFIX = 'trades.';
const DIRECTIONS = ['buy', 'sell'] as const;

/**
 * Maps a `trades.<instrument>.<interval>` or `trades.<kind>.<currency>.<interval>`
 * notification to its trades, in wire order. Returns null for every other message; throws
 * when a trades notification is malformed.
 */
export function deribitTradesFromMessage(message: unknown): TradeEvent[] | null {
  const channel = tradesChannel(message);
  if (channel === null) return null;
  const where = `Deribit ${channel.name}`;
  const rows = requireArray(channel.params, 'data', where);
  const trades: TradeEvent[] = [];
  for (let index = 0; index < rows.length; index += 1) {
    const row = rows[index];
    const at = `${where} data[${index}]`;
    if (!isRecord(row)) throw new WireFormatError(`${at}: must be an object`);
    const trade = tradeOf(row, at);
    if (channel.instrument !== null && trade.instrument !== channel.instrument) {
      throw new WireFormatError(
        `${at}: "instrument_name" is ${JSON.stringify(trade.instrument)}, not the channel's`,
      );
    }
    trades.push(trade);
  }
  return trades;
}

interface TradesChannel {
  readonly name: string;
  /** Null on a kind-and-currency channel, whose rows name their own instruments. */
  readonly instrument: string | null;
  readonly params: WireRecord;
}

function tradesChannel(message: unknown): TradesChannel | null {
  if (!isRecord(message) || message['method'] !== 'subscription') return null;
  const params = message['params'];
  if (!isRecord(params)) return null;
  const name = params['channel'];
  if (typeof name !== 'string' || !name.startsWith(CHANNEL_PREFIX)) return null;
  // Instrument names never contain '.', so the number of segments tells the channels apart.
  const segments = name.slice(CHANNEL_PREFIX.length).split('.');
  if (segments.length === 2) return { name, instrument: segments[0] ?? null, params };
  if (segments.length === 3) return { name, instrument: null, params };
  return null;
}

function tradeOf(row: WireRecord, at: string): TradeEvent {
  return {
    kind: 'trade',
    venue: VENUE,
    instrument: requireString(row, 'instrument_name', at),
    ts: requireNumber(row, 'timestamp', at),
    tradeId: requireString(row, 'trade_id', at),
    price: requireNumber(row, 'price', at),
    size: requireNumber(row, 'amount', at),
    takerSide: requireOneOf(row, 'direction', DIRECTIONS, at),
    // Only option prints carry an IV.
    iv: percentIv(optionalNumber(row, 'iv', at)),
    markPrice: requireNumber(row, 'mark_price', at),
    indexPrice: requireNumber(row, 'index_price', at),
    block: isBlockTrade(row, at),
  };
}

function isBlockTrade(row: WireRecord, at: string): boolean {
  const id = row['block_trade_id'];
  if (id === undefined || id === null) return false;
  if (typeof id === 'string' && id !== '') return true;
  throw new WireFormatError(`${at}: "block_trade_id" must be a string, got ${JSON.stringify(id)}`);
}
