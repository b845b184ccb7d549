import type { TickerEvent, VenueGreeks, VenueIv } from '../../book/events.js';
import {
  isRecord,
  optionalNumber,
  requireNullableNumber,
  requireNumber,
  requireRecord,
  requireString,
  WireFormatError,
  zeroAsNull,
  type WireRecord,
} from '../wire-fields.js';

const VENUE = 'deribit';
const CHANNEL_PREFIX = 'ticker.';
// The wire carries IVs in percent; the code base uses decimals.
const PERCENT = 100;
// Cheap per-message test; the full name is parsed once per instrument by whoever needs it.
export const OPTION_NAME_END = /-[CP]$/;

/**
 * Maps a `ticker.<instrument>.<interval>` notification of an option to a TickerEvent.
 * Returns null for every other message, including tickers of futures and perpetuals;
 * throws when an option ticker lacks a field ivtrade relies on.
 */
export function deribitTickerFromMessage(message: unknown): TickerEvent | null {
  const channel = tickerChannel(message);
  if (channel === null || !OPTION_NAME_END.test(channel.instrument)) return null;
  const { where, data } = tickerData(channel);
  return tickerEvent(
    channel.instrument,
    data,
    where,
    requireNumber(data, 'underlying_price', where),
    {
      bid: percentIv(optionalNumber(data, 'bid_iv', where)),
      ask: percentIv(optionalNumber(data, 'ask_iv', where)),
      mark: percentIv(requireNumber(data, 'mark_iv', where)),
    },
    greeksOf(requireRecord(data, 'greeks', where), where),
    true,
  );
}

/**
 * The fields every Deribit ticker carries, plus what only some do (an option's forward, IVs
 * and greeks). One object literal per message: tickers are the busiest stream.
 */
export function tickerEvent(
  instrument: string,
  data: WireRecord,
  where: string,
  forward: number | null,
  venueIv: VenueIv,
  venueGreeks: VenueGreeks | null,
  /** Whether to read the 24 h volume and open interest (options: the chain's activity). */
  activity = false,
): TickerEvent {
  // The venue writes an empty side as price 0 (and amount 0).
  const bid = zeroAsNull(requireNullableNumber(data, 'best_bid_price', where));
  const ask = zeroAsNull(requireNullableNumber(data, 'best_ask_price', where));
  const bidSize = requireNullableNumber(data, 'best_bid_amount', where);
  const askSize = requireNullableNumber(data, 'best_ask_amount', where);
  const min = optionalNumber(data, 'min_price', where);
  const max = optionalNumber(data, 'max_price', where);
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
    forward,
    venueIv,
    venueGreeks,
    ...(min !== null && max !== null && min <= max ? { priceBand: { min, max } } : {}),
    ...(activity ? activityOf(data, where) : {}),
  };
}

/**
 * The 24 h volume (`stats.volume`, null before the first trade of the day) and the open
 * interest, both in the option's amount unit; a field the message lacks stays absent.
 */
function activityOf(
  data: WireRecord,
  where: string,
): { volume?: number | null; openInterest?: number | null } {
  const stats = data['stats'];
  const statsAt = `${where} stats`;
  return {
    ...(stats === undefined
      ? {}
      : { volume: optionalNumber(requireRecord(data, 'stats', where), 'volume', statsAt) }),
    ...(data['open_interest'] === undefined
      ? {}
      : { openInterest: optionalNumber(data, 'open_interest', where) }),
  };
}

export interface TickerChannel {
  readonly name: string;
  readonly instrument: string;
  readonly params: WireRecord;
}

/** The channel of a `ticker.<instrument>.<interval>` notification; null for anything else. */
export function tickerChannel(message: unknown): TickerChannel | null {
  if (!isRecord(message) || message['method'] !== 'subscription') return null;
  const params = message['params'];
  if (!isRecord(params)) return null;
  const name = params['channel'];
  if (typeof name !== 'string' || !name.startsWith(CHANNEL_PREFIX)) return null;
  // Instrument names never contain '.', which is why Deribit spells decimal strikes with 'd'.
  const intervalDot = name.lastIndexOf('.');
  if (intervalDot <= CHANNEL_PREFIX.length) return null;
  const instrument = name.slice(CHANNEL_PREFIX.length, intervalDot);
  return { name, instrument, params };
}

/** The ticker's data, checked to be for the channel's instrument. */
export function tickerData(channel: TickerChannel): { where: string; data: WireRecord } {
  const where = `Deribit ${channel.name}`;
  const data = requireRecord(channel.params, 'data', where);
  const instrument = requireString(data, 'instrument_name', where);
  if (instrument !== channel.instrument) {
    throw new WireFormatError(`${where}: data is for "${instrument}"`);
  }
  return { where, data };
}

/** A venue IV in percent as a decimal; 0 (the venue's "none") as null. */
export function percentIv(value: number | null): number | null {
  const iv = zeroAsNull(value);
  // The wire carries two decimals of a percent; dividing the integer count of 1e-8 %
  // gives the nearest double to the decimal (1.1562, not 1.1562000000000001).
  return iv === null ? null : Math.round(iv * 1e8) / (PERCENT * 1e8);
}

function greeksOf(greeks: WireRecord, where: string): VenueGreeks {
  const at = `${where} greeks`;
  return {
    delta: requireNumber(greeks, 'delta', at),
    gamma: requireNumber(greeks, 'gamma', at),
    vega: requireNumber(greeks, 'vega', at),
    theta: requireNumber(greeks, 'theta', at),
  };
}
