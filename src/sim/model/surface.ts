// One currency's implied-volatility surface: SSVI (Gatheral–Jacquier "surface SVI") with a
// power-law curvature. Every expiry's smile is an SVI slice in log-moneyness k = ln(K/F);
// the slices share ρ and η, and the ATM total variance θ(T) rises with T, which together with
// γ ≤ ½ and η(1+|ρ|) ≤ 2 makes the surface free of calendar and butterfly arbitrage by
// construction rather than by luck.
//
// θ(T) is the expected average variance of a vol that reverts from the front level to a long
// run level, so the term structure slopes up in calm markets and inverts after a sell-off.

import { normalisedOtmCall } from '../../pricing/normalised-black.js';
import type { Random } from '../random.js';
import { clamp, ouStep } from './streams.js';

/** Reversion rate of the ATM term structure (per year): about a month. */
const TERM_KAPPA = 12;
const GAMMA = 0.45;
/** η(1+|ρ|) stays at or under this, inside the no-arbitrage bound of 2. */
const ETA_BOUND = 1.9;
/** Implied over realised: option sellers charge for variance risk. */
export const RISK_PREMIUM = 1.06;
/** The market's read of the regime catches up over about half a day (years). */
const PERCEPTION_YEARS = 0.5 / 365;
/** Spot-vol: a 1% drop lifts front vol about 0.9 vol points, a 1% rally lowers it 0.15. */
const VOL_UP_PER_DROP = 0.9;
const VOL_DOWN_PER_RALLY = 0.15;
const SHOCK_KAPPA = Math.LN2 / (3 / 365);

export interface SurfaceSlice {
  /** ATM total variance θ(T). */
  readonly theta: number;
  readonly phi: number;
  readonly rho: number;
  readonly years: number;
}

export class VolSurface {
  private perceivedVol: number;
  private shock = 0;
  private longRunVol: number;
  private rho: number;
  private eta = 1;

  constructor(
    private readonly random: Random,
    regimeVol: number,
    private readonly longRunMean: number,
    private readonly skewMean: number,
  ) {
    this.perceivedVol = regimeVol;
    this.longRunVol = longRunMean;
    this.rho = skewMean;
  }

  /** ATM vol at the very front, decimal. */
  get frontVol(): number {
    return clamp(this.perceivedVol * RISK_PREMIUM + this.shock, 0.12, 3);
  }

  get skew(): number {
    return this.rho;
  }

  /** Moves the surface over `years` in which the index made `logReturn` and the market was in
   * a regime of volatility `regimeVol`. */
  advance(years: number, logReturn: number, regimeVol: number): void {
    if (years <= 0) return;
    const r = this.random;
    this.perceivedVol =
      regimeVol + (this.perceivedVol - regimeVol) * Math.exp(-years / PERCEPTION_YEARS);
    const reaction = logReturn < 0 ? -VOL_UP_PER_DROP * logReturn : -VOL_DOWN_PER_RALLY * logReturn;
    this.shock = clamp(this.shock * Math.exp(-SHOCK_KAPPA * years) + reaction, -0.25, 1.5);
    this.longRunVol = clamp(
      ouStep(this.longRunVol, this.longRunMean, 3, 0.05 * this.longRunMean, years, r.normal()),
      0.5 * this.longRunMean,
      2 * this.longRunMean,
    );
    this.rho = clamp(ouStep(this.rho, this.skewMean, 8, 0.08, years, r.normal()), -0.7, 0.3);
    this.eta = clamp(
      ouStep(this.eta, 1, 8, 0.12, years, r.normal()),
      0.5,
      ETA_BOUND / (1 + Math.abs(this.rho)),
    );
  }

  /** ATM total variance to T years: ∫ of a variance reverting from front² to longRun². */
  atmTotalVariance(years: number): number {
    return atmTotalVariance(this.frontVol, this.longRunVol, years);
  }

  slice(years: number): SurfaceSlice {
    return this.sliceAt(this.atmTotalVariance(years), years);
  }

  /** The slice with ATM total variance θ at `years`, in the surface's shape now (ρ, η). */
  sliceAt(theta: number, years: number): SurfaceSlice {
    const phi = this.eta * Math.pow(theta, -GAMMA) * Math.pow(1 + theta, GAMMA - 1);
    return { theta, phi, rho: this.rho, years };
  }

  /** Implied vol at log-moneyness k on a slice. */
  static vol(slice: SurfaceSlice, k: number): number {
    return Math.sqrt(totalVariance(slice.theta, slice.phi, slice.rho, k) / slice.years);
  }
}

/** ATM total variance to T years of a variance reverting from frontVol² to longRunVol². */
export function atmTotalVariance(frontVol: number, longRunVol: number, years: number): number {
  const front = frontVol * frontVol;
  const longRun = longRunVol * longRunVol;
  const x = TERM_KAPPA * years;
  // (1 − e^{−x})/κ, kept accurate for tiny x.
  const decayed = x < 1e-6 ? years * (1 - x / 2) : -Math.expm1(-x) / TERM_KAPPA;
  return longRun * years + (front - longRun) * decayed;
}

export function totalVariance(theta: number, phi: number, rho: number, k: number): number {
  const x = phi * k + rho;
  return (theta / 2) * (1 + rho * phi * k + Math.sqrt(x * x + 1 - rho * rho));
}

/** Simpson panels each side of the money, over k = ±VS_RANGE·√θ, for the variance swap. */
const VS_PANELS = 50;
const VS_RANGE = 12;

/**
 * The slice's fair variance-swap variance (annualised): the log contract's replication
 * over every strike, σ²·T = 2·∫ Q(K)/K² dK with Q the undiscounted out-of-the-money value,
 * which in k = ln(K/F) is 2·∫ e^{−k/2}·b(−|k|, √w(k)) dk (b the normalised Black value).
 * It is what a VIX-style strip (Deribit's DVOL) measures with listed strikes, without their
 * grid or their cut-off: a smile's wings put it above the ATM variance. The money is a panel
 * edge, so the integrand's kink there costs Simpson nothing.
 */
export function varianceSwapVariance(slice: SurfaceSlice): number {
  const { theta, phi, rho, years } = slice;
  const half = VS_RANGE * Math.sqrt(theta);
  const nodes = 2 * VS_PANELS;
  const h = half / nodes;
  let sum = 0;
  for (let i = -nodes; i <= nodes; i++) {
    const k = i * h;
    const weight = i === -nodes || i === nodes ? 1 : i % 2 === 0 ? 2 : 4;
    const w = totalVariance(theta, phi, rho, k);
    sum += weight * Math.exp(-0.5 * k) * normalisedOtmCall(-Math.abs(k), Math.sqrt(w));
  }
  return (2 * ((sum * h) / 3)) / years;
}
