// Constrained refit of a smile that failed a no-arbitrage check: first a feasible smile by
// construction, then the best feasible smile Nelder–Mead finds near it on the fit objective.

import { butterflyViolation, calendarViolation } from './arbitrage.js';
import { fitObjective, type FitData } from './fit-data.js';
import { nelderMead } from './nelder-mead.js';
import { isValidSvi, sviTotalVariance } from './svi.js';
import type { SviParams } from './types.js';

const EVALUATIONS = 240;
/**
 * A repair started from the last refit's repaired smile (the screen refits once a second, and
 * the market moved little): a short local search instead of the full one, which costs tens of
 * milliseconds on every refit while a near-expiry smile stays arbitrageable.
 */
const WARM_EVALUATIONS = 100;

export interface RepairConstraints {
  /** Grid on which g(k) ≥ 0 is required. */
  readonly butterflyGrid: Float64Array;
  /** Earlier smile and the grid on which w(k) ≥ its w(k) is required. */
  readonly calendar?: { readonly earlier: SviParams; readonly grid: Float64Array } | undefined;
}

/**
 * The objective's scale: every quote 1 % of its total variance (½ % of its vol) off. Penalty
 * weights are relative to it, so they mean the same on a 1-day and a 1-year smile.
 */
function typicalMiss(data: FitData): number {
  let s = 0;
  for (let i = 0; i < data.n; i++) {
    const m = data.mid[i]!;
    const ref = m === m ? m : Number.isFinite(data.lo[i]!) ? data.lo[i]! : data.hi[i]!;
    s += data.u[i]! * (0.01 * ref) ** 2;
  }
  return s > 0 ? s : 1e-12;
}

export function passes(p: SviParams, c: RepairConstraints): boolean {
  if (butterflyViolation(p, c.butterflyGrid) !== null) return false;
  return (
    c.calendar === undefined || calendarViolation(c.calendar.earlier, p, c.calendar.grid) === null
  );
}

function decode(x: readonly number[]): SviParams {
  return {
    a: x[0]!,
    b: Math.exp(x[1]!),
    rho: Math.tanh(x[2]!),
    m: x[3]!,
    sigma: Math.exp(x[4]!),
  };
}

/** The smile with its wings scaled down by t towards a flat smile at total variance `flat`. */
function flatten(p: SviParams, t: number, flat: number): SviParams {
  return { a: (1 - t) * p.a + t * flat, b: (1 - t) * p.b, rho: p.rho, m: p.m, sigma: p.sigma };
}

/**
 * The nearest passing smile along a fixed path: calendar, lift the whole smile (a) by the
 * largest shortfall against the earlier one; butterfly, scale the wings down towards a flat
 * smile at the ATM level (g = 1 there) by the smallest amount that passes (bisection). Null
 * when even the flat smile fails.
 */
function makeFeasible(
  from: SviParams,
  constraints: RepairConstraints,
  steps: number,
): SviParams | null {
  if (!isValidSvi(from)) return null;
  let p = from;
  const cal = constraints.calendar;
  let floor = 0;
  if (cal !== undefined) {
    let gap = 0;
    for (const k of cal.grid) {
      const we = sviTotalVariance(cal.earlier, k);
      floor = Math.max(floor, we);
      gap = Math.max(gap, we - sviTotalVariance(p, k));
    }
    if (gap > 0) p = { ...p, a: p.a + gap * (1 + 1e-9) + 1e-15 };
  }
  if (passes(p, constraints)) return p;
  const flat = Math.max(sviTotalVariance(p, 0), floor * (1 + 1e-9) + 1e-15);
  if (!passes(flatten(p, 1, flat), constraints)) return null;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < steps; i++) {
    const t = 0.5 * (lo + hi);
    if (passes(flatten(p, t, flat), constraints)) hi = t;
    else lo = t;
  }
  return flatten(p, hi, flat);
}

/**
 * The repaired smile, or null when even a flat smile fails (a calendar constraint no flat
 * level can meet): Nelder–Mead over all five raw parameters on the fit objective of each
 * candidate's nearest passing smile (makeFeasible), so every point the search sees is a
 * smile that passes, and the search surface stays continuous.
 */
export function repairSmile(
  data: FitData,
  from: SviParams,
  constraints: RepairConstraints,
  warm?: SviParams,
): SviParams | null {
  const projected = makeFeasible(from, constraints, 30);
  if (projected === null) return null;
  const base = typicalMiss(data);
  const objective = (v: readonly number[]): number => {
    const p = makeFeasible(decode(v), constraints, 12);
    return p === null ? 1e30 : fitObjective(data, (k) => sviTotalVariance(p, k)) / base;
  };
  const fit = (p: SviParams): number => fitObjective(data, (k) => sviTotalVariance(p, k));
  const warmStart = warm === undefined ? null : makeFeasible(warm, constraints, 30);
  // The better of the two passing smiles: the new fit's projection, or last refit's repair.
  const start = warmStart !== null && fit(warmStart) < fit(projected) ? warmStart : projected;
  const scale = Math.max(Math.abs(from.a), 0.1 * sviTotalVariance(from, 0), 1e-6);
  if (warmStart !== null) {
    const r = nelderMead(objective, encode(start), {
      step: [0.03 * scale, 0.05, 0.05, 0.02, 0.05],
      maxEvaluations: WARM_EVALUATIONS,
      absTol: 1e-12,
      relTol: 1e-9,
    });
    const found = makeFeasible(decode(r.x), constraints, 30);
    return found !== null && fit(found) < fit(start) ? found : start;
  }
  let r = nelderMead(objective, encode(from), {
    step: [0.1 * scale, 0.2, 0.2, 0.05, 0.2],
    maxEvaluations: EVALUATIONS,
    absTol: 1e-12,
    relTol: 1e-9,
  });
  r = nelderMead(objective, r.x, {
    step: [0.03 * scale, 0.05, 0.05, 0.02, 0.05],
    maxEvaluations: EVALUATIONS / 2,
    absTol: 1e-12,
    relTol: 1e-9,
  });
  const found = makeFeasible(decode(r.x), constraints, 30);
  return found !== null && fit(found) < fit(start) ? found : start;
}

function encode(p: SviParams): number[] {
  return [
    p.a,
    Math.log(Math.max(p.b, 1e-10)),
    Math.atanh(Math.max(-0.999999, Math.min(0.999999, p.rho))),
    p.m,
    Math.log(p.sigma),
  ];
}
