// The whole chain of one coin: every expiry fitted, checked and, where it fails a check,
// refitted under the constraint.

import {
  butterflyRange,
  butterflyViolation,
  calendarGrid,
  calendarViolation,
  gridPoints,
  BUTTERFLY_POINTS,
} from './arbitrage.js';
import { repairSmile } from './repair.js';
import { fitSmile, quality } from './svi-fit.js';
import { sviTotalVariance } from './svi.js';
import type { ArbitrageFlag, ExpiryChain, ExpiryFit, SviParams } from './types.js';

export interface SurfaceOptions {
  /** The previous surface: each expiry's search starts from its last fit. */
  readonly warmStart?: SurfaceFit | null | undefined;
  /** Refit violating smiles under the violated constraint (default true); false only flags. */
  readonly repair?: boolean;
}

export interface SkippedExpiry {
  readonly expiryMs: number;
  readonly reason: 'expired' | 'no-quotes';
}

export interface SurfaceFit {
  /** Fitted expiries, shortest first. */
  readonly expiries: readonly ExpiryFit[];
  readonly skipped: readonly SkippedExpiry[];
  /** Every check passed on the fits as reported (a repaired fit passes). */
  readonly arbitrageFree: boolean;
  /** Any check failed on a first fit (see each expiry's `arbitrage`). */
  readonly flagged: boolean;
}

/**
 * Fits each expiry, then, shortest first: butterfly check (repair), calendar check against the
 * previous reported expiry (repair of the later one, which keeps the shorter, usually better
 * quoted, smile as the market shows it).
 */
export function fitSurface(chains: readonly ExpiryChain[], opts: SurfaceOptions = {}): SurfaceFit {
  const repair = opts.repair ?? true;
  const warm = new Map<number, SviParams>();
  /** Smiles the warm-start surface reports repaired: where the next repair starts. */
  const repairedBefore = new Map<number, SviParams>();
  for (const e of opts.warmStart?.expiries ?? []) {
    warm.set(e.expiryMs, e.params);
    if (e.arbitrage.some((flag) => flag.repaired)) repairedBefore.set(e.expiryMs, e.params);
  }
  const sorted = [...chains].sort((x, y) => x.years - y.years);
  const expiries: ExpiryFit[] = [];
  const skipped: SkippedExpiry[] = [];
  let clean = true;
  let flagged = false;
  // Where a cold expiry's search starts: the last expiry fitted by full SVI before it (ETH
  // 2024-01-08 and 40 thinned copies of it: a few more quotes inside, a lower RMS outside, and
  // a fifth less time for the chain than a cold grid per expiry).
  let neighbour: { params: SviParams; years: number } | undefined;
  for (const chain of sorted) {
    if (!(chain.years > 0)) {
      skipped.push({ expiryMs: chain.expiryMs, reason: 'expired' });
      continue;
    }
    const fit = fitSmile(chain, {
      warmStart: warm.get(chain.expiryMs),
      keepWarm: !repairedBefore.has(chain.expiryMs),
      neighbour,
    });
    if (fit === null) {
      skipped.push({ expiryMs: chain.expiryMs, reason: 'no-quotes' });
      continue;
    }
    const { data } = fit;
    if (fit.kind === 'svi') neighbour = { params: fit.params, years: chain.years };
    let params = fit.params;
    const flags: ArbitrageFlag[] = [];
    const [from, to] = butterflyRange(data.kMin, data.kMax);
    const butterflyGrid = gridPoints(from, to, BUTTERFLY_POINTS);
    const fly = butterflyViolation(params, butterflyGrid);
    if (fly !== null) {
      const fixed = repair
        ? repairSmile(fit.target, params, { butterflyGrid }, repairedBefore.get(chain.expiryMs))
        : null;
      if (fixed !== null) params = fixed;
      flags.push({
        check: 'butterfly',
        expiryMs: chain.expiryMs,
        ...fly,
        repaired: fixed !== null,
      });
    }
    const previous = expiries[expiries.length - 1];
    const calGrid = previous === undefined ? null : calendarGrid(previous, data);
    if (previous !== undefined && calGrid !== null) {
      const cal = calendarViolation(previous.params, params, calGrid);
      if (cal !== null) {
        const fixed = repair
          ? repairSmile(
              fit.target,
              params,
              { butterflyGrid, calendar: { earlier: previous.params, grid: calGrid } },
              repairedBefore.get(chain.expiryMs),
            )
          : null;
        if (fixed !== null) params = fixed;
        flags.push({
          check: 'calendar',
          expiryMs: chain.expiryMs,
          ...cal,
          repaired: fixed !== null,
        });
      }
    }
    if (flags.length > 0) flagged = true;
    if (flags.some((f) => !f.repaired)) clean = false;
    const reported = params;
    expiries.push({
      expiryMs: chain.expiryMs,
      years: chain.years,
      forward: chain.forward,
      kind: fit.kind,
      params: reported,
      quality:
        reported === fit.params ? fit.quality : quality(data, (k) => sviTotalVariance(reported, k)),
      kMin: data.kMin,
      kMax: data.kMax,
      arbitrage: flags,
    });
  }
  return { expiries, skipped, arbitrageFree: clean, flagged };
}
