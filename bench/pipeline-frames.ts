// Deribit market data as the socket delivers it, text frames, for the end-to-end pipeline
// bench: a 2,000-option BTC and ETH inverse listing in `public/get_instruments` records, then
// `ticker.{name}.100ms` and `book.{name}.100ms` notifications shaped field for field like the
// recorded ones in test/fixtures/deribit/ws-capture-2021-07-22.jsonl. Prices come from
// Black-76 on a volatility smile at a moving index, so every IV ivtrade solves from them is a
// real solve, and books keep to their change-id chains and never cross.

import { black76Greeks, black76Price, impliedVol, normCdf } from '../src/pricing/index.js';
import { MS_PER_DAY, MS_PER_YEAR, type OptionType } from '../src/pricing/index.js';
import { mulberry32 } from './common.js';

/** The day the fixtures were recorded; the listing below is that day's expiry calendar. */
export const START = Date.UTC(2021, 6, 22, 12);
/** Message time between two frames of a `.100ms` channel. */
export const SLICE_MS = 100;
/** BTC and ETH options both tick at 0.0005 coin (the 2021 records). */
const TICKS_PER_COIN = 2_000;
const TICK = 1 / TICKS_PER_COIN;
const SNAPSHOT_LEVELS = 10;
const MAX_LEVELS = 20;
const MIN_LEVELS = 2;
const EXPIRY_HOUR_MS = 8 * 3_600_000;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

interface Coin {
  readonly name: 'BTC' | 'ETH';
  readonly index: number;
  readonly atmVol: number;
  /** Annual basis of the futures over the index (2021's contango). */
  readonly basis: number;
  readonly minTrade: number;
  readonly futureTick: number;
  readonly futureContract: number;
  /** Order sizes: BTC in tenths, ETH in whole coins. */
  readonly sizeScale: number;
  readonly maxSize: number;
}

const COINS: readonly Coin[] = [
  {
    name: 'BTC',
    index: 32_200,
    atmVol: 0.8,
    basis: 0.055,
    minTrade: 0.1,
    futureTick: 0.5,
    futureContract: 10,
    sizeScale: 10,
    maxSize: 25,
  },
  {
    name: 'ETH',
    index: 2_006,
    atmVol: 0.95,
    basis: 0.06,
    minTrade: 1,
    futureTick: 0.05,
    futureContract: 1,
    sizeScale: 1,
    maxSize: 400,
  },
];

interface ExpiryPlan {
  readonly date: [number, number, number];
  readonly period: 'day' | 'week' | 'month';
  /** Strikes per coin; each is listed as a call and a put. */
  readonly strikes: number;
  /** A dated future expires with it (else the venue quotes a synthetic underlying). */
  readonly future: boolean;
}

// 12 expiries × (28…54 strikes) × call/put × 2 coins = 2,000 options. Dailies, weeklies,
// monthlies and quarterlies as listed on 2021-07-22, more strikes the further out.
const EXPIRIES: readonly ExpiryPlan[] = [
  { date: [2021, 6, 23], period: 'week', strikes: 28, future: true },
  { date: [2021, 6, 24], period: 'day', strikes: 30, future: false },
  { date: [2021, 6, 25], period: 'day', strikes: 32, future: false },
  { date: [2021, 6, 30], period: 'month', strikes: 36, future: true },
  { date: [2021, 7, 6], period: 'week', strikes: 40, future: false },
  { date: [2021, 7, 13], period: 'week', strikes: 40, future: false },
  { date: [2021, 7, 20], period: 'week', strikes: 42, future: false },
  { date: [2021, 7, 27], period: 'month', strikes: 46, future: true },
  { date: [2021, 8, 24], period: 'month', strikes: 48, future: true },
  { date: [2021, 9, 29], period: 'month', strikes: 50, future: false },
  { date: [2021, 11, 31], period: 'month', strikes: 54, future: true },
  { date: [2022, 2, 25], period: 'month', strikes: 54, future: true },
];

export interface GeneratedOption {
  readonly name: string;
  readonly coin: Coin;
  readonly expiry: number;
  readonly strike: number;
  readonly type: OptionType;
  readonly underlyingIndex: string;
  /** Standard deviations from the money at the start: quiet wings, busy centre. */
  readonly distance: number;
}

interface Side {
  /** Prices in ticks, best first. */
  readonly ticks: number[];
  readonly sizes: number[];
}

/** What the venue shows of one option that does not move with the index. */
interface OptionState {
  readonly option: GeneratedOption;
  readonly bids: Side;
  readonly asks: Side;
  changeId: number;
  readonly openInterest: number;
  readonly stats: Record<string, number | null>;
  readonly settlementPrice: number;
  readonly lastPrice: number | null;
  /** σ of the latest ticker, as a decimal. */
  markIv: number;
}

type Level = [string, number, number];

export interface FrameCounts {
  tickers: number;
  bookChanges: number;
  bytes: number;
}

/**
 * The venue side of one session: the listing, the market model and the per-option book and
 * change-id state. Frames come out in message-time order, 100 ms slices apart.
 */
export class DeribitFrameSource {
  readonly options: readonly GeneratedOption[];
  /** Options by activity, busiest (nearest the money) first. */
  readonly #byActivity: readonly OptionState[];
  readonly #states: readonly OptionState[];
  readonly #byName = new Map<string, OptionState>();
  readonly #index = new Map<string, number>();
  readonly #rnd: () => number;
  #now = START;
  #tickerCursor = 0;
  readonly counts: FrameCounts = { tickers: 0, bookChanges: 0, bytes: 0 };

  constructor(seed: number) {
    this.#rnd = mulberry32(seed);
    for (const coin of COINS) this.#index.set(coin.name, coin.index);
    this.options = listOptions();
    this.#states = this.options.map((option, i) => this.#openState(option, i));
    for (const state of this.#states) this.#byName.set(state.option.name, state);
    this.#byActivity = [...this.#states].sort((a, b) => a.option.distance - b.option.distance);
  }

  /** Message time of the latest frames. */
  get now(): number {
    return this.#now;
  }

  /** The `public/get_instruments` result rows of both currencies, options and futures. */
  instrumentsResult(): Record<string, unknown>[] {
    return instrumentRecords(this.options);
  }

  /** σ (decimal) the latest ticker of `name` was priced at. */
  markIv(name: string): number {
    return this.#byName.get(name)?.markIv ?? NaN;
  }

  /** What a subscription opens with: every book's snapshot, then every option's ticker. */
  openingFrames(): string[] {
    const frames = this.#states.map((state) => this.#snapshotFrame(state));
    for (const state of this.#states) frames.push(this.#tickerFrame(state));
    return frames;
  }

  /**
   * The next 100 ms of traffic: `count` frames, a share `tickerShare` of them tickers (taken
   * round-robin, so every option's ticker comes around in turn) and the rest book changes
   * (skewed to options near the money, as a live feed is).
   */
  slice(count: number, tickerShare: number): string[] {
    this.#advance();
    const frames: string[] = [];
    const start = this.#now;
    for (let i = 0; i < count; i++) {
      const ts = start + Math.floor((i * SLICE_MS) / count);
      if (this.#rnd() < tickerShare) {
        const state = this.#states[this.#tickerCursor]!;
        this.#tickerCursor = (this.#tickerCursor + 1) % this.#states.length;
        frames.push(this.#tickerFrame(state, ts));
      } else {
        const busy = Math.floor(this.#rnd() * this.#rnd() * this.#byActivity.length);
        frames.push(this.#changeFrame(this.#byActivity[busy]!, ts));
      }
    }
    return frames;
  }

  /** The next 100 ms with a book change and a ticker for every option. */
  everyOption(): string[] {
    this.#advance();
    const frames: string[] = [];
    for (const state of this.#states) frames.push(this.#changeFrame(state, this.#now));
    for (const state of this.#states) frames.push(this.#tickerFrame(state, this.#now));
    return frames;
  }

  /** The index takes a step of an 80 %-vol random walk. */
  #advance(): void {
    this.#now += SLICE_MS;
    const step = 0.8 * Math.sqrt(SLICE_MS / MS_PER_YEAR);
    for (const [coin, index] of this.#index) {
      this.#index.set(coin, index * Math.exp(step * normal(this.#rnd)));
    }
  }

  #forward(option: GeneratedOption): number {
    const years = (option.expiry - this.#now) / MS_PER_YEAR;
    return this.#index.get(option.coin.name)! * Math.exp(option.coin.basis * years);
  }

  /** Black-76 premium in coin at the smile, and the σ it was priced at. */
  #theo(option: GeneratedOption): { coin: number; sigma: number; forward: number; years: number } {
    const forward = this.#forward(option);
    const years = (option.expiry - this.#now) / MS_PER_YEAR;
    const sigma = smileVol(option.coin, forward, option.strike, years);
    const coin = black76Price(forward, option.strike, years, sigma, option.type) / forward;
    return { coin, sigma, forward, years };
  }

  #openState(option: GeneratedOption, i: number): OptionState {
    const rnd = this.#rnd;
    const { coin: premium, sigma } = this.#theo(option);
    const traded = rnd() < 0.6;
    const low = round(Math.max(TICK, premium * (0.7 + 0.2 * rnd())), 4);
    const state: OptionState = {
      option,
      bids: { ticks: [], sizes: [] },
      asks: { ticks: [], sizes: [] },
      changeId: 33_195_000_000 + i * 1_000,
      openInterest: round(rnd() * 900 * option.coin.minTrade, 1),
      stats: traded
        ? {
            volume: round(rnd() * 200 * option.coin.minTrade, 1),
            price_change: round(rnd() * 60 - 30, 4),
            low,
            high: round(low * (1.1 + rnd()), 4),
          }
        : { volume: null, price_change: null, low: null, high: null },
      settlementPrice: rnd() < 0.7 ? round(premium, 4) : 0,
      lastPrice: traded ? onTicks(Math.max(1, Math.round(premium * TICKS_PER_COIN))) : null,
      markIv: sigma,
    };
    this.#quote(state);
    return state;
  }

  /** Fresh quotes around the theoretical price: the book a snapshot carries. */
  #quote(state: OptionState): void {
    const rnd = this.#rnd;
    const theo = this.#theo(state.option).coin * TICKS_PER_COIN;
    const spread = 1 + Math.min(40, Math.round(0.012 * theo));
    const bestBid = Math.floor(theo - spread / 2);
    const bestAsk = Math.max(bestBid + 1, Math.ceil(theo + spread / 2), 1);
    const { bids, asks } = state;
    bids.ticks.length = bids.sizes.length = asks.ticks.length = asks.sizes.length = 0;
    for (let n = 0, t = bestBid; n < SNAPSHOT_LEVELS && t >= 1; n++) {
      bids.ticks.push(t);
      bids.sizes.push(this.#size(state.option.coin));
      t -= 1 + Math.floor(rnd() * 3);
    }
    for (let n = 0, t = bestAsk; n < SNAPSHOT_LEVELS; n++) {
      asks.ticks.push(t);
      asks.sizes.push(this.#size(state.option.coin));
      t += 1 + Math.floor(rnd() * 3);
    }
  }

  #size(coin: Coin): number {
    const u = this.#rnd();
    return Math.round((coin.minTrade + u * u * coin.maxSize) * coin.sizeScale) / coin.sizeScale;
  }

  #snapshotFrame(state: OptionState): string {
    const changeId = (state.changeId += 1 + Math.floor(this.#rnd() * 50));
    const data = {
      type: 'snapshot',
      timestamp: this.#now,
      instrument_name: state.option.name,
      change_id: changeId,
      bids: levelsOf(state.bids, 'new'),
      asks: levelsOf(state.asks, 'new'),
    };
    return this.#frame(`book.${state.option.name}.100ms`, data);
  }

  /**
   * One aggregated 100 ms change of 1–3 levels: size changes (55 %, most at the best level),
   * new levels (25 %: a better quote where the theoretical price moved, else behind the best)
   * and deletes (20 %), each price at most once per frame.
   */
  #changeFrame(state: OptionState, ts: number): string {
    const rnd = this.#rnd;
    const theo = this.#theo(state.option).coin * TICKS_PER_COIN;
    const changes = 1 + (rnd() < 0.3 ? 1 : 0) + (rnd() < 0.1 ? 1 : 0);
    const bids: Level[] = [];
    const asks: Level[] = [];
    const touched = new Set<number>();
    for (let c = 0; c < changes; c++) {
      const isBid = rnd() < 0.5;
      const level = this.#changeLevel(state, isBid, theo, touched);
      if (level !== null) (isBid ? bids : asks).push(level);
    }
    if (bids.length + asks.length === 0) {
      // Nothing could move (a one-level side, say): a size change at the ask, which never empties.
      const size = this.#size(state.option.coin);
      state.asks.sizes[0] = size;
      asks.push(['change', onTicks(state.asks.ticks[0]!), size]);
    }
    const prev = state.changeId;
    state.changeId += 1 + Math.floor(rnd() * 200);
    const data = {
      type: 'change',
      timestamp: ts,
      prev_change_id: prev,
      instrument_name: state.option.name,
      change_id: state.changeId,
      bids,
      asks,
    };
    this.counts.bookChanges++;
    return this.#frame(`book.${state.option.name}.100ms`, data);
  }

  #changeLevel(
    state: OptionState,
    isBid: boolean,
    theo: number,
    touched: Set<number>,
  ): Level | null {
    const rnd = this.#rnd;
    const side = isBid ? state.bids : state.asks;
    const other = isBid ? state.asks : state.bids;
    const key = (tick: number): number => (isBid ? -tick : tick);
    const r = rnd();
    if (r < 0.55 && side.ticks.length > 0) {
      const depth = r < 0.35 ? 0 : Math.min(side.ticks.length - 1, 1 + Math.floor(rnd() * 4));
      const tick = side.ticks[depth]!;
      if (touched.has(key(tick))) return null;
      touched.add(key(tick));
      const size = this.#size(state.option.coin);
      side.sizes[depth] = size;
      return ['change', onTicks(tick), size];
    }
    if (r < 0.8 && side.ticks.length < MAX_LEVELS) {
      const tick = this.#newTick(side, other, isBid, theo);
      if (tick === null || touched.has(key(tick))) return null;
      touched.add(key(tick));
      const size = this.#size(state.option.coin);
      const at = insertionPoint(side.ticks, tick, isBid);
      side.ticks.splice(at, 0, tick);
      side.sizes.splice(at, 0, size);
      return ['new', onTicks(tick), size];
    }
    if (side.ticks.length <= MIN_LEVELS) return null;
    // A best quote the theoretical price has moved through goes first; else a deeper one.
    const stale = isBid ? side.ticks[0]! > theo : side.ticks[0]! < theo;
    const at = stale ? 0 : 1 + Math.floor(rnd() * (side.ticks.length - 1));
    const tick = side.ticks[at]!;
    if (touched.has(key(tick))) return null;
    touched.add(key(tick));
    side.ticks.splice(at, 1);
    side.sizes.splice(at, 1);
    return ['delete', onTicks(tick), 0];
  }

  /** A free price for a new level that keeps the book uncrossed, or null. */
  #newTick(side: Side, other: Side, isBid: boolean, theo: number): number | null {
    const rnd = this.#rnd;
    const best = side.ticks[0];
    const opposite = other.ticks[0];
    const target = isBid ? Math.floor(theo - 1) : Math.ceil(theo + 1);
    const improves = best === undefined || (isBid ? target > best : target < best);
    const crosses = opposite !== undefined && (isBid ? target >= opposite : target <= opposite);
    if (improves && !crosses && target >= 1) return target;
    if (best === undefined) return null;
    const tick = isBid ? best - 1 - Math.floor(rnd() * 6) : best + 1 + Math.floor(rnd() * 6);
    if (tick < 1 || side.ticks.includes(tick)) return null;
    return tick;
  }

  #tickerFrame(state: OptionState, ts = this.#now): string {
    const { option } = state;
    const { coin: premium, sigma, forward, years } = this.#theo(option);
    state.markIv = sigma;
    const index = this.#index.get(option.coin.name)!;
    const mark = Math.max(1e-8, round(premium, 8));
    const greeks = black76Greeks(forward, option.strike, years, sigma, option.type);
    const sd = sigma * Math.sqrt(years);
    const d2 = Math.log(forward / option.strike) / sd - sd / 2;
    const rho =
      option.type === 'call'
        ? (option.strike * years * normCdf(d2)) / 100
        : (-option.strike * years * normCdf(-d2)) / 100;
    const bid = state.bids.ticks[0];
    const ask = state.asks.ticks[0];
    const venueIv = (tick: number | undefined): number => {
      if (tick === undefined) return 0;
      const iv = impliedVol(onTicks(tick) * forward, forward, option.strike, years, option.type);
      return Number.isFinite(iv) ? round(100 * iv, 2) : 0;
    };
    // Key order as the venue sends it (the recorded tickers).
    const data = {
      underlying_price: round(forward, 2),
      underlying_index: option.underlyingIndex,
      timestamp: ts,
      stats: state.stats,
      state: 'open',
      settlement_price: state.settlementPrice,
      open_interest: state.openInterest,
      min_price: Math.max(0.0001, round(mark * 0.8 - 0.025, 4)),
      max_price: round(mark * 1.4 + 0.025, 4),
      mark_price: mark,
      mark_iv: round(100 * sigma, 2),
      last_price: state.lastPrice,
      interest_rate: 0,
      instrument_name: option.name,
      index_price: round(index, 2),
      greeks: {
        vega: round(greeks.vega, 5),
        theta: round(greeks.theta, 5),
        rho: round(rho, 5),
        gamma: round(greeks.gamma, 5),
        delta: round(greeks.delta, 5),
      },
      estimated_delivery_price: round(index, 2),
      bid_iv: venueIv(bid),
      best_bid_price: bid === undefined ? 0 : onTicks(bid),
      best_bid_amount: bid === undefined ? 0 : state.bids.sizes[0]!,
      best_ask_price: ask === undefined ? 0 : onTicks(ask),
      best_ask_amount: ask === undefined ? 0 : state.asks.sizes[0]!,
      ask_iv: venueIv(ask),
    };
    this.counts.tickers++;
    return this.#frame(`ticker.${option.name}.100ms`, data);
  }

  #frame(channel: string, data: object): string {
    const text = JSON.stringify({
      jsonrpc: '2.0',
      method: 'subscription',
      params: { channel, data },
    });
    this.counts.bytes += text.length;
    return text;
  }
}

/**
 * Volatility by standard deviations from the money: a put skew and a smile, steeper at the
 * short end, over a term structure that is higher for the nearest expiries.
 */
function smileVol(coin: Coin, forward: number, strike: number, years: number): number {
  const atm = coin.atmVol * (1 + 0.25 * Math.exp(-years * 20));
  const z = Math.log(strike / forward) / (atm * Math.sqrt(years));
  const sigma = atm * (1 - 0.04 * z + 0.03 * z * z);
  return Math.min(3 * atm, Math.max(0.5 * atm, sigma));
}

function listOptions(): GeneratedOption[] {
  const options: GeneratedOption[] = [];
  for (const coin of COINS) {
    for (const plan of EXPIRIES) {
      const [y, m, d] = plan.date;
      const expiry = Date.UTC(y, m, d) + EXPIRY_HOUR_MS;
      const code = `${d}${MONTHS[m]!}${String(y % 100)}`;
      const years = (expiry - START) / MS_PER_YEAR;
      const forward = coin.index * Math.exp(coin.basis * years);
      const underlyingIndex = plan.future ? `${coin.name}-${code}` : `SYN.${coin.name}-${code}`;
      const atm = coin.atmVol * Math.sqrt(years);
      for (const strike of strikeLadder(forward, years, coin.atmVol, plan.strikes)) {
        for (const type of ['call', 'put'] as const) {
          options.push({
            name: `${coin.name}-${code}-${strike}-${type === 'call' ? 'C' : 'P'}`,
            coin,
            expiry,
            strike,
            type,
            underlyingIndex,
            distance: Math.abs(Math.log(strike / forward)) / atm + years,
          });
        }
      }
    }
  }
  return options;
}

/**
 * `count` strikes spread evenly in log-moneyness over ±3 standard deviations (at least ±6 %,
 * at most ±160 %), each rounded to a round step for its size, as listed strikes are.
 */
function strikeLadder(forward: number, years: number, vol: number, count: number): number[] {
  const reach = Math.min(1.6, Math.max(0.06, 3 * vol * Math.sqrt(years)));
  const gap = (2 * reach) / (count - 1);
  const strikes: number[] = [];
  for (let i = 0; i < count; i++) {
    const raw = forward * Math.exp(-reach + i * gap);
    const step = roundStep(raw * gap);
    const previous = strikes[strikes.length - 1] ?? 0;
    strikes.push(Math.max(Math.round(raw / step) * step, previous + step));
  }
  return strikes;
}

/** The largest of 1, 2, 2.5 and 5 × 10^k not above `value`, and at least 1. */
function roundStep(value: number): number {
  if (value < 1) return 1;
  const decade = 10 ** Math.floor(Math.log10(value));
  for (const unit of [5, 2.5, 2, 1]) if (unit * decade <= value) return unit * decade;
  return decade;
}

function instrumentRecords(options: readonly GeneratedOption[]): Record<string, unknown>[] {
  const created = START - 30 * MS_PER_DAY;
  const records: Record<string, unknown>[] = options.map((option) => ({
    tick_size: TICK,
    taker_commission: 0.0003,
    strike: option.strike,
    settlement_period: periodOf(option.expiry),
    quote_currency: option.coin.name,
    option_type: option.type,
    min_trade_amount: option.coin.minTrade,
    maker_commission: 0.0003,
    kind: 'option',
    is_active: true,
    instrument_name: option.name,
    expiration_timestamp: option.expiry,
    creation_timestamp: created,
    contract_size: 1,
    block_trade_commission: 0.00015,
    base_currency: option.coin.name,
  }));
  for (const coin of COINS) {
    for (const plan of EXPIRIES.filter((p) => p.future)) {
      const [y, m, d] = plan.date;
      records.push(
        futureRecord(
          coin,
          `${coin.name}-${d}${MONTHS[m]!}${y % 100}`,
          plan.period,
          Date.UTC(y, m, d) + EXPIRY_HOUR_MS,
          created,
        ),
      );
    }
    // A perpetual's expiration_timestamp is the venue's year-3000 placeholder.
    records.push(
      futureRecord(coin, `${coin.name}-PERPETUAL`, 'perpetual', 32_503_708_800_000, created),
    );
  }
  return records;
}

function futureRecord(
  coin: Coin,
  name: string,
  period: string,
  expiry: number,
  created: number,
): Record<string, unknown> {
  return {
    tick_size: coin.futureTick,
    taker_commission: 0.0005,
    settlement_period: period,
    quote_currency: 'USD',
    min_trade_amount: coin.futureContract,
    max_liquidation_commission: 0.0075,
    max_leverage: 50,
    maker_commission: 0,
    kind: 'future',
    is_active: true,
    instrument_name: name,
    expiration_timestamp: expiry,
    creation_timestamp: created,
    contract_size: coin.futureContract,
    block_trade_commission: 0.0001,
    base_currency: coin.name,
  };
}

function periodOf(expiry: number): string {
  return EXPIRIES.find((plan) => Date.UTC(...plan.date) + EXPIRY_HOUR_MS === expiry)!.period;
}

function levelsOf(side: Side, action: string): Level[] {
  return side.ticks.map((tick, i) => [action, onTicks(tick), side.sizes[i]!]);
}

/** Where a new price goes so the side stays best first. */
function insertionPoint(ticks: readonly number[], tick: number, isBid: boolean): number {
  let at = 0;
  while (at < ticks.length && (isBid ? ticks[at]! > tick : ticks[at]! < tick)) at++;
  return at;
}

/** Dividing the integer count of ticks gives the nearest double to the decimal price. */
function onTicks(ticks: number): number {
  return ticks / TICKS_PER_COIN;
}

function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

/** Box–Muller from the seeded generator. */
function normal(rnd: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}
