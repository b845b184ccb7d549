/**
 * Deribit's history door for realised vol and IV rank, over the feed's own socket.
 * Deribit publishes no candles of its index, so the perpetual's trade candles stand in for the
 * past (it trades within a few basis points of the index); live, the index itself
 * (deribit_price_index.<coin>_usd, or _usdc for the linear coins) extends them. The volatility
 * series is DVOL, an implied 30-day index that feeds IV rank; Deribit publishes it for BTC and
 * ETH only.
 */
import type { FeedEvent } from '../../book/events.js';
import type { RpcCaller } from '../common/rpc-caller.js';
import type { PriceTick, VenueHistory, VenueVolSeries } from '../feed.js';
import { deribitCoinMarket } from './coin-markets.js';
import { deribitDeliveryPrice } from './delivery-prices.js';
import { loadDeribitCandles, loadDeribitVolatilityIndex } from './history.js';

export function deribitHistory(rpc: RpcCaller): VenueHistory {
  return {
    candleSource: (base) => {
      const market = deribitCoinMarket(base);
      return `${market.perpetual} trades, live ${market.indexName} index`;
    },
    candles: (base, periodMs, from, to) =>
      loadDeribitCandles(rpc, {
        instrument: deribitCoinMarket(base).perpetual,
        periodMs,
        from,
        to,
      }),
    volSeriesName: (base) => `DVOL ${deribitCoinMarket(base).volatilityIndex ?? '(none)'}`,
    volSeries: async (base, periodMs, from, to): Promise<VenueVolSeries | null> => {
      const name = deribitCoinMarket(base).volatilityIndex;
      if (name === null) return null;
      const candles = await loadDeribitVolatilityIndex(rpc, {
        currency: base.toUpperCase(),
        periodMs,
        from,
        to,
      });
      return {
        name: `DVOL ${name}`,
        kind: 'implied',
        points: candles.map((c) => ({ ts: c.ts, value: c.close })),
      };
    },
    priceTick: deribitPriceTick,
    deliveryPrice: (base, expiry) => deribitDeliveryPrice(rpc, base, expiry),
  };
}

/** The live price that continues Deribit's candles: the coin's index (USD, or USDC). */
export function deribitPriceTick(event: FeedEvent): PriceTick | null {
  return event.kind === 'index' && event.quote === deribitCoinMarket(event.base).indexQuote
    ? { base: event.base, ts: event.ts, price: event.price }
    : null;
}
