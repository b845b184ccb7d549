// The constant-maturity grid: IV at fixed maturities × log-moneyness and × delta.

import {
  DELTA_POINTS,
  ivAtDelta,
  smileReadouts,
  type DeltaConvention,
  type DeltaPoint,
  type SmileReadouts,
} from './readouts.js';
import { smileAt, smileOfFit } from './term.js';
import type { ExpiryFit } from './types.js';

export const GRID_MATURITY_DAYS: readonly number[] = [1, 7, 14, 30, 60, 90, 180];
/** k = ln(K/F) from −0.5 to 0.5 by 0.1. */
export const GRID_LOG_MONEYNESS: readonly number[] = Array.from(
  { length: 11 },
  (_, i) => Math.round((-0.5 + 0.1 * i) * 10) / 10,
);

export interface GridRow {
  readonly days: number;
  /** IV per GRID_LOG_MONEYNESS entry; null where there is none (after the last expiry). */
  readonly byLogMoneyness: readonly (number | null)[];
  /** IV per DELTA_POINTS entry (10P, 25P, ATM, 25C, 10C). */
  readonly byDelta: readonly (number | null)[];
  readonly readouts: SmileReadouts;
}

export interface SurfaceGrid {
  readonly deltaConvention: DeltaConvention;
  readonly logMoneyness: readonly number[];
  readonly deltas: readonly DeltaPoint[];
  readonly rows: readonly GridRow[];
}

const EMPTY = (conv: DeltaConvention): SmileReadouts => ({
  deltaConvention: conv,
  atmIv: null,
  rr25: null,
  bf25: null,
  rr10: null,
  bf10: null,
  skewSlope: null,
});

/** `fits` sorted by maturity (as fitSurface returns them). */
export function surfaceGrid(
  fits: readonly ExpiryFit[],
  conv: DeltaConvention = 'forward',
  days: readonly number[] = GRID_MATURITY_DAYS,
  logMoneyness: readonly number[] = GRID_LOG_MONEYNESS,
): SurfaceGrid {
  const rows = days.map((d): GridRow => {
    const s = smileAt(fits, d / 365);
    if (s === null) {
      return {
        days: d,
        byLogMoneyness: logMoneyness.map(() => null),
        byDelta: DELTA_POINTS.map(() => null),
        readouts: EMPTY(conv),
      };
    }
    return {
      days: d,
      byLogMoneyness: logMoneyness.map((k) => {
        const w = s.w(k);
        return w > 0 ? Math.sqrt(w / s.years) : null;
      }),
      byDelta: DELTA_POINTS.map((p) => ivAtDelta(s, p, conv)),
      readouts: smileReadouts(s, conv),
    };
  });
  return { deltaConvention: conv, logMoneyness, deltas: DELTA_POINTS, rows };
}

/** Read-outs of one fitted expiry's own smile. */
export function expiryReadouts(fit: ExpiryFit, conv: DeltaConvention = 'forward'): SmileReadouts {
  return smileReadouts(smileOfFit(fit), conv);
}
