import type { TickerEvent } from '../../book/events.js';
import { requireDecimalString, zeroAsNull, type WireRecord } from '../wire-fields.js';
import { OPTION_SYMBOL_END, TickerStateMerger } from './ticker-state.js';

const VENUE = 'bybit';

/**
 * Rebuilds full option tickers from the v5 `tickers.<symbol>` stream, where a snapshot is
 * followed by deltas that carry only the fields that changed. One instance per connection:
 * state is per topic and must be cleared when the connection is replaced.
 */
export class BybitTickerMerger extends TickerStateMerger {
  constructor() {
    super((symbol) => OPTION_SYMBOL_END.test(symbol), tickerFromState);
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
    ...activityOf(state, where),
  };
}

/**
 * The 24 h volume and open interest in contracts (the amount unit). Zero is a real value
 * here (nothing traded), unlike a zero price; a field the ticker lacks stays absent.
 */
function activityOf(
  state: WireRecord,
  where: string,
): { volume?: number | null; openInterest?: number | null } {
  return {
    ...(state['volume24h'] === undefined
      ? {}
      : { volume: requireDecimalString(state, 'volume24h', where) }),
    ...(state['openInterest'] === undefined
      ? {}
      : { openInterest: requireDecimalString(state, 'openInterest', where) }),
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
