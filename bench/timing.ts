// Timing shared by the benches: alternating repetitions, median of each contender.

export function seconds(run: () => number, sink: { v: number }): number {
  const t0 = process.hrtime.bigint();
  sink.v += run();
  const t1 = process.hrtime.bigint();
  return Number(t1 - t0) / 1e9;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : 0.5 * (s[mid - 1]! + s[mid]!);
}

/**
 * Median ops/s of each contender. Repetitions alternate between contenders so
 * that drift (thermal, other load) hits both alike; two untimed passes first
 * let V8 tier the loops up to optimised code.
 */
export function race(
  contenders: { run: () => number; ops: number }[],
  reps: number,
  sink: { v: number },
): number[] {
  for (let w = 0; w < 2; w++) for (const c of contenders) sink.v += c.run();
  const times = contenders.map(() => [] as number[]);
  for (let r = 0; r < reps; r++) {
    contenders.forEach((c, j) => times[j]!.push(seconds(c.run, sink)));
  }
  return contenders.map((c, j) => c.ops / median(times[j]!));
}

/** Nearest-rank percentile (p in 0..1); with fewer than 1/(1−p) samples, the largest. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/** The median wall time of `reps` runs of `run`, in ms. */
export function medianMs(run: () => void, reps: number): number {
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(times);
}
