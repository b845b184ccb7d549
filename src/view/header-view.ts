import type { MarketState } from '../book/market-state.js';
import type { OptionChain } from '../book/option-chain.js';
import { atmIv } from './chain-view.js';
import type { ConnectionView, HeaderView, LoadingView, Mode } from './types.js';

export interface HeaderInputs {
  readonly venue: string;
  readonly mode: Mode;
  readonly connection: ConnectionView;
  readonly hedger: string;
  readonly now: number;
  /** An attached screen's source, e.g. `redis://10.0.0.5:6379`. */
  readonly via?: string;
}

/** Index price of a chain's coin: the venue's index stream, else the last ticker's index. */
export function indexPrice(market: MarketState, venue: string, chain: OptionChain): number | null {
  const index = market.usdIndex(venue, chain.base)?.price ?? chain.index;
  return Number.isFinite(index) && index > 0 ? index : null;
}

function perpetualPrice(market: MarketState, venue: string, base: string): HeaderView['perpetual'] {
  const spec = market.registry(venue).perpetualOf(base);
  if (spec === undefined) return null;
  const ticker = market.ticker(venue, spec.name);
  if (ticker === undefined) return null;
  const mid = ticker.bid !== null && ticker.ask !== null ? (ticker.bid + ticker.ask) / 2 : null;
  const price = mid ?? ticker.mark;
  return price === null ? null : { name: spec.name, price };
}

/** Listing and quoting progress, until the chain has something to show. */
export function loadingOf(
  market: MarketState,
  venue: string,
  chain: OptionChain | undefined,
  connection: ConnectionView,
): LoadingView | null {
  const rows = chain?.rows ?? [];
  // Once any expiry is priced there is a screen to show: stop before counting anything.
  if (rows.some((row) => row.forward > 0 && row.quoteSource.some((source) => source !== 0)))
    return null;
  const registry = market.registry(venue);
  const instruments = registry
    .bases()
    .reduce((count, base) => count + registry.optionsOf(base).length, 0);
  let quoted = 0;
  for (const row of rows) {
    for (let slot = 0; slot < row.slots; slot += 1) if (row.quoteSource[slot] !== 0) quoted += 1;
  }
  const phase =
    connection.state !== 'live' && connection.state !== 'stale'
      ? connection.state === 'down'
        ? 'venue unreachable'
        : 'connecting'
      : instruments === 0
        ? 'loading instruments'
        : 'waiting for quotes';
  return { phase, instruments, quoted };
}

export function buildHeaderView(
  market: MarketState,
  chain: OptionChain | undefined,
  inputs: HeaderInputs,
): HeaderView {
  const front = chain?.rows.find((row) => row.expiry > inputs.now);
  const frontIv = front === undefined ? NaN : atmIv(front);
  return {
    venue: inputs.venue,
    mode: inputs.mode,
    ...(inputs.via === undefined ? {} : { via: inputs.via }),
    connection: inputs.connection,
    base: chain?.base ?? null,
    quote: chain?.quote ?? null,
    index: chain === undefined ? null : indexPrice(market, inputs.venue, chain),
    // The index comes over the same connection as everything else: when that is down or its
    // steady streams are quiet, the last index is history, and says so.
    indexStale: inputs.connection.state !== 'live',
    perpetual: chain === undefined ? null : perpetualPrice(market, inputs.venue, chain.base),
    frontAtmIv: Number.isFinite(frontIv) ? frontIv : null,
    nextExpiry: front?.expiry ?? null,
    hedger: inputs.hedger,
    now: inputs.now,
    loading: loadingOf(market, inputs.venue, chain, inputs.connection),
  };
}
