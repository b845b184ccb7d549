// Where Deribit lists each coin's contracts, as the venue does today: BTC and ETH are inverse
// (coin-margined) under their own `currency`, on the `<coin>_usd` index, with DVOL. Every
// other coin is linear and USDC-margined: `SOL_USDC-…` options and a `SOL_USDC-PERPETUAL`,
// listed under `currency: "USDC"`, priced on the `<coin>_usdc` index, with no volatility
// index. (The 2022 inverse SOL chain in the fixtures was retired when the USDC one came.)

import type { SimExchange, SimInstrument } from '../contract.js';

const INVERSE_COINS: ReadonlySet<string> = new Set(['BTC', 'ETH']);
export const LINEAR_CURRENCY = 'USDC';

export function isInverseCoin(coin: string): boolean {
  return INVERSE_COINS.has(coin.toUpperCase());
}

/** The `currency` a coin's contracts are listed and margined under: BTC, ETH or USDC. */
export function listingCurrency(coin: string): string {
  return isInverseCoin(coin) ? coin.toUpperCase() : LINEAR_CURRENCY;
}

/** The instrument's `currency` on Deribit (its settlement currency). */
export function instrumentCurrency(instrument: SimInstrument): string {
  return instrument.spec.settleCurrency;
}

/** btc_usd, sol_usdc. */
export function priceIndexName(coin: string): string {
  const lower = coin.toLowerCase();
  return isInverseCoin(coin) ? `${lower}_usd` : `${lower}_${LINEAR_CURRENCY.toLowerCase()}`;
}

/** Deribit publishes its volatility index (DVOL) for the inverse coins only. */
export function hasVolatilityIndex(coin: string): boolean {
  return isInverseCoin(coin);
}

/** The `currency` values this sim answers for: the listing currencies of its coins. */
export function venueCurrencies(exchange: SimExchange): readonly string[] {
  return [...new Set(exchange.currencies().map(listingCurrency))];
}

export function isVenueCurrency(exchange: SimExchange, currency: string): boolean {
  return venueCurrencies(exchange).includes(currency.toUpperCase());
}

/** `btc_usd` → BTC, `sol_usdc` → SOL, when the sim lists that coin; null otherwise. */
export function coinOfIndex(indexName: string | undefined, exchange: SimExchange): string | null {
  if (indexName === undefined) return null;
  return exchange.currencies().find((coin) => priceIndexName(coin) === indexName) ?? null;
}
