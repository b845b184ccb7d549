// The index of every currency: geometric Brownian motion whose volatility follows a market
// regime (a continuous-time Markov chain shared by all coins, as crypto calms and panics
// together), plus market-wide Poisson jumps with lognormal sizes. The regime path and jumps
// are drawn piece by piece inside a step and the diffusion from the step's integrated
// variance, so one 15-minute step and 9,000 100-ms steps have the same distribution.

import { MS_PER_YEAR } from '../../pricing/index.js';
import type { Random } from '../random.js';
import type { CurrencyParams } from './currency-params.js';
import { stream } from './streams.js';

export interface Regime {
  readonly name: string;
  /** Annualised diffusive volatility for a coin with volMultiplier 1. */
  readonly vol: number;
  /** Market-wide jumps per year. */
  readonly jumpRate: number;
  /** Mean stay, in days, before the regime changes. */
  readonly meanStayDays: number;
  /** Where it goes next: [regime index, probability]. */
  readonly next: readonly (readonly [number, number])[];
}

export const REGIMES: readonly Regime[] = [
  { name: 'calm', vol: 0.36, jumpRate: 4, meanStayDays: 10, next: [[1, 1]] },
  {
    name: 'normal',
    vol: 0.52,
    jumpRate: 10,
    meanStayDays: 14,
    next: [
      [0, 0.6],
      [2, 0.4],
    ],
  },
  { name: 'stressed', vol: 0.9, jumpRate: 40, meanStayDays: 3, next: [[1, 1]] },
];
export const NORMAL_REGIME = 1;

/** Common log-jump size: mostly down, a few percent. */
export const JUMP_MEAN = -0.01;
export const JUMP_SD = 0.035;
/** Each coin's own part of a jump, on top of its beta times the common one. */
const JUMP_IDIOSYNCRATIC_SD = 0.01;

export class IndexProcess {
  private readonly levels: Float64Array;
  private readonly returns: Float64Array;
  private readonly totalVariance: Float64Array;
  private readonly jumpSum: Float64Array;
  private readonly compensator: Float64Array;
  /** E[e^J] − 1 per coin: the drift that keeps the index a martingale despite jumps. */
  private readonly jumpMeanExcess: Float64Array;
  private readonly market: Random;
  private readonly own: readonly Random[];
  private regimeIndex = NORMAL_REGIME;

  /** Running tallies, for statistics over long runs. */
  jumpCount = 0;
  /** Jumps the intensity predicted over the path actually taken (Σ λ·time). */
  expectedJumps = 0;
  readonly integratedVariance: Float64Array;
  readonly regimeYears = new Float64Array(REGIMES.length);

  constructor(
    seed: number,
    readonly currencies: readonly string[],
    private readonly params: readonly CurrencyParams[],
  ) {
    const n = currencies.length;
    this.levels = Float64Array.from(params, (p) => p.initialIndex);
    this.returns = new Float64Array(n);
    this.totalVariance = new Float64Array(n);
    this.jumpSum = new Float64Array(n);
    this.compensator = new Float64Array(n);
    this.integratedVariance = new Float64Array(n);
    this.jumpMeanExcess = Float64Array.from(params, (p) => {
      const mean = p.jumpBeta * JUMP_MEAN;
      const variance = (p.jumpBeta * JUMP_SD) ** 2 + JUMP_IDIOSYNCRATIC_SD ** 2;
      return Math.exp(mean + variance / 2) - 1;
    });
    this.market = stream(seed, 'index:market');
    this.own = currencies.map((c) => stream(seed, `index:${c}`));
  }

  get regime(): Regime {
    return REGIMES[this.regimeIndex]!;
  }

  level(i: number): number {
    return this.levels[i]!;
  }

  /** Log return of coin i over the last advance(). */
  lastReturn(i: number): number {
    return this.returns[i]!;
  }

  advance(ms: number): void {
    const n = this.levels.length;
    if (ms <= 0) {
      this.returns.fill(0);
      return;
    }
    this.totalVariance.fill(0);
    this.jumpSum.fill(0);
    this.compensator.fill(0);
    let remaining = ms / MS_PER_YEAR;
    while (remaining > 0) {
      const regime = REGIMES[this.regimeIndex]!;
      const stayYears = (regime.meanStayDays / 365) * -Math.log(1 - this.market.next());
      // Stays are memoryless, so drawing a fresh one each step is exact.
      const switches = stayYears < remaining;
      const piece = switches ? stayYears : remaining;
      this.accumulatePiece(regime, piece);
      remaining -= piece;
      if (switches) this.switchRegime(regime);
    }
    const common = this.market.normal();
    for (let i = 0; i < n; i++) {
      const p = this.params[i]!;
      const variance = this.totalVariance[i]!;
      const own = this.own[i]!.normal();
      const shock =
        p.factorLoading * common + Math.sqrt(1 - p.factorLoading * p.factorLoading) * own;
      const r =
        -variance / 2 - this.compensator[i]! + Math.sqrt(variance) * shock + this.jumpSum[i]!;
      this.returns[i] = r;
      this.levels[i] = this.levels[i]! * Math.exp(r);
      this.integratedVariance[i] = this.integratedVariance[i]! + variance;
    }
  }

  private accumulatePiece(regime: Regime, years: number): void {
    this.regimeYears[this.regimeIndex] = this.regimeYears[this.regimeIndex]! + years;
    const expected = regime.jumpRate * years;
    this.expectedJumps += expected;
    const jumps = this.market.poisson(expected);
    this.jumpCount += jumps;
    for (let j = 0; j < jumps; j++) {
      const size = JUMP_MEAN + JUMP_SD * this.market.normal();
      for (let i = 0; i < this.levels.length; i++) {
        const own = JUMP_IDIOSYNCRATIC_SD * this.own[i]!.normal();
        this.jumpSum[i] = this.jumpSum[i]! + this.params[i]!.jumpBeta * size + own;
      }
    }
    for (let i = 0; i < this.levels.length; i++) {
      const vol = regime.vol * this.params[i]!.volMultiplier;
      this.totalVariance[i] = this.totalVariance[i]! + vol * vol * years;
      this.compensator[i] = this.compensator[i]! + expected * this.jumpMeanExcess[i]!;
    }
  }

  private switchRegime(from: Regime): void {
    let u = this.market.next();
    for (const [index, probability] of from.next) {
      u -= probability;
      if (u < 0) {
        this.regimeIndex = index;
        return;
      }
    }
    this.regimeIndex = from.next[from.next.length - 1]![0];
  }
}
