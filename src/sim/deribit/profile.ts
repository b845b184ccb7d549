// How Deribit names and sizes what the sim lists: inverse (coin-margined) options and futures
// on BTC and ETH, USDC-linear options and a perpetual on every other coin (see markets.ts),
// figures from the venue's instrument records (../shared/fixtures/deribit) and its docs.

import type { FutureSpec, InstrumentSpec, OptionSpec } from '../../instruments/types.js';
import type { ExpiryKind, VenueProfile } from '../contract.js';
import { expiryCode, strikeCode } from '../expiry-code.js';
import { isInverseCoin, LINEAR_CURRENCY } from './markets.js';

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

/**
 * Linear options carry a contract multiplier so one contract is a useful size (Deribit's
 * launch note: SOL 10, XRP and MATIC 1,000); amounts are still counted in coins, in
 * multiples of it. The sim prices an unknown coin near 100 USD, so 10 suits it too.
 */
const LINEAR_MULTIPLIER: Readonly<Record<string, number>> = { SOL: 10, XRP: 1_000, MATIC: 1_000 };
const DEFAULT_LINEAR_MULTIPLIER = 10;

function linearOptionSpec(
  currency: string,
  expiry: number,
  strike: number,
  type: 'call' | 'put',
): OptionSpec {
  const multiplier = LINEAR_MULTIPLIER[currency] ?? DEFAULT_LINEAR_MULTIPLIER;
  return {
    kind: 'option',
    name: `${currency}_${LINEAR_CURRENCY}-${expiryCode(expiry)}-${strikeCode(strike, 'd')}-${type === 'call' ? 'C' : 'P'}`,
    base: currency,
    quote: LINEAR_CURRENCY,
    settlement: 'linear',
    settleCurrency: LINEAR_CURRENCY,
    expiry,
    strike,
    type,
    // Premiums in USDC per coin; not taken from a venue record (the fixtures predate these).
    tickSize: 0.01,
    tickSteps: [],
    lotSize: multiplier,
    minSize: multiplier,
    contractSize: multiplier,
    sizeUnit: 'base',
  };
}

/** SOL_USDC-PERPETUAL as in the venue's record (instruments-USDC fixture). */
function linearPerpetualSpec(currency: string): InstrumentSpec {
  return {
    kind: 'perpetual',
    name: `${currency}_${LINEAR_CURRENCY}-PERPETUAL`,
    expiry: null,
    base: currency,
    quote: LINEAR_CURRENCY,
    settlement: 'linear',
    settleCurrency: LINEAR_CURRENCY,
    tickSize: 0.01,
    tickSteps: [],
    lotSize: 0.1,
    minSize: 0.1,
    contractSize: 0.1,
    sizeUnit: 'base',
  };
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
    if (!isInverseCoin(currency)) return linearOptionSpec(currency, expiry, strike, type);
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
    if (!isInverseCoin(currency)) return linearPerpetualSpec(currency);
    return {
      kind: 'perpetual',
      name: `${currency}-PERPETUAL`,
      expiry: null,
      ...futureRules(currency),
    };
  },

  futureSpec(currency, expiry): InstrumentSpec | null {
    // The linear coins have a perpetual and no dated futures.
    if (!isInverseCoin(currency)) return null;
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
