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
// Options share the tickers.* topic name on their own socket; they never belong here.
const OPTION_SYMBOL_END = /-[CP](?:-[A-Z]+)?$/;
const NO_IV = { bid: null, ask: null, mark: null } as const;

/**
 * Rebuilds the hedge perpetual's ticker from the linear socket's `tickers.<symbol>` stream:
 * a snapshot, then deltas carrying only the fields that changed (`bid1Price`, `markPrice`…).
 * One instance per connection, cleared when the connection is replaced.
 */
export class BybitLinearTickerMerger {
  readonly #lastByTopic = new Map<string, WireRecord>();

  /** The merged ticker; null for messages that are not a perpetual's or future's ticker. */
  accept(message: unknown): TickerEvent | null {
    if (!isRecord(message)) return null;
    const topic = message['topic'];
    if (typeof topic !== 'string' || !topic.startsWith(TOPIC_PREFIX)) return null;
    const symbol = topic.slice(TOPIC_PREFIX.length);
    if (symbol === '' || OPTION_SYMBOL_END.test(symbol)) return null;

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
    const event = linearTicker(symbol, ts, merged, where);
    this.#lastByTopic.set(topic, merged);
    return event;
  }

  has(topic: string): boolean {
    return this.#lastByTopic.has(topic);
  }

  clear(): void {
    this.#lastByTopic.clear();
  }
}

function linearTicker(symbol: string, ts: number, state: WireRecord, where: string): TickerEvent {
  const bid = zeroAsNull(requireDecimalString(state, 'bid1Price', where));
  const ask = zeroAsNull(requireDecimalString(state, 'ask1Price', where));
  const bidSize = requireDecimalString(state, 'bid1Size', where);
  const askSize = requireDecimalString(state, 'ask1Size', where);
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
    // A perpetual is its own underlying: no forward, no vol, no greeks from the venue.
    forward: null,
    venueIv: NO_IV,
    venueGreeks: null,
  };
}
