/**
 * The volatility surface view: what the screen shows of a coin's fitted surface and its
 * realised vol, as plain text cells. Pure: a CoinSurface and a CoinVolView in, rows out.
 *
 * The screen never lies:
 * - a value the surface cannot give (after the last expiry, a delta the smile never reaches)
 *   is "-", never 0;
 * - a surface built from a chain that is not current (its feed is stale or down) keeps its
 *   numbers but says so on its title line (`stale`), and quotes left out of the fit because
 *   their book broke are counted there;
 * - an expiry whose fit failed a no-arbitrage check shows which check and whether the
 *   constrained refit repaired it; a flag left standing is never shown as clean.
 */

import type { IvRank, RvRow } from '../analytics/index.js';
import { normCdf } from '../pricing/index.js';
import {
  sviTotalVariance,
  type DeltaConvention,
  type ExpiryChain,
  type SurfaceFit,
  type SurfaceGrid,
  type SviParams,
  type VolIndex,
} from '../surface/index.js';
import type { ChartPoint } from './braille-chart.js';
import { fmtExpiry, fmtFixed, fmtIv, fmtSigned, NONE } from './format.js';

/** What the view reads of a coin's fitted surface (src/app's CoinSurface). */
export interface SurfaceInput {
  readonly venue: string;
  readonly coin: string;
  readonly quote: string;
  readonly deltaConvention: DeltaConvention;
  readonly fit: SurfaceFit;
  readonly grid: SurfaceGrid;
  readonly index: VolIndex;
  readonly health: { readonly stale: number; readonly withoutForward: number };
}

/** What the view reads of a coin's realised vol and venue index (src/app's CoinVolView). */
export interface VolInput {
  readonly status: 'loading' | 'ready' | 'failed' | 'none';
  readonly error: string | null;
  readonly minuteRv: readonly RvRow[];
  readonly hourRv: readonly RvRow[];
  readonly vrp: readonly { readonly days: number; readonly vrp: number | null }[];
  readonly ivRank: IvRank;
  readonly venueIndex: {
    readonly name: string;
    readonly kind: 'implied' | 'realized';
    readonly value: number | null;
  } | null;
}

export type GridAxis = 'delta' | 'moneyness';

/** Heat levels of the grid, low to high vol. */
export const HEAT_LEVELS = 5;

export interface HeatCell {
  readonly text: string;
  /** 0 (lowest vol of the table) … HEAT_LEVELS − 1 (highest); null for no value. */
  readonly level: number | null;
}

export interface HeatRow {
  /** The constant maturity, e.g. "30d". */
  readonly label: string;
  readonly cells: readonly HeatCell[];
}

/** Skew read-outs of one constant maturity, in vol points (text). */
export interface SkewRow {
  readonly label: string;
  readonly atm: string;
  readonly rr25: string;
  readonly bf25: string;
  readonly rr10: string;
  readonly bf10: string;
  readonly skew: string;
}

export interface FitRow {
  /** Expiry code, e.g. 27DEC26. */
  readonly expiry: string;
  /** 'svi', 'svi-reduced' or 'flat'. */
  readonly kind: string;
  /** Two-sided quotes the fit puts inside their spread: "24/25". */
  readonly inside: string;
  /** RMS IV distance outside the spreads, vol points. */
  readonly rms: string;
  /** "clean", or each failed check with its outcome: "butterfly repaired", "calendar FLAGGED". */
  readonly arbitrage: string;
  /** A check failed and was not repaired. */
  readonly flagged: boolean;
  /** A check failed and was repaired. */
  readonly repaired: boolean;
}

export interface SurfaceScreenView {
  /** e.g. "BTC surface (deribit)". */
  readonly title: string;
  /** Why the numbers may not be current; null when they are. */
  readonly stale: string | null;
  readonly axis: GridAxis;
  readonly deltaConvention: string;
  readonly columns: readonly string[];
  readonly grid: readonly HeatRow[];
  readonly skew: readonly SkewRow[];
  readonly fits: readonly FitRow[];
  /** Expiries not fitted and why. */
  readonly skipped: string | null;
  /** ATM IV of the grid and RV (Yang–Zhang) against days, vol points: one chart. */
  readonly atmTerm: readonly ChartPoint[];
  readonly rvTerm: readonly ChartPoint[];
  /** What the RV is and its state ("loading", "failed: …"), for the chart's legend. */
  readonly rvNote: string;
  /** VRP at 30 days, vol points text. */
  readonly vrp30: string;
}

/** The header's volatility figures for the coin shown. */
export interface HeaderVolView {
  /** ivtrade's own 30-day index (decimal). */
  readonly index30: number | null;
  /** The venue's index: DVOL on Deribit; null where it publishes none. */
  readonly venueIndex: number | null;
  readonly venueIndexName: string | null;
  /** 0–100, null when there is no implied history to rank in. */
  readonly ivRank: number | null;
  readonly ivPercentile: number | null;
  /** The surface behind the figures is not current. */
  readonly stale: boolean;
}

function deltaLabel(label: string): string {
  return label === 'ATM' ? 'ATM' : `${label.slice(0, -1)}Δ${label.slice(-1)}`;
}

function moneynessLabel(k: number): string {
  return k === 0 ? 'k 0' : `k${k > 0 ? '+' : ''}${k.toFixed(1)}`;
}

/** Heat levels by the value's place between the table's lowest and highest vol. */
function heat(values: readonly (readonly (number | null)[])[]): HeatCell[][] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of values) {
    for (const v of row) {
      if (v === null) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const span = hi - lo;
  return values.map((row) =>
    row.map((v): HeatCell => {
      if (v === null) return { text: NONE, level: null };
      const level =
        span > 0 ? Math.min(HEAT_LEVELS - 1, Math.floor(((v - lo) / span) * HEAT_LEVELS)) : 0;
      return { text: fmtIv(v), level };
    }),
  );
}

/** Vol points with a sign, one decimal: a risk reversal or butterfly. */
function fmtVolSpread(v: number | null): string {
  return v === null ? NONE : fmtSigned(100 * v, 1);
}

function arbitrageText(flags: SurfaceFit['expiries'][number]['arbitrage']): string {
  if (flags.length === 0) return 'clean';
  return flags.map((f) => `${f.check} ${f.repaired ? 'repaired' : 'FLAGGED'}`).join(', ');
}

export function buildHeaderVol(
  surface: SurfaceInput | null,
  vol: VolInput | null,
  stale: boolean,
): HeaderVolView {
  const venue = vol?.venueIndex ?? null;
  const implied = venue !== null && venue.kind === 'implied';
  return {
    index30: surface?.index.value ?? null,
    venueIndex: implied ? venue.value : null,
    venueIndexName: implied ? venue.name.split(' ')[0]! : null,
    ivRank: vol?.ivRank.rank ?? null,
    ivPercentile: vol?.ivRank.percentile ?? null,
    stale,
  };
}

/**
 * The surface screen of one coin. `stale`: why the chain behind it is not current (the
 * connection's state), or null.
 */
export function buildSurfaceScreen(
  surface: SurfaceInput | null,
  vol: VolInput | null,
  axis: GridAxis,
  stale: string | null,
): SurfaceScreenView | null {
  if (surface === null) return null;
  const grid = surface.grid;
  const byAxis = grid.rows.map((r) => (axis === 'delta' ? r.byDelta : r.byLogMoneyness));
  const cells = heat(byAxis);
  const leftOut =
    surface.health.stale > 0 ? `${surface.health.stale} stale quotes left out of the fit` : null;
  const staleText = [stale, leftOut].filter((s) => s !== null).join('; ');
  const rvRows = vol?.hourRv ?? [];
  const rvTerm: ChartPoint[] = [];
  for (const row of [
    ...(vol?.minuteRv.filter((r) => r.days === 1) ?? []),
    ...rvRows.filter((r) => r.days > 1),
  ]) {
    const v = row.results['yang-zhang'].vol;
    if (v !== null) rvTerm.push({ x: row.days, y: 100 * v });
  }
  const rvNote =
    vol === null
      ? 'no RV'
      : vol.status === 'ready'
        ? 'RV Yang–Zhang (1d: 1-min bars, longer: 1-h)'
        : vol.status === 'failed'
          ? `RV history failed: ${vol.error ?? ''}`
          : vol.status === 'loading'
            ? 'RV history loading'
            : 'no RV history on this venue';
  const vrp30 = vol?.vrp.find((p) => p.days === 30)?.vrp ?? null;
  const skipped = surface.fit.skipped.map((s) => `${fmtExpiry(s.expiryMs)} ${s.reason}`);
  if (surface.health.withoutForward > 0)
    skipped.push(`${surface.health.withoutForward} without a forward`);
  return {
    title: `${surface.coin}${surface.quote === surface.coin ? '' : `/${surface.quote}`} surface (${surface.venue})`,
    stale: staleText === '' ? null : staleText,
    axis,
    deltaConvention: surface.deltaConvention,
    columns:
      axis === 'delta'
        ? grid.deltas.map((d) => deltaLabel(d.label))
        : grid.logMoneyness.map(moneynessLabel),
    grid: grid.rows.map((r, i) => ({ label: `${r.days}d`, cells: cells[i]! })),
    skew: grid.rows.map((r) => ({
      label: `${r.days}d`,
      atm: fmtIv(r.readouts.atmIv),
      rr25: fmtVolSpread(r.readouts.rr25),
      bf25: fmtVolSpread(r.readouts.bf25),
      rr10: fmtVolSpread(r.readouts.rr10),
      bf10: fmtVolSpread(r.readouts.bf10),
      skew: r.readouts.skewSlope === null ? NONE : fmtSigned(r.readouts.skewSlope, 2),
    })),
    fits: surface.fit.expiries.map((e) => ({
      expiry: fmtExpiry(e.expiryMs),
      kind: e.kind,
      inside: `${e.quality.insideSpread}/${e.quality.twoSided}`,
      rms: fmtFixed(100 * e.quality.rmsOutside, 2),
      arbitrage: arbitrageText(e.arbitrage),
      flagged: e.arbitrage.some((f) => !f.repaired),
      repaired: e.arbitrage.some((f) => f.repaired),
    })),
    skipped: skipped.length === 0 ? null : skipped.join(', '),
    atmTerm: grid.rows.flatMap((r) =>
      r.readouts.atmIv === null ? [] : [{ x: r.days, y: 100 * r.readouts.atmIv }],
    ),
    rvTerm,
    rvNote,
    vrp30: vrp30 === null ? NONE : fmtSigned(100 * vrp30, 1),
  };
}

/** The fitted smile of one expiry, for the smile chart. */
export interface SmileFitView {
  readonly expiry: number;
  readonly years: number;
  readonly forward: number;
  readonly params: SviParams;
  /** Strikes whose two-sided quote the fit leaves outside [bid IV, ask IV] (1e-6 tolerance). */
  readonly outside: readonly number[];
  /** A no-arbitrage check failed and was not repaired: the curve is drawn but not clean. */
  readonly flagged: boolean;
}

/** The fitted vol at k = ln(K/F); null where the total variance is not positive. */
export function fittedIv(fit: SmileFitView, k: number): number | null {
  const w = sviTotalVariance(fit.params, k);
  return w > 0 && Number.isFinite(w) ? Math.sqrt(w / fit.years) : null;
}

/** Forward put delta magnitude N(−d₁) at k on the fitted smile: 0 deep ITM calls … 1 deep ITM puts. */
export function putDeltaAt(fit: SmileFitView, k: number): number | null {
  const w = sviTotalVariance(fit.params, k);
  if (!(w > 0)) return null;
  const sd = Math.sqrt(w);
  return normCdf(-(-k + 0.5 * w) / sd);
}

/** The fit of `expiry` and the strikes its quotes leave outside the spread; null when unfitted. */
export function buildSmileFit(
  surface: SurfaceInput & { readonly inputs: readonly ExpiryChain[] },
  expiry: number | null,
): SmileFitView | null {
  const fit = surface.fit.expiries.find((e) => e.expiryMs === expiry);
  const input = surface.inputs.find((c) => c.expiryMs === expiry);
  if (fit === undefined || input === undefined) return null;
  const view: SmileFitView = {
    expiry: fit.expiryMs,
    years: fit.years,
    forward: fit.forward,
    params: fit.params,
    outside: [],
    flagged: fit.arbitrage.some((f) => !f.repaired),
  };
  const outside: number[] = [];
  for (const q of input.quotes) {
    if (q.bidIv === null || q.askIv === null) continue;
    const iv = fittedIv(view, Math.log(q.strike / fit.forward));
    if (iv === null || iv < q.bidIv - 1e-6 || iv > q.askIv + 1e-6) outside.push(q.strike);
  }
  return { ...view, outside };
}
