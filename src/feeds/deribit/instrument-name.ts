import type { OptionContract } from '../../instruments/types.js';
import {
  InstrumentNameError,
  parseOptionSymbol,
  type OptionSymbol,
} from '../../instruments/option-symbol.js';

// Deribit's linear options are USDC-margined only; any other `_QUOTE` is not a name it uses.
const LINEAR_QUOTE = 'USDC';

/**
 * `BTC-27DEC24-100000-C` is inverse (premium in BTC); `SOL_USDC-29NOV24-200-C` is linear
 * (premium in USDC); `MATIC_USDC-9MAR24-1d02-C` has strike 1.02.
 */
export function parseDeribitOptionName(name: string): OptionContract {
  return contractFromSymbol(parseOptionSymbol(name));
}

export function tryParseDeribitOptionName(name: string): OptionContract | null {
  try {
    return parseDeribitOptionName(name);
  } catch (error) {
    if (error instanceof InstrumentNameError) return null;
    throw error;
  }
}

function contractFromSymbol(symbol: OptionSymbol): OptionContract {
  if (symbol.settle !== null) {
    throw new InstrumentNameError(
      symbol.name,
      `Deribit option names carry no settlement suffix, got "-${symbol.settle}"`,
    );
  }
  if (symbol.quote !== null && symbol.quote !== LINEAR_QUOTE) {
    throw new InstrumentNameError(
      symbol.name,
      `Deribit linear options are quoted in ${LINEAR_QUOTE}, not ${symbol.quote}`,
    );
  }
  const linear = symbol.quote !== null;
  return {
    name: symbol.name,
    base: symbol.base,
    quote: linear ? LINEAR_QUOTE : symbol.base,
    settlement: linear ? 'linear' : 'inverse',
    expiry: symbol.expiry,
    strike: symbol.strike,
    type: symbol.type,
  };
}
