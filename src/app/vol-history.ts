// Per coin of one venue: realised vol bars loaded from the venue's history at start and
// extended live, the venue's volatility series, and what a trader reads off them next to the
// fitted surface: the RV table, the volatility risk premium per constant maturity, IV rank.
//
// Rules (where the issue is silent):
// - History at start: 1-minute bars over the last 7 days and 1-hour bars over the last 366,
//   both venues (Deribit's chart data and Bybit's kline reach that far; the loaders page).
//   1-minute bars feed the 1- and 7-day RV; 1-hour bars the 1-, 7-, 30- and 90-day RV.
// - Live: each venue's price tick (VenueHistory.priceTick: Deribit's USD index, Bybit's
//   perpetual index price) is folded into both builders, from the moment the door opens (the
//   builders merge history and live bars that overlap: the venue's open, the live close).
// - VRP per constant maturity: the surface's ATM IV at D days minus the trailing Yang–Zhang RV
//   over D days, 1-minute bars for D ≤ 7, 1-hour bars beyond (≤ 366 days of them).
// - IV rank/percentile: over 365 days of the venue's implied index (Deribit DVOL daily closes,
//   the current level from the live channel). Bybit publishes no implied index (its series is
//   realised vol), so there IV rank is null here: it needs ivtrade's own surface history.

import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  BarBuilder,
  ivRank,
  realizedVol,
  realizedVolTable,
  volRiskPremium,
  type Bar,
  type IvRank,
  type RvRow,
  type SeriesPoint,
} from '../analytics/index.js';
import type { FeedEvent } from '../book/events.js';
import type { VenueHistory, VenueVolSeries } from '../feeds/feed.js';
import type { MarketEngine } from './market-engine.js';
import type { CoinSurface } from './surface-model.js';

export const MINUTE_HISTORY_DAYS = 7;
export const HOUR_HISTORY_DAYS = 366;
export const MINUTE_RV_DAYS: readonly number[] = [1, 7];
export const HOUR_RV_DAYS: readonly number[] = [1, 7, 30, 90];
const VRP_ESTIMATOR = 'yang-zhang';

export type HistoryStatus = 'loading' | 'ready' | 'failed' | 'none';

/** One constant maturity's implied against realised. */
export interface VrpPoint {
  readonly days: number;
  readonly atmIv: number | null;
  readonly rv: number | null;
  readonly vrp: number | null;
}

/** The venue's own volatility series of the coin: name, kind, latest level. */
export interface VenueIndexView {
  readonly name: string;
  readonly kind: 'implied' | 'realized';
  /** Latest level (decimal): the live channel's where there is one, else the series' last. */
  readonly value: number | null;
  readonly ts: number | null;
}

export interface CoinVolView {
  readonly venue: string;
  readonly coin: string;
  readonly ts: number;
  readonly status: HistoryStatus;
  /** Why the history is missing ('failed'), else null. */
  readonly error: string | null;
  /** What the bars are made of. */
  readonly candleSource: string | null;
  readonly minuteRv: readonly RvRow[];
  readonly hourRv: readonly RvRow[];
  /** Per grid maturity of the surface (empty without one). */
  readonly vrp: readonly VrpPoint[];
  readonly ivRank: IvRank;
  /** Where IV rank comes from (the series' name), or why there is none. */
  readonly ivRankSource: string;
  readonly venueIndex: VenueIndexView | null;
}

interface CoinState {
  status: HistoryStatus;
  error: string | null;
  readonly minutes: BarBuilder;
  readonly hours: BarBuilder;
  series: VenueVolSeries | null;
  memo: {
    key: string;
    /** The builders' bars copied once per memo period (every read of a builder copies). */
    minuteBars: Bar[];
    hourBars: Bar[];
    minuteRv: RvRow[];
    hourRv: RvRow[];
    surface: CoinSurface | null;
    vrp: VrpPoint[];
  } | null;
}

export interface VolHistoryOptions {
  readonly minuteDays?: number;
  readonly hourDays?: number;
}

/**
 * Realised and venue vol history of a venue's coins, fed by the engine's events. `start()`
 * loads the history (a venue without a history door shows status 'none'); views are pure
 * reads and never wait for the network.
 */
export class VolHistory {
  readonly #coins = new Map<string, CoinState>();
  readonly #history: VenueHistory | null;
  readonly #minuteDays: number;
  readonly #hourDays: number;
  #unsubscribe: (() => void) | null = null;

  constructor(
    readonly engine: MarketEngine,
    readonly venue: string,
    coins: readonly string[],
    options: VolHistoryOptions = {},
  ) {
    this.#history = engine.feed(venue)?.history ?? null;
    this.#minuteDays = options.minuteDays ?? MINUTE_HISTORY_DAYS;
    this.#hourDays = options.hourDays ?? HOUR_HISTORY_DAYS;
    for (const coin of coins) {
      this.#coins.set(coin.toUpperCase(), {
        status: this.#history === null ? 'none' : 'loading',
        error: null,
        minutes: new BarBuilder(MINUTE_MS, {
          maxBars: Math.ceil(((this.#minuteDays + 1) * DAY_MS) / MINUTE_MS),
        }),
        hours: new BarBuilder(HOUR_MS, {
          maxBars: Math.ceil(((this.#hourDays + 1) * DAY_MS) / HOUR_MS),
        }),
        series: null,
        memo: null,
      });
    }
  }

  /** Follows live ticks, then loads every coin's history; resolves when all have settled
   * (a coin whose history fails is 'failed' with the reason, the others unaffected). */
  async start(now: number): Promise<void> {
    const history = this.#history;
    if (history === null) return;
    this.#unsubscribe ??= this.engine.onEvent((event) => this.#observe(history, event));
    await Promise.all(
      [...this.#coins].map(([coin, state]) => this.#load(history, coin, state, now)),
    );
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  coins(): string[] {
    return [...this.#coins.keys()];
  }

  /** Bars held for a coin, oldest first (the newest may still be forming). */
  bars(coin: string, periodMs: number): Bar[] {
    const state = this.#coins.get(coin.toUpperCase());
    if (state === undefined) return [];
    return (periodMs === MINUTE_MS ? state.minutes : state.hours).bars();
  }

  async #load(history: VenueHistory, coin: string, state: CoinState, now: number): Promise<void> {
    try {
      const minuteFrom = Math.floor((now - this.#minuteDays * DAY_MS) / MINUTE_MS) * MINUTE_MS;
      const hourFrom = Math.floor((now - this.#hourDays * DAY_MS) / HOUR_MS) * HOUR_MS;
      const [minutes, hours, series] = await Promise.all([
        history.candles(coin, MINUTE_MS, minuteFrom, now),
        history.candles(coin, HOUR_MS, hourFrom, now),
        history.volSeries(coin, DAY_MS, now - this.#hourDays * DAY_MS, now),
      ]);
      state.minutes.load(minutes);
      state.hours.load(hours);
      state.series = series;
      state.status = 'ready';
      state.memo = null;
    } catch (error) {
      state.status = 'failed';
      state.error = error instanceof Error ? error.message : String(error);
    }
  }

  #observe(history: VenueHistory, event: FeedEvent): void {
    if (event.venue !== this.venue) return;
    const tick = history.priceTick(event);
    if (tick === null) return;
    const state = this.#coins.get(tick.base);
    if (state === undefined || !(tick.price > 0)) return;
    state.minutes.tick(tick.ts, tick.price);
    state.hours.tick(tick.ts, tick.price);
  }

  /** The coin's view at `now` (the venue's time), against its fitted surface when given. */
  view(coin: string, now: number, surface: CoinSurface | null = null): CoinVolView | null {
    const key = coin.toUpperCase();
    const state = this.#coins.get(key);
    if (state === undefined) return null;
    // The tables move with each completed bar: recomputed at most once a second.
    const memoKey = `${state.status}|${Math.floor(now / 1000)}`;
    const ready = state.status === 'ready';
    if (state.memo?.key !== memoKey) {
      const minuteBars = ready ? state.minutes.bars() : [];
      const hourBars = ready ? state.hours.bars() : [];
      state.memo = {
        key: memoKey,
        minuteBars,
        hourBars,
        minuteRv: ready ? realizedVolTable(minuteBars, MINUTE_MS, now, MINUTE_RV_DAYS) : [],
        hourRv: ready ? realizedVolTable(hourBars, HOUR_MS, now, HOUR_RV_DAYS) : [],
        surface: null,
        vrp: [],
      };
    }
    if (state.memo.surface !== surface) {
      state.memo.surface = surface;
      state.memo.vrp = surface === null || !ready ? [] : this.#vrp(state.memo, surface, now);
    }
    const rank = this.#rank(key, state);
    return {
      venue: this.venue,
      coin: key,
      ts: now,
      status: state.status,
      error: state.error,
      candleSource: this.#history?.candleSource(key) ?? null,
      minuteRv: state.memo.minuteRv,
      hourRv: state.memo.hourRv,
      vrp: state.memo.vrp,
      ivRank: rank.rank,
      ivRankSource: rank.source,
      venueIndex: this.#venueIndex(key, state),
    };
  }

  #vrp(
    bars: { readonly minuteBars: readonly Bar[]; readonly hourBars: readonly Bar[] },
    surface: CoinSurface,
    now: number,
  ): VrpPoint[] {
    return surface.grid.rows.map((row) => {
      const minute = row.days <= this.#minuteDays;
      const rv = realizedVol(minute ? bars.minuteBars : bars.hourBars, VRP_ESTIMATOR, {
        periodMs: minute ? MINUTE_MS : HOUR_MS,
        days: row.days,
        end: now,
      }).vol;
      const atmIv = row.readouts.atmIv;
      return { days: row.days, atmIv, rv, vrp: volRiskPremium(atmIv, rv) };
    });
  }

  /** The implied series with its last point brought up to the live channel's level. */
  #impliedSeries(coin: string, state: CoinState): SeriesPoint[] | null {
    const series = state.series;
    if (series === null || series.kind !== 'implied') return null;
    const points = [...series.points];
    // ivtrade's own index is not the venue's: the venue's live level does not extend it.
    if (series.own === true) return points;
    const live = this.engine.market.volatilityIndex(this.venue, coin);
    const last = points[points.length - 1];
    if (live !== undefined && live.value > 0 && (last === undefined || live.ts > last.ts)) {
      // The venue's newest daily candle is today's, still forming: the live level is its close.
      if (last !== undefined && live.ts < last.ts + DAY_MS) points.pop();
      points.push({ ts: live.ts, value: live.value });
    }
    return points;
  }

  #rank(coin: string, state: CoinState): { rank: IvRank; source: string } {
    if (state.status !== 'ready') {
      const reason =
        state.status === 'failed' ? `history failed: ${state.error}` : `history ${state.status}`;
      return { rank: { rank: null, percentile: null, count: 0, reason }, source: '-' };
    }
    const series = this.#impliedSeries(coin, state);
    if (series === null) {
      const what =
        state.series === null ? 'no volatility index' : `${state.series.name} is realised vol`;
      return {
        rank: {
          rank: null,
          percentile: null,
          count: 0,
          reason: `${this.venue} publishes no implied vol index (${what})`,
        },
        source: '-',
      };
    }
    return { rank: ivRank(series), source: state.series!.name };
  }

  #venueIndex(coin: string, state: CoinState): VenueIndexView | null {
    const live = this.engine.market.volatilityIndex(this.venue, coin);
    // ivtrade's own index (an attached screen's) is never shown as the venue's.
    const series = state.series?.own === true ? null : state.series;
    const last = series?.points[series.points.length - 1];
    if (live !== undefined && (last === undefined || live.ts >= last.ts)) {
      // A live index event is always an implied index (the venue's DVOL-style channel).
      return {
        name: series?.name ?? this.#history?.volSeriesName(coin) ?? live.index,
        kind: 'implied',
        value: live.value,
        ts: live.ts,
      };
    }
    if (series === null) return null;
    return {
      name: series.name,
      kind: series.kind,
      value: last?.value ?? null,
      ts: last?.ts ?? null,
    };
  }
}
