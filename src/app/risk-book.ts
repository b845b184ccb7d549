/**
 * The book a scenario revalues, read from the engine: each position with its forward and the
 * IV it is marked at now (ivtrade's own mark IV of the chain), and each coin's index. A
 * position whose figures are missing goes through with NaN and comes back named in the
 * matrix's `missing`, never counted as zero. Hypothetical positions (what the line being
 * typed would add) join the same way.
 */
import type { AccountState } from '../book/account-state.js';
import type { MarketState } from '../book/market-state.js';
import type { InstrumentSpec } from '../instruments/types.js';
import type { RiskPosition } from '../risk/scenario.js';
import { sviTotalVariance, volFromTotalVariance } from '../surface/svi.js';
import type { CoinSurface } from './surface-model.js';

export interface RiskBook {
  readonly positions: readonly RiskPosition[];
  /** Each coin's index now (USD, or USDC for Deribit's linear coins). */
  readonly spots: ReadonlyMap<string, number>;
  /** Held instruments the venue no longer lists: they cannot be revalued. */
  readonly unlisted: readonly string[];
}

/** A position to add to the book: an instrument and a signed size in its amount unit. */
export interface AddedPosition {
  readonly instrument: string;
  readonly size: number;
}

/** An expiry's fitted smile, IV at k = ln(K/F), or null where the coin has no fit of it. */
export type SmileLookup = (base: string, expiry: number) => ((k: number) => number) | null;

/** The smiles of fitted surfaces (one per coin), for sticky-moneyness scenarios. */
export function surfaceSmiles(surfaces: readonly CoinSurface[]): SmileLookup {
  return (base, expiry) => {
    const fit = surfaces
      .find((surface) => surface.coin === base)
      ?.fit.expiries.find((expiryFit) => expiryFit.expiryMs === expiry);
    if (fit === undefined) return null;
    return (k) => volFromTotalVariance(sviTotalVariance(fit.params, k), fit.years);
  };
}

export function riskBook(
  market: MarketState,
  account: AccountState,
  venue: string,
  added: readonly AddedPosition[] = [],
  smiles: SmileLookup | null = null,
): RiskBook {
  const registry = market.registry(venue);
  const positions: RiskPosition[] = [];
  const unlisted: string[] = [];
  const held = account.positions(venue).map((position) => ({
    instrument: position.instrument,
    size: position.size,
    mark: position.markPrice,
  }));
  for (const entry of [...held, ...added.map((add) => ({ ...add, mark: null }))]) {
    const spec = registry.get(entry.instrument);
    if (spec === undefined) {
      unlisted.push(entry.instrument);
      continue;
    }
    const position = riskPosition(market, venue, spec, entry.size, entry.mark);
    const smile =
      smiles === null || position.expiry === null || position.kind !== 'option'
        ? null
        : smiles(position.base, position.expiry);
    positions.push(smile === null ? position : { ...position, smile });
  }
  const spots = new Map<string, number>();
  for (const position of positions) {
    if (spots.has(position.base)) continue;
    spots.set(position.base, coinIndex(market, venue, position.base));
  }
  return { positions, spots, unlisted };
}

function riskPosition(
  market: MarketState,
  venue: string,
  spec: InstrumentSpec,
  size: number,
  heldMark: number | null | undefined,
): RiskPosition {
  if (spec.kind === 'option') {
    const chain = market.chains(venue).find((candidate) => candidate.has(spec.name));
    const quote = chain?.option(spec.name);
    return {
      instrument: spec.name,
      base: spec.base,
      kind: 'option',
      settlement: spec.settlement,
      size,
      forward: chain?.row(spec.expiry)?.forward ?? NaN,
      expiry: spec.expiry,
      strike: spec.strike,
      type: spec.type,
      iv: quote?.markIv ?? NaN,
    };
  }
  const ticker = market.ticker(venue, spec.name);
  const price = [ticker?.mark, heldMark].find(
    (value): value is number => typeof value === 'number' && value > 0,
  );
  return {
    instrument: spec.name,
    base: spec.base,
    kind: spec.kind,
    settlement: spec.sizeUnit === 'usd' ? 'inverse' : 'linear',
    size,
    forward: price ?? NaN,
    expiry: spec.expiry,
    strike: NaN,
    type: null,
    iv: NaN,
  };
}

/** The coin's index (USD, else USDC), else the index its option tickers carry; NaN if none. */
export function coinIndex(market: MarketState, venue: string, base: string): number {
  const index = market.usdIndex(venue, base)?.price;
  if (index !== undefined && index > 0) return index;
  const chain = market.chains(venue).find((candidate) => candidate.base === base);
  return chain !== undefined && chain.index > 0 ? chain.index : NaN;
}
