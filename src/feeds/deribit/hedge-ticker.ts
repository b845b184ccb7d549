import type { TickerEvent } from '../../book/events.js';
import { OPTION_NAME_END, tickerChannel, tickerData, tickerEvent } from './ticker.js';

const NO_IV = { bid: null, ask: null, mark: null } as const;

/**
 * Maps a `ticker.<future or perpetual>.<interval>` notification (the hedge instrument) to a
 * TickerEvent. Futures carry no IVs or greeks, and their own price is the forward, so those
 * fields are null. Returns null for every other message, option tickers included; throws
 * when a future's ticker lacks a field ivtrade relies on.
 */
export function deribitHedgeTickerFromMessage(message: unknown): TickerEvent | null {
  const channel = tickerChannel(message);
  if (channel === null || OPTION_NAME_END.test(channel.instrument)) return null;
  const { where, data } = tickerData(channel);
  return tickerEvent(channel.instrument, data, where, null, NO_IV, null);
}
