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
  const along = (t: number, worst: number[]): number[] =>
    centroid.map((c, j) => c + t * (worst[j]! - c));

  while (evals < opts.maxEvaluations) {
    order.sort((i, j) => vals[i]! - vals[j]!);
    const best = order[0]!;
    const worst = order[n]!;
    const second = order[n - 1]!;
    if (vals[worst]! - vals[best]! <= opts.absTol + opts.relTol * Math.abs(vals[best]!)) break;
    centroid.fill(0);
    for (let i = 0; i < n; i++) {
      const p = pts[order[i]!]!;
      for (let j = 0; j < n; j++) centroid[j] = centroid[j]! + p[j]! / n;
    }
    const pw = pts[worst]!;
    const reflected = along(-1, pw);
    const fr = evalAt(reflected);
    if (fr < vals[best]!) {
      const expanded = along(-2, pw);
      const fe = evalAt(expanded);
      if (fe < fr) {
        pts[worst] = expanded;
        vals[worst] = fe;
      } else {
        pts[worst] = reflected;
        vals[worst] = fr;
      }
      continue;
    }
    if (fr < vals[second]!) {
      pts[worst] = reflected;
      vals[worst] = fr;
      continue;
    }
    const outside = fr < vals[worst]!;
    const contracted = along(outside ? -0.5 : 0.5, pw);
    const fc = evalAt(contracted);
    if (fc < (outside ? fr : vals[worst]!)) {
      pts[worst] = contracted;
      vals[worst] = fc;
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
