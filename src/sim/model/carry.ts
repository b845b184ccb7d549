// Where futures trade against the index. Dated futures carry an annualised basis (a few
// percent of contango that wanders slowly), F = index·e^{basis·T}; each venue's perpetual
// carries its own small premium that reverts within hours, and funding follows the premium the
// usual way: premium plus an interest leg clamped to ±0.05% per 8 h.

import type { Random } from '../random.js';
import { clamp, ouStep } from './streams.js';

const BASIS_MEAN = 0.05;
const BASIS_SD = 0.02;
const BASIS_KAPPA = 3;

export const PREMIUM_MEAN = 0.0001;
/** The premium's stationary spread. */
export const PREMIUM_SD = 0.0004;
/** About four hours to halve a premium. */
export const PREMIUM_KAPPA = Math.LN2 / (4 / (24 * 365));
const INTEREST_PER_8H = 0.0001;
const INTEREST_CLAMP = 0.0005;
const FUNDING_CAP = 0.003;

export class Basis {
  private rate = BASIS_MEAN;

  constructor(private readonly random: Random) {
    this.rate = clamp(BASIS_MEAN + BASIS_SD * random.normal(), -0.02, 0.2);
  }

  /** Annualised basis, decimal. */
  get annualised(): number {
    return this.rate;
  }

  advance(years: number): void {
    if (years <= 0) return;
    const next = ouStep(this.rate, BASIS_MEAN, BASIS_KAPPA, BASIS_SD, years, this.random.normal());
    this.rate = clamp(next, -0.05, 0.25);
  }

  forward(index: number, years: number): number {
    return index * Math.exp(this.rate * Math.max(0, years));
  }
}

export class PerpetualPremium {
  private premium: number;

  constructor(private readonly random: Random) {
    this.premium = PREMIUM_MEAN + PREMIUM_SD * random.normal();
  }

  advance(years: number): void {
    if (years <= 0) return;
    const next = ouStep(
      this.premium,
      PREMIUM_MEAN,
      PREMIUM_KAPPA,
      PREMIUM_SD,
      years,
      this.random.normal(),
    );
    this.premium = clamp(next, -0.01, 0.01);
  }

  fairPrice(index: number): number {
    return index * (1 + this.premium);
  }

  /** Funding per 8 h, decimal. */
  get fundingRate(): number {
    return fundingOfPremium(this.premium);
  }
}

/** Funding per 8 h for a premium: the premium plus the clamped interest leg, capped. Exported
 * so a venue's history can derive past funding the way the live model does. */
export function fundingOfPremium(premium: number): number {
  const interest = clamp(INTEREST_PER_8H - premium, -INTEREST_CLAMP, INTEREST_CLAMP);
  return clamp(premium + interest, -FUNDING_CAP, FUNDING_CAP);
}
