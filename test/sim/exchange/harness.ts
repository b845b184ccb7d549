// Hand-made model steps for the exchange core: a manual clock, instruments from the venue
// profiles, marks priced with src/pricing, and a log of every event the exchange emits.

import type { InstrumentSpec, OptionSpec } from '../../../src/instruments/types.js';
import { black76Price, yearFraction } from '../../../src/pricing/index.js';
import { bybitProfile } from '../../../src/sim/bybit/profile.js';
import type {
  ModelMark,
  ModelQuote,
  ModelStep,
  ModelTakerFlow,
  SimEvent,
  SimInstrument,
  SimVenueName,
  VenueProfile,
} from '../../../src/sim/contract.js';
import { deribitProfile } from '../../../src/sim/deribit/profile.js';
import {
  createSimExchange,
  type FeeSchedule,
  type SimExchangeCore,
} from '../../../src/sim/exchange/index.js';

/** Friday 20 Nov 2026, 07:00 UTC: an hour before the daily expiry. */
export const START = Date.UTC(2026, 10, 20, 7, 0);
/** The next weekly expiry, 08:00 UTC on Friday 27 Nov 2026. */
export const WEEKLY = Date.UTC(2026, 10, 27, 8, 0);
export const BTC_INDEX = 84_000;
export const ETH_INDEX = 3_000;
export const ACCOUNT = 'alice';
export const OTHER = 'bob';

export function simInstrument(venue: SimVenueName, spec: InstrumentSpec): SimInstrument {
  return { spec, venue, currency: spec.base, listedAt: START };
}

export interface StepInput {
  readonly listed?: readonly SimInstrument[];
  readonly index?: Readonly<Record<string, number>>;
  readonly marks?: ReadonlyMap<string, ModelMark>;
  readonly quotes?: Readonly<Record<string, ModelQuote>>;
  readonly takers?: readonly ModelTakerFlow[];
  readonly expired?: ModelStep['expired'];
}

export class Harness {
  time = START;
  readonly events: SimEvent[] = [];
  readonly exchange: SimExchangeCore;

  constructor(
    readonly profile: VenueProfile,
    funding: Readonly<Record<string, number>>,
    fees?: FeeSchedule,
  ) {
    this.exchange = createSimExchange({
      venue: profile.venue,
      now: () => this.time,
      funding,
      seed: 7,
      ...(fees === undefined ? {} : { fees }),
    });
    this.exchange.subscribe((event) => this.events.push(event));
    this.exchange.openAccount(ACCOUNT);
    this.exchange.openAccount(OTHER);
  }

  step(input: StepInput = {}, advanceMs = 0): void {
    this.time += advanceMs;
    this.exchange.apply({
      ts: this.time,
      index: new Map(Object.entries(input.index ?? {})),
      listed: input.listed ?? [],
      expired: input.expired ?? [],
      marks: input.marks ?? new Map(),
      quotes: new Map(Object.entries(input.quotes ?? {})),
      takers: input.takers ?? [],
    });
  }

  /** Events of one type since `from` (an index into `events`). */
  of<T extends SimEvent['type']>(type: T, from = 0): Extract<SimEvent, { type: T }>[] {
    return this.events
      .slice(from)
      .filter((event): event is Extract<SimEvent, { type: T }> => event.type === type);
  }
}

/** A model mark for an option: Black-76 at `iv` on `forward`, in the instrument's unit. */
export function optionMark(
  spec: OptionSpec,
  forward: number,
  iv: number,
  now: number,
  indexPrice = forward,
): ModelMark {
  const usd = black76Price(forward, spec.strike, yearFraction(now, spec.expiry), iv, spec.type);
  return {
    markPrice: spec.settlement === 'inverse' ? usd / forward : usd,
    markIv: iv,
    forward,
    underlyingName: `SYN.${spec.base}-27NOV26`,
    indexPrice,
    fundingRate: null,
  };
}

export function futureMark(
  price: number,
  indexPrice: number,
  fundingRate: number | null = null,
): ModelMark {
  return {
    markPrice: price,
    markIv: null,
    forward: price,
    underlyingName: 'index',
    indexPrice,
    fundingRate,
  };
}

export function quote(bids: readonly number[], asks: readonly number[]): ModelQuote {
  return { bids, asks };
}

// ---------------------------------------------------------------------------------------------
// A Deribit-like venue: BTC options and perpetual, one ETH option.

export const BTC_CALL = deribitProfile.optionSpec('BTC', WEEKLY, 90_000, 'call');
export const BTC_PUT = deribitProfile.optionSpec('BTC', WEEKLY, 80_000, 'put');
export const BTC_PERP = deribitProfile.perpetualSpec('BTC');
export const BTC_FUTURE = deribitProfile.futureSpec('BTC', WEEKLY)!;
export const ETH_CALL = deribitProfile.optionSpec('ETH', WEEKLY, 3_200, 'call');

/** Market-maker liquidity of the inverse venue's first step. */
export const CALL_QUOTE = quote([0.0055, 5, 0.005, 10], [0.0065, 2, 0.007, 3]);
export const PUT_QUOTE = quote([0.009, 4], [0.0105, 4]);
export const PERP_QUOTE = quote(
  [83_990, 50_000, 83_980, 100_000],
  [84_010, 50_000, 84_020, 100_000],
);
export const ETH_QUOTE = quote([0.01, 20], [0.0115, 20]);

export function inverseMarks(now: number, forward = BTC_INDEX, iv = 0.5): Map<string, ModelMark> {
  return new Map([
    [BTC_CALL.name, optionMark(BTC_CALL, forward, iv, now, BTC_INDEX)],
    [BTC_PUT.name, optionMark(BTC_PUT, forward, iv, now, BTC_INDEX)],
    [BTC_PERP.name, futureMark(forward, BTC_INDEX, 0.0001)],
    [BTC_FUTURE.name, futureMark(forward, BTC_INDEX)],
    [ETH_CALL.name, optionMark(ETH_CALL, ETH_INDEX, 0.6, now, ETH_INDEX)],
  ]);
}

/** The inverse venue after its first step: everything listed, marked and quoted. */
export function inverseVenue(fees?: FeeSchedule): Harness {
  const harness = new Harness(deribitProfile, { BTC: 10, ETH: 100 }, fees);
  harness.step({
    listed: [BTC_CALL, BTC_PUT, BTC_PERP, BTC_FUTURE, ETH_CALL].map((spec) =>
      simInstrument('deribit', spec),
    ),
    index: { BTC: BTC_INDEX, ETH: ETH_INDEX },
    marks: inverseMarks(harness.time),
    quotes: {
      [BTC_CALL.name]: CALL_QUOTE,
      [BTC_PUT.name]: PUT_QUOTE,
      [BTC_PERP.name]: PERP_QUOTE,
      [BTC_FUTURE.name]: PERP_QUOTE,
      [ETH_CALL.name]: ETH_QUOTE,
    },
  });
  return harness;
}

// ---------------------------------------------------------------------------------------------
// A Bybit-like venue: a USDT-settled BTC option and the USDT perpetual.

export const USDT_CALL = bybitProfile.optionSpec('BTC', WEEKLY, 90_000, 'call');
export const USDT_PERP = bybitProfile.perpetualSpec('BTC');

export function linearVenue(): Harness {
  const harness = new Harness(bybitProfile, { USDT: 1_000_000 });
  harness.step({
    listed: [USDT_CALL, USDT_PERP].map((spec) => simInstrument('bybit', spec)),
    index: { BTC: BTC_INDEX },
    marks: new Map([
      [USDT_CALL.name, optionMark(USDT_CALL, BTC_INDEX, 0.5, harness.time)],
      [USDT_PERP.name, futureMark(BTC_INDEX, BTC_INDEX, 0.0001)],
    ]),
    quotes: {
      [USDT_CALL.name]: quote([480, 1, 470, 2], [540, 1, 550, 2]),
      [USDT_PERP.name]: quote([83_999.9, 5, 83_999, 10], [84_000.1, 5, 84_001, 10]),
    },
  });
  return harness;
}
