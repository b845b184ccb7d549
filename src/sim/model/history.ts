// The simulated market's past: index candles and its 30-day ATM implied vol ("vol index"), for
// any range a client asks for, generated on demand and the same for a seed every time.
//
// Before the sim started, each UTC day draws its own path from a stream seeded by the day, so a
// request for one day in March never generates the year around it:
// - the market regime per day is one chain run back from the start (which is "normal", as the
//   live model starts there), shared by all coins as in the live index process;
// - the day's total log return is the day's first draw, and its 1,440 minute closes a Brownian
//   bridge to that total, so the day's path can be made without its neighbours;
// - each minute's high and low are drawn exactly from the bridge between its open and close;
// - the path is anchored so that the minute the sim starts in opens at the live index.
// The vol index follows the regime the way the live surface does (front vol = perceived regime
// vol × the variance risk premium, reverting to its long-run level), with a little daily noise,
// and eases into the live surface's level over the last day so the two meet.
//
// From the start on, the live model's index and ATM vol are recorded into minute candles at
// every step. Jumps are left out of the past: its realised vol is the regime's diffusion.

import { MS_PER_DAY } from '../../pricing/index.js';
import type { Random } from '../random.js';
import type { CurrencyParams } from './currency-params.js';
import { NORMAL_REGIME, REGIMES } from './index-process.js';
import { stream } from './streams.js';
import { atmTotalVariance, RISK_PREMIUM } from './surface.js';

export interface SimCandle {
  readonly ts: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

export type HistorySeries = 'index' | 'volatility';

export interface LiveMarket {
  indexPrice(currency: string): number;
  /** ATM implied vol (decimal) at a constant maturity of `days`. */
  atmVol(currency: string, days: number): number;
  /** The 30-day vol index now (decimal): the surface's variance-swap vol, as DVOL measures. */
  volIndex(currency: string): number;
  /** The 30-day vol index the surface, in its shape now, would give at a 30-day ATM vol. */
  volIndexAtAtm(currency: string, atmVol: number): number;
}

export const MINUTE_MS = 60_000;
/** Days of history before the start: a year, plus room for a 30-day window at its far end. */
export const HISTORY_DAYS = 400;
export const VOL_INDEX_DAYS = 30;
const MINUTES = 1440;
const YEARS_PER_MINUTE = 1 / (365 * MINUTES);
const VOL_INDEX_YEARS = VOL_INDEX_DAYS / 365;
/** Log sd of the vol index's daily wobble around its regime level. */
const VOL_NOISE_SD = 0.05;
/** The live surface perceives a regime change over about half a day. */
const PERCEPTION_MS = MS_PER_DAY / 2;
const MINUTE_CACHE_DAYS = 64;
const INDEX_SAMPLE_MS = 1000;
/**
 * The past's vol index from its 30-day ATM vol: the ratio the live surface's smile gives, on a
 * log grid of ATM vols (interpolated: one integral per point of the past would cost 50 µs a
 * minute), in the shape the surface has at the start.
 */
const INDEX_TABLE_FROM = 0.05;
const INDEX_TABLE_TO = 4;
const INDEX_TABLE_POINTS = 48;
const INDEX_TABLE_STEP = Math.log(INDEX_TABLE_TO / INDEX_TABLE_FROM) / (INDEX_TABLE_POINTS - 1);
const PERIOD_CACHE_ENTRIES = 20_000;

interface DayCandles {
  readonly index: readonly SimCandle[];
  readonly volatility: readonly SimCandle[];
}

interface CurrencyPast {
  readonly name: string;
  readonly params: CurrencyParams;
  /** Per day back from the start's day (0 = that day): total log return and vol noise. */
  readonly dayReturn: Float64Array;
  readonly dayNoise: Float64Array;
  /** Log level at the day's start, relative to the anchor minute. */
  readonly dayStart: Float64Array;
  readonly startIndex: number;
  readonly startVol: number;
  readonly longRunVol: number;
  /** The vol index over the 30-day ATM vol, at ATM vols INDEX_TABLE_STEP apart in log. */
  readonly indexRatio: Float64Array;
  /** Makes the past's index meet the live one exactly at the start. */
  readonly indexJoin: number;
  readonly live: { index: MutableCandle[]; volatility: MutableCandle[] };
}

interface MutableCandle {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

export class MarketHistory {
  /** The minute the sim started in: history ends where it begins. */
  readonly anchor: number;
  private readonly anchorDay: number;
  private readonly regimeByDaysBack: Uint8Array;
  private readonly byName = new Map<string, CurrencyPast>();
  private readonly minuteCache = new Map<string, DayCandles>();
  private readonly periodCache = new Map<string, readonly SimCandle[]>();
  private lastRecorded = -Infinity;
  private lastIndexSample = -Infinity;

  constructor(
    private readonly seed: number,
    start: number,
    currencies: readonly string[],
    params: readonly CurrencyParams[],
    live: LiveMarket,
  ) {
    this.anchor = Math.floor(start / MINUTE_MS) * MINUTE_MS;
    this.anchorDay = Math.floor(this.anchor / MS_PER_DAY);
    this.regimeByDaysBack = regimeChain(stream(seed, 'history:regime'));
    currencies.forEach((name, i) => {
      const p = params[i]!;
      const dayReturn = new Float64Array(HISTORY_DAYS + 2);
      const dayNoise = new Float64Array(HISTORY_DAYS + 2);
      // Index k is day anchorDay − k; k = −1 (the day after) is kept at slot HISTORY_DAYS + 1.
      for (let k = -1; k <= HISTORY_DAYS; k++) {
        const r = this.dayRandom(name, this.anchorDay - k);
        const sigma = this.dayVol(p, Math.max(k, 0));
        const slot = k < 0 ? HISTORY_DAYS + 1 : k;
        dayReturn[slot] = (-sigma * sigma) / 730 + sigma * Math.sqrt(1 / 365) * r.normal();
        dayNoise[slot] = VOL_NOISE_SD * r.normal();
      }
      const dayStart = new Float64Array(HISTORY_DAYS + 1);
      const indexRatio = new Float64Array(INDEX_TABLE_POINTS);
      for (let j = 0; j < INDEX_TABLE_POINTS; j++) {
        const atm = INDEX_TABLE_FROM * Math.exp(j * INDEX_TABLE_STEP);
        indexRatio[j] = live.volIndexAtAtm(name, atm) / atm;
      }
      const startVol = live.atmVol(name, VOL_INDEX_DAYS);
      const past: CurrencyPast = {
        name,
        params: p,
        dayReturn,
        dayNoise,
        dayStart,
        startIndex: live.indexPrice(name),
        startVol,
        longRunVol: REGIMES[NORMAL_REGIME]!.vol * p.volMultiplier * 1.05,
        indexRatio,
        indexJoin: live.volIndex(name) / (startVol * tableRatio(indexRatio, startVol)),
        live: { index: [], volatility: [] },
      };
      // Where the anchor minute sits in its day's path fixes every day's starting level.
      const anchorMinute = (this.anchor - this.anchorDay * MS_PER_DAY) / MINUTE_MS;
      const path = this.dayPath(past, 0);
      dayStart[0] = -path.levels[anchorMinute]!;
      for (let k = 1; k <= HISTORY_DAYS; k++) dayStart[k] = dayStart[k - 1]! - dayReturn[k]!;
      this.byName.set(name, past);
    });
  }

  /** First candle time served. */
  get earliest(): number {
    return (this.anchorDay - HISTORY_DAYS) * MS_PER_DAY;
  }

  currencies(): string[] {
    return [...this.byName.keys()];
  }

  /** Records the live market at sim time `ts` (after each model step). */
  record(ts: number, live: LiveMarket): void {
    if (ts < this.lastRecorded) return;
    this.lastRecorded = ts;
    // The vol index is an integral over the smile (50 µs): taken at most once a second of sim
    // time, as often as the venue publishes it, not on every step.
    const sampleIndex = !(ts - this.lastIndexSample < INDEX_SAMPLE_MS);
    if (sampleIndex) this.lastIndexSample = ts;
    for (const past of this.byName.values()) {
      tick(past.live.index, ts, live.indexPrice(past.name));
      const last = past.live.volatility[past.live.volatility.length - 1];
      const level = sampleIndex || last === undefined ? live.volIndex(past.name) : last.close;
      tick(past.live.volatility, ts, level);
    }
  }

  /** The vol index now (decimal), or null before anything was recorded. */
  latestVolatility(currency: string): number | null {
    const candles = this.past(currency).live.volatility;
    return candles[candles.length - 1]?.close ?? null;
  }

  /** Candles of `periodMs` (a whole number of minutes dividing a day, or a day) whose start lies
   * in [from, to], oldest first, up to the one forming at the last recorded step. */
  candles(
    series: HistorySeries,
    currency: string,
    periodMs: number,
    from: number,
    to: number,
  ): SimCandle[] {
    if (!isServedPeriod(periodMs)) throw new RangeError(`no ${periodMs} ms candles`);
    const past = this.past(currency);
    const first = Math.max(from, this.earliest);
    const last = Math.min(to, this.lastRecorded);
    const out: SimCandle[] = [];
    if (!(first <= last)) return out;
    const lastDay = Math.floor(last / MS_PER_DAY);
    for (let day = Math.floor(first / MS_PER_DAY); day <= lastDay; day++) {
      for (const candle of this.dayCandles(series, past, day, periodMs)) {
        if (candle.ts >= first && candle.ts <= last) out.push(candle);
      }
    }
    return out;
  }

  /**
   * The index's minute candle holding `ts` and the vol index at its open, for a time before
   * the anchor (null otherwise): what the market looked like when a past trade printed.
   */
  pastMinute(currency: string, ts: number): { index: SimCandle; vol: number } | null {
    if (!(ts < this.anchor) || ts < this.earliest) return null;
    const day = Math.floor(ts / MS_PER_DAY);
    const minutes = this.pastMinutes(this.past(currency), day);
    const i = Math.floor((ts - day * MS_PER_DAY) / MINUTE_MS);
    const index = minutes.index[i];
    return index === undefined
      ? null
      : { index, vol: this.volAt(this.past(currency), this.anchorDay - day, i) };
  }

  private past(currency: string): CurrencyPast {
    const past = this.byName.get(currency);
    if (past === undefined) throw new RangeError(`no history for ${currency}`);
    return past;
  }

  private dayCandles(
    series: HistorySeries,
    past: CurrencyPast,
    day: number,
    periodMs: number,
  ): readonly SimCandle[] {
    const settled = day < this.anchorDay;
    const key = `${series}:${past.name}:${day}:${periodMs}`;
    if (settled) {
      const cached = this.periodCache.get(key);
      if (cached !== undefined) return cached;
    }
    const minutes = [...this.pastMinutes(past, day)[series], ...liveOfDay(past.live[series], day)];
    const candles = periodMs === MINUTE_MS ? minutes : aggregate(minutes, periodMs);
    if (settled) {
      if (this.periodCache.size >= PERIOD_CACHE_ENTRIES) this.periodCache.clear();
      this.periodCache.set(key, candles);
    }
    return candles;
  }

  /** The day's minute candles before the anchor (empty from the anchor's day on, past it). */
  private pastMinutes(past: CurrencyPast, day: number): DayCandles {
    const k = this.anchorDay - day;
    if (k < 0 || k > HISTORY_DAYS) return { index: [], volatility: [] };
    const key = `${past.name}:${day}`;
    const cached = this.minuteCache.get(key);
    if (cached !== undefined) return cached;
    const path = this.dayPath(past, k);
    const dayStartMs = day * MS_PER_DAY;
    const index: SimCandle[] = [];
    const volatility: SimCandle[] = [];
    const base = past.dayStart[k]!;
    for (let i = 0; i < MINUTES; i++) {
      const ts = dayStartMs + i * MINUTE_MS;
      if (ts >= this.anchor) break;
      const scale = past.startIndex;
      index.push({
        ts,
        open: scale * Math.exp(base + path.levels[i]!),
        high: scale * Math.exp(base + path.highs[i]!),
        low: scale * Math.exp(base + path.lows[i]!),
        close: scale * Math.exp(base + path.levels[i + 1]!),
      });
      // Each minute's close is the next one's open: the index at each mark, once.
      const open = i === 0 ? indexVol(past, this.volAt(past, k, 0)) : volatility[i - 1]!.close;
      const close = indexVol(past, this.volAt(past, k, i + 1));
      volatility.push({
        ts,
        open,
        high: Math.max(open, close),
        low: Math.min(open, close),
        close,
      });
    }
    if (this.minuteCache.size >= MINUTE_CACHE_DAYS) this.minuteCache.clear();
    const candles = { index, volatility };
    this.minuteCache.set(key, candles);
    return candles;
  }

  /** The 30-day ATM vol at minute i of the day k days before the anchor's. */
  private volAt(past: CurrencyPast, k: number, minute: number): number {
    const sinceDayStart = minute * MINUTE_MS;
    const today = this.dayVol(past.params, k);
    const yesterday = this.dayVol(past.params, Math.min(k + 1, HISTORY_DAYS));
    const perceived = today + (yesterday - today) * Math.exp(-sinceDayStart / PERCEPTION_MS);
    const front = perceived * RISK_PREMIUM;
    const level = Math.sqrt(
      atmTotalVariance(front, past.longRunVol, VOL_INDEX_YEARS) / VOL_INDEX_YEARS,
    );
    const noiseToday = past.dayNoise[k]!;
    const noiseTomorrow = k === 0 ? past.dayNoise[HISTORY_DAYS + 1]! : past.dayNoise[k - 1]!;
    const w = minute / MINUTES;
    const wobbled = level * Math.exp(noiseToday * (1 - w) + noiseTomorrow * w);
    const untilAnchor = this.anchor - ((this.anchorDay - k) * MS_PER_DAY + sinceDayStart);
    const pin = -Math.expm1(-Math.max(untilAnchor, 0) / MS_PER_DAY);
    return past.startVol + (wobbled - past.startVol) * pin;
  }

  private dayVol(params: CurrencyParams, daysBack: number): number {
    return REGIMES[this.regimeByDaysBack[daysBack]!]!.vol * params.volMultiplier;
  }

  private dayRandom(currency: string, day: number): Random {
    return stream(this.seed, `history:${currency}:${day}`);
  }

  /** Log levels at the day's 1,441 minute marks (0 at its start) and each minute's extremes. */
  private dayPath(
    past: CurrencyPast,
    k: number,
  ): { levels: Float64Array; highs: Float64Array; lows: Float64Array } {
    const r = this.dayRandom(past.name, this.anchorDay - k);
    r.normal(); // the day's total, drawn in the constructor
    r.normal(); // the day's vol noise
    const total = past.dayReturn[k]!;
    const s = this.dayVol(past.params, k) * Math.sqrt(YEARS_PER_MINUTE);
    const walk = new Float64Array(MINUTES + 1);
    for (let i = 1; i <= MINUTES; i++) walk[i] = walk[i - 1]! + s * r.normal();
    const levels = new Float64Array(MINUTES + 1);
    const miss = walk[MINUTES]! - total;
    for (let i = 0; i <= MINUTES; i++) levels[i] = walk[i]! - (i / MINUTES) * miss;
    const highs = new Float64Array(MINUTES);
    const lows = new Float64Array(MINUTES);
    const variance = s * s;
    for (let i = 0; i < MINUTES; i++) {
      const a = levels[i]!;
      const b = levels[i + 1]!;
      const span = (b - a) * (b - a);
      highs[i] = (a + b + Math.sqrt(span - 2 * variance * Math.log(1 - r.next()))) / 2;
      lows[i] = (a + b - Math.sqrt(span - 2 * variance * Math.log(1 - r.next()))) / 2;
    }
    return { levels, highs, lows };
  }
}

/** The vol index of a past minute whose 30-day ATM vol was `atmVol`. */
function indexVol(past: CurrencyPast, atmVol: number): number {
  return atmVol * tableRatio(past.indexRatio, atmVol) * past.indexJoin;
}

function tableRatio(table: Float64Array, atmVol: number): number {
  const at = Math.log(atmVol / INDEX_TABLE_FROM) / INDEX_TABLE_STEP;
  const j = Math.min(Math.max(Math.floor(at), 0), INDEX_TABLE_POINTS - 2);
  const w = Math.min(Math.max(at - j, 0), 1);
  return table[j]! + (table[j + 1]! - table[j]!) * w;
}

/** Candle periods served: whole minutes that divide a day, and the day. */
export function isServedPeriod(periodMs: number): boolean {
  return (
    Number.isInteger(periodMs) &&
    periodMs >= MINUTE_MS &&
    periodMs % MINUTE_MS === 0 &&
    MS_PER_DAY % periodMs === 0
  );
}

function regimeChain(random: Random): Uint8Array {
  const chain = new Uint8Array(HISTORY_DAYS + 1);
  chain[0] = NORMAL_REGIME;
  for (let k = 1; k <= HISTORY_DAYS; k++) {
    const from = REGIMES[chain[k - 1]!]!;
    let next = chain[k - 1]!;
    if (random.next() < -Math.expm1(-1 / from.meanStayDays)) {
      let u = random.next();
      for (const [index, probability] of from.next) {
        next = index;
        u -= probability;
        if (u < 0) break;
      }
    }
    chain[k] = next;
  }
  return chain;
}

function tick(candles: MutableCandle[], ts: number, value: number): void {
  const bucket = Math.floor(ts / MINUTE_MS) * MINUTE_MS;
  const last = candles[candles.length - 1];
  if (last === undefined || last.ts < bucket) {
    candles.push({ ts: bucket, open: value, high: value, low: value, close: value });
    return;
  }
  if (value > last.high) last.high = value;
  if (value < last.low) last.low = value;
  last.close = value;
}

/** The first of time-ordered rows at or after `from` (the length when there is none). */
export function firstAtOrAfter(rows: readonly { readonly ts: number }[], from: number): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (rows[mid]!.ts < from) low = mid + 1;
    else high = mid;
  }
  return low;
}

function liveOfDay(candles: readonly MutableCandle[], day: number): SimCandle[] {
  const from = day * MS_PER_DAY;
  const to = from + MS_PER_DAY;
  const out: SimCandle[] = [];
  for (let i = firstAtOrAfter(candles, from); i < candles.length && candles[i]!.ts < to; i++) {
    out.push({ ...candles[i]! });
  }
  return out;
}

function aggregate(minutes: readonly SimCandle[], periodMs: number): SimCandle[] {
  const out: MutableCandle[] = [];
  for (const m of minutes) {
    const bucket = Math.floor(m.ts / periodMs) * periodMs;
    const last = out[out.length - 1];
    if (last === undefined || last.ts !== bucket) {
      out.push({ ts: bucket, open: m.open, high: m.high, low: m.low, close: m.close });
    } else {
      if (m.high > last.high) last.high = m.high;
      if (m.low < last.low) last.low = m.low;
      last.close = m.close;
    }
  }
  return out;
}
