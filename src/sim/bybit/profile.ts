// How Bybit names and sizes what the sim lists: USDT-settled linear options with the `-USDT`
// suffix and the USDT linear perpetual, figures from the venue's instruments-info pages.

import type { InstrumentSpec, OptionSpec } from '../../instruments/types.js';
import type { ExpiryKind, VenueProfile } from '../contract.js';
import { expiryCode, strikeCode } from '../expiry-code.js';

interface CoinRules {
  readonly optionTick: number;
  readonly optionLot: number;
  readonly perpTick: number;
  readonly perpLot: number;
}

const COINS: Readonly<Record<string, CoinRules>> = {
  BTC: { optionTick: 5, optionLot: 0.01, perpTick: 0.1, perpLot: 0.001 },
  ETH: { optionTick: 0.1, optionLot: 0.1, perpTick: 0.01, perpLot: 0.01 },
};
const DEFAULT_COIN: CoinRules = { optionTick: 0.01, optionLot: 1, perpTick: 0.001, perpLot: 1 };

function coin(currency: string): CoinRules {
  return COINS[currency] ?? DEFAULT_COIN;
}

/** The leverage a Bybit linear position shows until the user sets another (the sim takes no
 * set-leverage): initial margin is notional / 10, in the position, the wallet and the streams. */
export const BYBIT_FUTURE_LEVERAGE = 10;

export const bybitProfile: VenueProfile = {
  venue: 'bybit',

  optionSpec(currency, expiry, strike, type): OptionSpec {
    const rules = coin(currency);
    return {
      kind: 'option',
      name: `${currency}-${expiryCode(expiry)}-${strikeCode(strike, '.')}-${type === 'call' ? 'C' : 'P'}-USDT`,
      base: currency,
      quote: 'USDT',
      settlement: 'linear',
      settleCurrency: 'USDT',
      expiry,
      strike,
      type,
      tickSize: rules.optionTick,
      tickSteps: [],
      lotSize: rules.optionLot,
      minSize: rules.optionLot,
      contractSize: 1,
      sizeUnit: 'base',
    };
  },

  perpetualSpec(currency): InstrumentSpec {
    const rules = coin(currency);
    return {
      kind: 'perpetual',
      name: `${currency}USDT`,
      base: currency,
      quote: 'USDT',
      settlement: 'linear',
      settleCurrency: 'USDT',
      expiry: null,
      tickSize: rules.perpTick,
      tickSteps: [],
      lotSize: rules.perpLot,
      minSize: rules.perpLot,
      contractSize: 1,
      sizeUnit: 'base',
    };
  },

  // The sim hedges Bybit books with the perpetual only.
  futureSpec(): InstrumentSpec | null {
    return null;
  },

  // Bybit lists dailies, weeklies, monthlies and quarterlies for BTC and ETH alike.
  listsOptionExpiry(_kind: ExpiryKind): boolean {
    return true;
  },
};
