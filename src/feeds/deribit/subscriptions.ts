/**
 * Which Deribit channels the feed follows, by name. The venue serves `raw` (every change)
 * only to authenticated connections, and 100 ms batches to everyone else, so the interval
 * depends on whether the connection logged in.
 */

import { deribitCoinMarket } from './coin-markets.js';

/** The watchdog's families: a stream that goes quiet marks what it covers as stale. */
export type ChannelFamily = 'tickers' | 'books' | 'index' | 'hedge';

export interface MarketPlan {
  /** Every listed option: each gets a ticker. */
  readonly options: readonly string[];
  /** The option books followed (the watched ones, or all with allBooks). */
  readonly books: readonly string[];
  /** The coins followed: each brings its index (and its DVOL where Deribit has one). */
  readonly coins: readonly string[];
  readonly hedgeInstruments: readonly string[];
  /** Also the venue's volatility index per coin that has one (absent: no). */
  readonly volatilityIndex?: boolean;
  readonly authenticated: boolean;
}

function interval(authenticated: boolean): string {
  return authenticated ? 'raw' : '100ms';
}

export function tickerChannel(instrument: string, authenticated: boolean): string {
  return `ticker.${instrument}.${interval(authenticated)}`;
}

export function bookChannel(instrument: string, authenticated: boolean): string {
  return `book.${instrument}.${interval(authenticated)}`;
}

/** The coin's index: `btc_usd` for the inverse coins, `sol_usdc` for the linear ones. */
export function indexChannel(coin: string): string {
  return `deribit_price_index.${deribitCoinMarket(coin).indexName}`;
}

/** A hedge instrument's ticker: mark, index and funding, batched (it need not be raw). */
export function hedgeTickerChannel(instrument: string): string {
  return `ticker.${instrument}.100ms`;
}

/** The hedge instrument's top: the grouped book, one level, always a whole snapshot. */
export function hedgeTopChannel(instrument: string): string {
  return `book.${instrument}.none.1.100ms`;
}

/** Every public channel of a plan, hedge and index first (few, and what the hedger needs). */
export function marketChannels(plan: MarketPlan): string[] {
  const channels: string[] = [];
  for (const coin of plan.coins) channels.push(indexChannel(coin));
  // Every option print of the coins' listings, for the tape; batched, it need not be raw.
  for (const currency of new Set(plan.coins.map((coin) => deribitCoinMarket(coin).currency))) {
    channels.push(`trades.option.${currency}.100ms`);
  }
  if (plan.volatilityIndex === true) {
    for (const coin of plan.coins) {
      const name = deribitCoinMarket(coin).volatilityIndex;
      if (name !== null) channels.push(`deribit_volatility_index.${name}`);
    }
  }
  for (const hedge of plan.hedgeInstruments) {
    channels.push(hedgeTickerChannel(hedge), hedgeTopChannel(hedge));
  }
  for (const option of plan.options) channels.push(tickerChannel(option, plan.authenticated));
  for (const book of plan.books) channels.push(bookChannel(book, plan.authenticated));
  return channels;
}

/** The channels of one option: its ticker, and its book when that is followed. */
export function optionChannels(
  instrument: string,
  withBook: boolean,
  authenticated: boolean,
): string[] {
  const channels = [tickerChannel(instrument, authenticated)];
  if (withBook) channels.push(bookChannel(instrument, authenticated));
  return channels;
}
