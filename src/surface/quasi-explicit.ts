// Zeliade's quasi-explicit SVI calibration (Zeliade Systems, "Quasi-explicit calibration of
// Gatheral's SVI model", 2009): for fixed (m, σ), with y = (k − m)/σ, the smile
// w = a + d·y + c·√(y² + 1) is linear in (a, d, c), so the best (a, d, c) is a 3-variable
// least squares under linear constraints
//   a ≤ max w,   a + c − |d| ≥ 0,   |d| ≤ (1 − δ)·c,   |d| ≤ 4σ − c
// (|d| < c is |ρ| < 1; c + |d| ≤ 4σ is Roger Lee's wing bound b(1 + |ρ|) ≤ 4). Zeliade
// require a ≥ 0; the smile's minimum is a + √(c² − d²) ≥ a + c − |d|, so a + c − |d| ≥ 0
// keeps every fit in the raw-SVI domain (minimum w ≥ 0) while letting short-dated smiles,
// whose floor a is often negative, fit their wings.
//
// The bid/ask objective Σ u·(dist(w, [lo, hi])² + MID_PULL·(w − mid)²) is piecewise quadratic
// in (a, d, c): it is minimised by Newton steps on the pattern of which points lie below,
// inside or above their bounds (points outside pull towards the violated bound, points
// inside only through the weak mid pull), halving back when a step does not descend, until
// the pattern repeats. Two or three steps on real chains.

import { MID_PULL, type FitData } from './fit-data.js';
import { solveInPlace } from './linear.js';

const RHO_MARGIN = 1e-6;
const INSIDE_WEIGHT = 1e-3;
const MAX_HALVINGS = 3;
const START_ONE_SIDED = 0.1;
const MAX_RETARGETS = 12;
const CONSTRAINTS = 7;

/** Active sets tried when the unconstrained optimum is infeasible: all of size 1, 2, 3. */
const ACTIVE_SETS: readonly (readonly number[])[] = (() => {
  const sets: number[][] = [];
  for (let i = 0; i < CONSTRAINTS; i++) {
    sets.push([i]);
    for (let j = i + 1; j < CONSTRAINTS; j++) {
      sets.push([i, j]);
      for (let l = j + 1; l < CONSTRAINTS; l++) sets.push([i, j, l]);
    }
  }
  return sets.sort((x, y) => x.length - y.length);
})();

/** Each active set as a bit mask of its constraints. */
const ACTIVE_MASKS: readonly number[] = ACTIVE_SETS.map((set) =>
  set.reduce((mask, j) => mask | (1 << j), 0),
);

/**
 * The small QP's workspace, shared by every solver: a solve runs to its end synchronously and
 * nothing in it calls another solve, so one set serves all of them, and a solver (one per
 * expiry per fit) costs three allocations instead of seventeen.
 */
const SHARED = {
  Q: new Float64Array(9),
  r: new Float64Array(3),
  // Rows g·x ≥ h over x = (a, d, c): a + c − |d| ≥ 0 (two rows), a ≤ max w,
  // |d| ≤ (1 − δ)c (two rows), c + |d| ≤ 4σ (two rows).
  G: Float64Array.of(
    ...[1, -1, 1],
    ...[-1, 0, 0],
    ...[0, -1, 1 - RHO_MARGIN],
    ...[0, 1, 1 - RHO_MARGIN],
    ...[0, -1, -1],
    ...[0, 1, -1],
    ...[1, 1, 1],
  ),
  h: new Float64Array(CONSTRAINTS),
  kkt: new Float64Array(36),
  rhs: new Float64Array(6),
  x: new Float64Array(3),
  cand: new Float64Array(3),
  inv: new Float64Array(9),
  free: new Float64Array(3),
  P: new Float64Array(CONSTRAINTS * 3),
  gram: new Float64Array(CONSTRAINTS * CONSTRAINTS),
  gramKnown: new Uint8Array(CONSTRAINTS * CONSTRAINTS),
  slack: new Float64Array(CONSTRAINTS),
};

/**
 * The solving expiry's points as rows of ROW numbers, in one array the hot loops walk: k, the
 * basis values y = (k − m)/σ and z = √(y² + 1) at the (m, σ) being solved, the bounds, the mid
 * (0 for a one-sided quote), the weight u and the mid pull (0 for a one-sided quote, so its
 * term vanishes without a branch). Separate typed arrays cost each access in the inner loops its
 * own map, base and bounds checks (V8 does not hoist them): about half the loops' instructions.
 * Rewritten when a different expiry's solver runs (a copy, far cheaper than a pass); grown to
 * the largest expiry seen. A typed array this size lives outside V8's heap and costs about a
 * microsecond to make: one per solver was a tenth of a chain's refit.
 */
const ROW = 8;
const K = 0;
const Y = 1;
const Z = 2;
const LO = 3;
const HI = 4;
const MID = 5;
const U = 6;
const PULL = 7;
const ROWS = { data: null as FitData | null, v: new Float64Array(64 * ROW) };

function rowsFor(data: FitData): Float64Array {
  if (ROWS.data === data) return ROWS.v;
  const n = data.n;
  if (ROWS.v.length < n * ROW)
    ROWS.v = new Float64Array(Math.max(n, 2 * (ROWS.v.length / ROW)) * ROW);
  const v = ROWS.v;
  const { k, lo, hi, mid, u } = data;
  for (let i = 0; i < n; i++) {
    const o = i * ROW;
    const md = mid[i]!;
    const twoSided = md === md;
    v[o + K] = k[i]!;
    v[o + LO] = lo[i]!;
    v[o + HI] = hi[i]!;
    v[o + MID] = twoSided ? md : 0;
    v[o + U] = u[i]!;
    v[o + PULL] = twoSided ? MID_PULL * u[i]! : 0;
  }
  ROWS.data = data;
  return v;
}

/** Reusable scratch for one expiry's fits. */
export class QuasiExplicitSolver {
  readonly #pattern: Int8Array;
  /**
   * The pattern (below, inside, above its bounds: −1, 0, 1 per point) at the lowest
   * objective this solver has returned from a full solve, and that objective. A search's
   * next (m, σ) is most often near its best one, where the same quotes sit outside: a solve
   * starts from that pattern's own quadratic, which is exact when the pattern holds, instead
   * of from the mids (ETH 2024-01-08: a third fewer Newton passes for the chain).
   */
  readonly #bestPattern: Int8Array;
  #bestPatternValue = Infinity;
  #settled = false;
  readonly #Q = SHARED.Q;
  readonly #r = SHARED.r;
  readonly #G = SHARED.G;
  readonly #h = SHARED.h;
  readonly #kkt = SHARED.kkt;
  readonly #rhs = SHARED.rhs;
  readonly #x = SHARED.x;
  readonly #cand = SHARED.cand;
  readonly #inv = SHARED.inv;
  readonly #free = SHARED.free;
  readonly #P = SHARED.P;
  readonly #gram = SHARED.gram;
  /** Which Gram entries this QP has computed: most face searches end on a one-constraint face. */
  readonly #gramKnown = SHARED.gramKnown;
  readonly #slack = SHARED.slack;
  /** det Q of the last free solve (#inv holds its cofactors until #prepareFaces divides). */
  #det = 1;
  /** Best (a, d, c) of the last solve. */
  readonly best = new Float64Array(3);
  /** How many points lie outside their bounds at `best`: 0 means every quote is fitted inside. */
  outsideAtBest = 0;

  constructor(readonly data: FitData) {
    this.#pattern = new Int8Array(data.n);
    this.#bestPattern = new Int8Array(data.n);
  }

  /**
   * Best (a, d, c) for fixed (m, σ) into `best`; returns the interval objective there.
   * `passes` caps the Newton passes: fewer give an upper bound (the objective of a feasible
   * (a, d, c) short of the optimum), cheap enough to rank far-apart (m, σ).
   */
  solve(m: number, sigma: number, passes = MAX_RETARGETS): number {
    const full = passes === MAX_RETARGETS;
    const fromPattern = full && this.#bestPatternValue < Infinity;
    let value = this.#run(m, sigma, passes, fromPattern);
    if (fromPattern && !this.#settled) {
      // A pattern from far off (a search's long step) can leave Newton halving without
      // settling: the solve from the mids is the reference, and the better of the two stands.
      const best = this.best;
      const a = best[0]!;
      const d = best[1]!;
      const c = best[2]!;
      const outside = this.outsideAtBest;
      const fromMids = this.#run(m, sigma, passes, false);
      if (fromMids < value) {
        value = fromMids;
      } else {
        best[0] = a;
        best[1] = d;
        best[2] = c;
        this.outsideAtBest = outside;
        // The pattern left in #pattern is the mids' solve's, not this one's.
        return value;
      }
    }
    if (full && value < this.#bestPatternValue) {
      this.#bestPatternValue = value;
      this.#bestPattern.set(this.#pattern);
    }
    return value;
  }

  /**
   * One solve, from the best pattern or from the mids; #settled says whether it ended on a
   * pattern that held (the optimum) rather than on the halving or pass limit.
   */
  #run(m: number, sigma: number, passes: number, fromPattern: boolean): number {
    const n = this.data.n;
    const v = rowsFor(this.data);
    const pattern = this.#pattern;
    this.#setConstraints(sigma);
    // Normal equations accumulate in locals (the hot loop of the whole fit), one weighted
    // target per point: two quadratic pulls on the same basis combine into one at their
    // weighted mean target.
    let q0 = 0;
    let q1 = 0;
    let q2 = 0;
    let q4 = 0;
    let q5 = 0;
    let q8 = 0;
    let r0 = 0;
    let r1 = 0;
    let r2 = 0;
    const inverseSigma = 1 / sigma;
    // A full solve once this solver has a best pattern: that pattern's exact quadratic (the
    // mid pull everywhere, the violated bound where a point sat outside). Screening solves
    // (capped passes, far-apart points) start from the mids.
    if (fromPattern) {
      const start = this.#bestPattern;
      for (let i = 0, o = 0; i < n; i++, o += ROW) {
        const yi = (v[o + K]! - m) * inverseSigma;
        const zi = Math.sqrt(yi * yi + 1);
        v[o + Y] = yi;
        v[o + Z] = zi;
        const ui = v[o + U]!;
        let wt = v[o + PULL]!;
        let wtT = wt * v[o + MID]!;
        const side = start[i]!;
        pattern[i] = side;
        if (side < 0) {
          wt += ui;
          wtT += ui * v[o + LO]!;
        } else if (side > 0) {
          wt += ui;
          wtT += ui * v[o + HI]!;
        }
        const wy = wt * yi;
        const wz = wt * zi;
        q0 += wt;
        q1 += wy;
        q2 += wz;
        q4 += wy * yi;
        q5 += wy * zi;
        q8 += wz * zi;
        r0 += wtT;
        r1 += wtT * yi;
        r2 += wtT * zi;
      }
    } else {
      // The mids of two-sided quotes, bounds of one-sided ones at a lower weight.
      for (let i = 0, o = 0; i < n; i++, o += ROW) {
        const l = v[o + LO]!;
        const h = v[o + HI]!;
        const twoSided = l > -Infinity && h < Infinity;
        const t = twoSided ? 0.5 * (l + h) : l > -Infinity ? l : h;
        const wt = twoSided ? v[o + U]! : START_ONE_SIDED * v[o + U]!;
        const yi = (v[o + K]! - m) * inverseSigma;
        const zi = Math.sqrt(yi * yi + 1);
        v[o + Y] = yi;
        v[o + Z] = zi;
        const wy = wt * yi;
        const wz = wt * zi;
        q0 += wt;
        q1 += wy;
        q2 += wz;
        q4 += wy * yi;
        q5 += wy * zi;
        q8 += wz * zi;
        r0 += wt * t;
        r1 += wy * t;
        r2 += wz * t;
      }
    }
    this.#setNormal(q0, q1, q2, q4, q5, q8, r0, r1, r2);
    this.#solveQp();
    // Newton on the piecewise-quadratic objective: each step solves the quadratic of the
    // current pattern (which points sit below, inside, above their bounds); a step that
    // does not lower the objective is halved back towards the best point (the objective
    // is convex, so the segment is feasible and the halving finds descent).
    let bestJ = Infinity;
    this.#settled = false;
    // From the mids, a point inside its bounds is also held near where it is (INSIDE_WEIGHT),
    // which keeps the first steps short; from a pattern each step solves the pattern's own
    // quadratic, so a pattern that holds is the optimum, wherever the pattern came from.
    const x = this.#x;
    let halvings = 0;
    // Whether x is the last pattern's solution (a step) rather than a point halved back.
    let stepped = true;
    for (let iter = 0; iter < passes; iter++) {
      const a = x[0]!;
      const d = x[1]!;
      const c = x[2]!;
      // The mid pulls and the distances outside in two sums: one dependent chain of additions
      // per point instead of two.
      let J = 0;
      let Jout = 0;
      let outside = 0;
      // From the mids the first pass always steps; from a pattern, a pattern that holds is
      // the optimum already.
      let changed = iter === 0 && !fromPattern;
      if (fromPattern) {
        // Without the inside pull, the normal equations depend on the pattern alone: a pass
        // moves only the contributions of the points whose side changed (most passes: none or
        // a few), instead of summing every point again. Into Q and r directly: nine sums
        // carried through the loop in locals crowd the registers for a branch rarely taken.
        const Q = this.#Q;
        const r = this.#r;
        for (let i = 0, o = 0; i < n; i++, o += ROW) {
          const yi = v[o + Y]!;
          const zi = v[o + Z]!;
          const w = a + d * yi + c * zi;
          const l = v[o + LO]!;
          const h = v[o + HI]!;
          const md = v[o + MID]!;
          const ui = v[o + U]!;
          J += v[o + PULL]! * (w - md) * (w - md);
          let side: number;
          if (w < l) {
            side = -1;
            outside++;
            Jout += ui * (l - w) * (l - w);
          } else if (w > h) {
            side = 1;
            outside++;
            Jout += ui * (w - h) * (w - h);
          } else {
            side = 0;
          }
          const was = pattern[i]!;
          if (was !== side) {
            pattern[i] = side;
            changed = true;
            const dwt = was === 0 ? ui : side === 0 ? -ui : 0;
            const dwtT =
              (side < 0 ? ui * l : side > 0 ? ui * h : 0) -
              (was < 0 ? ui * l : was > 0 ? ui * h : 0);
            const wy = dwt * yi;
            const wz = dwt * zi;
            Q[0] = Q[0]! + dwt;
            Q[1] = Q[1]! + wy;
            Q[2] = Q[2]! + wz;
            Q[4] = Q[4]! + wy * yi;
            Q[5] = Q[5]! + wy * zi;
            Q[8] = Q[8]! + wz * zi;
            r[0] = r[0]! + dwtT;
            r[1] = r[1]! + dwtT * yi;
            r[2] = r[2]! + dwtT * zi;
          }
        }
      } else {
        q0 = q1 = q2 = q4 = q5 = q8 = r0 = r1 = r2 = 0;
        for (let i = 0, o = 0; i < n; i++, o += ROW) {
          const yi = v[o + Y]!;
          const zi = v[o + Z]!;
          const w = a + d * yi + c * zi;
          const l = v[o + LO]!;
          const h = v[o + HI]!;
          const md = v[o + MID]!;
          const ui = v[o + U]!;
          const pull = v[o + PULL]!;
          J += pull * (w - md) * (w - md);
          let wt = pull;
          let wtT = pull * md;
          let side: number;
          if (w < l) {
            side = -1;
            outside++;
            Jout += ui * (l - w) * (l - w);
            wt += ui;
            wtT += ui * l;
          } else if (w > h) {
            side = 1;
            outside++;
            Jout += ui * (w - h) * (w - h);
            wt += ui;
            wtT += ui * h;
          } else {
            side = 0;
            const prox = INSIDE_WEIGHT * ui;
            wt += prox;
            wtT += prox * w;
          }
          if (pattern[i] !== side) {
            pattern[i] = side;
            changed = true;
          }
          const wy = wt * yi;
          const wz = wt * zi;
          q0 += wt;
          q1 += wy;
          q2 += wz;
          q4 += wy * yi;
          q5 += wy * zi;
          q8 += wz * zi;
          r0 += wtT;
          r1 += wtT * yi;
          r2 += wtT * zi;
        }
        this.#setNormal(q0, q1, q2, q4, q5, q8, r0, r1, r2);
      }
      J += Jout;
      if (J < bestJ) {
        bestJ = J;
        // Three stores, not TypedArray#set: this runs on most passes.
        const best = this.best;
        best[0] = a;
        best[1] = d;
        best[2] = c;
        this.outsideAtBest = outside;
        halvings = 0;
        // Same pattern as the step came from: the step was exact, nothing left to gain. Not
        // after a halving: a point halfway back solves no pattern's quadratic, whatever
        // pattern it has, so it steps again from there.
        if ((!changed && stepped) || J === 0) {
          this.#settled = true;
          break;
        }
        if (iter + 1 === passes) break;
        this.#solveQp();
        stepped = true;
      } else {
        if (++halvings > MAX_HALVINGS) break;
        stepped = false;
        const b = this.best;
        x[0] = 0.5 * (b[0]! + a);
        x[1] = 0.5 * (b[1]! + d);
        x[2] = 0.5 * (b[2]! + c);
      }
    }
    return bestJ;
  }

  /**
   * How many points the last solve's best (a, d, c) puts outside `bounds` (the same points,
   * other bounds: the quotes' own where the fit aims inside them). Valid until the next solve.
   */
  outsideOf(bounds: FitData): number {
    const v = ROWS.v;
    const { lo, hi } = bounds;
    const a = this.best[0]!;
    const d = this.best[1]!;
    const c = this.best[2]!;
    let outside = 0;
    for (let i = 0, o = 0; i < this.data.n; i++, o += ROW) {
      const w = a + d * v[o + Y]! + c * v[o + Z]!;
      if (w < lo[i]! || w > hi[i]!) outside++;
    }
    return outside;
  }

  #setConstraints(sigma: number): void {
    // The rows g (SHARED.G) never change; the bounds h move with the data and σ.
    const h = this.#h;
    h[0] = 0;
    h[1] = -this.data.wMax;
    h[2] = 0;
    h[3] = 0;
    h[4] = -4 * sigma;
    h[5] = -4 * sigma;
    h[6] = 0;
  }

  #setNormal(
    q0: number,
    q1: number,
    q2: number,
    q4: number,
    q5: number,
    q8: number,
    r0: number,
    r1: number,
    r2: number,
  ): void {
    const Q = this.#Q;
    Q[0] = q0;
    Q[1] = q1;
    Q[2] = q2;
    Q[4] = q4;
    Q[5] = q5;
    Q[8] = q8;
    const r = this.#r;
    r[0] = r0;
    r[1] = r1;
    r[2] = r2;
  }

  #feasible(x: Float64Array): boolean {
    const G = this.#G;
    const h = this.#h;
    const scale = 1e-12 * (Math.abs(x[0]!) + Math.abs(x[2]!) + Math.abs(h[4]!));
    for (let j = 0; j < CONSTRAINTS; j++) {
      if (G[3 * j]! * x[0]! + G[3 * j + 1]! * x[1]! + G[3 * j + 2]! * x[2]! < h[j]! - scale) {
        return false;
      }
    }
    return true;
  }

  #cost(x: Float64Array): number {
    const Q = this.#Q;
    const r = this.#r;
    const [a, d, c] = [x[0]!, x[1]!, x[2]!];
    const quad =
      Q[0]! * a * a +
      Q[4]! * d * d +
      Q[8]! * c * c +
      2 * (Q[1]! * a * d + Q[2]! * a * c + Q[5]! * d * c);
    return quad - 2 * (r[0]! * a + r[1]! * d + r[2]! * c);
  }

  /**
   * Minimises xᵀQx − 2rᵀx over the constraints into #x: the unconstrained optimum if feasible,
   * else the best feasible optimum over every face (each face's optimum is an equality-
   * constrained solve; the constrained optimum lies in the relative interior of one face).
   */
  #solveQp(): void {
    const Q = this.#Q;
    Q[3] = Q[1]!;
    Q[6] = Q[2]!;
    Q[7] = Q[5]!;
    const ridge = 1e-13 * (Q[0]! + Q[4]! + Q[8]!) + 1e-300;
    const x = this.#x;
    const free = this.#solveFree(ridge);
    if (free && this.#feasible(x)) return;
    // The optimum's active set holds a constraint the free optimum violates (were it made of
    // satisfied ones only, the free optimum would solve that face's problem, and be feasible):
    // faces of satisfied constraints alone are tried only if no face gives a KKT point.
    let violated = 0;
    if (free) {
      this.#prepareFaces();
      for (let j = 0; j < CONSTRAINTS; j++) if (this.#slack[j]! < 0) violated |= 1 << j;
      for (let s = 0; s < ACTIVE_SETS.length; s++) {
        if ((ACTIVE_MASKS[s]! & violated) === 0) continue;
        const set = ACTIVE_SETS[s]!;
        if (
          this.#solveFaceFromFree(set) &&
          this.#feasible(x) &&
          this.#multipliersValid(set.length)
        ) {
          return;
        }
      }
    }
    const cand = this.#cand;
    let bestCost = Infinity;
    for (const set of ACTIVE_SETS) {
      const solved = free ? this.#solveFaceFromFree(set) : this.#solveFace(set, ridge);
      if (!solved || !this.#feasible(x)) continue;
      // Feasible with every multiplier of the right sign: the KKT point of a convex problem.
      if (this.#multipliersValid(set.length)) return;
      const cost = this.#cost(x);
      if (cost < bestCost) {
        bestCost = cost;
        cand.set(x);
      }
    }
    // The a = 0, d = 0, c = 0 corner is always feasible, so some face answered.
    if (bestCost < Infinity) x.set(cand);
    else x.fill(0);
  }

  /** The unconstrained optimum Qx = r by Cramer's rule (symmetric 3×3): the common case. */
  #solveFree(ridge: number): boolean {
    const Q = this.#Q;
    const r = this.#r;
    const q00 = Q[0]! + ridge;
    const q01 = Q[1]!;
    const q02 = Q[2]!;
    const q11 = Q[4]! + ridge;
    const q12 = Q[5]!;
    const q22 = Q[8]! + ridge;
    const c00 = q11 * q22 - q12 * q12;
    const c01 = q02 * q12 - q01 * q22;
    const c02 = q01 * q12 - q02 * q11;
    const det = q00 * c00 + q01 * c01 + q02 * c02;
    if (!(Math.abs(det) > 1e-300)) return false;
    const c11 = q00 * q22 - q02 * q02;
    const c12 = q01 * q02 - q00 * q12;
    const c22 = q00 * q11 - q01 * q01;
    const x = this.#x;
    x[0] = (c00 * r[0]! + c01 * r[1]! + c02 * r[2]!) / det;
    x[1] = (c01 * r[0]! + c11 * r[1]! + c12 * r[2]!) / det;
    x[2] = (c02 * r[0]! + c12 * r[1]! + c22 * r[2]!) / det;
    // Cofactors and determinant kept: Q⁻¹ is formed only if the free optimum is infeasible.
    const inv = this.#inv;
    inv[0] = c00;
    inv[1] = inv[3] = c01;
    inv[2] = inv[6] = c02;
    inv[4] = c11;
    inv[5] = inv[7] = c12;
    inv[8] = c22;
    this.#det = det;
    const free = this.#free;
    free[0] = x[0]!;
    free[1] = x[1]!;
    free[2] = x[2]!;
    return Number.isFinite(x[0]) && Number.isFinite(x[1]) && Number.isFinite(x[2]);
  }

  /**
   * For the range-space face solves: p_j = Q⁻¹g_j and each
   * constraint's slack at the free optimum g_j·x₀ − h_j (the Gram matrix g_i·p_j on demand).
   */
  #prepareFaces(): void {
    const G = this.#G;
    const inv = this.#inv;
    const det = this.#det;
    for (let i = 0; i < 9; i++) inv[i] = inv[i]! / det;
    const P = this.#P;
    const x0 = this.#free;
    for (let j = 0; j < CONSTRAINTS; j++) {
      const g0 = G[3 * j]!;
      const g1 = G[3 * j + 1]!;
      const g2 = G[3 * j + 2]!;
      P[3 * j] = inv[0]! * g0 + inv[1]! * g1 + inv[2]! * g2;
      P[3 * j + 1] = inv[3]! * g0 + inv[4]! * g1 + inv[5]! * g2;
      P[3 * j + 2] = inv[6]! * g0 + inv[7]! * g1 + inv[8]! * g2;
      this.#slack[j] = g0 * x0[0]! + g1 * x0[1]! + g2 * x0[2]! - this.#h[j]!;
    }
    this.#gramKnown.fill(0);
  }

  /** g_i·p_j, computed the first time a face asks for it. */
  #gramAt(i: number, j: number): number {
    const at = i * CONSTRAINTS + j;
    if (this.#gramKnown[at] === 0) {
      const G = this.#G;
      const P = this.#P;
      this.#gram[at] =
        G[3 * i]! * P[3 * j]! + G[3 * i + 1]! * P[3 * j + 1]! + G[3 * i + 2]! * P[3 * j + 2]!;
      this.#gramKnown[at] = 1;
    }
    return this.#gram[at]!;
  }

  /**
   * A face's optimum from the free one: x = x₀ − Q⁻¹Gₛᵀμ with (GₛQ⁻¹Gₛᵀ)μ = Gₛx₀ − hₛ; μ lands
   * where #multipliersValid reads it.
   */
  #solveFaceFromFree(active: readonly number[]): boolean {
    const s = active.length;
    const M = this.#kkt;
    const v = this.#rhs;
    for (let a = 0; a < s; a++) {
      const ia = active[a]!;
      for (let b = 0; b < s; b++) M[a * s + b] = this.#gramAt(ia, active[b]!);
      v[a] = this.#slack[ia]!;
    }
    if (!solveInPlace(M, v, s)) return false;
    const x = this.#x;
    const x0 = this.#free;
    const P = this.#P;
    let x1 = x0[0]!;
    let x2 = x0[1]!;
    let x3 = x0[2]!;
    for (let a = s - 1; a >= 0; a--) {
      const mu = v[a]!;
      const j = active[a]!;
      x1 -= mu * P[3 * j]!;
      x2 -= mu * P[3 * j + 1]!;
      x3 -= mu * P[3 * j + 2]!;
      v[3 + a] = mu;
    }
    x[0] = x1;
    x[1] = x2;
    x[2] = x3;
    return Number.isFinite(x1) && Number.isFinite(x2) && Number.isFinite(x3);
  }

  #multipliersValid(s: number): boolean {
    // Qx + Gₛᵀμ = r with μ = −λ/2: λ ≥ 0 for every active g·x ≥ h is μ ≤ 0.
    const scale = 1e-10 * (Math.abs(this.#r[0]!) + Math.abs(this.#r[2]!) + 1e-300);
    for (let a = 0; a < s; a++) if (this.#rhs[3 + a]! > scale) return false;
    return true;
  }

  #solveFace(active: readonly number[], ridge: number): boolean {
    const s = active.length;
    const size = 3 + s;
    const A = this.#kkt;
    const b = this.#rhs;
    const Q = this.#Q;
    A.fill(0, 0, size * size);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) A[i * size + j] = Q[i * 3 + j]! + (i === j ? ridge : 0);
      b[i] = this.#r[i]!;
    }
    for (let a = 0; a < s; a++) {
      const row = active[a]!;
      for (let j = 0; j < 3; j++) {
        const g = this.#G[3 * row + j]!;
        A[(3 + a) * size + j] = g;
        A[j * size + 3 + a] = g;
      }
      b[3 + a] = this.#h[row]!;
    }
    if (!solveInPlace(A, b, size)) return false;
    const x = this.#x;
    x[0] = b[0]!;
    x[1] = b[1]!;
    x[2] = b[2]!;
    return Number.isFinite(x[0]) && Number.isFinite(x[1]) && Number.isFinite(x[2]);
  }
}
