// `GET /v5/market/instruments-info` rows for what the sim lists, field for field as the venue
// sends them (options: the recorded page in fixtures; linear: the v5 documentation's example).

import type { OptionSpec } from '../../instruments/types.js';
import type { SimInstrument } from '../contract.js';
import { expiryCode, strikeCode } from '../expiry-code.js';
import { decimalText, decimalsOf, gridText } from './decimal-text.js';

/** What set-leverage accepts on a linear contract (the venue's BTCUSDT filter). */
export const LEVERAGE_FILTER = { min: 1, max: 100, step: '0.01' } as const;

const OPTION_MAX_PRICE_TICKS = 222_000;
const OPTION_MAX_QTY_LOTS = 50_000;
const PERP_MAX_QTY_LOTS = 1_190_000;
const PERP_MAX_MARKET_QTY_LOTS = 119_000;

/** A stable numeric id per symbol, as the venue's symbolId is. */
function symbolId(symbol: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < symbol.length; i++) hash = Math.imul(hash ^ symbol.charCodeAt(i), 0x01000193);
  return 300_000 + ((hash >>> 0) % 200_000);
}

function displayName(spec: OptionSpec): string {
  const type = spec.type === 'call' ? 'C' : 'P';
  return `${spec.base}${spec.quote}-${expiryCode(spec.expiry)}-${strikeCode(spec.strike, '.')}-${type}`;
}

export function optionInstrumentRow(instrument: SimInstrument): Record<string, unknown> | null {
  const spec = instrument.spec;
  if (spec.kind !== 'option') return null;
  return {
    symbolId: symbolId(spec.name),
    symbol: spec.name,
    status: 'Trading',
    baseCoin: spec.base,
    quoteCoin: spec.quote,
    settleCoin: spec.settleCurrency,
    optionsType: spec.type === 'call' ? 'Call' : 'Put',
    launchTime: String(instrument.listedAt),
    deliveryTime: String(spec.expiry),
    deliveryFeeRate: '0.00015',
    priceFilter: {
      minPrice: gridText(spec.tickSize, spec.tickSize),
      maxPrice: gridText(spec.tickSize * OPTION_MAX_PRICE_TICKS, spec.tickSize),
      tickSize: gridText(spec.tickSize, spec.tickSize),
    },
    lotSizeFilter: {
      maxOrderQty: gridText(spec.lotSize * OPTION_MAX_QTY_LOTS, spec.lotSize),
      minOrderQty: gridText(spec.minSize, spec.lotSize),
      qtyStep: gridText(spec.lotSize, spec.lotSize),
    },
    displayName: displayName(spec),
  };
}

export function linearInstrumentRow(instrument: SimInstrument): Record<string, unknown> | null {
  const spec = instrument.spec;
  if (spec.kind === 'option' || spec.settlement !== 'linear') return null;
  const lot = (lots: number): string => decimalText(spec.lotSize * lots, decimalsOf(spec.lotSize));
  return {
    symbol: spec.name,
    contractType: spec.kind === 'perpetual' ? 'LinearPerpetual' : 'LinearFutures',
    status: 'Trading',
    baseCoin: spec.base,
    quoteCoin: spec.quote,
    launchTime: String(instrument.listedAt),
    deliveryTime: spec.expiry === null ? '0' : String(spec.expiry),
    deliveryFeeRate: '',
    priceScale: String(decimalsOf(spec.tickSize)),
    leverageFilter: {
      minLeverage: String(LEVERAGE_FILTER.min),
      maxLeverage: LEVERAGE_FILTER.max.toFixed(2),
      leverageStep: LEVERAGE_FILTER.step,
    },
    priceFilter: {
      minPrice: gridText(spec.tickSize, spec.tickSize),
      maxPrice: gridText(spec.tickSize * 19_999_998, spec.tickSize),
      tickSize: gridText(spec.tickSize, spec.tickSize),
    },
    lotSizeFilter: {
      maxOrderQty: lot(PERP_MAX_QTY_LOTS),
      minOrderQty: gridText(spec.minSize, spec.lotSize),
      qtyStep: gridText(spec.lotSize, spec.lotSize),
      postOnlyMaxOrderQty: lot(PERP_MAX_QTY_LOTS),
      maxMktOrderQty: lot(PERP_MAX_MARKET_QTY_LOTS),
      minNotionalValue: '5',
    },
    unifiedMarginTrade: true,
    fundingInterval: 480,
    settleCoin: spec.settleCurrency,
    copyTrading: 'both',
    upperFundingRate: '0.005',
    lowerFundingRate: '-0.005',
    isPreListing: false,
    preListingInfo: null,
    riskParameters: { priceLimitRatioX: '0.01', priceLimitRatioY: '0.02' },
    displayName: '',
  };
}
