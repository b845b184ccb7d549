import type { TickerEvent } from '../../book/events.js';
import { requireDecimalString, zeroAsNull, type WireRecord } from '../wire-fields.js';
import { OPTION_SYMBOL_END, TickerStateMerger } from './ticker-state.js';

const VENUE = 'bybit';
const NO_IV = { bid: null, ask: null, mark: null } as const;

/**
 * Rebuilds the hedge perpetual's ticker from the linear socket's `tickers.<symbol>` stream:
 * a snapshot, then deltas carrying only the fields that changed (`bid1Price`, `markPrice`…).
 * One instance per connection, cleared when the connection is replaced.
 */
export class BybitLinearTickerMerger extends TickerStateMerger {
  constructor() {
    super((symbol) => !OPTION_SYMBOL_END.test(symbol), linearTicker);
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
