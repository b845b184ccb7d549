/**
 * Scenario risk by full revaluation: every position repriced with Black-76 at each spot move
 * × vol shift × horizon (no Taylor expansion), per coin. Pure and float64: positions, the
 * coin's index and the grid in; PnL and greeks per cell out.
 *
 * Conventions (the venues' own):
 * - A spot move scales the index and every forward of the coin by the same factor (the basis
 *   holds in percent). A vol shift adds vol points to each option's own IV (floored at 1 %).
 * - Smile dynamics: sticky strike (default) keeps each option's IV as spot moves; sticky
 *   moneyness moves it along its expiry's fitted smile (the surface): the IV changes by the
 *   smile's IV at the new ln(K/F) less its IV at the current one.
 * - Vol shape: parallel (default) shifts every expiry by the same points; term weights a
 *   shift by √(30 d / T), capped at 3×, as short-dated vol moves more than long-dated (the
 *   shift is quoted at 30 days).
 * - A horizon moves the clock: time to expiry shrinks, and an option or future that expires
 *   before it is settled at the scenario's price (intrinsic value; its greeks are gone).
 * - PnL is against the position valued now by the same model, so the centre cell now is 0.
 *   Inverse contracts make and lose coin; their PnL in USD is that coin at the scenario's
 *   spot. Linear ones are in a dollar stablecoin, taken at par.
 * - Delta is coin exposure: an inverse option's is premium-adjusted (its premium is coin too,
 *   as the hedger counts it); an inverse future's is its USD amount over the price.
 * - Gamma is the change of delta, in coin, for a +1 % spot move; vega is USD per vol point.
 */
import { erfcx, normPdf } from '../pricing/normal.js';

export interface RiskPosition {
  readonly instrument: string;
  readonly base: string;
  readonly kind: 'option' | 'future' | 'perpetual';
  readonly settlement: 'inverse' | 'linear';
  /** Signed, in the instrument's amount unit: coins, or USD for inverse futures. */
  readonly size: number;
  /** The option's forward, or the future's price now (USD per coin). */
  readonly forward: number;
  /** Options and dated futures; null for a perpetual. */
  readonly expiry: number | null;
  /** Options only (NaN otherwise). */
  readonly strike: number;
  readonly type: 'call' | 'put' | null;
  /** Options: the IV the position is valued at now (decimal). */
  readonly iv: number;
  /**
   * Options: its expiry's fitted smile, IV (decimal) at k = ln(K/F), for sticky-moneyness
   * scenarios; null or absent where there is no fit (the option then keeps its IV).
   */
  readonly smile?: ((k: number) => number) | null;
}

export type SmileDynamics = 'sticky-strike' | 'sticky-moneyness';
export type VolShape = 'parallel' | 'term';

export interface ScenarioGrid {
  /** Spot moves as fractions, e.g. −0.2 … +0.2. */
  readonly spotMoves: readonly number[];
  /** Vol shifts in decimal vol, e.g. −0.2 … +0.2 (20 vol points). */
  readonly volShifts: readonly number[];
  /** Horizons in ms from now; 0 is now. */
  readonly horizonsMs: readonly number[];
  /** How IVs follow spot (default sticky strike). */
  readonly smile?: SmileDynamics;
  /** How a vol shift spreads over expiries (default parallel). */
  readonly volShape?: VolShape;
}

/** A term-weighted shift is quoted at this tenor. */
const TERM_REFERENCE_DAYS = 30;
/** And weighs no expiry more than this many times. */
const TERM_WEIGHT_CAP = 3;

/** How much of a vol shift an expiry `days` out takes under `shape`. */
export function shiftWeight(shape: VolShape, days: number): number {
  if (shape === 'parallel') return 1;
  if (!(days > 0)) return TERM_WEIGHT_CAP;
  return Math.min(TERM_WEIGHT_CAP, Math.sqrt(TERM_REFERENCE_DAYS / days));
}

/** One coin's matrix. Cells are laid out [horizon][vol][spot], flat. */
export interface CoinScenario {
  readonly base: string;
  readonly spot: number;
  readonly now: number;
  readonly grid: ScenarioGrid;
  readonly pnlUsd: Float64Array;
  readonly delta: Float64Array;
  readonly gamma: Float64Array;
  readonly vega: Float64Array;
  /** Positions valued. */
  readonly positions: number;
  /** Positions that could not be valued (no forward or IV): named, never counted as zero. */
  readonly missing: readonly string[];
}

export const DEFAULT_SPOT_MOVES: readonly number[] = Array.from(
  { length: 21 },
  (_, k) => (k - 10) / 50,
);
export const DEFAULT_VOL_SHIFTS: readonly number[] = Array.from(
  { length: 9 },
  (_, k) => (k - 4) / 20,
);

const YEAR_MS = 365 * 86_400_000;
const MIN_VOL = 0.01;
const PER_PERCENT = 0.01;

export function cellIndex(grid: ScenarioGrid, horizon: number, vol: number, spot: number): number {
  return (horizon * grid.volShifts.length + vol) * grid.spotMoves.length + spot;
}

/** Every coin's matrix, one per base coin of the positions, in the order first seen. */
export function scenarioMatrices(
  positions: readonly RiskPosition[],
  spots: ReadonlyMap<string, number>,
  grid: ScenarioGrid,
  now: number,
): CoinScenario[] {
  const byBase = new Map<string, RiskPosition[]>();
  for (const position of positions) {
    const list = byBase.get(position.base) ?? [];
    list.push(position);
    byBase.set(position.base, list);
  }
  return [...byBase].map(([base, held]) =>
    coinScenario(base, held, spots.get(base) ?? NaN, grid, now),
  );
}

/** One coin's matrix: its positions repriced at every cell. */
export function coinScenario(
  base: string,
  positions: readonly RiskPosition[],
  spot: number,
  grid: ScenarioGrid,
  now: number,
): CoinScenario {
  const cells = grid.horizonsMs.length * grid.volShifts.length * grid.spotMoves.length;
  const out = {
    pnlUsd: new Float64Array(cells),
    delta: new Float64Array(cells),
    gamma: new Float64Array(cells),
    vega: new Float64Array(cells),
  };
  const missing: string[] = [];
  let valued = 0;
  const factors = grid.spotMoves.map((move) => 1 + move);
  const logFactors = factors.map((factor) => Math.log(factor));
  const spots = factors.map((factor) => spot * factor);
  for (const position of positions) {
    if (position.size === 0) continue;
    if (!valuable(position, spot)) {
      missing.push(position.instrument);
      continue;
    }
    valued += 1;
    if (position.kind === 'option') {
      addOption(position, grid, now, factors, logFactors, spots, out);
    } else {
      addFuture(position, grid, now, factors, spots, out);
    }
  }
  return { base, spot, now, grid, ...out, positions: valued, missing };
}

function valuable(position: RiskPosition, spot: number): boolean {
  const priced = position.forward > 0 && Number.isFinite(position.forward);
  const spotted = position.settlement === 'linear' || (spot > 0 && Number.isFinite(spot));
  if (position.kind !== 'option') return priced && spotted;
  return (
    priced &&
    spotted &&
    position.strike > 0 &&
    position.iv > 0 &&
    Number.isFinite(position.iv) &&
    position.expiry !== null &&
    position.type !== null
  );
}

interface Cells {
  readonly pnlUsd: Float64Array;
  readonly delta: Float64Array;
  readonly gamma: Float64Array;
  readonly vega: Float64Array;
}

const ONE_OVER_SQRT_2 = Math.SQRT1_2;
const ONE_OVER_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Φ's tail at |z| given g = exp(−z²/2): g·erfcx(|z|/√2)/2, Φ(−|z|) with all its digits. */
function tailWithGauss(z: number, g: number): number {
  return 0.5 * g * erfcx(Math.abs(z) * ONE_OVER_SQRT_2);
}

/**
 * One option at one cell: USD per coin and its greeks per coin into `value`. `s` is σ√T
 * (> 0), `logFK` ln(F/K) and `moneyness` F/K. One exponential a cell: n(d1) serves the
 * density and Φ(d1)'s tail, and n(d2) = n(d1)·F/K (Black's identity F·n(d1) = K·n(d2))
 * serves Φ(d2)'s. Each side is priced from its own tails, so a deep in- or out-of-the-money
 * value keeps its digits.
 */
function cellInto(
  value: Float64Array,
  F: number,
  K: number,
  logFK: number,
  moneyness: number,
  s: number,
  sqrtT: number,
  call: boolean,
): void {
  const d1 = logFK / s + 0.5 * s;
  const d2 = d1 - s;
  const g1 = Math.exp(-0.5 * d1 * d1);
  // Beyond where n(d1) underflows, n(d2) is taken on its own.
  const g2 = g1 > 0 ? g1 * moneyness : Math.exp(-0.5 * d2 * d2);
  const t1 = tailWithGauss(d1, g1);
  const t2 = tailWithGauss(d2, g2);
  // Φ(d) and Φ(−d) from the tail at |d|.
  const n1 = d1 < 0 ? t1 : 1 - t1;
  const m1 = d1 < 0 ? 1 - t1 : t1;
  if (call) {
    const n2 = d2 < 0 ? t2 : 1 - t2;
    value[0] = F * n1 - K * n2;
    value[1] = n1;
  } else {
    const m2 = d2 < 0 ? 1 - t2 : t2;
    value[0] = K * m2 - F * m1;
    value[1] = -m1;
  }
  const density = ONE_OVER_SQRT_2PI * g1;
  value[2] = density / (F * s);
  value[3] = (F * density * sqrtT) / 100;
}

/** The same at expiry or after: intrinsic value, no greeks. */
function expiredInto(value: Float64Array, F: number, K: number, call: boolean): void {
  value[0] = call ? Math.max(F - K, 0) : Math.max(K - F, 0);
  value[1] = value[2] = value[3] = 0;
}

function black76Into(
  value: Float64Array,
  F: number,
  K: number,
  T: number,
  sigma: number,
  call: boolean,
): void {
  if (T <= 0) {
    expiredInto(value, F, K, call);
    return;
  }
  const sqrtT = Math.sqrt(T);
  cellInto(value, F, K, Math.log(F / K), F / K, sigma * sqrtT, sqrtT, call);
}

const scratch = new Float64Array(4);
/** Sticky strike: no IV move with spot. */
const NO_MOVES = new Float64Array(0);

function addOption(
  position: RiskPosition,
  grid: ScenarioGrid,
  now: number,
  factors: readonly number[],
  logFactors: readonly number[],
  spots: readonly number[],
  out: Cells,
): void {
  const { size, forward, strike } = position;
  const expiry = position.expiry!;
  const call = position.type === 'call';
  const inverse = position.settlement === 'inverse';
  const logFK = Math.log(forward / strike);
  const moneyness = forward / strike;
  black76Into(scratch, forward, strike, (expiry - now) / YEAR_MS, position.iv, call);
  // What the position is worth now, in its own currency per coin of size.
  const base = inverse ? scratch[0]! / forward : scratch[0]!;
  const nSpot = factors.length;
  // Sticky moneyness: each spot move's IV change along the smile, the same at every horizon.
  const smile = grid.smile === 'sticky-moneyness' ? (position.smile ?? null) : null;
  const smileMoves = smile === null ? NO_MOVES : new Float64Array(nSpot);
  if (smile !== null) {
    const k = Math.log(strike / forward);
    const here = smile(k);
    for (let j = 0; j < nSpot; j++) {
      const moved = smile(k - logFactors[j]!) - here;
      smileMoves[j] = Number.isFinite(moved) ? moved : 0;
    }
  }
  const weight = shiftWeight(grid.volShape ?? 'parallel', ((expiry - now) / YEAR_MS) * 365);
  let cell = 0;
  for (const horizon of grid.horizonsMs) {
    const T = (expiry - now - horizon) / YEAR_MS;
    const sqrtT = T > 0 ? Math.sqrt(T) : 0;
    for (const shift of grid.volShifts) {
      const vol = position.iv + shift * weight;
      const flat = Math.max(vol, MIN_VOL) * sqrtT;
      for (let j = 0; j < nSpot; j++, cell++) {
        const factor = factors[j]!;
        const F = forward * factor;
        if (T <= 0) {
          expiredInto(scratch, F, strike, call);
        } else if (smile === null) {
          cellInto(
            scratch,
            F,
            strike,
            logFK + logFactors[j]!,
            moneyness * factor,
            flat,
            sqrtT,
            call,
          );
        } else {
          const s = Math.max(vol + smileMoves[j]!, MIN_VOL) * sqrtT;
          cellInto(scratch, F, strike, logFK + logFactors[j]!, moneyness * factor, s, sqrtT, call);
        }
        const usd = scratch[0]!;
        if (inverse) {
          const coinPerCoin = usd / F;
          out.pnlUsd[cell]! += size * (coinPerCoin - base) * spots[j]!;
          out.delta[cell]! += size * (scratch[1]! - coinPerCoin);
        } else {
          out.pnlUsd[cell]! += size * (usd - base);
          out.delta[cell]! += size * scratch[1]!;
        }
        out.gamma[cell]! += size * scratch[2]! * F * PER_PERCENT;
        out.vega[cell]! += size * scratch[3]!;
      }
    }
  }
}

function addFuture(
  position: RiskPosition,
  grid: ScenarioGrid,
  now: number,
  factors: readonly number[],
  spots: readonly number[],
  out: Cells,
): void {
  const { size, forward, expiry } = position;
  const inverse = position.settlement === 'inverse';
  const nSpot = factors.length;
  const nVol = grid.volShifts.length;
  let cell = 0;
  for (const horizon of grid.horizonsMs) {
    const settled = expiry !== null && expiry <= now + horizon;
    for (let v = 0; v < nVol; v++) {
      for (let j = 0; j < nSpot; j++, cell++) {
        const F = forward * factors[j]!;
        if (inverse) {
          // A long USD amount of an inverse contract gains coin as the price rises.
          out.pnlUsd[cell]! += size * (1 / forward - 1 / F) * spots[j]!;
          if (!settled) out.delta[cell]! += size / F;
        } else {
          out.pnlUsd[cell]! += size * (F - forward);
          if (!settled) out.delta[cell]! += size;
        }
      }
    }
  }
}

export interface ExpiryGreeks {
  /** Null for perpetuals. */
  readonly expiry: number | null;
  readonly delta: number;
  readonly gamma: number;
  readonly vega: number;
  /** USD per calendar day. */
  readonly theta: number;
  readonly positions: number;
}

/** The coin's greeks now, by expiry (perpetuals last), in the matrix's units. */
export function greeksByExpiry(
  positions: readonly RiskPosition[],
  spot: number,
  now: number,
): ExpiryGreeks[] {
  const rows = new Map<
    number | null,
    { delta: number; gamma: number; vega: number; theta: number; positions: number }
  >();
  for (const position of positions) {
    if (position.size === 0 || !valuable(position, spot)) continue;
    const key = position.expiry;
    const row = rows.get(key) ?? { delta: 0, gamma: 0, vega: 0, theta: 0, positions: 0 };
    row.positions += 1;
    const { size, forward } = position;
    if (position.kind === 'option') {
      const T = (position.expiry! - now) / YEAR_MS;
      const call = position.type === 'call';
      black76Into(scratch, forward, position.strike, T, position.iv, call);
      const inverse = position.settlement === 'inverse';
      row.delta += size * (scratch[1]! - (inverse ? scratch[0]! / forward : 0));
      row.gamma += size * scratch[2]! * forward * PER_PERCENT;
      row.vega += size * scratch[3]!;
      if (T > 0) {
        const s = position.iv * Math.sqrt(T);
        const density = normPdf(Math.log(forward / position.strike) / s + 0.5 * s);
        row.theta += (size * (-forward * density * position.iv)) / (2 * Math.sqrt(T)) / 365;
      }
    } else {
      row.delta += position.settlement === 'inverse' ? size / forward : size;
    }
    rows.set(key, row);
  }
  return [...rows]
    .map(([expiry, row]) => ({ expiry, ...row }))
    .sort((a, b) => (a.expiry ?? Infinity) - (b.expiry ?? Infinity));
}
