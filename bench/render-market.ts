// The market the render bench draws: a Deribit-like BTC inverse listing (10 expiries × 100
// strikes × call and put = 2,000 options, plus the perpetual) around a 90,000 forward, driven
// through `MarketEngine.apply` exactly as a feed's events arrive, without sockets. Seeded
// random walks of the index and of every option's vol make prices, IVs and greeks move from
// frame to frame, so memoized rows really do change.

import type { FeedEvent, OrderEvent, PositionEvent, TickerEvent } from '../src/book/events.js';
import type { FutureSpec, OptionSpec } from '../src/instruments/types.js';
import { MarketEngine } from '../src/app/market-engine.js';
import { ReadModel } from '../src/app/read-model.js';
import { black76Price, MS_PER_DAY, MS_PER_YEAR, type OptionType } from '../src/pricing/index.js';
import { fmtExpiry } from '../src/view/format.js';
import { mulberry32 } from './common.js';

/** A label only: nothing here speaks a venue's protocol. */
export const VENUE = 'bench';
const BASE = 'BTC';
const PERPETUAL = 'BTC-PERPETUAL';
const INDEX_START = 90_000;
/** Days from the front expiry's day: dailies, weeklies, monthlies and quarterlies. */
const EXPIRY_DAYS = [0, 1, 2, 6, 13, 20, 34, 62, 90, 181] as const;
const STRIKES_PER_EXPIRY = 100;
export const OPTION_COUNT = EXPIRY_DAYS.length * STRIKES_PER_EXPIRY * 2;
const TICK = 0.0001;
const TICKS_PER_COIN = 10_000;
const BASIS = 0.06;
/** One index step per this many updates: the forward moves between any two frames. */
const INDEX_EVERY = 50;
/** Index and perpetual tickers per this many updates (each takes one update's place). */
const HEDGE_EVERY = 100;
const INDEX_STEP = 0.0004;
const VOL_STEP = 0.002;

/**
 * Rounded as Deribit sends them (`index_price` and `underlying_price` to the cent,
 * `mark_price` to 1e-8 coin, `mark_iv` to 0.01 %): a venue never sends 17 significant digits,
 * and what a number costs to print and to carry depends on its digits.
 */
const cents = (value: number): number => Math.round(value * 100) / 100;
const markPrice = (value: number): number => Math.round(value * 1e8) / 1e8;
const markIv = (value: number): number => Math.round(value * 1e4) / 1e4;

/** Strike spacing as Deribit lists BTC: finer for the near expiries. */
function strikeStep(days: number): number {
  return days <= 3 ? 500 : days <= 21 ? 1_000 : 2_000;
}

/** The first 08:00 UTC at least six hours ahead, so the front expiry never lapses mid-run. */
function frontExpiry(now: number): number {
  const day = Math.floor((now + 6 * 3_600_000) / MS_PER_DAY) * MS_PER_DAY + 8 * 3_600_000;
  return day >= now + 6 * 3_600_000 ? day : day + MS_PER_DAY;
}

function optionSpec(expiry: number, strike: number, type: OptionType): OptionSpec {
  return {
    kind: 'option',
    name: `${BASE}-${fmtExpiry(expiry)}-${strike}-${type === 'call' ? 'C' : 'P'}`,
    base: BASE,
    quote: BASE,
    settlement: 'inverse',
    settleCurrency: BASE,
    expiry,
    strike,
    type,
    tickSize: TICK,
    tickSteps: [{ abovePrice: 0.005, tickSize: 0.0005 }],
    lotSize: 0.1,
    minSize: 0.1,
    contractSize: 1,
    sizeUnit: 'base',
  };
}

const PERPETUAL_SPEC: FutureSpec = {
  kind: 'perpetual',
  name: PERPETUAL,
  base: BASE,
  quote: 'USD',
  settlement: 'inverse',
  settleCurrency: BASE,
  expiry: null,
  tickSize: 0.5,
  tickSteps: [],
  lotSize: 10,
  minSize: 10,
  contractSize: 10,
  sizeUnit: 'usd',
};

/**
 * The engine, its read model and the seeded market model feeding it. Every update is one
 * event through `engine.apply`: mostly an option ticker (bid, ask, sizes, mark, index and the
 * expiry's forward), every 100th an index print or a perpetual ticker.
 */
export class BenchMarket {
  readonly engine = new MarketEngine([]);
  readonly model: ReadModel;
  readonly specs: readonly OptionSpec[];
  /** Events applied so far. */
  updates = 0;
  readonly #rnd: () => number;
  readonly #vol: Float64Array;
  #index = INDEX_START;

  constructor(seed: number, now: number) {
    this.#rnd = mulberry32(seed);
    this.model = new ReadModel(this.engine, {
      venue: VENUE,
      mode: 'SIM',
      currencies: [BASE],
      logPath: null,
    });
    const front = frontExpiry(now);
    const specs: OptionSpec[] = [];
    for (const days of EXPIRY_DAYS) {
      const expiry = front + days * MS_PER_DAY;
      const step = strikeStep(days);
      const first = Math.max(10_000, INDEX_START - 45 * step);
      for (let k = 0; k < STRIKES_PER_EXPIRY; k++) {
        specs.push(optionSpec(expiry, first + k * step, 'call'));
        specs.push(optionSpec(expiry, first + k * step, 'put'));
      }
    }
    this.specs = specs;
    this.#vol = new Float64Array(specs.length);
  }

  /** The listing, the index and a ticker for every instrument; a small book held on top. */
  open(now: number): void {
    for (const spec of [...this.specs, PERPETUAL_SPEC]) {
      this.engine.apply({ kind: 'instrument-added', venue: VENUE, ts: now, spec });
    }
    this.#applyIndex(now);
    this.#applyPerpetual(now);
    for (let i = 0; i < this.specs.length; i++) this.engine.apply(this.#ticker(i, now));
    for (const event of this.#account(now)) this.engine.apply(event);
    this.engine.market.settle(now);
  }

  /** Applies `count` updates stamped `now`. */
  update(count: number, now: number): void {
    for (let u = 0; u < count; u++) {
      this.updates += 1;
      if (this.updates % INDEX_EVERY === 0) this.#stepIndex();
      if (this.updates % HEDGE_EVERY === 0) this.#applyIndex(now);
      else if (this.updates % HEDGE_EVERY === HEDGE_EVERY / 2) this.#applyPerpetual(now);
      else this.engine.apply(this.#ticker(Math.floor(this.#rnd() * this.specs.length), now));
    }
  }

  #stepIndex(): void {
    const shock = (this.#rnd() - 0.5) * 2 * INDEX_STEP;
    // A faint pull back to the start keeps strikes centred however long the run.
    this.#index *= Math.exp(shock + 0.001 * Math.log(INDEX_START / this.#index));
  }

  #applyIndex(now: number): void {
    this.engine.apply({
      kind: 'index',
      venue: VENUE,
      base: BASE,
      quote: 'USD',
      ts: now,
      price: cents(this.#index),
    });
  }

  #applyPerpetual(now: number): void {
    const bid = Math.floor((this.#index * 1.0002) / 0.5) * 0.5;
    this.engine.apply(hedgeTicker(PERPETUAL, now, bid, bid + 0.5, cents(this.#index)));
  }

  #ticker(i: number, now: number): TickerEvent {
    const spec = this.specs[i]!;
    const years = Math.max(1 / 365 / 24, (spec.expiry - now) / MS_PER_YEAR);
    const forward = this.#index * Math.exp(BASIS * years);
    const atm = 0.42 + 0.12 * Math.exp(-8 * years);
    const z = Math.max(-4, Math.min(4, Math.log(spec.strike / forward) / (atm * Math.sqrt(years))));
    // Mean-reverting noise on each option's vol: the IVs the screen shows keep moving.
    const noise = 0.97 * this.#vol[i]! + (this.#rnd() - 0.5) * 2 * VOL_STEP;
    this.#vol[i] = noise;
    const sigma = atm * (1 - 0.08 * z + 0.03 * z * z) + noise;
    const half = 0.008 + 0.004 * Math.abs(z);
    const coin = (vol: number): number =>
      black76Price(forward, spec.strike, years, vol, spec.type) / forward;
    // Whole ticks divided out, as a venue's "0.0415" parses (ticks × 0.0001 is 0.04149999…).
    const bidTicks = Math.floor(coin(sigma - half) / TICK);
    const bid = bidTicks / TICKS_PER_COIN;
    const ask = Math.max(bidTicks + 1, Math.ceil(coin(sigma + half) / TICK)) / TICKS_PER_COIN;
    const size = (): number => Math.round(1 + 300 * this.#rnd() ** 2) / 10;
    const hasBid = bid >= TICK;
    return {
      kind: 'ticker',
      venue: VENUE,
      instrument: spec.name,
      ts: now,
      bid: hasBid ? bid : null,
      bidSize: hasBid ? size() : null,
      ask,
      askSize: size(),
      mark: markPrice(coin(sigma)),
      index: cents(this.#index),
      forward: cents(forward),
      venueIv: { bid: null, ask: null, mark: markIv(sigma) },
      venueGreeks: null,
    };
  }

  /** A trader's few positions near the money, the perpetual hedge, and working orders. */
  #account(now: number): FeedEvent[] {
    const near = (expiryAt: number, type: OptionType): OptionSpec => {
      const row = this.specs.filter(
        (spec) => spec.expiry === this.specs[expiryAt * 2 * STRIKES_PER_EXPIRY]!.expiry,
      );
      const atm = row.filter((spec) => spec.type === type);
      return atm.reduce((best, spec) =>
        Math.abs(spec.strike - INDEX_START) < Math.abs(best.strike - INDEX_START) ? spec : best,
      );
    };
    const held: [string, number, number][] = [
      [near(1, 'call').name, 5, 0.012],
      [near(3, 'put').name, -3, 0.021],
      [near(6, 'call').name, 2.5, 0.048],
      [PERPETUAL, -40_000, INDEX_START],
    ];
    const positions = held.map(([instrument, size, averagePrice]): PositionEvent => ({
      kind: 'position',
      venue: VENUE,
      ts: now,
      instrument,
      size,
      averagePrice,
      markPrice: null,
      unrealizedPnl: null,
      realizedPnl: null,
      venueDelta: null,
    }));
    const orders = [near(2, 'put'), near(4, 'call'), near(7, 'put')].map((spec, n): OrderEvent => ({
      kind: 'order',
      venue: VENUE,
      ts: now,
      orderId: `bench-${n}`,
      label: `bench-${n}`,
      instrument: spec.name,
      side: n % 2 === 0 ? 'buy' : 'sell',
      orderType: 'limit',
      status: 'open',
      price: 0.01 + 0.005 * n,
      iv: null,
      triggerPrice: null,
      amount: 1 + n,
      filled: 0,
      averagePrice: null,
      postOnly: true,
      reduceOnly: false,
      reason: null,
      createdTs: now - 60_000 * (n + 1),
    }));
    return [...positions, ...orders];
  }
}

function hedgeTicker(
  instrument: string,
  ts: number,
  bid: number,
  ask: number,
  index: number,
): TickerEvent {
  return {
    kind: 'ticker',
    venue: VENUE,
    instrument,
    ts,
    bid,
    bidSize: 25_000,
    ask,
    askSize: 18_000,
    mark: (bid + ask) / 2,
    index,
    forward: null,
    venueIv: { bid: null, ask: null, mark: null },
    venueGreeks: null,
  };
}

/**
 * Updates at a steady rate in wall time: each call applies what `rate` per second implies
 * since the previous one (fractions carried), as a feed's messages would have arrived.
 */
export class UpdatePump {
  #last: number;
  #carry = 0;

  constructor(
    readonly market: BenchMarket,
    readonly rate: number,
    now: number,
  ) {
    this.#last = now;
  }

  /** Applies the updates due at wall time `now` (ms); returns how many. */
  catchUp(now: number): number {
    const due = ((now - this.#last) * this.rate) / 1_000 + this.#carry;
    this.#last = now;
    const count = Math.floor(due);
    this.#carry = due - count;
    this.market.update(count, Date.now());
    return count;
  }

  /** Forgets the time since the last call (after a pause, nothing piles up). */
  reset(now: number): void {
    this.#last = now;
    this.#carry = 0;
  }
}
