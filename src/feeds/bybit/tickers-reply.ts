/**
 * A saved `/v5/market/tickers?category=option` reply as option tickers: the chain of one base
 * coin at the reply's `time`. Prices are USDT (linear options); `underlyingPrice` is the
 * forward the venue prices the expiry off.
 */
import type { TickerEvent } from '../../book/events.js';
import {
  isRecord,
  requireArray,
  requireDecimalString,
  requireNumber,
  requireRecord,
  requireString,
  zeroAsNull,
} from '../wire-fields.js';
import { tryParseBybitOptionName } from './instrument-name.js';

const VENUE = 'bybit';

/** The reply's option tickers; null when the value is not an option tickers reply. */
export function bybitTickersReply(reply: unknown): TickerEvent[] | null {
  if (!isRecord(reply) || reply['retCode'] !== 0 || !isRecord(reply['result'])) return null;
  const result = requireRecord(reply, 'result', 'tickers reply');
  if (result['category'] !== 'option') return null;
  const ts = requireNumber(reply, 'time', 'tickers reply');
  const tickers: TickerEvent[] = [];
  for (const item of requireArray(result, 'list', 'tickers reply result')) {
    if (!isRecord(item)) continue;
    const symbol = requireString(item, 'symbol', 'tickers reply row');
    if (tryParseBybitOptionName(symbol) === null) continue;
    const where = `tickers reply ${symbol}`;
    const bid = zeroAsNull(requireDecimalString(item, 'bid1Price', where));
    const ask = zeroAsNull(requireDecimalString(item, 'ask1Price', where));
    const iv = (key: string): number | null =>
      item[key] === undefined ? null : zeroAsNull(requireDecimalString(item, key, where));
    tickers.push({
      kind: 'ticker',
      venue: VENUE,
      instrument: symbol,
      ts,
      bid,
      bidSize: bid === null ? null : requireDecimalString(item, 'bid1Size', where),
      ask,
      askSize: ask === null ? null : requireDecimalString(item, 'ask1Size', where),
      mark: requireDecimalString(item, 'markPrice', where),
      index: requireDecimalString(item, 'indexPrice', where),
      forward: zeroAsNull(requireDecimalString(item, 'underlyingPrice', where)),
      venueIv: { bid: iv('bid1Iv'), ask: iv('ask1Iv'), mark: iv('markIv') },
      venueGreeks: null,
      ...(item['volume24h'] === undefined
        ? {}
        : { volume: requireDecimalString(item, 'volume24h', where) }),
      ...(item['openInterest'] === undefined
        ? {}
        : { openInterest: requireDecimalString(item, 'openInterest', where) }),
    });
  }
  return tickers;
}
