// `public/get_historical_volatility`: the coin's realised volatility, hourly points
// `[timestamp, percent]`, oldest first, from the sim's index history.
//
// The venue documents neither the window nor the estimator. The sim measures as its Bybit side
// does for /v5/market/historical-volatility (close-to-close of hourly index closes, annualised
// on 365 days), over a trailing window of HV_WINDOW_DAYS, and lists one point per hour over the
// last HV_SPAN_DAYS up to the hour now, as the venue's answer spans about two weeks.

import { realisedVolatility } from '../model/realised-vol.js';
import type { Method } from './core.js';
import { invalidParams } from './errors.js';
import { isVenueCurrency, venueCurrencies } from './markets.js';
import { requireString } from './params.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
export const HV_WINDOW_DAYS = 15;
export const HV_SPAN_DAYS = 15;

const historicalVolatility: Method = ({ context, exchange }, { params }) => {
  const history = context.history;
  if (history === undefined) throw invalidParams('history', 'not served by this sim');
  const currency = requireString(params, 'currency').toUpperCase();
  if (!isVenueCurrency(exchange, currency) || !history.currencies().includes(currency)) {
    throw invalidParams('currency', `must be one of ${venueCurrencies(exchange).join(', ')}`);
  }
  const latest = Math.floor(exchange.now() / HOUR) * HOUR;
  const hours: number[] = [];
  for (let hour = latest - HV_SPAN_DAYS * DAY; hour <= latest; hour += HOUR) hours.push(hour);
  return realisedVolatility(history, currency, hours, HV_WINDOW_DAYS * DAY).map((point) => [
    point.ts,
    point.value * 100,
  ]);
};

export const VOLATILITY_METHODS: Readonly<Record<string, Method>> = {
  'public/get_historical_volatility': historicalVolatility,
};
