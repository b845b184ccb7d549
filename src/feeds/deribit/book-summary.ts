/**
 * A saved `public/get_book_summary_by_currency` reply (kind=option) as option tickers: the
 * whole chain at one instant, what a desk saves to look at a surface later. Each row carries
 * the best bid and ask in coin, the mark, and `underlying_price`, the forward the venue
 * prices that expiry off (a future's price, or its synthetic `SYN.` forward).
 */
import type { TickerEvent } from '../../book/events.js';
import {
  isRecord,
  optionalNumber,
  requireNumber,
  requireString,
  WireFormatError,
  zeroAsNull,
} from '../wire-fields.js';
import { tryParseDeribitOptionName } from './instrument-name.js';

const VENUE = 'deribit';

/**
 * The option rows of a saved reply (the JSON-RPC envelope, or its bare `result` array) as
 * tickers; null when the value is not such a reply. Rows that are not options (a future in a
 * kind=any reply) are left out; a malformed option row throws, naming it.
 */
export function deribitBookSummaryTickers(reply: unknown): TickerEvent[] | null {
  const rows = isRecord(reply) ? reply['result'] : reply;
  if (!Array.isArray(rows) || rows.length === 0) return null;
  if (!rows.every((row) => isRecord(row) && typeof row['instrument_name'] === 'string')) {
    return null;
  }
  if (!rows.some((row) => isRecord(row) && 'underlying_price' in row)) return null;
  const tickers: TickerEvent[] = [];
  for (const row of rows as Record<string, unknown>[]) {
    const name = requireString(row, 'instrument_name', 'book summary row');
    if (tryParseDeribitOptionName(name) === null) continue;
    const where = `book summary ${name}`;
    const ts = requireNumber(row, 'creation_timestamp', where);
    const forward = optionalNumber(row, 'underlying_price', where);
    if (forward !== null && !(forward > 0)) {
      throw new WireFormatError(`${where}: "underlying_price" must be > 0, got ${forward}`);
    }
    tickers.push({
      kind: 'ticker',
      venue: VENUE,
      instrument: name,
      ts,
      bid: zeroAsNull(optionalNumber(row, 'bid_price', where)),
      bidSize: null,
      ask: zeroAsNull(optionalNumber(row, 'ask_price', where)),
      askSize: null,
      mark: optionalNumber(row, 'mark_price', where),
      index: optionalNumber(row, 'estimated_delivery_price', where),
      forward,
      venueIv: { bid: null, ask: null, mark: percentOrNull(optionalNumber(row, 'mark_iv', where)) },
      venueGreeks: null,
      volume: optionalNumber(row, 'volume', where),
      openInterest: optionalNumber(row, 'open_interest', where),
    });
  }
  return tickers;
}

function percentOrNull(value: number | null): number | null {
  return value === null || value === 0 ? null : value / 100;
}
