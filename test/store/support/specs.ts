// Instruments the store's tests write and read: Deribit's BTC perpetual and one BTC call, as
// the Deribit adapter lists them, and a ticker of the call.

import type { TickerEvent } from '../../../src/book/events.js';
import type { FutureSpec, OptionSpec } from '../../../src/instruments/types.js';

export const BTC_PERPETUAL: FutureSpec = {
  kind: 'perpetual',
  name: 'BTC-PERPETUAL',
  base: 'BTC',
  quote: 'USD',
  settlement: 'inverse',
  settleCurrency: 'BTC',
  expiry: null,
  tickSize: 0.5,
  tickSteps: [],
  lotSize: 10,
  minSize: 10,
  contractSize: 10,
  sizeUnit: 'usd',
};

export const BTC_CALL: OptionSpec = {
  kind: 'option',
  name: 'BTC-27NOV26-90000-C',
  base: 'BTC',
  quote: 'BTC',
  settlement: 'inverse',
  settleCurrency: 'BTC',
  expiry: Date.UTC(2026, 10, 27, 8),
  strike: 90_000,
  type: 'call',
  tickSize: 0.0001,
  tickSteps: [],
  lotSize: 0.1,
  minSize: 0.1,
  contractSize: 1,
  sizeUnit: 'base',
};

/** A ticker of BTC_CALL, its numbers as Deribit sends them. */
export const BTC_CALL_TICKER: TickerEvent = {
  kind: 'ticker',
  venue: 'deribit',
  instrument: BTC_CALL.name,
  ts: 1_765_000_000_123,
  bid: 0.0415,
  bidSize: 12.5,
  ask: 0.0425,
  askSize: 3,
  mark: 0.04201234,
  index: 91_234.56,
  forward: 92_001.5,
  venueIv: { bid: 0.5512, ask: 0.5633, mark: 0.5571 },
  venueGreeks: null,
};
