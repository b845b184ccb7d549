// One expiry's smile fit: the quasi-explicit inner solve under an outer search over (m, σ).

import { fitObjective, insetBounds, prepareFitData, reweighted, type FitData } from './fit-data.js';
import { nelderMead } from './nelder-mead.js';
import { QuasiExplicitSolver } from './quasi-explicit.js';
import { isValidSvi, sviFromQuasi, sviTotalVariance } from './svi.js';
import type { ExpiryChain, FitKind, FitQuality, SviParams } from './types.js';

/** Fewer two-sided quotes than this and five parameters would fit noise: the reduced fit. */
export const MIN_TWO_SIDED_FOR_SVI = 5;
/** Fewer two-sided quotes than this and even a slope is a guess: a flat smile. */
export const MIN_TWO_SIDED_FOR_REDUCED = 3;

const INSIDE_TOLERANCE = 1e-6;

/**
 * Once the best smile lies inside every quote's bounds, all that is left of the objective is
 * the weak pull towards the mids (a tie-break): the search stops when the simplex agrees on it
 * to this relative tolerance rather than chasing it to 1e-7. Measured on the ETH chain and the
 * synthetic SSVI surface: the same quotes inside, the same RMS outside; 7 % fewer solves on the
 * ETH chain, more on chains fitted inside everywhere.
 */
const TIE_BREAK_TOLERANCE = 1e-2;

export interface SmileFit {
  readonly kind: FitKind;
  readonly params: SviParams;
  /** Σ u·dist² at the fit (the objective the search minimised). */
  readonly objective: number;
  readonly quality: FitQuality;
  readonly data: FitData;
  /** What the fit aimed at: the quotes' bounds moved inside, weights as the fit ended. */
  readonly target: FitData;
}

export interface SmileFitOptions {
  /** The previous fit of the same expiry: the search starts there and skips the cold grid. */
  readonly warmStart?: SviParams | undefined;
  /**
   * The previous fit may stand as this one where it fits more of these quotes inside (default
   * true). Not for a smile an arbitrage repair made: that is not the market's own fit, and
   * keeping it would hide the arbitrage the next check should find again.
   */
  readonly keepWarm?: boolean | undefined;
  /**
   * The chain's nearest shorter expiry fitted by full SVI in the same refit: with no warm start,
   * the search starts from its (m, σ) scaled by √(T/T′) (a smile's width in log-moneyness grows
   * like √T) instead of the cold grid. Only a start: it never stands as this expiry's fit.
   */
  readonly neighbour?: { readonly params: SviParams; readonly years: number } | undefined;
}

/** A neighbouring expiry's smile moved to `years`: only its (m, σ) matter, as a start. */
function neighbourStart(
  neighbour: { readonly params: SviParams; readonly years: number },
  years: number,
): SviParams {
  const scale = Math.sqrt(years / neighbour.years);
  const p = neighbour.params;
  return { ...p, m: p.m * scale, sigma: p.sigma * scale };
}

/** Fits one expiry; null when no quote has a usable bid or ask IV. */
export function fitSmile(chain: ExpiryChain, opts: SmileFitOptions = {}): SmileFit | null {
  if (!(chain.years > 0 && chain.forward > 0 && Number.isFinite(chain.forward))) {
    throw new RangeError(
      `expiry ${chain.expiryMs}: years ${chain.years} and forward ${chain.forward} must be > 0`,
    );
  }
  const data = prepareFitData(chain);
  if (data.n === 0) return null;
  let kind: FitKind;
  let params: SviParams;
  if (data.twoSided >= MIN_TWO_SIDED_FOR_SVI) {
    kind = 'svi';
    const robust =
      opts.warmStart !== undefined || opts.neighbour === undefined
        ? fitRobust(data, opts.warmStart, opts.keepWarm ?? true, true)
        : fitRobust(data, neighbourStart(opts.neighbour, chain.years), false, false);
    params = robust.params;
    const w = (k: number): number => sviTotalVariance(params, k);
    return {
      kind,
      params,
      objective: fitObjective(robust.target, w),
      quality: robust.quality,
      data,
      target: robust.target,
    };
  }
  // Too few quotes to give any up: aimed inside, no robust passes.
  const target = insetBounds(data, AIM_INSET);
  if (data.twoSided >= MIN_TWO_SIDED_FOR_REDUCED) {
    kind = 'svi-reduced';
    params = fitReduced(target);
  } else {
    kind = 'flat';
    params = fitFlat(target);
  }
  const w = (k: number): number => sviTotalVariance(params, k);
  return {
    kind,
    params,
    objective: fitObjective(target, w),
    quality: quality(data, w),
    data,
    target,
  };
}

/** Share of each spread the aimed-at bounds are moved in by, at each end (see insetBounds). */
const AIM_INSET = 0.02;
/** δ of the Cauchy weights, decimal vol: a quote 0.05 vol points outside weighs half. */
const ROBUST_SCALE = 0.0005;
/** Robust passes at most; they stop after two in a row gain no quote. */
const ROBUST_PASSES = 4;
/** Nelder–Mead evaluations of a pass's search, from the smile so far, in small steps. */
const PASS_EVALUATIONS = 20;

/**
 * At the money the smile holds on: the two-sided quote struck nearest the forward on each side,
 * missed by at most AT_MONEY_HOLD of its spread, is not weighed down by a robust pass but
 * weighs AT_MONEY_WEIGHT times its own weight, so where SVI cannot fit every spread it gives
 * up quotes away from the money first: the money is where a trader reads the level (ETH
 * 23FEB24: its ATM vol 0.39 vol points under the mid without this, 0.08 with). Missed by more
 * (a stale quote), it is weighed down like any other.
 */
const AT_MONEY_WEIGHT = 30;
const AT_MONEY_HOLD = 0.5;

/** The two-sided points struck nearest k = 0 on each side, as a mask. */
function atTheMoney(data: FitData): Uint8Array {
  const mask = new Uint8Array(data.n);
  let below = -1;
  let above = -1;
  for (let i = 0; i < data.n; i++) {
    if (data.mid[i] !== data.mid[i]) continue;
    const k = data.k[i]!;
    if (k <= 0 && (below < 0 || k > data.k[below]!)) below = i;
    if (k > 0 && (above < 0 || k < data.k[above]!)) above = i;
  }
  if (below >= 0) mask[below] = 1;
  if (above >= 0) mask[above] = 1;
  return mask;
}

/**
 * Multiplies each quote's weight by 1/(1 + (d/δ)²), d its IV distance outside its bounds; an
 * at-the-money quote missed by little is held at AT_MONEY_WEIGHT instead.
 */
function weighDown(
  factor: Float64Array,
  aimed: FitData,
  atMoney: Uint8Array,
  params: SviParams,
): void {
  const T = aimed.T;
  for (let i = 0; i < aimed.n; i++) {
    const miss = ivOutside(T, aimed.lo[i]!, aimed.hi[i]!, sviTotalVariance(params, aimed.k[i]!));
    if (atMoney[i] === 1 && miss <= AT_MONEY_HOLD * ivSpread(T, aimed.lo[i]!, aimed.hi[i]!)) {
      factor[i] = AT_MONEY_WEIGHT;
      continue;
    }
    const r = miss / ROBUST_SCALE;
    factor[i] = factor[i]! / (1 + r * r);
  }
}

/**
 * A full SVI fit aimed inside every spread, then, while quotes are left outside, refits that
 * weigh each quote down by how far outside it lies (Cauchy weights, compounded): where raw SVI
 * cannot thread one smile through every spread, or one quote is far off the rest (a stale
 * price), the smile is threaded through as many spreads as it can, rather than missing many
 * by a little. A squared distance spreads a misfit over every quote near it; a trader reads
 * "inside the spread" as fitted, and one bad quote must not bend the smile. A pass reweighs,
 * re-solves (a, d, c) at the smile's (m, σ), then searches (m, σ) again under those weights; a
 * refit is kept only when it fits more quotes inside. Measured on the ETH 2024-01-08 chain:
 * 23FEB24 23 → 32 of 37 inside (33 is the most any raw SVI fits there, by a linear program
 * over a dense (m, σ) grid, but not with its at-the-money quotes inside) and 29MAR24 25 → 28
 * of 30 (the most), at about 0.3 ms each.
 */
function fitRobust(
  data: FitData,
  warm: SviParams | undefined,
  keepWarm: boolean,
  restart: boolean,
): { params: SviParams; quality: FitQuality; target: FitData } {
  const aimed = insetBounds(data, AIM_INSET);
  let target = aimed;
  let params = fitFull(aimed, warm, { truth: data, restart });
  let q = quality(data, (k) => sviTotalVariance(params, k));
  const factor = new Float64Array(data.n).fill(1);
  const atMoney = atTheMoney(aimed);
  const keepIfBetter = (cand: SviParams, weighed: FitData): boolean => {
    const cq = quality(data, (k) => sviTotalVariance(cand, k));
    if (cq.insideSpread <= q.insideSpread) return false;
    params = cand;
    q = cq;
    target = weighed;
    return true;
  };
  // The last smile, as it stands, where it fits more of these quotes inside than the aimed
  // refit: a refit on the next settle must not lose what the last one's passes found.
  if (keepWarm && warm !== undefined && isValidSvi(warm)) keepIfBetter(warm, aimed);
  let idle = 0;
  for (let pass = 0; pass < ROBUST_PASSES && q.insideSpread < q.twoSided; pass++) {
    // A pass that gains nothing weighs the same misses down further: a weight only shrinks
    // (but an at-the-money one, held).
    weighDown(factor, aimed, atMoney, params);
    const weighed = reweighted(aimed, factor);
    const solver = new QuasiExplicitSolver(weighed);
    const value = solver.solve(params.m, params.sigma);
    const atSameSmile = keepIfBetter(fromQuasi(solver.best, params.m, params.sigma), weighed);
    if (q.insideSpread === q.twoSided) break;
    // The search starts where that solve was made, on the same weights: it is its first point.
    const seed = { solver, value };
    const searched = keepIfBetter(
      fitFull(weighed, params, { refine: PASS_EVALUATIONS, seed }),
      weighed,
    );
    idle = atSameSmile || searched ? 0 : idle + 1;
    if (idle === 2) break;
  }
  return { params, quality: q, target };
}

function span(data: FitData): number {
  return Math.max(data.kMax - data.kMin, 0.02);
}

/**
 * A solver on the search's data that has just solved the warm smile's own (m, σ), and the
 * objective it found there: the search's start, not solved again, and the solver's best
 * pattern carried into the search's solves.
 */
interface SearchSeed {
  readonly solver: QuasiExplicitSolver;
  readonly value: number;
}

interface SearchOptions {
  /**
   * A search of that many evaluations from the warm smile in small steps, with no restart (a
   * robust pass, starting where the last smile ended).
   */
  readonly refine?: number;
  /** The quotes' own bounds when `data` aims inside them (default `data`). */
  readonly truth?: FitData;
  readonly seed?: SearchSeed;
  /**
   * Restart once from the optimum while quotes are left outside (default true). The fit of a
   * cold expiry started from its neighbour's smile does not: its robust passes search again
   * from there anyway, and on the ETH chain and 40 thinned copies of it the restart gained no
   * quote (11,412 of 11,711 inside without it, 11,407 with) and cost 5 % of the chain's solves.
   */
  readonly restart?: boolean;
}

function fitFull(
  data: FitData,
  warm: SviParams | undefined,
  search: SearchOptions = {},
): SviParams {
  const { refine, seed } = search;
  const truth = search.truth ?? data;
  const solver = seed?.solver ?? new QuasiExplicitSolver(data);
  const width = span(data);
  const mLo = data.kMin - width;
  const mHi = data.kMax + width;
  const sLo = Math.log(1e-3 * width);
  const sHi = Math.log(10 * width);
  // The best point any solve has seen, (m, σ, a, d, c), and how many quotes its smile leaves
  // outside their bounds (0 also when it is inside every true bound): the answer is read from
  // here, with no solve repeated at the end.
  const best = new Float64Array(5);
  let bestF = Infinity;
  let bestOutside = 0;
  // The search runs on (m, ln σ); outside the box it sees a wall that slopes back in.
  const objective = (x: readonly number[]): number => {
    const m = x[0]!;
    const s = x[1]!;
    const out = Math.max(0, mLo - m, m - mHi) + Math.max(0, sLo - s, s - sHi);
    if (out > 0) return 1e30 * (1 + out);
    const sigma = Math.exp(s);
    const v = solver.solve(m, sigma);
    record(m, sigma, v);
    return v;
  };
  /** Keeps the solve just made at (m, σ), value v, when it is the best so far. */
  const record = (m: number, sigma: number, v: number): void => {
    if (v < bestF) {
      bestF = v;
      bestOutside = solver.outsideAtBest;
      // A smile a hair outside an aimed bound but inside every true one has nothing left to
      // gain but the tie-break: the search may stop on it as on one inside every aim (ETH
      // 2024-01-08: 759 → 710 solves, the same quotes inside, and on 40 thinned copies too).
      if (bestOutside > 0 && truth !== data && solver.outsideOf(truth) === 0) bestOutside = 0;
      best[0] = m;
      best[1] = sigma;
      best.set(solver.best, 2);
    }
  };
  let start: number[];
  let startValue: number | undefined;
  if (warm !== undefined && isValidSvi(warm) && warm.m > mLo && warm.m < mHi) {
    start = [warm.m, Math.min(sHi, Math.max(sLo, Math.log(warm.sigma)))];
    if (seed !== undefined && start[1] === Math.log(warm.sigma) && seed.solver.data === data) {
      startValue = seed.value;
      record(warm.m, warm.sigma, seed.value);
    }
  } else {
    // Cold: a coarse grid, m at both ends and the middle of the quoted range, σ from 3 % to
    // the full width; Nelder–Mead walks on from its best point. Five m points instead of
    // three changed the start only on ETH 12JAN24, fitted inside every spread either way.
    // The grid is screened first: each point's objective after two Newton passes (an upper
    // bound on its full solve, and the far-off points are the ones whose full solves run
    // long); the two best are then solved in full and the better one starts the search.
    // Measured: the same start as full solves of all nine on every ETH and SSVI expiry.
    start = [0, Math.log(0.1 * width)];
    for (const g of screenColdGrid(solver)) {
      const x = coldGridPoint(data, g);
      const v = objective(x);
      if (v < (startValue ?? Infinity)) {
        startValue = v;
        start = x;
      }
    }
  }
  const opts = {
    step: refine === undefined ? [0.1 * width, 0.5] : [0.05 * width, 0.3],
    maxEvaluations: refine ?? 40,
    absTol: 1e-14,
    relTol: 1e-7,
    stopWhen: (fBest: number, fWorst: number): boolean =>
      bestOutside === 0 && fWorst - fBest <= TIE_BREAK_TOLERANCE * fBest,
  };
  const first = nelderMead(objective, start, { ...opts, startValue });
  // One restart from the optimum: a collapsed simplex is Nelder–Mead's usual false stop. Not
  // when every quote already lies inside its spread, aimed or real: a restart could only trade
  // one place inside the spreads for another.
  if (
    (search.restart ?? true) &&
    bestOutside > 0 &&
    refine === undefined &&
    !insideTruth(truth, best)
  ) {
    nelderMead(objective, first.x, {
      ...opts,
      maxEvaluations: 20,
      step: [0.02 * width, 0.15],
      startValue: first.f,
    });
  }
  if (!(bestF < Infinity)) {
    // No solve gave a number (degenerate data): the search's point, solved once more.
    solver.solve(first.x[0]!, Math.exp(first.x[1]!));
    return fromQuasi(solver.best, first.x[0]!, Math.exp(first.x[1]!));
  }
  return fromQuasi(best.subarray(2), best[0]!, best[1]!);
}

/**
 * Whether the best point so far, (m, σ, a, d, c), puts every quote inside its true bounds: a
 * fit aimed inside that stops short of the aimed bounds but inside every quote has nothing
 * left that a restart could gain.
 */
function insideTruth(truth: FitData, best: Float64Array): boolean {
  const p = fromQuasi(best.subarray(2), best[0]!, best[1]!);
  const T = truth.T;
  for (let i = 0; i < truth.n; i++) {
    if (
      ivOutside(T, truth.lo[i]!, truth.hi[i]!, sviTotalVariance(p, truth.k[i]!)) > INSIDE_TOLERANCE
    ) {
      return false;
    }
  }
  return true;
}

/** Newton passes per grid point when screening the cold grid. */
const SCREEN_PASSES = 2;
const GRID_SIGMA = [0.03, 0.2, 1];
/** Points of the cold grid. */
export const COLD_GRID_POINTS = 9;

/**
 * Point g of the cold grid as (m, ln σ), row-major: m at both ends and the middle of the
 * quoted range, σ at 3 %, 20 % and 100 % of its width.
 */
export function coldGridPoint(data: FitData, g: number): [number, number] {
  return [
    data.kMin + (Math.floor(g / 3) / 2) * (data.kMax - data.kMin),
    Math.log(GRID_SIGMA[g % 3]! * span(data)),
  ];
}

/**
 * The (at most two) cold-grid points worth a full solve, ascending (the full grid's order, so
 * a tie goes the same way): the two best after SCREEN_PASSES Newton passes each.
 */
export function screenColdGrid(solver: QuasiExplicitSolver): number[] {
  let bestAt = -1;
  let nextAt = -1;
  let bestScreen = Infinity;
  let nextScreen = Infinity;
  for (let g = 0; g < COLD_GRID_POINTS; g++) {
    const [m, s] = coldGridPoint(solver.data, g);
    const v = solver.solve(m, Math.exp(s), SCREEN_PASSES);
    if (v < bestScreen) {
      nextScreen = bestScreen;
      nextAt = bestAt;
      bestScreen = v;
      bestAt = g;
    } else if (v < nextScreen) {
      nextScreen = v;
      nextAt = g;
    }
  }
  return [bestAt, nextAt].filter((g) => g >= 0).sort((x, y) => x - y);
}

function fromQuasi(x: Float64Array, m: number, sigma: number): SviParams {
  // Tolerances of the face solves can leave c or a + c − |d| a rounding below zero.
  const c = Math.max(0, x[2]!);
  const d = Math.max(-c, Math.min(c, x[1]!));
  return sviFromQuasi(Math.max(x[0]!, Math.abs(d) - c), d, c, m, sigma);
}

/** m at the money and σ from the quoted width: only a, b, ρ are fitted. */
function fitReduced(data: FitData): SviParams {
  const solver = new QuasiExplicitSolver(data);
  const sigma = 0.5 * span(data);
  solver.solve(0, sigma);
  return fromQuasi(solver.best, 0, sigma);
}

/** The constant total variance closest to the bounds (a convex 1-D problem: golden section). */
function fitFlat(data: FitData): SviParams {
  let lo = Infinity;
  let hi = 0;
  for (let i = 0; i < data.n; i++) {
    for (const v of [data.lo[i]!, data.hi[i]!]) {
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  const cost = (a: number): number => fitObjective(data, () => a);
  const phi = 0.5 * (Math.sqrt(5) - 1);
  let x1 = hi - phi * (hi - lo);
  let x2 = lo + phi * (hi - lo);
  let f1 = cost(x1);
  let f2 = cost(x2);
  for (let i = 0; i < 80 && hi - lo > 1e-15 * hi; i++) {
    if (f1 <= f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - phi * (hi - lo);
      f1 = cost(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + phi * (hi - lo);
      f2 = cost(x2);
    }
  }
  return { a: 0.5 * (lo + hi), b: 0, rho: 0, m: 0, sigma: 0.5 * span(data) };
}

/** How far outside [√(lo/T), √(hi/T)] the vol of total variance v lies (0 inside). */
function ivOutside(T: number, lo: number, hi: number, v: number): number {
  const iv = v > 0 ? Math.sqrt(v / T) : 0;
  const bid = lo > -Infinity ? Math.sqrt(Math.max(lo, 0) / T) : -Infinity;
  const ask = hi < Infinity ? Math.sqrt(hi / T) : Infinity;
  return iv < bid ? bid - iv : iv > ask ? iv - ask : 0;
}

/** A quote's spread in vol (∞ when one-sided). */
function ivSpread(T: number, lo: number, hi: number): number {
  return lo > -Infinity && hi < Infinity
    ? Math.sqrt(hi / T) - Math.sqrt(Math.max(lo, 0) / T)
    : Infinity;
}

/** Fit quality in IV terms over the points the fit used. */
export function quality(data: FitData, w: (k: number) => number): FitQuality {
  const T = data.T;
  let inside = 0;
  let sumSq = 0;
  let worst = 0;
  for (let i = 0; i < data.n; i++) {
    const l = data.lo[i]!;
    const h = data.hi[i]!;
    const out = ivOutside(T, l, h, w(data.k[i]!));
    sumSq += out * out;
    worst = Math.max(worst, out);
    if (l > -Infinity && h < Infinity && out <= INSIDE_TOLERANCE) inside++;
  }
  return {
    quotes: data.n,
    twoSided: data.twoSided,
    insideSpread: inside,
    rmsOutside: Math.sqrt(sumSq / data.n),
    maxOutside: worst,
  };
}
