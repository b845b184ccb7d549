// The fitted surface of one venue's coin, from the engine's live option chain: the SVI fit of
// every expiry, arbitrage flags, the constant-maturity grid, the read-outs and the 30-day
// index, computed once per change of the chain and shared by whoever asks (the screen, a
// headless command).

import type { ExpiryRow } from '../book/expiry-row.js';
import type { OptionChain } from '../book/option-chain.js';
import {
  expiryFromChainRow,
  expiryReadouts,
  fitSurface,
  surfaceGrid,
  volIndex,
  type ChainRowLike,
  type DeltaConvention,
  type ExpiryChain,
  type QuoteSide,
  type SmileReadouts,
  type SurfaceFit,
  type SurfaceGrid,
  type VolIndex,
} from '../surface/index.js';

/** The read-outs of one fitted expiry's own smile. */
export interface ExpiryReadout {
  readonly expiryMs: number;
  readonly days: number;
  readonly readouts: SmileReadouts;
}

/** How much of the chain the fit could trust. */
export interface ChainHealth {
  /** Options with a bid or an ask in the chain (before the OTM selection). */
  readonly quoted: number;
  /** Of those, quotes left out because their book broke or their stream stopped. */
  readonly stale: number;
  /** Expiries listed without a forward yet: not fitted. */
  readonly withoutForward: number;
}

/** One coin's fitted surface at one instant. Every vol is a decimal (0.55 = 55 %). */
export interface CoinSurface {
  readonly venue: string;
  readonly coin: string;
  /** Premium currency of the chain (the coin itself for inverse options). */
  readonly quote: string;
  /** Valuation instant (the venue's time), ms. */
  readonly ts: number;
  /** The chain version the fit was made from (see OptionChain.version). */
  readonly chainVersion: number;
  readonly deltaConvention: DeltaConvention;
  /** The fit's input per expiry (IVs solved from the chain's prices), shortest first. */
  readonly inputs: readonly ExpiryChain[];
  readonly fit: SurfaceFit;
  readonly grid: SurfaceGrid;
  /** Per fitted expiry, in the order of `fit.expiries`. */
  readonly expiries: readonly ExpiryReadout[];
  /** ivtrade's 30-day index in the VIX/DVOL way. */
  readonly index: VolIndex;
  readonly health: ChainHealth;
}

export interface SurfaceModelOptions {
  /**
   * Delta convention of the grid and read-outs. Default 'forward'. 'premium-adjusted' only
   * has a meaning for inverse (coin-premium) chains: a linear chain keeps 'forward', and the
   * result's `deltaConvention` says which one was used.
   */
  readonly deltaConvention?: DeltaConvention;
  /** Which options feed each smile (default 'otm'). */
  readonly side?: QuoteSide;
  /**
   * A fit older than this is redone even if the chain has not changed, so time to expiry
   * (and with it every IV) does not freeze in a quiet market. Default 60 s.
   */
  readonly maxAgeMs?: number;
}

const DAY_MS = 86_400_000;

/**
 * The row as the fit sees it: quotes of stale slots (a broken book, a stopped stream) are
 * left out, since a price that may be minutes old would pull the smile to where it was.
 */
function trustedRow(row: ExpiryRow): { row: ChainRowLike; quoted: number; stale: number } {
  let quoted = 0;
  let stale = 0;
  let bid: ArrayLike<number> = row.bid;
  let ask: ArrayLike<number> = row.ask;
  for (let slot = 0; slot < row.slots; slot++) {
    const has = row.bid[slot]! > 0 || row.ask[slot]! > 0;
    if (!has) continue;
    quoted += 1;
    if (row.stale[slot] !== 1) continue;
    stale += 1;
    if (bid === row.bid) {
      bid = Float64Array.from(row.bid);
      ask = Float64Array.from(row.ask);
    }
    (bid as Float64Array)[slot] = NaN;
    (ask as Float64Array)[slot] = NaN;
  }
  return {
    row: {
      expiry: row.expiry,
      forward: row.forward,
      settlement: row.settlement,
      strikes: row.strikes,
      bid,
      ask,
    },
    quoted,
    stale,
  };
}

/** The convention that applies to a chain: premium adjustment only where premiums are in coin. */
export function conventionFor(chain: OptionChain, wanted: DeltaConvention): DeltaConvention {
  return wanted === 'premium-adjusted' && chain.quote !== chain.base ? 'forward' : wanted;
}

/**
 * Fits one chain at `now` (settling it first, so forwards are current). `warmStart` is the
 * previous fit of the same chain: each expiry's search starts from its last parameters.
 */
export function fitCoinSurface(
  chain: OptionChain,
  now: number,
  options: SurfaceModelOptions = {},
  warmStart: SurfaceFit | null = null,
): CoinSurface {
  const conv = conventionFor(chain, options.deltaConvention ?? 'forward');
  chain.settle(now);
  const inputs: ExpiryChain[] = [];
  let quoted = 0;
  let stale = 0;
  let withoutForward = 0;
  for (const row of chain.rows) {
    if (row.expiry <= now) continue;
    const trusted = trustedRow(row);
    quoted += trusted.quoted;
    stale += trusted.stale;
    const input = expiryFromChainRow(trusted.row, now, options.side ?? 'otm');
    if (input === null) withoutForward += 1;
    else inputs.push(input);
  }
  const fit = fitSurface(inputs, { warmStart });
  return {
    venue: chain.venue,
    coin: chain.base,
    quote: chain.quote,
    ts: now,
    chainVersion: chain.version,
    deltaConvention: conv,
    inputs,
    fit,
    grid: surfaceGrid(fit.expiries, conv),
    expiries: fit.expiries.map((e) => ({
      expiryMs: e.expiryMs,
      days: (e.expiryMs - now) / DAY_MS,
      readouts: expiryReadouts(e, conv),
    })),
    index: volIndex(inputs),
    health: { quoted, stale, withoutForward },
  };
}

/**
 * Keeps each chain's latest surface: asked again with the chain unchanged (same version, not
 * older than `maxAgeMs`), it answers the same object; otherwise it refits, warm-started from
 * the previous fit. One instance per consumer set: the screen and a command sharing it pay
 * for one fit per change.
 */
export class SurfaceModel {
  /** Per chain key: the chain object the fit came from (a reconnect brings a new one whose
   * version count starts again) and its surface. */
  readonly #held = new Map<
    string,
    { readonly chain: OptionChain; readonly surface: CoinSurface }
  >();
  readonly #options: SurfaceModelOptions;

  constructor(options: SurfaceModelOptions = {}) {
    this.#options = options;
  }

  get deltaConvention(): DeltaConvention {
    return this.#options.deltaConvention ?? 'forward';
  }

  /** The chain's surface at `now` (the venue's time). */
  surface(chain: OptionChain, now: number): CoinSurface {
    const key = `${chain.venue}\u0000${chain.base}\u0000${chain.quote}`;
    const held = this.#held.get(key);
    chain.settle(now);
    const maxAge = this.#options.maxAgeMs ?? 60_000;
    if (
      held !== undefined &&
      held.chain === chain &&
      held.surface.chainVersion === chain.version &&
      now >= held.surface.ts &&
      now - held.surface.ts < maxAge
    ) {
      return held.surface;
    }
    // The previous fit warm-starts the next, across a reconnect too: the market barely moved.
    const fresh = fitCoinSurface(chain, now, this.#options, held?.surface.fit ?? null);
    this.#held.set(key, { chain, surface: fresh });
    return fresh;
  }

  /** The last surface computed for a chain, without refitting; null before any. */
  latest(venue: string, coin: string, quote: string): CoinSurface | null {
    return this.#held.get(`${venue}\u0000${coin}\u0000${quote}`)?.surface ?? null;
  }
}
