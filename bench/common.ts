// Shared pieces of the benchmark: result rows and the deterministic inputs.

import type { OptionType } from '../src/pricing/index.js';
import { median, percentile } from './timing.js';

export const PEER_PRICER = 'black-scholes';
export const PEER_IV = 'implied-volatility';
export const PEER_BOOK = 'tardis-dev';

/**
 * How a metric compares: 'higher' for throughput, 'lower' for errors, failure
 * counts and memory. It fixes the direction of `ratio` so that a ratio above 1
 * always means ivtrade is ahead.
 */
export type Better = 'higher' | 'lower';

export interface Target {
  /** What the target constrains: ivtrade's own value or the ivtrade/peer ratio. */
  on: 'ivtrade' | 'ratio';
  op: '>=' | '<=';
  value: number;
}

export interface Row {
  bench:
    | 'pricing'
    | 'iv'
    | 'accuracy'
    | 'books'
    | 'memory'
    | 'sim'
    | 'pipeline'
    | 'render'
    | 'commands'
    | 'hedge'
    | 'faults'
    | 'redis'
    | 'surface'
    | 'risk';
  metric: string;
  better: Better;
  unit: 'ops/s' | 'error' | 'count' | 'MB' | 'ms' | '%';
  ivtrade: number;
  /** npm package name of the peer measured in the same row. */
  peer: string;
  peerValue: number;
  /** One target, or several that must all be met (a rate and a ratio, say). */
  target?: Target | readonly Target[];
}

/** ivtrade/peer for throughput, peer/ivtrade for errors and memory: > 1 means ivtrade is ahead. */
export function ratioOf(row: Row): number {
  return row.better === 'higher' ? row.ivtrade / row.peerValue : row.peerValue / row.ivtrade;
}

/**
 * Mulberry32: a 32-bit-state generator, plenty for spreading benchmark inputs
 * and, unlike Math.random, the same sequence on every run for a given seed.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function logUniform(u: number, lo: number, hi: number): number {
  return lo * Math.exp(u * Math.log(hi / lo));
}

/** Column arrays so the timed loops read flat memory and nothing is allocated while timing. */
export interface OptionInputs {
  n: number;
  F: Float64Array;
  K: Float64Array;
  T: Float64Array;
  sigma: Float64Array;
  type: OptionType[];
}

/**
 * A spread of options resembling a live crypto chain: forwards $1k–$100k,
 * expiries from one day to one year, vols 20%–200%, and strikes placed within
 * ±2.5 standard deviations of the forward (deltas ≈ 1%–99%), where every quote
 * has a time value the peers can see too.
 */
export function chainInputs(n: number, seed: number): OptionInputs {
  const rnd = mulberry32(seed);
  const out: OptionInputs = {
    n,
    F: new Float64Array(n),
    K: new Float64Array(n),
    T: new Float64Array(n),
    sigma: new Float64Array(n),
    type: new Array<OptionType>(n),
  };
  for (let i = 0; i < n; i++) {
    const F = logUniform(rnd(), 1_000, 100_000);
    const T = logUniform(rnd(), 1 / 365, 1);
    const sigma = logUniform(rnd(), 0.2, 2);
    const x = Math.max(-1.5, Math.min(1.5, (rnd() * 5 - 2.5) * sigma * Math.sqrt(T)));
    out.F[i] = F;
    out.K[i] = F * Math.exp(-x);
    out.T[i] = T;
    out.sigma[i] = sigma;
    out.type[i] = rnd() < 0.5 ? 'call' : 'put';
  }
  return out;
}

export type LatencyStat = 'p50' | 'p99' | 'max';

/**
 * Latency rows (ms, lower is better) of one measured span for ivtrade and its peer: the
 * median, the nearest-rank p99 (with the target, when there is one) and the maximum.
 */
export function latencyRows(
  bench: Row['bench'],
  span: string,
  samples: { readonly ivtrade: readonly number[]; readonly peer: readonly number[] },
  peer: string,
  stats: readonly LatencyStat[],
  p99Target?: number,
): Row[] {
  const value = (xs: readonly number[], stat: LatencyStat): number =>
    stat === 'p50' ? median([...xs]) : stat === 'p99' ? percentile(xs, 0.99) : Math.max(...xs);
  return stats.map((stat) => ({
    bench,
    metric: `${span}: ${stat}`,
    better: 'lower',
    unit: 'ms',
    ivtrade: value(samples.ivtrade, stat),
    peer,
    peerValue: value(samples.peer, stat),
    ...(stat === 'p99' && p99Target !== undefined
      ? { target: { on: 'ivtrade', op: '<=', value: p99Target } as const }
      : {}),
  }));
}
