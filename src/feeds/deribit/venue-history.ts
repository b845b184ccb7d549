/**
 * Deribit's history door for realised vol and IV rank, over the feed's own socket.
 * Deribit publishes no candles of its index, so the perpetual's trade candles stand in for the
 * past (it trades within a few basis points of the index); live, the index itself
 * (deribit_price_index.<coin>_usd) extends them. The volatility series is DVOL, an implied
 * 30-day index: it feeds IV rank.
 */
import type { FeedEvent } from '../../book/events.js';
import type { RpcCaller } from '../common/rpc-caller.js';
import type { PriceTick, VenueHistory, VenueVolSeries } from '../feed.js';
import { loadDeribitCandles, loadDeribitVolatilityIndex } from './history.js';

export function deribitHistory(rpc: RpcCaller): VenueHistory {
  return {
    candleSource: (base) =>
      `${base.toUpperCase()}-PERPETUAL trades, live ${base.toLowerCase()}_usd index`,
    candles: (base, periodMs, from, to) =>
      loadDeribitCandles(rpc, {
        instrument: `${base.toUpperCase()}-PERPETUAL`,
        periodMs,
        from,
        to,
      }),
    volSeriesName: (base) => `DVOL ${base.toLowerCase()}_usd`,
    volSeries: async (base, periodMs, from, to): Promise<VenueVolSeries> => {
      const candles = await loadDeribitVolatilityIndex(rpc, {
        currency: base.toUpperCase(),
        periodMs,
        from,
        to,
      });
      return {
        name: `DVOL ${base.toLowerCase()}_usd`,
        kind: 'implied',
        points: candles.map((c) => ({ ts: c.ts, value: c.close })),
      };
    },
    priceTick: deribitPriceTick,
  };
}

/** The live price that continues Deribit's candles: the coin's USD index. */
export function deribitPriceTick(event: FeedEvent): PriceTick | null {
  return event.kind === 'index' && event.quote === 'USD'
    ? { base: event.base, ts: event.ts, price: event.price }
    : null;
}
