import type { TickerEvent } from '../../book/events.js';
import {
  isRecord,
  requireNumber,
  requireRecord,
  WireFormatError,
  type WireRecord,
} from '../wire-fields.js';

const TOPIC_PREFIX = 'tickers.';
// Option symbols end in -C/-P, optionally followed by the settlement coin; perps
// (BTCUSDT, BTCUSD, BTCPERP) share the tickers.* topic but never match.
export const OPTION_SYMBOL_END = /-[CP](?:-[A-Z]+)?$/;

export type TickerFromState = (
  symbol: string,
  ts: number,
  state: WireRecord,
  where: string,
) => TickerEvent;

/**
 * Bybit's `tickers.<symbol>` streams send a snapshot, then deltas carrying only the fields
 * that changed: each delta is merged into the topic's last state, never replacing it. One
 * instance per connection, cleared when the connection is replaced. Which symbols it takes
 * and how a full state reads are the option's or the perpetual's.
 */
export class TickerStateMerger {
  readonly #lastByTopic = new Map<string, WireRecord>();

  constructor(
    private readonly takes: (symbol: string) => boolean,
    private readonly toTicker: TickerFromState,
  ) {}

  /** The merged ticker; null for messages that are not tickers of the symbols it takes. */
  accept(message: unknown): TickerEvent | null {
    if (!isRecord(message)) return null;
    const topic = message['topic'];
    if (typeof topic !== 'string' || !topic.startsWith(TOPIC_PREFIX)) return null;
    const symbol = topic.slice(TOPIC_PREFIX.length);
    if (symbol === '' || !this.takes(symbol)) return null;

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
    const event = this.toTicker(symbol, ts, merged, where);
    this.#lastByTopic.set(topic, merged);
    return event;
  }

  has(topic: string): boolean {
    return this.#lastByTopic.has(topic);
  }

  /** Forget all state, e.g. before resubscribing on a new connection. */
  clear(): void {
    this.#lastByTopic.clear();
  }
}
