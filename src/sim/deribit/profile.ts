// How Deribit names and sizes what the sim lists: inverse (coin-margined) options and futures,
// figures from the venue's instrument records (../shared/fixtures/deribit) and its docs.

import type { FutureSpec, InstrumentSpec, OptionSpec } from '../../instruments/types.js';
import type { ExpiryKind, VenueProfile } from '../contract.js';
import { expiryCode, strikeCode } from '../expiry-code.js';

interface CoinRules {
  readonly optionMin: number;
  readonly futureTick: number;
  /** USD per contract: BTC futures trade in multiples of $10, ETH in $1. */
  readonly futureContract: number;
}

const COINS: Readonly<Record<string, CoinRules>> = {
  BTC: { optionMin: 0.1, futureTick: 0.5, futureContract: 10 },
  ETH: { optionMin: 1, futureTick: 0.05, futureContract: 1 },
};
const DEFAULT_COIN: CoinRules = { optionMin: 1, futureTick: 0.01, futureContract: 1 };

function coin(currency: string): CoinRules {
  return COINS[currency] ?? DEFAULT_COIN;
}

function futureRules(currency: string): Omit<FutureSpec, 'kind' | 'name' | 'expiry'> {
  const rules = coin(currency);
  return {
    base: currency,
    quote: 'USD',
    settlement: 'inverse',
    settleCurrency: currency,
    tickSize: rules.futureTick,
    tickSteps: [],
    lotSize: rules.futureContract,
    minSize: rules.futureContract,
    contractSize: rules.futureContract,
    sizeUnit: 'usd',
  };
}

export const deribitProfile: VenueProfile = {
  venue: 'deribit',

  optionSpec(currency, expiry, strike, type): OptionSpec {
    const min = coin(currency).optionMin;
    return {
      kind: 'option',
      name: `${currency}-${expiryCode(expiry)}-${strikeCode(strike, 'd')}-${type === 'call' ? 'C' : 'P'}`,
      base: currency,
      quote: currency,
      settlement: 'inverse',
      settleCurrency: currency,
      expiry,
      strike,
      type,
      // Today's option grid: 0.0001 up to 0.005, then 0.0005 (tick_size_steps).
      tickSize: 0.0001,
      tickSteps: [{ abovePrice: 0.005, tickSize: 0.0005 }],
      lotSize: min,
      minSize: min,
      contractSize: 1,
      sizeUnit: 'base',
    };
  },

  perpetualSpec(currency): InstrumentSpec {
    return {
      kind: 'perpetual',
      name: `${currency}-PERPETUAL`,
      expiry: null,
      ...futureRules(currency),
    };
  },

  futureSpec(currency, expiry): InstrumentSpec {
    return {
      kind: 'future',
      name: `${currency}-${expiryCode(expiry)}`,
      expiry,
      ...futureRules(currency),
    };
  },

  listsOptionExpiry(_kind: ExpiryKind): boolean {
    return true;
  },
};
