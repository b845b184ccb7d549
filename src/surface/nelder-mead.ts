// A small Nelder–Mead simplex minimiser (standard coefficients 1, 2, ½, ½) for the fit's
// outer searches: two dimensions for (m, σ), five for a constrained refit. Deterministic.

export interface NelderMeadOptions {
  /** Initial simplex edge per coordinate. */
  readonly step: readonly number[];
  readonly maxEvaluations: number;
  /** Stop when the simplex's f spread falls below absTol + relTol·|f_best|. */
  readonly absTol: number;
  readonly relTol: number;
  /**
   * f(start) when the caller already has it (a grid's best, a previous search's optimum): not
   * recomputed, but still counted in maxEvaluations, so the search takes the same steps.
   */
  readonly startValue?: number | undefined;
  /**
   * A further stop the caller judges from the simplex's best and worst values (a looser
   * tolerance once the rest of the objective is only a tie-break, say).
   */
  readonly stopWhen?: ((best: number, worst: number) => boolean) | undefined;
}

export interface NelderMeadResult {
  readonly x: number[];
  readonly f: number;
  readonly evaluations: number;
}

export function nelderMead(
  f: (x: readonly number[]) => number,
  start: readonly number[],
  opts: NelderMeadOptions,
): NelderMeadResult {
  const n = start.length;
  const pts: number[][] = [];
  const vals: number[] = [];
  let evals = 0;
  const evalAt = (x: number[]): number => {
    evals++;
    const v = f(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  pts.push([...start]);
  if (opts.startValue === undefined) {
    vals.push(evalAt(pts[0]!));
  } else {
    evals++;
    vals.push(Number.isNaN(opts.startValue) ? Infinity : opts.startValue);
  }
  for (let i = 0; i < n; i++) {
    const p = [...start];
    p[i] = p[i]! + opts.step[i]!;
    pts.push(p);
    vals.push(evalAt(p));
  }
  const order = pts.map((_, i) => i);
  const centroid = new Array<number>(n).fill(0);
  // Trial points are written into two spare arrays; an accepted one swaps places with the
  // vertex it replaces, so the loop allocates nothing (f must not keep the array it is given).
  let trial = new Array<number>(n).fill(0);
  let spare = new Array<number>(n).fill(0);
  const along = (t: number, worst: number[], out: number[]): number[] => {
    for (let j = 0; j < n; j++) {
      const c = centroid[j]!;
      out[j] = c + t * (worst[j]! - c);
    }
    return out;
  };
  const accept = (at: number, p: number[], v: number): void => {
    const old = pts[at]!;
    pts[at] = p;
    vals[at] = v;
    if (p === trial) trial = old;
    else spare = old;
  };

  while (evals < opts.maxEvaluations) {
    // Insertion sort by value: stable, like the Array sort it replaces, and free.
    for (let i = 1; i <= n; i++) {
      const o = order[i]!;
      const v = vals[o]!;
      let j = i - 1;
      while (j >= 0 && vals[order[j]!]! > v) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = o;
    }
    const best = order[0]!;
    const worst = order[n]!;
    const second = order[n - 1]!;
    const fBest = vals[best]!;
    const fWorst = vals[worst]!;
    if (fWorst - fBest <= opts.absTol + opts.relTol * Math.abs(fBest)) break;
    if (opts.stopWhen?.(fBest, fWorst) === true) break;
    centroid.fill(0);
    for (let i = 0; i < n; i++) {
      const p = pts[order[i]!]!;
      for (let j = 0; j < n; j++) centroid[j] = centroid[j]! + p[j]! / n;
    }
    const pw = pts[worst]!;
    const reflected = along(-1, pw, trial);
    const fr = evalAt(reflected);
    if (fr < vals[best]!) {
      const expanded = along(-2, pw, spare);
      const fe = evalAt(expanded);
      if (fe < fr) accept(worst, expanded, fe);
      else accept(worst, reflected, fr);
      continue;
    }
    if (fr < vals[second]!) {
      accept(worst, reflected, fr);
      continue;
    }
    const outside = fr < vals[worst]!;
    const contracted = along(outside ? -0.5 : 0.5, pw, spare);
    const fc = evalAt(contracted);
    if (fc < (outside ? fr : vals[worst]!)) {
      accept(worst, contracted, fc);
      continue;
    }
    const pb = pts[best]!;
    for (let i = 0; i <= n; i++) {
      if (i === best) continue;
      const p = pts[i]!;
      for (let j = 0; j < n; j++) p[j] = pb[j]! + 0.5 * (p[j]! - pb[j]!);
      vals[i] = evalAt(p);
    }
  }
  let bi = 0;
  for (let i = 1; i <= n; i++) if (vals[i]! < vals[bi]!) bi = i;
  return { x: pts[bi]!, f: vals[bi]!, evaluations: evals };
}
