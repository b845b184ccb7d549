/**
 * Bybit's history door for realised vol: the index price candles of the coin's USDT perpetual
 * (/v5/market/index-price-kline), continued live by the indexPrice of that perpetual's ticker.
 * Bybit's volatility series (/v5/market/historical-volatility, 30-day period) is the coin's
 * REALISED vol as Bybit measures it, not an implied index: shown for comparison, never used
 * for IV rank.
 */
import type { FeedEvent } from '../../book/events.js';
import type { PriceTick, VenueHistory, VenueVolSeries } from '../feed.js';
import { bybitDeliveryPrice } from './delivery-prices.js';
import { loadBybitCandles, loadBybitHistoricalVolatility } from './history.js';
import type { BybitRestClient } from './rest.js';

/** Bybit's historical-volatility period used: the 30-day one, comparable with a 30-day IV. */
const HV_PERIOD_DAYS = 30;

export function bybitHistory(rest: BybitRestClient): VenueHistory {
  const symbol = (base: string): string => `${base.toUpperCase()}USDT`;
  return {
    candleSource: (base) => `${symbol(base)} index price`,
    candles: (base, periodMs, from, to) =>
      loadBybitCandles(rest, { symbol: symbol(base), periodMs, from, to, source: 'index' }),
    volSeriesName: () => `Bybit historical volatility ${HV_PERIOD_DAYS}d`,
    volSeries: async (base, _periodMs, from, to): Promise<VenueVolSeries> => ({
      name: `Bybit historical volatility ${HV_PERIOD_DAYS}d`,
      kind: 'realized',
      points: await loadBybitHistoricalVolatility(rest, {
        baseCoin: base.toUpperCase(),
        period: HV_PERIOD_DAYS,
        from,
        to,
      }),
    }),
    priceTick: bybitPriceTick,
    deliveryPrice: (base, expiry) => bybitDeliveryPrice(rest, base, expiry),
  };
}

/** The live price that continues Bybit's candles: the USDT perpetual ticker's index price. */
export function bybitPriceTick(event: FeedEvent): PriceTick | null {
  if (event.kind !== 'ticker' || event.index === null) return null;
  if (!event.instrument.endsWith('USDT') || event.instrument.includes('-')) return null;
  return { base: event.instrument.slice(0, -4), ts: event.ts, price: event.index };
}
