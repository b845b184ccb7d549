// One plain, JSON-ready record of a coin's surface: what `ivtrade surface --json` prints per
// settle and what the minute history stores. Numbers are finite or null ("-" on screen).

import { expiryReadouts, surfaceGrid, type SurfaceGrid } from './grid.js';
import type { DeltaConvention, SmileReadouts } from './readouts.js';
import type { SkippedExpiry, SurfaceFit } from './surface.js';
import type { ArbitrageFlag, ExpiryChain, FitKind, FitQuality, SviParams } from './types.js';
import { volIndex, type VolIndex } from './vol-index.js';

export interface ExpiryReport {
  readonly expiryMs: number;
  readonly years: number;
  readonly forward: number;
  readonly kind: FitKind;
  readonly svi: SviParams;
  readonly quality: FitQuality;
  readonly arbitrage: readonly ArbitrageFlag[];
  readonly readouts: SmileReadouts;
}

export interface SurfaceReport {
  readonly deltaConvention: DeltaConvention;
  /** Every check passed on the reported fits (repaired ones included). */
  readonly arbitrageFree: boolean;
  /** Some check failed on a first fit: see each expiry's `arbitrage`. */
  readonly arbitrageFlagged: boolean;
  readonly expiries: readonly ExpiryReport[];
  readonly skipped: readonly SkippedExpiry[];
  readonly grid: SurfaceGrid;
  /** ivtrade's 30-day index from the same chains' prices; null value without prices. */
  readonly volIndex: VolIndex;
}

export function surfaceReport(
  fit: SurfaceFit,
  chains: readonly ExpiryChain[],
  conv: DeltaConvention = 'forward',
): SurfaceReport {
  return {
    deltaConvention: conv,
    arbitrageFree: fit.arbitrageFree,
    arbitrageFlagged: fit.flagged,
    expiries: fit.expiries.map((e) => ({
      expiryMs: e.expiryMs,
      years: e.years,
      forward: e.forward,
      kind: e.kind,
      svi: e.params,
      quality: e.quality,
      arbitrage: e.arbitrage,
      readouts: expiryReadouts(e, conv),
    })),
    skipped: fit.skipped,
    grid: surfaceGrid(fit.expiries, conv),
    volIndex: volIndex(chains),
  };
}
