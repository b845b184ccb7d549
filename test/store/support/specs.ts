// Instruments the store's tests write and read: Deribit's BTC perpetual and one BTC call, as
// the Deribit adapter lists them.

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
