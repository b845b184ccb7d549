import type { TickerEvent } from '../../book/events.js';
import {
  isRecord,
  requireNullableNumber,
  requireNumber,
  requireRecord,
  requireString,
  WireFormatError,
  zeroAsNull,
} from '../wire-fields.js';

const VENUE = 'deribit';
const CHANNEL_PREFIX = 'ticker.';
// Option names end in -C or -P; everything else on a ticker channel is a future or perpetual.
const OPTION_NAME_END = /-[CP]$/;
const NO_IV = { bid: null, ask: null, mark: null } as const;

/**
 * Maps a `ticker.<future or perpetual>.<interval>` notification (the hedge instrument) to a
 * TickerEvent. Futures carry no IVs or greeks, and their own price is the forward, so those
 * fields are null. Returns null for every other message, option tickers included; throws
 * when a future's ticker lacks a field ivtrade relies on.
 */
export function deribitHedgeTickerFromMessage(message: unknown): TickerEvent | null {
  if (!isRecord(message) || message['method'] !== 'subscription') return null;
  const params = message['params'];
  if (!isRecord(params)) return null;
  const name = params['channel'];
  if (typeof name !== 'string' || !name.startsWith(CHANNEL_PREFIX)) return null;
  const intervalDot = name.lastIndexOf('.');
  if (intervalDot <= CHANNEL_PREFIX.length) return null;
  const channelInstrument = name.slice(CHANNEL_PREFIX.length, intervalDot);
  if (OPTION_NAME_END.test(channelInstrument)) return null;

  const where = `Deribit ${name}`;
  const data = requireRecord(params, 'data', where);
  const instrument = requireString(data, 'instrument_name', where);
  if (instrument !== channelInstrument) {
    throw new WireFormatError(`${where}: data is for "${instrument}"`);
  }
  // The venue writes an empty side as price 0 (and amount 0).
  const bid = zeroAsNull(requireNullableNumber(data, 'best_bid_price', where));
  const ask = zeroAsNull(requireNullableNumber(data, 'best_ask_price', where));
  const bidSize = requireNullableNumber(data, 'best_bid_amount', where);
  const askSize = requireNullableNumber(data, 'best_ask_amount', where);
  return {
    kind: 'ticker',
    venue: VENUE,
    instrument,
    ts: requireNumber(data, 'timestamp', where),
    bid,
    bidSize: bid === null ? null : bidSize,
    ask,
    askSize: ask === null ? null : askSize,
    mark: requireNumber(data, 'mark_price', where),
    index: requireNumber(data, 'index_price', where),
    forward: null,
    venueIv: NO_IV,
    venueGreeks: null,
  };
}
