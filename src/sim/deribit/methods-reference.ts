// Reference data a generic client (ccxt) reads before anything else: the currencies
// (`public/get_currencies`), the platform's lock state (`public/status`) and the per-instrument
// book summaries (`public/get_book_summary_by_currency` / `_by_instrument`) that it uses as
// its tickers.

import type { SimInstrument, SimTicker } from '../contract.js';
import type { DeribitCore, Method } from './core.js';
import { instrumentNotFound, invalidParams } from './errors.js';
import { KIND_SELECTORS, kindMatches } from './kinds.js';
import { instrumentCurrency, isVenueCurrency, venueCurrencies } from './markets.js';
import { clean, cleanOrNull, ivPercent, round } from './numbers.js';
import { optionalEnum, requireString } from './params.js';

interface CurrencyFacts {
  readonly coinType: string;
  readonly long: string;
  readonly withdrawalFee: number;
  readonly minWithdrawalFee: number;
  readonly decimals: number;
}

// As the venue's get_currencies lists them (docs.deribit.com, public/get_currencies example).
const KNOWN_CURRENCIES: Readonly<Record<string, CurrencyFacts>> = {
  BTC: {
    coinType: 'BITCOIN',
    long: 'Bitcoin',
    withdrawalFee: 0.0001,
    minWithdrawalFee: 0.0001,
    decimals: 8,
  },
  ETH: {
    coinType: 'ETHER',
    long: 'Ethereum',
    withdrawalFee: 0.0006,
    minWithdrawalFee: 0.0001,
    decimals: 6,
  },
  USDC: { coinType: 'ETHER', long: 'USD Coin', withdrawalFee: 1, minWithdrawalFee: 1, decimals: 6 },
};

function currencyRecord(currency: string): Record<string, unknown> {
  const facts = KNOWN_CURRENCIES[currency] ?? {
    coinType: currency,
    long: currency,
    withdrawalFee: 0,
    minWithdrawalFee: 0,
    decimals: 8,
  };
  return {
    coin_type: facts.coinType,
    currency,
    currency_long: facts.long,
    min_confirmations: 1,
    min_withdrawal_fee: facts.minWithdrawalFee,
    withdrawal_fee: facts.withdrawalFee,
    withdrawal_priorities: [],
    network_currency: currency,
    network_fee: facts.withdrawalFee,
    decimals: facts.decimals,
    in_cross_collateral_pool: currency !== 'USDC',
  };
}

const getCurrencies: Method = ({ exchange }) => venueCurrencies(exchange).map(currencyRecord);

/** The sim never locks trading; the venue answers "true"/"partial" during maintenance. */
const status: Method = () => ({ locked: 'false', locked_indices: [] });

function mid(ticker: SimTicker): number | null {
  if (ticker.bestBidPrice === null || ticker.bestAskPrice === null) return null;
  return clean((ticker.bestBidPrice + ticker.bestAskPrice) / 2);
}

function bookSummary(instrument: SimInstrument, ticker: SimTicker): Record<string, unknown> {
  const spec = instrument.spec;
  const isOption = spec.kind === 'option';
  const summary: Record<string, unknown> = {
    volume_usd: round(ticker.volume24h * ticker.indexPrice, 2),
    volume: clean(ticker.volume24h),
    quote_currency: spec.quote,
    price_change: null,
    open_interest: clean(ticker.openInterest),
    mid_price: mid(ticker),
    mark_price: isOption ? round(ticker.markPrice, 8) : round(ticker.markPrice, 2),
    low: cleanOrNull(ticker.low24h),
    last: cleanOrNull(ticker.lastPrice),
    instrument_name: spec.name,
    high: cleanOrNull(ticker.high24h),
    estimated_delivery_price: round(ticker.estimatedDeliveryPrice ?? ticker.indexPrice, 2),
    creation_timestamp: ticker.ts,
    bid_price: cleanOrNull(ticker.bestBidPrice),
    base_currency: spec.base,
    ask_price: cleanOrNull(ticker.bestAskPrice),
  };
  if (isOption) {
    summary['underlying_price'] = round(ticker.underlyingPrice ?? ticker.indexPrice, 2);
    summary['underlying_index'] = ticker.underlyingName ?? 'index_price';
    summary['mark_iv'] = ivPercent(ticker.markIv);
    summary['interest_rate'] = 0;
  }
  if (spec.kind === 'perpetual') {
    summary['funding_8h'] = round(ticker.fundingRate ?? 0, 8);
    summary['current_funding'] = round(ticker.fundingRate ?? 0, 8);
  }
  return summary;
}

function summaryOf(core: DeribitCore, instrument: SimInstrument): Record<string, unknown> | null {
  const ticker = core.exchange.ticker(instrument.spec.name);
  return ticker === undefined ? null : bookSummary(instrument, ticker);
}

const bookSummaryByCurrency: Method = (core, { params }) => {
  const currency = requireString(params, 'currency').toUpperCase();
  if (!isVenueCurrency(core.exchange, currency)) {
    throw invalidParams('currency', `must be one of ${venueCurrencies(core.exchange).join(', ')}`);
  }
  const kind = optionalEnum(params, 'kind', KIND_SELECTORS);
  return core.exchange
    .instruments()
    .filter((instrument) => instrumentCurrency(instrument) === currency)
    .filter((instrument) => kindMatches(kind, instrument.spec.kind))
    .map((instrument) => summaryOf(core, instrument))
    .filter((summary) => summary !== null);
};

/** A list of one, as the venue answers. */
const bookSummaryByInstrument: Method = (core, { params }) => {
  const name = requireString(params, 'instrument_name');
  const instrument = core.exchange.instrument(name);
  const summary = instrument === undefined ? null : summaryOf(core, instrument);
  if (summary === null) throw instrumentNotFound(name);
  return [summary];
};

export const REFERENCE_METHODS: Readonly<Record<string, Method>> = {
  'public/get_currencies': getCurrencies,
  'public/status': status,
  'public/get_book_summary_by_currency': bookSummaryByCurrency,
  'public/get_book_summary_by_instrument': bookSummaryByInstrument,
};
