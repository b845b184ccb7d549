// The seeded market: index paths, vol surfaces, carry, listings and the market makers' and
// takers' activity, turned into one ModelStep per venue at each step of the sim clock.
// Everything random comes from streams derived from the seed, so a seed and a sequence of
// step times replay the same market.

import type { InstrumentSpec, OptionSpec } from '../../instruments/types.js';
import {
  black76Price,
  impliedVol,
  MS_PER_DAY,
  MS_PER_YEAR,
  normCdf,
  normPdf,
  yearFraction,
} from '../../pricing/index.js';
import type {
  ExpiryKind,
  ModelMark,
  ModelPastTrade,
  ModelQuote,
  ModelStep,
  ModelTakerFlow,
  SimInstrument,
  SimVenueName,
  VenueProfile,
} from '../contract.js';
import { expiryCode } from '../expiry-code.js';
import type { Random } from '../random.js';
import { Basis, PerpetualPremium } from './carry.js';
import { currencyParams, type CurrencyParams } from './currency-params.js';
import { MarketHistory, MINUTE_MS, VOL_INDEX_DAYS } from './history.js';
import { IndexProcess, REGIMES, NORMAL_REGIME } from './index-process.js';
import { DepthLadder } from './depth.js';
import { FUTURE_SHAPE, OPTION_SHAPE } from './depth-shapes.js';
import { datedListedAt, perpetualListedAt } from './listing-times.js';
import { pastTrades, type PastInstrument, type PastMarket } from './past-trades.js';
import { buildLadder } from './quotes.js';
import { FUTURE_WINDOWS, OPTION_WINDOWS, nextExpiryAfter, scheduledExpiries } from './schedule.js';
import { strikeGrid, strikesToAdd } from './strikes.js';
import { stream } from './streams.js';
import { VolSurface, varianceSwapVariance, type SurfaceSlice } from './surface.js';
import { Grid } from './ticks.js';

export interface MarketModelOptions {
  readonly seed: number;
  /** Sim ms since the epoch at creation. */
  readonly start: number;
  readonly currencies: readonly string[];
  readonly venues: readonly VenueProfile[];
  readonly initialIndex?: Readonly<Record<string, number>>;
}

/** The shortest tenor an expiry's strike range is sized for: dailies list three days ahead. */
const MIN_LISTING_YEARS = 3 / 365;
/** Market makers refresh a resting option quote about this often even if nothing moved. */
const REQUOTE_SECONDS = 4;
/** Taker arrivals per minute, per currency and venue. */
const OPTION_TAKERS_PER_MINUTE = 3;
const PERP_TAKERS_PER_MINUTE = 10;
/** Per dated future. */
const FUTURE_TAKERS_PER_MINUTE = 0.5;
/** A 15-minute step would otherwise fire hundreds of takers into a book at one instant. */
const MAX_OPTION_TAKERS_PER_STEP = 40;
const MAX_FUTURE_TAKERS_PER_STEP = 20;
/** Half spread of an ATM option with weeks to run, in vol (0.006 = 0.6 vol points). */
const OPTION_HALF_SPREAD_VOL = 0.006;
/** Per unit of delta, as a fraction of the forward: the maker's cost of hedging a fill. */
const HEDGE_COST = 0.0001;
/** An option maker's top level against the typical level notional: the recorded tops run
 * 1-150 BTC, median 9 (test/fixtures/deribit), against the notional's 2 BTC. */
const OPTION_TOP_SIZE = 4;
/** A future's typical level against the notional; the perpetual's book is the deeper. */
const PERP_LEVEL_SIZE = 1;
const FUTURE_LEVEL_SIZE = 0.5;
/** The tape before the start: a day back at most, and a few pages of recent trades (Deribit
 * serves 10 by default, Bybit 50 for options and 500 for perpetuals); every print costs the
 * start time of every sim. */
const PAST_PRINTS_PER_PERPETUAL = 500;
const PAST_PRINTS_PER_FUTURE = 200;
const PAST_PRINTS_PER_OPTION = 25;
/** A trade's IV one Newton step from the vol it was priced at, when the step is this small. */
const IV_STEP_LIMIT = 0.02;

interface CurrencyState {
  readonly name: string;
  readonly slot: number;
  readonly params: CurrencyParams;
  readonly surface: VolSurface;
  readonly basis: Basis;
  /** Option expiries listed on at least one venue, by expiry. */
  readonly groups: Map<number, ExpiryGroup>;
}

/** One currency's expiry: its strikes and, per step, its forward, smile and model values. */
interface ExpiryGroup {
  readonly currency: CurrencyState;
  readonly expiry: number;
  /** Append-only, so an option's index into these stays valid; not sorted once extended. */
  strikes: number[];
  vols: Float64Array;
  callUsd: Float64Array;
  putUsd: Float64Array;
  years: number;
  forward: number;
  slice: SurfaceSlice;
}

interface OptionEntry {
  readonly instrument: SimInstrument;
  readonly spec: OptionSpec;
  readonly group: ExpiryGroup;
  readonly strikeIndex: number;
  readonly isCall: boolean;
  readonly inverse: boolean;
  readonly grid: Grid;
  readonly depth: DepthLadder;
  markPrice: number;
  quoted: boolean;
  /** When the ladder was last quoted, for how long its deep levels have rested. */
  quotedAt: number;
  bestBid: number;
  bestAsk: number;
  /** The value and half spread the resting quote was made around. */
  quotedValue: number;
  quotedHalfSpread: number;
}

interface FutureEntry {
  readonly instrument: SimInstrument;
  readonly spec: InstrumentSpec;
  readonly currency: CurrencyState;
  /** null for the perpetual. */
  readonly expiry: number | null;
  readonly premium: PerpetualPremium | null;
  readonly grid: Grid;
  readonly depth: DepthLadder;
  markPrice: number;
}

interface VenueState {
  readonly profile: VenueProfile;
  readonly names: Set<string>;
  readonly options: OptionEntry[];
  readonly futures: FutureEntry[];
  /** Listed future names by `${currency}:${expiry}`, for option underlyings. */
  readonly futureNames: Map<string, string>;
  /** Option underlying names per expiry; cleared whenever the venue's futures change. */
  readonly underlyings: Map<ExpiryGroup, string>;
  readonly premiums: Map<string, PerpetualPremium>;
  readonly quoteRandom: Random;
  readonly takerRandom: Random;
}

interface PendingChanges {
  listed: SimInstrument[];
  expired: { name: string; settlementPrice: number }[];
}

export class MarketModel {
  private readonly currencies: CurrencyState[];
  private readonly byName = new Map<string, CurrencyState>();
  private readonly index: IndexProcess;
  private readonly venues: VenueState[];
  private now: number;
  private started = false;
  private readonly seed: number;
  private readonly start: number;

  constructor(options: MarketModelOptions) {
    const { seed, start } = options;
    if (!Number.isFinite(start)) throw new RangeError(`start must be a time, got ${start}`);
    if (options.currencies.length === 0) throw new RangeError('the model needs a currency');
    this.now = start;
    this.seed = seed;
    this.start = start;
    const params = options.currencies.map((c) => currencyParams(c, options.initialIndex));
    this.index = new IndexProcess(seed, options.currencies, params);
    const regimeVol = REGIMES[NORMAL_REGIME]!.vol;
    this.currencies = options.currencies.map((name, slot) => {
      const p = params[slot]!;
      const state: CurrencyState = {
        name,
        slot,
        params: p,
        surface: new VolSurface(
          stream(seed, `surface:${name}`),
          regimeVol * p.volMultiplier,
          regimeVol * p.volMultiplier * 1.05,
          p.skewMean,
        ),
        basis: new Basis(stream(seed, `basis:${name}`)),
        groups: new Map(),
      };
      this.byName.set(name, state);
      return state;
    });
    this.venues = options.venues.map((profile) => ({
      profile,
      names: new Set(),
      options: [],
      futures: [],
      futureNames: new Map(),
      underlyings: new Map(),
      premiums: new Map(
        options.currencies.map((c) => [
          c,
          new PerpetualPremium(stream(seed, `perpetual:${profile.venue}:${c}`)),
        ]),
      ),
      quoteRandom: stream(seed, `quotes:${profile.venue}`),
      takerRandom: stream(seed, `takers:${profile.venue}`),
    }));
  }

  indexPrice(currency: string): number {
    return this.index.level(this.currency(currency).slot);
  }

  /** The forward the model prices an expiry on now (USD). */
  forward(currency: string, expiry: number): number {
    const state = this.currency(currency);
    return state.basis.forward(this.index.level(state.slot), yearFraction(this.now, expiry));
  }

  /** Model implied vol (decimal) for an expiry and strike now. */
  modelIv(currency: string, expiry: number, strike: number): number {
    const state = this.currency(currency);
    const years = yearFraction(this.now, expiry);
    if (!(years > 0)) throw new RangeError(`expiry ${expiry} is not after ${this.now}`);
    const forward = state.basis.forward(this.index.level(state.slot), years);
    return VolSurface.vol(state.surface.slice(years), Math.log(strike / forward));
  }

  /** Model ATM implied vol (decimal) at a constant maturity of `days` now. */
  atmVol(currency: string, days: number): number {
    const years = days / 365;
    return Math.sqrt(this.currency(currency).surface.atmTotalVariance(years) / years);
  }

  /** The 30-day vol index now (decimal): the surface's variance-swap vol at 30 days. */
  volIndex(currency: string): number {
    const years = VOL_INDEX_DAYS / 365;
    return Math.sqrt(varianceSwapVariance(this.currency(currency).surface.slice(years)));
  }

  /** The 30-day vol index at a 30-day ATM vol of `atmVol`, the smile's shape as it is now. */
  volIndexAtAtm(currency: string, atmVol: number): number {
    const years = VOL_INDEX_DAYS / 365;
    const slice = this.currency(currency).surface.sliceAt(atmVol * atmVol * years, years);
    return Math.sqrt(varianceSwapVariance(slice));
  }

  /** The model's own sim time, ms. */
  get time(): number {
    return this.now;
  }

  /** Advances sim time to `ts` and returns what each venue must apply. */
  step(ts: number): ReadonlyMap<SimVenueName, ModelStep> {
    if (!(ts >= this.now)) throw new RangeError(`step to ${ts} is before the model's ${this.now}`);
    const elapsedMs = ts - this.now;
    const pending = new Map<VenueState, PendingChanges>(
      this.venues.map((v) => [v, { listed: [], expired: [] }]),
    );
    const first = !this.started;
    if (first) {
      // The past as the venues' candles show it: the same seed and start as the world's
      // history (history.ts), made before the market moves so both anchor on the same index.
      const past = new MarketHistory(
        this.seed,
        this.start,
        this.currencies.map((c) => c.name),
        this.currencies.map((c) => c.params),
        this,
      );
      this.advanceTo(ts);
      this.list(ts, pending, true);
      this.started = true;
      return this.emit(ts, 0, pending, past);
    } else {
      for (let boundary = nextExpiryAfter(this.now); boundary <= ts; boundary += MS_PER_DAY) {
        this.advanceTo(boundary);
        this.settle(boundary, pending);
        this.list(boundary, pending, false);
      }
      this.advanceTo(ts);
    }
    return this.emit(ts, elapsedMs, pending, null);
  }

  private currency(name: string): CurrencyState {
    const state = this.byName.get(name);
    if (state === undefined) throw new RangeError(`the model has no currency ${name}`);
    return state;
  }

  private advanceTo(ts: number): void {
    const ms = ts - this.now;
    if (ms <= 0) return;
    const years = ms / MS_PER_YEAR;
    this.index.advance(ms);
    const regimeVol = this.index.regime.vol;
    for (const c of this.currencies) {
      c.surface.advance(years, this.index.lastReturn(c.slot), regimeVol * c.params.volMultiplier);
      c.basis.advance(years);
    }
    for (const venue of this.venues)
      for (const premium of venue.premiums.values()) premium.advance(years);
    this.now = ts;
  }

  /** Settles everything expiring at `boundary` at the index of that instant. */
  private settle(boundary: number, pending: Map<VenueState, PendingChanges>): void {
    for (const venue of this.venues) {
      venue.underlyings.clear();
      const changes = pending.get(venue)!;
      const settleOne = (instrument: SimInstrument): void => {
        const name = instrument.spec.name;
        venue.names.delete(name);
        const listedIndex = changes.listed.indexOf(instrument);
        // Listed and expired inside one long step: the venue never needs to hear of it.
        if (listedIndex >= 0) changes.listed.splice(listedIndex, 1);
        else changes.expired.push({ name, settlementPrice: this.indexPrice(instrument.currency) });
      };
      removeWhere(
        venue.options,
        (o) => o.group.expiry <= boundary,
        (o) => settleOne(o.instrument),
      );
      removeWhere(
        venue.futures,
        (f) => f.expiry !== null && f.expiry <= boundary,
        (f) => {
          venue.futureNames.delete(`${f.currency.name}:${f.expiry}`);
          settleOne(f.instrument);
        },
      );
    }
    for (const c of this.currencies) {
      for (const expiry of c.groups.keys()) if (expiry <= boundary) c.groups.delete(expiry);
    }
  }

  /** Lists what the schedule says is listed at `ts` and is not yet. On the first step the
   * venues already list it all, each since the time it would have been listed (listing-times
   * .ts); later it is listed at `ts`, the 08:00 boundary that brought it into its window. */
  private list(ts: number, pending: Map<VenueState, PendingChanges>, first: boolean): void {
    for (const c of this.currencies) {
      const optionExpiries = scheduledExpiries(ts, OPTION_WINDOWS);
      const futureExpiries = scheduledExpiries(ts, FUTURE_WINDOWS);
      const groups = new Map<number, ExpiryGroup>();
      for (const { expiry, kinds } of optionExpiries) {
        if (this.venues.some((v) => kinds.some((k) => v.profile.listsOptionExpiry(k)))) {
          groups.set(expiry, this.group(c, expiry, ts));
        }
      }
      for (const venue of this.venues) {
        const added = pending.get(venue)!.listed;
        const since = first ? this.listingTimes(venue, ts) : (): number => ts;
        const make = (spec: InstrumentSpec): SimInstrument => ({
          spec,
          venue: venue.profile.venue,
          currency: c.name,
          listedAt: since(spec),
        });
        const perpetual = venue.profile.perpetualSpec(c.name);
        if (!venue.names.has(perpetual.name)) {
          const instrument = make(perpetual);
          venue.futures.push(
            futureEntry(instrument, c, null, venue.premiums.get(c.name)!, venue.quoteRandom),
          );
          venue.names.add(perpetual.name);
          added.push(instrument);
        }
        for (const { expiry } of futureExpiries) {
          const spec = venue.profile.futureSpec(c.name, expiry);
          if (spec === null || venue.names.has(spec.name)) continue;
          const instrument = make(spec);
          venue.futures.push(futureEntry(instrument, c, expiry, null, venue.quoteRandom));
          venue.futureNames.set(`${c.name}:${expiry}`, spec.name);
          venue.underlyings.clear();
          venue.names.add(spec.name);
          added.push(instrument);
        }
        for (const scheduled of optionExpiries) {
          if (!scheduled.kinds.some((k) => venue.profile.listsOptionExpiry(k))) continue;
          const group = groups.get(scheduled.expiry)!;
          for (let i = 0; i < group.strikes.length; i++) {
            for (const type of ['call', 'put'] as const) {
              const spec = venue.profile.optionSpec(c.name, group.expiry, group.strikes[i]!, type);
              if (venue.names.has(spec.name)) continue;
              const instrument = make(spec);
              venue.options.push({
                instrument,
                spec,
                group,
                strikeIndex: i,
                isCall: type === 'call',
                inverse: spec.settlement === 'inverse',
                grid: new Grid(spec),
                depth: new DepthLadder(OPTION_SHAPE, venue.quoteRandom),
                markPrice: NaN,
                quoted: false,
                quotedAt: ts,
                bestBid: NaN,
                bestAsk: NaN,
                quotedValue: NaN,
                quotedHalfSpread: NaN,
              });
              venue.names.add(spec.name);
              added.push(instrument);
            }
          }
        }
      }
    }
  }

  /** When a venue listed what it already lists at the start, by spec; memoised per expiry. */
  private listingTimes(venue: VenueState, start: number): (spec: InstrumentSpec) => number {
    const memo = new Map<string, number>();
    const lists = (kinds: readonly ExpiryKind[]): boolean =>
      kinds.some((k) => venue.profile.listsOptionExpiry(k));
    return (spec) => {
      if (spec.expiry === null) return perpetualListedAt(venue.profile.venue, spec.base, start);
      const key = `${spec.kind}:${spec.expiry}`;
      let at = memo.get(key);
      if (at === undefined) {
        at =
          spec.kind === 'option'
            ? datedListedAt(spec.expiry, start, OPTION_WINDOWS, lists)
            : datedListedAt(spec.expiry, start, FUTURE_WINDOWS, () => true);
        memo.set(key, at);
      }
      return at;
    };
  }

  /** An expiry's strikes are set the first time any venue lists it, around spot then; a
   * later listing pass only adds strikes beyond the range if spot has run to its edge. */
  private group(c: CurrencyState, expiry: number, ts: number): ExpiryGroup {
    const years = yearFraction(ts, expiry);
    const grid = {
      spot: this.index.level(c.slot),
      // A venue lists an expiry days ahead, so even the last hours of a daily still carry the
      // strikes a multi-day tenor needed; sizing by the time left would list a sliver.
      stdDev: Math.sqrt(c.surface.atmTotalVariance(Math.max(years, MIN_LISTING_YEARS))),
      minStepFraction: c.params.minStrikeStep,
      innerCount: 10,
      wingCount: 5,
    };
    const existing = c.groups.get(expiry);
    if (existing !== undefined) {
      const added = strikesToAdd(existing.strikes, grid);
      if (added.length > 0) {
        existing.strikes = [...existing.strikes, ...added];
        existing.vols = new Float64Array(existing.strikes.length);
        existing.callUsd = new Float64Array(existing.strikes.length);
        existing.putUsd = new Float64Array(existing.strikes.length);
      }
      return existing;
    }
    const strikes = strikeGrid(grid);
    const n = strikes.length;
    const group: ExpiryGroup = {
      currency: c,
      expiry,
      strikes,
      vols: new Float64Array(n),
      callUsd: new Float64Array(n),
      putUsd: new Float64Array(n),
      years,
      forward: grid.spot,
      slice: c.surface.slice(years),
    };
    c.groups.set(expiry, group);
    return group;
  }

  private emit(
    ts: number,
    elapsedMs: number,
    pending: Map<VenueState, PendingChanges>,
    past: MarketHistory | null,
  ): ReadonlyMap<SimVenueName, ModelStep> {
    const index = new Map<string, number>();
    for (const c of this.currencies) {
      index.set(c.name, this.index.level(c.slot));
      for (const group of c.groups.values()) this.valueGroup(group, ts);
    }
    const out = new Map<SimVenueName, ModelStep>();
    for (const venue of this.venues) {
      const marks = new Map<string, ModelMark>();
      const quotes = new Map<string, ModelQuote>();
      this.emitFutures(venue, ts, elapsedMs, marks, quotes);
      this.emitOptions(venue, ts, elapsedMs, marks, quotes);
      const changes = pending.get(venue)!;
      out.set(venue.profile.venue, {
        ts,
        index,
        listed: changes.listed,
        expired: changes.expired,
        marks,
        quotes,
        takers: this.takers(venue, elapsedMs),
        ...(past === null ? {} : { pastTrades: this.pastTape(venue, ts, past) }),
      });
    }
    return out;
  }

  private valueGroup(group: ExpiryGroup, ts: number): void {
    const c = group.currency;
    group.years = yearFraction(ts, group.expiry);
    group.forward = c.basis.forward(this.index.level(c.slot), group.years);
    group.slice = c.surface.slice(group.years);
    const F = group.forward;
    const T = group.years;
    for (let i = 0; i < group.strikes.length; i++) {
      const K = group.strikes[i]!;
      const vol = VolSurface.vol(group.slice, Math.log(K / F));
      group.vols[i] = vol;
      group.callUsd[i] = black76Price(F, K, T, vol, 'call');
      group.putUsd[i] = black76Price(F, K, T, vol, 'put');
    }
  }

  private emitFutures(
    venue: VenueState,
    ts: number,
    elapsedMs: number,
    marks: Map<string, ModelMark>,
    quotes: Map<string, ModelQuote>,
  ): void {
    for (const f of venue.futures) {
      const indexPrice = this.index.level(f.currency.slot);
      const fair =
        f.premium !== null
          ? f.premium.fairPrice(indexPrice)
          : f.currency.basis.forward(indexPrice, yearFraction(ts, f.expiry!));
      const isNew = Number.isNaN(f.markPrice);
      if (fair !== f.markPrice) {
        f.markPrice = fair;
        marks.set(f.spec.name, {
          markPrice: fair,
          markIv: null,
          forward: fair,
          underlyingName: f.spec.name,
          indexPrice,
          fundingRate: f.premium !== null ? f.premium.fundingRate : null,
        });
      }
      if (!isNew && elapsedMs <= 0) continue;
      const tick = f.grid.tickAt(fair);
      const notional =
        f.currency.params.levelNotionalUsd *
        (f.premium !== null ? PERP_LEVEL_SIZE : FUTURE_LEVEL_SIZE);
      const ladder = buildLadder(
        f.grid,
        f.depth,
        {
          value: fair,
          halfSpread: tick * venue.quoteRandom.uniform(0.5, 1.5),
          size: f.spec.sizeUnit === 'usd' ? notional : notional / fair,
          elapsedMs,
        },
        venue.quoteRandom,
      );
      quotes.set(f.spec.name, { bids: ladder.bids, asks: ladder.asks });
    }
  }

  private emitOptions(
    venue: VenueState,
    ts: number,
    elapsedMs: number,
    marks: Map<string, ModelMark>,
    quotes: Map<string, ModelQuote>,
  ): void {
    const refresh = elapsedMs > 0 ? -Math.expm1(-elapsedMs / 1000 / REQUOTE_SECONDS) : 0;
    const random = venue.quoteRandom;
    for (const o of venue.options) {
      const g = o.group;
      const F = g.forward;
      const usd = o.isCall ? g.callUsd[o.strikeIndex]! : g.putUsd[o.strikeIndex]!;
      const value = o.inverse ? usd / F : usd;
      if (value !== o.markPrice) {
        o.markPrice = value;
        const c = g.currency;
        marks.set(o.spec.name, {
          markPrice: value,
          markIv: g.vols[o.strikeIndex]!,
          forward: F,
          underlyingName: this.underlyingName(venue, g),
          indexPrice: this.index.level(c.slot),
          fundingRate: null,
        });
      }
      const stale = !o.quoted || this.quoteIsStale(o, value);
      if (!stale && (refresh === 0 || !random.chance(refresh))) continue;
      const halfSpread = this.optionHalfSpread(o) / (o.inverse ? F : 1);
      const ladder = buildLadder(
        o.grid,
        o.depth,
        {
          value,
          halfSpread,
          size:
            (OPTION_TOP_SIZE * g.currency.params.levelNotionalUsd) /
            this.index.level(g.currency.slot),
          elapsedMs: ts - o.quotedAt,
        },
        random,
      );
      o.quoted = true;
      o.quotedAt = ts;
      o.bestBid = ladder.bestBid;
      o.bestAsk = ladder.bestAsk;
      o.quotedValue = value;
      o.quotedHalfSpread = halfSpread;
      quotes.set(o.spec.name, { bids: ladder.bids, asks: ladder.asks });
    }
  }

  /** A resting quote the value has walked out of, or moved well inside, must move. */
  private quoteIsStale(o: OptionEntry, value: number): boolean {
    if (value >= o.bestAsk || value <= o.bestBid) return true;
    // Under a tick of drift the maker could not improve the quote anyway.
    const slack = Math.max(o.quotedHalfSpread, o.grid.tickAt(value));
    return Math.abs(value - o.quotedValue) > 0.5 * slack;
  }

  /** USD half spread: vol points of vega, wider in the wings and close to expiry, never under
   * a small fraction of the time value, plus a little for the delta the maker must hedge. */
  private optionHalfSpread(o: OptionEntry): number {
    const g = o.group;
    const F = g.forward;
    const i = o.strikeIndex;
    const sqrtT = Math.sqrt(g.years);
    const stdDev = g.vols[i]! * sqrtT;
    const k = Math.log(g.strikes[i]! / F);
    const d1 = -k / stdDev + stdDev / 2;
    const vegaPerVol = F * normPdf(d1) * sqrtT;
    const wing = 1 + 0.8 * Math.min(4, Math.abs(k) / stdDev);
    const shortDated = 1 + 0.25 / Math.sqrt(g.years * 365);
    const timeValue = Math.min(g.callUsd[i]!, g.putUsd[i]!);
    const delta = o.isCall ? normCdf(d1) : normCdf(-d1);
    return (
      Math.max(vegaPerVol * OPTION_HALF_SPREAD_VOL * wing * shortDated, 0.015 * timeValue) +
      HEDGE_COST * F * delta
    );
  }

  private underlyingName(venue: VenueState, group: ExpiryGroup): string {
    const cached = venue.underlyings.get(group);
    if (cached !== undefined) return cached;
    const currency = group.currency.name;
    // Without a listed future, name the one the venue would list (Bybit lists none).
    const futureName =
      venue.profile.futureSpec(currency, group.expiry)?.name ??
      `${currency}-${expiryCode(group.expiry)}`;
    const name = venue.futureNames.get(`${currency}:${group.expiry}`) ?? `SYN.${futureName}`;
    venue.underlyings.set(group, name);
    return name;
  }

  /** The venue's prints before the start (past-trades.ts), at the live flow's rates: options
   * by the near-money, front-heavy odds pickNearMoney gives them. */
  private pastTape(venue: VenueState, ts: number, history: MarketHistory): ModelPastTrade[] {
    const market: PastMarket = {
      at: (currency, at) => {
        if (at >= history.anchor) {
          return { index: this.indexPrice(currency), vol: this.atmVol(currency, VOL_INDEX_DAYS) };
        }
        const minute = history.pastMinute(currency, at);
        if (minute === null) return null;
        const { open, close } = minute.index;
        const index = open + ((close - open) * (at - minute.index.ts)) / MINUTE_MS;
        return { index, vol: minute.vol };
      },
    };
    const instruments: PastInstrument[] = [];
    for (const f of venue.futures) {
      const c = f.currency;
      const perpetual = f.premium !== null;
      const premium = f.markPrice / this.index.level(c.slot);
      const notional = 0.8 * c.params.levelNotionalUsd;
      instruments.push({
        name: f.spec.name,
        currency: c.name,
        grid: f.grid,
        listedAt: f.instrument.listedAt,
        rate: perpetual ? PERP_TAKERS_PER_MINUTE : FUTURE_TAKERS_PER_MINUTE,
        size: f.spec.sizeUnit === 'usd' ? notional : notional / f.markPrice,
        halfSpread: f.grid.tickAt(f.markPrice),
        windowMs: MS_PER_DAY,
        maxPrints: perpetual ? PAST_PRINTS_PER_PERPETUAL : PAST_PRINTS_PER_FUTURE,
        value: (at, index) => ({
          price: perpetual ? index * premium : c.basis.forward(index, yearFraction(at, f.expiry!)),
          iv: null,
        }),
      });
    }
    for (const c of this.currencies) {
      const options = venue.options.filter((o) => o.group.currency === c);
      const weights = options.map(nearMoneyWeight);
      const total = weights.reduce((a, b) => a + b, 0);
      // pickNearMoney: accepted by weight in up to eight tries, else the last uniform pick.
      const missAll = Math.pow(1 - total / Math.max(1, options.length), 8);
      options.forEach((o, i) => {
        const odds = (weights[i]! / total) * (1 - missAll) + missAll / options.length;
        instruments.push(this.pastOption(o, OPTION_TAKERS_PER_MINUTE * odds));
      });
    }
    return pastTrades(instruments, ts, market, stream(this.seed, `past:${venue.profile.venue}`));
  }

  private pastOption(o: OptionEntry, rate: number): PastInstrument {
    const g = o.group;
    const c = g.currency;
    const K = g.strikes[o.strikeIndex]!;
    const type = o.isCall ? 'call' : 'put';
    return {
      name: o.spec.name,
      currency: c.name,
      grid: o.grid,
      listedAt: o.instrument.listedAt,
      rate,
      size: c.params.levelNotionalUsd / this.index.level(c.slot),
      halfSpread: o.quotedHalfSpread,
      windowMs: MS_PER_DAY,
      maxPrints: PAST_PRINTS_PER_OPTION,
      value: (at, index, volRatio) => {
        const years = yearFraction(at, g.expiry);
        const F = c.basis.forward(index, years);
        const vol = VolSurface.vol(c.surface.slice(years), Math.log(K / F)) * volRatio;
        const usd = black76Price(F, K, years, vol, type);
        const unit = o.inverse ? F : 1;
        return {
          price: usd / unit,
          iv: (price) => {
            // The print is a spread away from a known vol: a Newton step lands within a hair
            // of the solver at a fraction of its cost; far from it (a tick-sized wing), solve.
            const sd = vol * Math.sqrt(years);
            const vega = F * normPdf(Math.log(F / K) / sd + sd / 2) * Math.sqrt(years);
            const step = (price * unit - usd) / vega;
            if (Math.abs(step) < IV_STEP_LIMIT) return vol + step;
            const iv = impliedVol(price * unit, F, K, years, type);
            return Number.isFinite(iv) ? iv : null;
          },
        };
      },
    };
  }

  private takers(venue: VenueState, elapsedMs: number): ModelTakerFlow[] {
    const out: ModelTakerFlow[] = [];
    if (elapsedMs <= 0) return out;
    const minutes = elapsedMs / 60_000;
    const random = venue.takerRandom;
    for (const c of this.currencies) {
      const options = venue.options.filter((o) => o.group.currency === c);
      const optionCount = Math.min(
        MAX_OPTION_TAKERS_PER_STEP,
        random.poisson(OPTION_TAKERS_PER_MINUTE * minutes),
      );
      for (let i = 0; i < optionCount && options.length > 0; i++) {
        const o = pickNearMoney(options, random);
        const typical = c.params.levelNotionalUsd / this.index.level(c.slot);
        out.push({
          instrument: o.spec.name,
          side: random.chance(0.5) ? 'buy' : 'sell',
          amount: o.grid.amount(typical * random.uniform(0.05, 0.5)),
        });
      }
      for (const f of venue.futures) {
        if (f.currency !== c) continue;
        const rate = f.premium !== null ? PERP_TAKERS_PER_MINUTE : FUTURE_TAKERS_PER_MINUTE;
        const cap =
          f.premium !== null ? MAX_FUTURE_TAKERS_PER_STEP : MAX_FUTURE_TAKERS_PER_STEP / 4;
        const count = Math.min(cap, random.poisson(rate * minutes));
        for (let i = 0; i < count; i++) {
          const notional = c.params.levelNotionalUsd * random.uniform(0.02, 0.4);
          out.push({
            instrument: f.spec.name,
            side: random.chance(0.5) ? 'buy' : 'sell',
            amount: f.grid.amount(f.spec.sizeUnit === 'usd' ? notional : notional / f.markPrice),
          });
        }
      }
    }
    return out;
  }
}

function futureEntry(
  instrument: SimInstrument,
  currency: CurrencyState,
  expiry: number | null,
  premium: PerpetualPremium | null,
  random: Random,
): FutureEntry {
  return {
    instrument,
    spec: instrument.spec,
    currency,
    expiry,
    premium,
    grid: new Grid(instrument.spec),
    depth: new DepthLadder(FUTURE_SHAPE, random),
    markPrice: NaN,
  };
}

/** How readily a taker accepts this option: near the money and the front. */
function nearMoneyWeight(o: OptionEntry): number {
  const g = o.group;
  const z = Math.log(g.strikes[o.strikeIndex]! / g.forward) / Math.sqrt(g.slice.theta);
  return Math.exp(-0.5 * z * z) / (1 + g.years * 4);
}

/** Takers favour the front and the money: rejection-sample by distance from ATM in σ. */
function pickNearMoney(options: readonly OptionEntry[], random: Random): OptionEntry {
  let choice = random.pick(options);
  for (let attempt = 0; attempt < 8; attempt++) {
    if (random.chance(nearMoneyWeight(choice))) break;
    choice = random.pick(options);
  }
  return choice;
}

function removeWhere<T>(items: T[], test: (item: T) => boolean, onRemove: (item: T) => void): void {
  let kept = 0;
  for (const item of items) {
    if (test(item)) onRemove(item);
    else items[kept++] = item;
  }
  items.length = kept;
}
