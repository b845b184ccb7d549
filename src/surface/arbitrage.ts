// Static-arbitrage checks of fitted smiles: butterfly (Gatheral–Jacquier's g ≥ 0) within an
// expiry, calendar (total variance non-decreasing in T at fixed k) between expiries.

import { sviG, sviTotalVariance } from './svi.js';
import type { SviParams } from './types.js';

/** Points of the butterfly grid; spacing ≈ 1 % of the checked range. */
export const BUTTERFLY_POINTS = 121;
export const CALENDAR_POINTS = 61;
/** g and relative w drops above −1e-9 are rounding, not arbitrage. */
export const ARBITRAGE_TOLERANCE = 1e-9;

export interface Violation {
  readonly kFrom: number;
  readonly kTo: number;
  readonly worst: number;
}

/**
 * The butterfly grid: the quoted range and beyond by half its width plus 0.1 on each side,
 * where the extrapolated wings are still read (deltas of 10 and below, the index's strikes).
 */
export function butterflyRange(kMin: number, kMax: number): [number, number] {
  const ext = 0.5 * (kMax - kMin) + 0.1;
  return [kMin - ext, kMax + ext];
}

export function gridPoints(from: number, to: number, points: number): Float64Array {
  const out = new Float64Array(points);
  for (let i = 0; i < points; i++) out[i] = from + ((to - from) * i) / (points - 1);
  return out;
}

/** Where g(k) < 0 on the grid, or null when the smile is free of butterfly arbitrage there. */
export function butterflyViolation(p: SviParams, grid: Float64Array): Violation | null {
  let kFrom = Infinity;
  let kTo = -Infinity;
  let worst = Infinity;
  for (const k of grid) {
    const g = sviG(p, k);
    worst = Math.min(worst, g);
    if (g < -ARBITRAGE_TOLERANCE) {
      kFrom = Math.min(kFrom, k);
      kTo = Math.max(kTo, k);
    }
  }
  return kFrom <= kTo ? { kFrom, kTo, worst } : null;
}

/**
 * Calendar check of a later smile against an earlier one: w_later(k) ≥ w_earlier(k) on the
 * grid. `worst` is the largest drop w_later − w_earlier (negative).
 */
export function calendarViolation(
  earlier: SviParams,
  later: SviParams,
  grid: Float64Array,
): Violation | null {
  let kFrom = Infinity;
  let kTo = -Infinity;
  let worst = Infinity;
  for (const k of grid) {
    const we = sviTotalVariance(earlier, k);
    const diff = sviTotalVariance(later, k) - we;
    worst = Math.min(worst, diff);
    if (diff < -ARBITRAGE_TOLERANCE * Math.max(we, 1e-12)) {
      kFrom = Math.min(kFrom, k);
      kTo = Math.max(kTo, k);
    }
  }
  return kFrom <= kTo ? { kFrom, kTo, worst } : null;
}

/** Calendar grid: where both smiles were quoted; null when their ranges do not overlap. */
export function calendarGrid(
  a: { kMin: number; kMax: number },
  b: { kMin: number; kMax: number },
): Float64Array | null {
  const from = Math.max(a.kMin, b.kMin);
  const to = Math.min(a.kMax, b.kMax);
  return to > from ? gridPoints(from, to, CALENDAR_POINTS) : null;
}
