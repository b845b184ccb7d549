// Accuracy: ivtrade and its peers against the decimal.js reference on a grid
// that spans everything a crypto venue lists and well beyond.

import bs from 'black-scholes';
import peerIv from 'implied-volatility';
import type { Decimal } from 'decimal.js';
import { black76Price, impliedVol, type OptionType } from '../src/pricing/index.js';
import { exactDecimal, refBlack76Pair } from '../test/support/reference.js';
import { PEER_IV, PEER_PRICER, type Row } from './common.js';

export interface AccuracyConfig {
  /** Points in ln(F/K) ∈ [−3, 3], bunched near the money (odd, so 0 is on it). */
  nx: number;
  /** Points in T ∈ [1 minute, 3 years], log-spaced. */
  nT: number;
  /** Points in σ ∈ [0.01, 5], log-spaced. */
  nSigma: number;
}

export interface WorstPoint {
  /** ln(F/K) as float64 computes it; F, K, T and sigma are the exact inputs. */
  x: number;
  F: number;
  K: number;
  T: number;
  sigma: number;
  type: OptionType;
  /** The error the list is ranked by. */
  error: number;
  detail: string;
}

export interface AccuracyResult {
  rows: Row[];
  notes: string[];
  worstPrice: WorstPoint[];
  worstIv: WorstPoint[];
  worstIvRel: WorstPoint[];
  worstIvExcess: WorstPoint[];
}

const F = 50_000;
const MINUTE = 1 / 525_600;
const MAX_T = 3;
// Below this the reference value is not a normal double, so no float64 code can be judged on it.
const TINY = 1e-300;
// Half an ulp relative: the rounding a float64 price carries at best.
const HALF_ULP = 2 ** -53;
// A solve is "well-conditioned" when rounding the price to float64 moves σ by at most this.
const WELL_CONDITIONED = 1e-12;
const USELESS = 1e-4;
const WORST_KEPT = 8;

/** 3·sinh(4u)/sinh(4) on an even u-grid: 0 included, half the points within |x| < 0.4. */
function xGrid(n: number): number[] {
  return Array.from({ length: n }, (_, i) => {
    const u = n === 1 ? 0 : -1 + (2 * i) / (n - 1);
    return u === 0 ? 0 : (3 * Math.sinh(4 * u)) / Math.sinh(4);
  });
}

function logGrid(n: number, lo: number, hi: number): number[] {
  // The last point is pinned: exp/log round-off would otherwise land just past hi.
  return Array.from({ length: n }, (_, i) =>
    i === n - 1 ? hi : lo * Math.exp((i / Math.max(n - 1, 1)) * Math.log(hi / lo)),
  );
}

function relativeError(value: number, ref: Decimal): number {
  if (!Number.isFinite(value)) return Infinity;
  return exactDecimal(value).minus(ref).abs().div(ref).toNumber();
}

class Worst {
  readonly items: WorstPoint[] = [];
  constructor(private readonly keep: number) {}
  offer(p: WorstPoint): void {
    if (this.items.length === this.keep && !(p.error > this.items[this.items.length - 1]!.error)) {
      return;
    }
    this.items.push(p);
    this.items.sort((a, b) => b.error - a.error);
    if (this.items.length > this.keep) this.items.pop();
  }
}

/** Per-contender tallies of the IV solves. */
class IvTally {
  maxAbs = 0;
  maxRel = 0;
  maxExcess = 0;
  failures = 0;
  /** Records one solve and returns its error relative to the float64 floor. */
  add(iv: number, sigma: number, floor: number, well: boolean): number {
    if (!Number.isFinite(iv)) {
      this.failures++;
      return Infinity;
    }
    const err = Math.abs(iv - sigma);
    const excess = err / floor;
    this.maxExcess = Math.max(this.maxExcess, excess);
    if (well) {
      this.maxAbs = Math.max(this.maxAbs, err);
      this.maxRel = Math.max(this.maxRel, err / sigma);
      if (err > USELESS) this.failures++;
    }
    return excess;
  }
}

export function runAccuracy(cfg: AccuracyConfig, log: (s: string) => void): AccuracyResult {
  const xs = xGrid(cfg.nx);
  const Ts = logGrid(cfg.nT, MINUTE, MAX_T);
  const sigmas = logGrid(cfg.nSigma, 0.01, 5);
  const total = xs.length * Ts.length * sigmas.length;

  let ourMaxPrice = 0;
  let peerMaxPrice = 0;
  let ourAbove = 0;
  let peerAbove = 0;
  let pricedCases = 0;
  let skippedTiny = 0;
  let skippedIntrinsic = 0;
  let illConditioned = 0;
  let ivCases = 0;
  const ours = new IvTally();
  const theirs = new IvTally();
  const worstPrice = new Worst(WORST_KEPT);
  const worstIv = new Worst(WORST_KEPT);
  const worstIvRel = new Worst(WORST_KEPT);
  const worstExcess = new Worst(WORST_KEPT);

  let done = 0;
  let nextReport = 0.1;
  for (const x of xs) {
    const K = F * Math.exp(-x);
    // The moneyness the float64 code sees; x itself is only the grid label.
    const xEff = Math.log(F / K);
    for (const T of Ts) {
      for (const sigma of sigmas) {
        done++;
        if (done / total >= nextReport) {
          log(`accuracy: ${Math.round((100 * done) / total)}% of ${total} grid points`);
          nextReport += 0.1;
        }
        const s = sigma * Math.sqrt(T);
        // The out-of-the-money value is below max(F, K)·Φ(−|x|/s + s/2) ≤ 1e6·φ(39)/39
        // ≈ 1e-326 once that argument is under −39: skip without paying for the reference.
        if (-Math.abs(xEff) / s + s / 2 < -39) {
          skippedTiny++;
          continue;
        }
        const ref = refBlack76Pair(F, K, T, sigma);
        if (ref.call.lt(TINY) || ref.put.lt(TINY)) {
          skippedTiny++;
          continue;
        }
        const d1 = xEff / s + s / 2;
        const logVega =
          Math.log(F) - 0.5 * d1 * d1 - 0.5 * Math.log(2 * Math.PI) + 0.5 * Math.log(T);
        for (const type of ['call', 'put'] as const) {
          const refValue = type === 'call' ? ref.call : ref.put;
          pricedCases++;
          const ourPrice = black76Price(F, K, T, sigma, type);
          const e1 = relativeError(ourPrice, refValue);
          const e2 = relativeError(bs.blackScholes(F, K, T, sigma, 0, type), refValue);
          ourMaxPrice = Math.max(ourMaxPrice, e1);
          peerMaxPrice = Math.max(peerMaxPrice, e2);
          const point = { x: xEff, F, K, T, sigma, type };
          const priceDetail = `ref=${refValue.toSignificantDigits(17).toString()} ivtrade=${ourPrice}`;
          worstPrice.offer({ ...point, error: e1, detail: priceDetail });
          if (e1 > 1e-12) ourAbove++;
          if (e2 > 1e-12) peerAbove++;

          const P = refValue.toNumber();
          const intrinsic = type === 'call' ? Math.max(F - K, 0) : Math.max(K - F, 0);
          const upper = type === 'call' ? F : K;
          if (!(P > intrinsic && P < upper)) {
            skippedIntrinsic++;
            continue;
          }
          ivCases++;
          // σ uncertainty that rounding P to float64 alone causes (½ulp / vega),
          // plus the ½ulp of σ itself: the best any float64 solver can do.
          const priceFloor = Math.exp(Math.log(P) + Math.log(HALF_ULP) - logVega);
          const floor = priceFloor + sigma * HALF_ULP;
          const well = priceFloor <= WELL_CONDITIONED;
          if (!well) illConditioned++;
          const ourIv = impliedVol(P, F, K, T, type);
          const excess = ours.add(ourIv, sigma, floor, well);
          theirs.add(peerIv.getImpliedVolatility(P, F, K, T, 0, type), sigma, floor, well);
          const ivDetail = `price=${P} iv=${ourIv} floor=${floor.toExponential(2)}`;
          if (well) {
            const err = Math.abs(ourIv - sigma);
            worstIv.offer({ ...point, error: err, detail: ivDetail });
            worstIvRel.offer({ ...point, error: err / sigma, detail: ivDetail });
          }
          worstExcess.offer({ ...point, error: excess, detail: ivDetail });
        }
      }
    }
  }

  const rows: Row[] = [
    {
      bench: 'accuracy',
      metric: 'price: max relative error vs reference',
      better: 'lower',
      unit: 'error',
      ivtrade: ourMaxPrice,
      peer: PEER_PRICER,
      peerValue: peerMaxPrice,
    },
    {
      bench: 'accuracy',
      metric: 'price: cases with relative error > 1e-12',
      better: 'lower',
      unit: 'count',
      ivtrade: ourAbove,
      peer: PEER_PRICER,
      peerValue: peerAbove,
    },
    {
      bench: 'accuracy',
      metric: 'iv: max |σ − σ_true|, well-conditioned cases',
      better: 'lower',
      unit: 'error',
      ivtrade: ours.maxAbs,
      peer: PEER_IV,
      peerValue: theirs.maxAbs,
      target: { on: 'ivtrade', op: '<=', value: 1e-10 },
    },
    {
      bench: 'accuracy',
      metric: 'iv: max |σ − σ_true|/σ_true, well-conditioned cases',
      better: 'lower',
      unit: 'error',
      ivtrade: ours.maxRel,
      peer: PEER_IV,
      peerValue: theirs.maxRel,
    },
    {
      bench: 'accuracy',
      metric: 'iv: max error / float64 floor, all solvable cases',
      better: 'lower',
      unit: 'error',
      ivtrade: ours.maxExcess,
      peer: PEER_IV,
      peerValue: theirs.maxExcess,
    },
    {
      bench: 'accuracy',
      metric: 'iv: failures (NaN; or error > 1e-4 when well-conditioned)',
      better: 'lower',
      unit: 'count',
      ivtrade: ours.failures,
      peer: PEER_IV,
      peerValue: theirs.failures,
    },
  ];

  const notes = [
    `accuracy grid: ${xs.length} ln(F/K) in [-3, 3] (sinh-spaced) × ${Ts.length} T in [1 min, 3 y] ` +
      `× ${sigmas.length} σ in [0.01, 5] (log-spaced), F = ${F}: ${total} points, ` +
      `${skippedTiny} skipped (out-of-the-money reference value < 1e-300, not representable), ` +
      `${pricedCases} call/put prices compared.`,
    `iv: the reference price rounded to float64 is solved; ${skippedIntrinsic} cases skipped because ` +
      `that price is not strictly between intrinsic and the upper bound in float64 (no time value ` +
      `left), ${ivCases} solved, ${illConditioned} of them ill-conditioned (½ulp of the price moves σ ` +
      `by more than ${WELL_CONDITIONED}; deep in the money): those count only in the floor ratio.`,
    'iv floor = ½ulp(price)/vega + ½ulp(σ): the error a perfect float64 solver could still have; ' +
      'a ratio near 1 is ideal.',
  ];

  return {
    rows,
    notes,
    worstPrice: worstPrice.items,
    worstIv: worstIv.items,
    worstIvRel: worstIvRel.items,
    worstIvExcess: worstExcess.items,
  };
}
