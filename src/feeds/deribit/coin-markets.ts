/**
 * Where each coin's options live on Deribit. BTC and ETH have inverse (coin-margined) chains
 * under their own `currency`, priced on the `<coin>_usd` index, hedged with `<COIN>-PERPETUAL`
 * and measured by DVOL. Every other coin's options are linear, USDC-margined, listed under
 * `currency: "USDC"` beside every other USDC contract (`SOL_USDC-…`), priced on the
 * `<coin>_usdc` index and hedged with `<COIN>_USDC-PERPETUAL`; Deribit publishes no volatility
 * index for them. (The venue also lists linear `BTC_USDC-…` options; a trader following BTC
 * gets the inverse chain, where the liquidity is.)
 */
import type { InstrumentSpec } from '../../instruments/types.js';

const INVERSE_COINS: ReadonlySet<string> = new Set(['BTC', 'ETH']);
const LINEAR_CURRENCY = 'USDC';

export interface DeribitCoinMarket {
  readonly coin: string;
  /** The `currency` parameter of get_instruments, get_positions, user.changes…: BTC, USDC. */
  readonly currency: string;
  readonly settlement: 'inverse' | 'linear';
  /** e.g. btc_usd, sol_usdc. */
  readonly indexName: string;
  /** The quote of that index as an index event carries it: USD, USDC. */
  readonly indexQuote: string;
  readonly perpetual: string;
  /** The `deribit_volatility_index` name, or null where Deribit publishes none. */
  readonly volatilityIndex: string | null;
}

export function deribitCoinMarket(coin: string): DeribitCoinMarket {
  const upper = coin.toUpperCase();
  const lower = upper.toLowerCase();
  if (INVERSE_COINS.has(upper)) {
    return {
      coin: upper,
      currency: upper,
      settlement: 'inverse',
      indexName: `${lower}_usd`,
      indexQuote: 'USD',
      perpetual: `${upper}-PERPETUAL`,
      volatilityIndex: `${lower}_usd`,
    };
  }
  return {
    coin: upper,
    currency: LINEAR_CURRENCY,
    settlement: 'linear',
    indexName: `${lower}_usdc`,
    indexQuote: LINEAR_CURRENCY,
    perpetual: `${upper}_${LINEAR_CURRENCY}-PERPETUAL`,
    volatilityIndex: null,
  };
}

/** The venue currencies the coins' contracts are listed and margined under, each once. */
export function deribitCurrenciesOf(coins: readonly string[]): string[] {
  return [...new Set(coins.map((coin) => deribitCoinMarket(coin).currency))];
}

/**
 * Whether a contract listed under `currency` belongs to one of the followed coins' markets:
 * the USDC listing carries every coin's linear contracts, and BTC's linear ones are not the
 * BTC chain.
 */
export function belongsToCoins(
  spec: InstrumentSpec,
  currency: string,
  coins: ReadonlySet<string>,
): boolean {
  return coins.has(spec.base) && deribitCoinMarket(spec.base).currency === currency;
}

/**
 * The coins with options listed, from one `get_instruments {currency: "any", kind: "option"}`
 * result's rows: each coin once, in the order first seen, only where its own market (inverse
 * for BTC and ETH, USDC-linear for the rest) lists them.
 */
export function optionCoinsOf(rows: readonly unknown[]): string[] {
  const coins = new Set<string>();
  for (const row of rows) {
    if (typeof row !== 'object' || row === null) continue;
    const record = row as Record<string, unknown>;
    const base = record['base_currency'];
    const settle = record['settlement_currency'] ?? base;
    if (record['kind'] !== 'option' || typeof base !== 'string') continue;
    if (deribitCoinMarket(base).currency === settle) coins.add(base.toUpperCase());
  }
  return [...coins];
}
