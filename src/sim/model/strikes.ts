// Strikes for a new expiry, spaced like a venue's: a fine ladder around spot and a coarser one
// in the wings, both on round numbers, reaching about ±3.5 standard deviations of the move to
// expiry (capped so a long-dated expiry does not list a thousand strikes).

/** Smallest "nice" number (1, 2.5 or 5 times a power of ten) at or above x. */
export function niceStepAtLeast(x: number): number {
  const power = Math.pow(10, Math.floor(Math.log10(x)));
  for (const m of [1, 2.5, 5, 10]) {
    if (m * power >= x * (1 - 1e-12)) return m * power;
  }
  return 10 * power;
}

function isNice(x: number): boolean {
  const mantissa = x / Math.pow(10, Math.floor(Math.log10(x) + 1e-9));
  return [1, 2, 2.5, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-9);
}

/** The 1, 2.5 or 5 times a power of ten closest to x (by ratio). */
export function nearestNiceStep(x: number): number {
  const up = niceStepAtLeast(x);
  const candidates = [up, up / 2, up / 2.5, up / 2.5 / 2, up / 2 / 2.5];
  let best = up;
  for (const c of candidates) {
    if (isNice(c) && Math.abs(Math.log(c / x)) < Math.abs(Math.log(best / x))) best = c;
  }
  return best;
}

/** The coarser wing step: a round number and a multiple of the inner step, so the two
 * ladders meet on shared strikes. */
function wingStep(inner: number, atLeast: number): number {
  for (let m = 2; m <= 10_000; m++) {
    const step = inner * m;
    if (step >= atLeast && isNice(step)) return step;
  }
  return inner * 10_000;
}

function multiplesIn(step: number, low: number, high: number, into: Set<number>): void {
  for (let n = Math.ceil(low / step); n * step <= high; n++) {
    if (n > 0) into.add(Number((n * step).toPrecision(12)));
  }
}

export interface StrikeGridOptions {
  readonly spot: number;
  /** σ√T to the expiry at listing. */
  readonly stdDev: number;
  /** Smallest spacing, as a fraction of spot. */
  readonly minStepFraction: number;
  /** Rough number of strikes in each of the inner and wing ladders. */
  readonly innerCount: number;
  readonly wingCount: number;
}

export function strikeGrid(o: StrikeGridOptions): number[] {
  const width = Math.min(Math.max(3.5 * o.stdDev, 0.03), 1.1);
  const outerLow = o.spot * Math.exp(-width);
  const outerHigh = o.spot * Math.exp(width);
  const inner = Math.max(
    niceStepAtLeast(o.spot * o.minStepFraction),
    nearestNiceStep((o.spot * 2 * Math.sinh(width / 3)) / o.innerCount),
  );
  // The fine ladder holds about innerCount strikes whatever rounding did to the step.
  const innerLow = Math.max(outerLow, o.spot - (inner * o.innerCount) / 2);
  const innerHigh = Math.min(outerHigh, o.spot + (inner * o.innerCount) / 2);
  const wing = wingStep(inner, (outerHigh - outerLow - (innerHigh - innerLow)) / o.wingCount);
  const strikes = new Set<number>();
  multiplesIn(inner, innerLow, innerHigh, strikes);
  multiplesIn(wing, outerLow, outerHigh, strikes);
  return [...strikes].sort((a, b) => a - b);
}

/** Strikes to add to an expiry when spot has run towards the edge of its listed range: the
 * strikes a fresh listing would have beyond the current lowest and highest. Listed strikes
 * never move or vanish, so nothing inside the range changes. */
export function strikesToAdd(existing: readonly number[], o: StrikeGridOptions): number[] {
  if (existing.length === 0) return strikeGrid(o);
  const low = Math.min(...existing);
  const high = Math.max(...existing);
  const margin = Math.exp(1.5 * Math.max(o.stdDev, 0.01));
  if (o.spot / margin > low && o.spot * margin < high) return [];
  return strikeGrid(o).filter((k) => k < low || k > high);
}
