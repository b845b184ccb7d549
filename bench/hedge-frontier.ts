// The hedging policies' cost–risk frontier (issue 20): every policy on the same seeded weeks,
// for five books, scored by what hedging costs and by how much PnL it leaves unhedged.
//
// Pure and deterministic. Each seed is a week of BTC index (GBM at 60 % vol with jumps of
// 2–5 %, the policy bench's path) sampled every `stepMs`. A book is a few Black-76 legs at a
// fixed 60 % vol (the path's own diffusion vol, so a continuous hedge would leave only the
// jumps and the discreteness); its value, delta and gamma are computed once per step and
// shared by every policy. Each policy keeps its own inverse perpetual position ($10 lots),
// decided by ivtrade's `decide` (the naive one trades to zero every step, with no cap).
//
// A hedge pays the taker fee (0.05 % of notional), half the $1 spread, and slippage past a
// touch that holds $200,000 per $0.50 level. The hedged PnL of a step is the book's change in
// value plus the perpetual's PnL, less what was paid; its risk figure is the standard
// deviation of the hedged PnL per hour, pooled over every hour of every seed. One standard
// deviation of the week's total would need hundreds of paths to settle; hourly increments
// settle in a few and rank the policies the same way, paired on the same paths.
//
// The fixed bands are set to the gamma bands' mean widths on that book (one per aversion),
// so each gamma point has a fixed point of the same average width beside it, plus the
// hedger's default (0.25 % of one coin). The goal: every gamma point lies on or below the
// fixed bands' frontier (no fixed point both cheaper and less risky; below the line between
// the fixed points either side of its cost).

import { DEFAULT_HEDGE_CONFIG } from '../src/hedge/config.js';
import { DEFAULT_AVERSION, decide } from '../src/hedge/decide.js';
import { whalleyWilmottBand } from '../src/hedge/policy.js';
import type { HedgeConfig } from '../src/hedge/types.js';
import { MS_PER_DAY, MS_PER_YEAR, black76GreeksInto } from '../src/pricing/index.js';
import type { Row } from './common.js';
import { indexPath, policyInputs } from './hedge-policy.js';

export interface HedgeFrontierConfig {
  readonly seeds: readonly number[];
  readonly days: number;
  /** How often the index is sampled and every policy decides, ms. */
  readonly stepMs: number;
}

export interface HedgeFrontierResult {
  rows: Row[];
  notes: string[];
  books: BookFrontier[];
}

interface Leg {
  readonly strike: number;
  readonly expiryDays: number;
  readonly isCall: boolean;
  /** BTC, + long, − short. */
  readonly size: number;
}

export interface BookSpec {
  readonly name: string;
  readonly legs: readonly Leg[];
}

/** One policy's figures over every seed of one book. */
export interface PolicyPoint {
  readonly policy: string;
  readonly family: 'naive' | 'time' | 'fixed' | 'gamma';
  /** Where a band policy trades to; the time and naive ones always trade to zero. */
  readonly hedgeTo: 'zero' | 'edge';
  /** Mean per week: fees + half-spread + slippage, USD. */
  readonly costUsd: number;
  /** Standard deviation of the hedged PnL per hour, USD. */
  readonly pnlStdUsd: number;
  /**
   * Standard deviation per hour of the hedging error, the PnL of the net delta left between
   * hedges (Σ net delta × index move), USD: the risk axis of the frontier.
   */
  readonly errorStdUsd: number;
  /** Mean per week. */
  readonly hedges: number;
  /** On the frontier of all the book's policies (none both cheaper and less risky). */
  frontier: boolean;
}

export interface BookFrontier {
  readonly book: string;
  readonly points: PolicyPoint[];
  /** Per way of trading: gamma points on or below the fixed bands' frontier, of how many. */
  readonly gammaOnOrBelow: Record<'zero' | 'edge', number>;
  readonly gammaPoints: number;
  /** The fixed widths matched to the gamma bands' means, USD, one per aversion. */
  readonly matchedWidthsUsd: number[];
}

const START = Date.UTC(2026, 10, 20, 8, 0);
const STRIKE = 90_000;
const VOL = 0.6;
const HALF_SPREAD = 0.5;
const TICK = 0.5;
const DEPTH_PER_LEVEL_USD = 200_000;
const FEE_RATE = 0.0005;
const LOT_USD = 10;
export const FRONTIER_AVERSIONS = [1e-4, 1e-3, 1e-2] as const;
const TIME_MINUTES = [15, 60] as const;
const BASE = DEFAULT_HEDGE_CONFIG('sim', 'BTC', 'BTC-PERPETUAL');

const straddle = (btc: number): BookSpec => ({
  name: `short ${btc} BTC straddle`,
  legs: [
    { strike: STRIKE, expiryDays: 8, isCall: true, size: -btc },
    { strike: STRIKE, expiryDays: 8, isCall: false, size: -btc },
  ],
});

export const FRONTIER_BOOKS: readonly BookSpec[] = [
  straddle(0.1),
  straddle(1),
  straddle(10),
  {
    name: 'long 10 BTC 85k/95k strangle',
    legs: [
      { strike: 85_000, expiryDays: 8, isCall: false, size: 10 },
      { strike: 95_000, expiryDays: 8, isCall: true, size: 10 },
    ],
  },
  {
    name: '5 BTC call calendar (short 8 d, long 36 d)',
    legs: [
      { strike: STRIKE, expiryDays: 8, isCall: true, size: -5 },
      { strike: STRIKE, expiryDays: 36, isCall: true, size: 5 },
    ],
  },
];

/** The book's value (USD), delta (coins) and gamma (coins per USD) at every step. */
interface BookPath {
  readonly value: Float64Array;
  readonly delta: Float64Array;
  readonly gamma: Float64Array;
}

function bookPath(book: BookSpec, path: Float64Array, stepMs: number): BookPath {
  const n = path.length;
  const value = new Float64Array(n);
  const delta = new Float64Array(n);
  const gamma = new Float64Array(n);
  const out = new Float64Array(5);
  for (let i = 0; i < n; i++) {
    const index = path[i]!;
    const now = START + i * stepMs;
    let v = 0;
    let d = 0;
    let g = 0;
    for (const leg of book.legs) {
      const years = (START + leg.expiryDays * MS_PER_DAY - now) / MS_PER_YEAR;
      black76GreeksInto(out, index, leg.strike, years, VOL, leg.isCall, 0);
      v += leg.size * out[0]!;
      d += leg.size * out[1]!;
      g += leg.size * out[2]!;
    }
    value[i] = v;
    delta[i] = d;
    gamma[i] = g;
  }
  return { value, delta, gamma };
}

/** What a hedge of `amountUsd` pays at `index`: fee, half the spread, and walking the book. */
export function hedgeCostUsd(amountUsd: number, index: number): number {
  const fee = amountUsd * FEE_RATE;
  const spread = (amountUsd * HALF_SPREAD) / index;
  const full = Math.floor(amountUsd / DEPTH_PER_LEVEL_USD);
  const rest = amountUsd - full * DEPTH_PER_LEVEL_USD;
  // Level k (from 0 at the touch) is k ticks worse; the part past the full levels is `full`.
  const walkedTicks = (DEPTH_PER_LEVEL_USD * full * (full - 1)) / 2 + rest * full;
  return fee + spread + (walkedTicks * TICK) / index;
}

interface Tally {
  cost: number;
  hedges: number;
  /** The hedged PnL of each hour: the book's, the perpetual's, less what was paid. */
  hours: number[];
  /** What the delta left unhedged made each hour: the part of the PnL the policy controls. */
  errorHours: number[];
}

type PolicyRun =
  | { readonly name: string; readonly family: 'naive'; readonly hedgeTo: 'zero' }
  | {
      readonly name: string;
      readonly family: 'time' | 'fixed' | 'gamma';
      readonly hedgeTo: 'zero' | 'edge';
      readonly config: HedgeConfig;
    };

export const HEDGE_TO = ['zero', 'edge'] as const;
const EDGE_SUFFIX = ' · to edge';

/** One policy over one seed's path: its own perpetual, its costs, its hourly hedged PnL. */
function runPolicy(
  policy: PolicyRun,
  path: Float64Array,
  book: BookPath,
  stepMs: number,
  tally: Tally,
): void {
  const stepsPerHour = Math.max(1, Math.round(3_600_000 / stepMs));
  let hedgeUsd = 0;
  let hour = 0;
  let error = 0;
  let lastHedgeAt: number | null = null;
  const recent: number[] = [];
  for (let i = 0; i < path.length; i++) {
    const index = path[i]!;
    const now = START + i * stepMs;
    if (i > 0) {
      const before = path[i - 1]!;
      // An inverse perpetual of P USD earns P (S1/S0 − 1) USD over the step.
      hour += book.value[i]! - book.value[i - 1]! + (hedgeUsd * (index - before)) / before;
      error += (book.delta[i - 1]! + hedgeUsd / before) * (index - before);
    }
    let traded = 0;
    if (policy.family === 'naive') {
      const lots = Math.round((book.delta[i]! * index + hedgeUsd) / LOT_USD);
      traded = -lots * LOT_USD;
    } else {
      while (recent.length > 0 && recent[0]! <= now - 60_000) recent.shift();
      const decision = decide(
        policyInputs(
          now,
          index,
          book.delta[i]!,
          hedgeUsd,
          recent.length,
          book.gamma[i],
          lastHedgeAt,
        ),
        policy.config,
      );
      if (decision.action === 'hedge') {
        const amount = Number(decision.amount);
        traded = decision.side === 'buy' ? amount : -amount;
        recent.push(now);
        lastHedgeAt = now;
      }
    }
    if (traded !== 0) {
      hedgeUsd += traded;
      const cost = hedgeCostUsd(Math.abs(traded), index);
      tally.cost += cost;
      tally.hedges += 1;
      hour -= cost;
    }
    if ((i + 1) % stepsPerHour === 0) {
      tally.hours.push(hour);
      tally.errorHours.push(error);
      hour = 0;
      error = 0;
    }
  }
}

/** The gamma band's mean width in USD along the paths, as `decide` would set it. */
function meanGammaBandUsd(
  paths: readonly Float64Array[],
  books: readonly BookPath[],
  aversion: number,
): number {
  const floor = BASE.band.value;
  let sum = 0;
  let count = 0;
  paths.forEach((path, p) => {
    const gamma = books[p]!.gamma;
    for (let i = 0; i < path.length; i++) {
      const index = path[i]!;
      const cost = FEE_RATE + HALF_SPREAD / index;
      const coins = whalleyWilmottBand(cost, index, gamma[i]!, aversion);
      sum += Math.max(coins * index, floor * index);
      count += 1;
    }
  });
  return sum / count;
}

function std(values: readonly number[]): number {
  let mean = 0;
  for (const value of values) mean += value;
  mean /= values.length;
  let squares = 0;
  for (const value of values) squares += (value - mean) ** 2;
  return Math.sqrt(squares / Math.max(1, values.length - 1));
}

/** Marks each point that no other point beats on both cost and risk. */
function markFrontier(points: PolicyPoint[]): void {
  for (const point of points) {
    point.frontier = !points.some((other) => other !== point && dominates(other, point));
  }
}

function dominates(a: PolicyPoint, b: PolicyPoint): boolean {
  return (
    a.costUsd <= b.costUsd &&
    a.errorStdUsd <= b.errorStdUsd &&
    (a.costUsd < b.costUsd || a.errorStdUsd < b.errorStdUsd)
  );
}

/**
 * The fixed bands' frontier as a curve: straight in log cost against log risk between its
 * points (a band's cost and its error's σ trade as powers of its width), for reading off the
 * risk a fixed band would leave at a given cost, or the cost it would take at a given risk.
 */
function fixedCurve(fixed: readonly PolicyPoint[]): PolicyPoint[] {
  return fixed
    .filter((candidate) => !fixed.some((other) => dominates(other, candidate)))
    .sort((a, b) => a.costUsd - b.costUsd);
}

function logInterpolate(x: number, x0: number, y0: number, x1: number, y1: number): number {
  if (x0 === x1) return Math.min(y0, y1);
  const share = Math.log(x / x0) / Math.log(x1 / x0);
  return Math.exp(Math.log(y0) + share * Math.log(y1 / y0));
}

/**
 * On or below the fixed frontier: no fixed point both cheaper and less risky, and, where the
 * point's cost lies between two fixed frontier points, no riskier than the curve joining them.
 */
export function onOrBelowFrontier(point: PolicyPoint, fixed: readonly PolicyPoint[]): boolean {
  if (fixed.some((other) => dominates(other, point))) return false;
  const curve = fixedCurve(fixed);
  for (let k = 1; k < curve.length; k++) {
    const left = curve[k - 1]!;
    const right = curve[k]!;
    if (point.costUsd < left.costUsd || point.costUsd > right.costUsd) continue;
    const risk = logInterpolate(
      point.costUsd,
      left.costUsd,
      left.errorStdUsd,
      right.costUsd,
      right.errorStdUsd,
    );
    return point.errorStdUsd <= risk;
  }
  return true;
}

/** What the fixed bands would pay for the point's hedging error, or null outside their range. */
export function fixedCostAtRisk(point: PolicyPoint, fixed: readonly PolicyPoint[]): number | null {
  const curve = fixedCurve(fixed);
  for (let k = 1; k < curve.length; k++) {
    const left = curve[k - 1]!;
    const right = curve[k]!;
    // Along the curve cost rises as risk falls.
    if (point.errorStdUsd > left.errorStdUsd || point.errorStdUsd < right.errorStdUsd) continue;
    return logInterpolate(
      point.errorStdUsd,
      left.errorStdUsd,
      left.costUsd,
      right.errorStdUsd,
      right.costUsd,
    );
  }
  return null;
}

/** Every policy of the frontier: naive, time, and the band ones trading to zero and to the edge. */
function policiesFor(widths: readonly number[]): PolicyRun[] {
  const runs: PolicyRun[] = [
    { name: 'naive: every step', family: 'naive', hedgeTo: 'zero' },
    ...TIME_MINUTES.map((minutes): PolicyRun => ({
      name: `time: every ${minutes} min`,
      family: 'time',
      hedgeTo: 'zero',
      config: { ...BASE, policy: 'time', everyMs: minutes * 60_000 },
    })),
  ];
  for (const hedgeTo of HEDGE_TO) {
    const base: HedgeConfig = { ...BASE, hedgeTo };
    const suffix = hedgeTo === 'edge' ? EDGE_SUFFIX : '';
    runs.push({
      name: `fixed ±${BASE.band.value * 100}% (default)${suffix}`,
      family: 'fixed',
      hedgeTo,
      config: base,
    });
    for (const usd of widths) {
      runs.push({
        name: `${fixedName(usd)}${suffix}`,
        family: 'fixed',
        hedgeTo,
        config: { ...base, band: { kind: 'usd', value: usd } },
      });
    }
    for (const aversion of FRONTIER_AVERSIONS) {
      runs.push({
        name: `${gammaName(aversion)}${suffix}`,
        family: 'gamma',
        hedgeTo,
        config: { ...base, policy: 'gamma', aversion },
      });
    }
  }
  return runs;
}

const fixedName = (usd: number): string => `fixed ±$${Math.round(usd).toLocaleString('en-US')}`;
const gammaName = (aversion: number): string => `gamma γ ${aversion.toExponential(0)}/$`;

export function frontierOfBook(
  book: BookSpec,
  paths: readonly Float64Array[],
  stepMs: number,
): BookFrontier {
  const bookPaths = paths.map((path) => bookPath(book, path, stepMs));
  const widths = FRONTIER_AVERSIONS.map((aversion) =>
    Number(meanGammaBandUsd(paths, bookPaths, aversion).toPrecision(3)),
  );
  const points: PolicyPoint[] = policiesFor(widths).map((policy) => {
    const tally: Tally = { cost: 0, hedges: 0, hours: [], errorHours: [] };
    paths.forEach((path, p) => runPolicy(policy, path, bookPaths[p]!, stepMs, tally));
    return {
      policy: policy.name,
      family: policy.family,
      hedgeTo: policy.hedgeTo,
      costUsd: tally.cost / paths.length,
      pnlStdUsd: std(tally.hours),
      errorStdUsd: std(tally.errorHours),
      hedges: tally.hedges / paths.length,
      frontier: false,
    };
  });
  markFrontier(points);
  const onOrBelow = (hedgeTo: 'zero' | 'edge'): number => {
    const fixed = points.filter((point) => point.family === 'fixed' && point.hedgeTo === hedgeTo);
    return points.filter(
      (point) =>
        point.family === 'gamma' && point.hedgeTo === hedgeTo && onOrBelowFrontier(point, fixed),
    ).length;
  };
  return {
    book: book.name,
    points,
    gammaOnOrBelow: { zero: onOrBelow('zero'), edge: onOrBelow('edge') },
    gammaPoints: FRONTIER_AVERSIONS.length,
    matchedWidthsUsd: widths,
  };
}

const money = (value: number): string =>
  `$${value.toLocaleString('en-US', { maximumFractionDigits: value < 100 ? 2 : 0 })}`;

/** The book's frontier as a Markdown table, cheapest first; `*` marks the frontier. */
export function frontierTable(frontier: BookFrontier): string[] {
  const rows = [...frontier.points].sort((a, b) => a.costUsd - b.costUsd);
  return [
    `| ${frontier.book} | cost / week | σ hedging error / h | σ hedged PnL / h | hedges / week |`,
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (point) =>
        `| ${point.frontier ? '**' : ''}${point.policy}${point.frontier ? '**' : ''} | ` +
        `${money(point.costUsd)} | ${money(point.errorStdUsd)} | ${money(point.pnlStdUsd)} | ` +
        `${Math.round(point.hedges).toLocaleString('en-US')} |`,
    ),
  ];
}

export function runHedgeFrontier(config: HedgeFrontierConfig): HedgeFrontierResult {
  const started = performance.now();
  const steps = Math.max(2, Math.round((config.days * MS_PER_DAY) / config.stepMs));
  const paths = config.seeds.map((seed) => indexPath(seed, steps, config.stepMs));
  const books = FRONTIER_BOOKS.map((book) => frontierOfBook(book, paths, config.stepMs));
  const seconds = (performance.now() - started) / 1000;
  const span = config.days === 7 ? 'week' : `${config.days} d`;
  const rows: Row[] = [];
  const prefix = `frontier (${span} × ${config.seeds.length} seeds)`;
  for (const frontier of books) {
    for (const hedgeTo of HEDGE_TO) {
      const suffix = hedgeTo === 'edge' ? EDGE_SUFFIX : '';
      const fixed = frontier.points.filter(
        (point) => point.family === 'fixed' && point.hedgeTo === hedgeTo,
      );
      // The default aversion's cost against what the fixed bands pay for the same error.
      const gamma = frontier.points.find(
        (point) => point.policy === `${gammaName(DEFAULT_AVERSION)}${suffix}`,
      );
      const fixedCost = gamma === undefined ? null : fixedCostAtRisk(gamma, fixed);
      if (gamma !== undefined && fixedCost !== null) {
        rows.push({
          bench: 'hedge',
          metric: `${prefix}, ${frontier.book}, to ${hedgeTo}: ${gamma.policy} hedging cost at its hedging error (USD/week)`,
          better: 'lower',
          unit: 'count',
          ivtrade: Math.round(gamma.costUsd),
          peer: 'fixed bands at the same error',
          peerValue: Math.round(fixedCost),
        });
      }
      rows.push({
        bench: 'hedge',
        metric: `${prefix}, ${frontier.book}, to ${hedgeTo}: gamma points on or below the fixed bands' frontier`,
        better: 'higher',
        unit: 'count',
        ivtrade: frontier.gammaOnOrBelow[hedgeTo],
        peer: 'gamma points',
        peerValue: frontier.gammaPoints,
        target: { on: 'ratio', op: '>=', value: 1 },
      });
    }
  }
  const notes = [
    `hedge frontier: ${config.days} days on each of ${config.seeds.length} seeded paths (${config.seeds.join(', ')}) ` +
      `at ${config.stepMs / 1000} s steps, ${FRONTIER_BOOKS.length} books, ` +
      `${books[0]?.points.length ?? 0} policies each; cost = fee ${FEE_RATE * 100} % + half ` +
      `the $${HALF_SPREAD * 2} spread + slippage past $${DEPTH_PER_LEVEL_USD.toLocaleString('en-US')} ` +
      `per $${TICK} level; risk = σ per hour of the hedging error (the PnL of the delta ` +
      `left between hedges); simulated in ${seconds.toFixed(1)} s.`,
    ...books.map(
      (frontier) =>
        `hedge frontier, ${frontier.book}: gamma on or below the fixed frontier at ` +
        `${frontier.gammaOnOrBelow.zero} of ${frontier.gammaPoints} aversions trading to zero, ` +
        `${frontier.gammaOnOrBelow.edge} of ${frontier.gammaPoints} to the edge; frontier: ` +
        frontier.points
          .filter((point) => point.frontier)
          .sort((a, b) => a.costUsd - b.costUsd)
          .map(
            (point) => `${point.policy} (${money(point.costUsd)}, σ ${money(point.errorStdUsd)})`,
          )
          .join(' → ') +
        '.',
    ),
  ];
  return { rows, notes, books };
}
