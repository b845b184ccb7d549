import type { OptionContract } from '../../instruments/types.js';
import {
  InstrumentNameError,
  parseOptionSymbol,
  type OptionSymbol,
} from '../../instruments/option-symbol.js';

// Names without a suffix are the older USDC-settled series; the suffix names the stablecoin.
const UNSUFFIXED_QUOTE = 'USDC';
const SUFFIX_QUOTES: ReadonlySet<string> = new Set(['USDT', 'USDC']);

/**
 * Every Bybit option is linear: `BTC-29NOV24-100000-C` settles in USDC,
 * `BTC-25JUN27-106000-P-USDT` and `XRP-30OCT26-0.4-P-USDT` in USDT.
 */
export function parseBybitOptionName(name: string): OptionContract {
  return contractFromSymbol(parseOptionSymbol(name));
}

export function tryParseBybitOptionName(name: string): OptionContract | null {
  try {
    return parseBybitOptionName(name);
  } catch (error) {
    if (error instanceof InstrumentNameError) return null;
    throw error;
  }
}

function contractFromSymbol(symbol: OptionSymbol): OptionContract {
  if (symbol.quote !== null) {
    throw new InstrumentNameError(
      symbol.name,
      `Bybit option names have no _QUOTE part, got "_${symbol.quote}"`,
    );
  }
  if (symbol.settle !== null && !SUFFIX_QUOTES.has(symbol.settle)) {
    throw new InstrumentNameError(
      symbol.name,
      `unknown Bybit settlement suffix "-${symbol.settle}"`,
    );
  }
  return {
    name: symbol.name,
    base: symbol.base,
    quote: symbol.settle ?? UNSUFFIXED_QUOTE,
    settlement: 'linear',
    expiry: symbol.expiry,
    strike: symbol.strike,
    type: symbol.type,
  };
}
