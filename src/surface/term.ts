// Total variance between and around the fitted expiries.
//
// Between two fitted expiries, w is linear in T at fixed k = ln(K/F_T) (each maturity's own
// forward): linear interpolation keeps w non-decreasing in T wherever the fits are
// calendar-free. Before the first expiry the first smile's vols are held at fixed k
// (w ∝ T, which still goes to 0 with T). After the last expiry there is no answer: null.

import { sviTotalVariance } from './svi.js';
import type { ExpiryFit } from './types.js';

/** A smile as a total-variance function of k at T years. */
export interface Smile {
  readonly years: number;
  readonly w: (k: number) => number;
}

/** The smile at T years from fits sorted by maturity; null after the last expiry or for T ≤ 0. */
export function smileAt(fits: readonly ExpiryFit[], years: number): Smile | null {
  const n = fits.length;
  if (n === 0 || !(years > 0)) return null;
  const first = fits[0]!;
  if (years <= first.years) {
    const scale = years / first.years;
    return { years, w: (k) => scale * sviTotalVariance(first.params, k) };
  }
  const last = fits[n - 1]!;
  if (years > last.years) return null;
  let i = 0;
  while (fits[i + 1]!.years < years) i++;
  const lo = fits[i]!;
  const hi = fits[i + 1]!;
  const t = (years - lo.years) / (hi.years - lo.years);
  return {
    years,
    w: (k) => (1 - t) * sviTotalVariance(lo.params, k) + t * sviTotalVariance(hi.params, k),
  };
}

export function smileOfFit(fit: ExpiryFit): Smile {
  return { years: fit.years, w: (k) => sviTotalVariance(fit.params, k) };
}
