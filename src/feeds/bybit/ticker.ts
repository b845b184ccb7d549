import type { TickerEvent } from '../../book/events.js';
import {
  isRecord,
  requireDecimalString,
  requireNumber,
  requireRecord,
  WireFormatError,
  zeroAsNull,
  type WireRecord,
} from '../wire-fields.js';

const VENUE = 'bybit';
const TOPIC_PREFIX = 'tickers.';
// Option symbols end in -C/-P, optionally followed by the settlement coin; perps
// (BTCUSDT, BTCUSD, BTCPERP) share the tickers.* topic but never match.
const OPTION_SYMBOL_END = /-[CP](?:-[A-Z]+)?$/;

/**
 * Rebuilds full option tickers from the v5 `tickers.<symbol>` stream, where a snapshot is
 * followed by deltas that carry only the fields that changed. One instance per connection:
 * state is per topic and must be cleared when the connection is replaced.
 */
export class BybitTickerMerger {
  readonly #lastByTopic = new Map<string, WireRecord>();

  /** Returns the merged ticker, null for messages that are not option tickers. */
  accept(message: unknown): TickerEvent | null {
    if (!isRecord(message)) return null;
    const topic = message['topic'];
    if (typeof topic !== 'string' || !topic.startsWith(TOPIC_PREFIX)) return null;
    const symbol = topic.slice(TOPIC_PREFIX.length);
    if (!OPTION_SYMBOL_END.test(symbol)) return null;

    const where = `Bybit ${topic}`;
    const data = requireRecord(message, 'data', where);
    const ts = requireNumber(message, 'ts', where);
    const type = message['type'];
    let merged: WireRecord;
    if (type === 'snapshot') {
      merged = data;
    } else if (type === 'delta') {
      const last = this.#lastByTopic.get(topic);
      if (last === undefined) {
        throw new WireFormatError(`${where}: delta arrived before any snapshot`);
      }
      merged = { ...last, ...data };
    } else {
      throw new WireFormatError(
        `${where}: "type" must be snapshot or delta, got ${JSON.stringify(type)}`,
      );
    }
    // Map before storing, so a malformed message leaves the last good state in place.
    const event = tickerFromState(symbol, ts, merged, where);
    this.#lastByTopic.set(topic, merged);
    return event;
  }

  /** Forget all state, e.g. before resubscribing on a new connection. */
  clear(): void {
    this.#lastByTopic.clear();
  }
}

function tickerFromState(
  symbol: string,
  ts: number,
  state: WireRecord,
  where: string,
): TickerEvent {
  const bid = zeroAsNull(requireDecimalString(state, 'bidPrice', where));
  const ask = zeroAsNull(requireDecimalString(state, 'askPrice', where));
  const bidSize = requireDecimalString(state, 'bidSize', where);
  const askSize = requireDecimalString(state, 'askSize', where);
  return {
    kind: 'ticker',
    venue: VENUE,
    instrument: symbol,
    ts,
    bid,
    bidSize: bid === null ? null : bidSize,
    ask,
    askSize: ask === null ? null : askSize,
    mark: requireDecimalString(state, 'markPrice', where),
    index: requireDecimalString(state, 'indexPrice', where),
    forward: requireDecimalString(state, 'underlyingPrice', where),
    venueIv: {
      bid: zeroAsNull(requireDecimalString(state, 'bidIv', where)),
      ask: zeroAsNull(requireDecimalString(state, 'askIv', where)),
      mark: zeroAsNull(requireDecimalString(state, 'markPriceIv', where)),
    },
    venueGreeks: greeksOf(state, where),
  };
}

function greeksOf(state: WireRecord, where: string): TickerEvent['venueGreeks'] {
  const delta = requireDecimalString(state, 'delta', where);
  const gamma = requireDecimalString(state, 'gamma', where);
  const vega = requireDecimalString(state, 'vega', where);
  const theta = requireDecimalString(state, 'theta', where);
  if (delta === null || gamma === null || vega === null || theta === null) return null;
  return { delta, gamma, vega, theta };
}
