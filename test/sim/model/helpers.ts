// Shared set-up for the market model's tests: a two-venue BTC/ETH model and a running view of
// what an exchange would hold after applying its steps.

import assert from 'node:assert/strict';
import type { InstrumentSpec, TradingRules } from '../../../src/instruments/types.js';
import type {
  ModelMark,
  ModelQuote,
  ModelStep,
  SimInstrument,
  SimVenueName,
} from '../../../src/sim/contract.js';
import { bybitProfile } from '../../../src/sim/bybit/profile.js';
import { deribitProfile } from '../../../src/sim/deribit/profile.js';
import { MarketModel } from '../../../src/sim/model/index.js';

/** Friday 20 November 2026, 07:00 UTC: an hour before a weekly expiry. */
export const START = Date.UTC(2026, 10, 20, 7, 0);
export const HOUR = 3_600_000;
export const MINUTE = 60_000;

export function model(seed = 1, start = START): MarketModel {
  return new MarketModel({
    seed,
    start,
    currencies: ['BTC', 'ETH'],
    venues: [deribitProfile, bybitProfile],
  });
}

/** What one venue's exchange would hold after applying the steps so far. */
export class VenueView {
  readonly instruments = new Map<string, SimInstrument>();
  readonly marks = new Map<string, ModelMark>();
  readonly quotes = new Map<string, ModelQuote>();

  apply(step: ModelStep): void {
    for (const i of step.listed) this.instruments.set(i.spec.name, i);
    for (const { name } of step.expired) {
      this.instruments.delete(name);
      this.marks.delete(name);
      this.quotes.delete(name);
    }
    for (const [name, mark] of step.marks) this.marks.set(name, mark);
    for (const [name, quote] of step.quotes) this.quotes.set(name, quote);
  }
}

export class MarketView {
  readonly venues = new Map<SimVenueName, VenueView>();

  apply(steps: ReadonlyMap<SimVenueName, ModelStep>): void {
    for (const [venue, step] of steps) {
      let view = this.venues.get(venue);
      if (view === undefined) this.venues.set(venue, (view = new VenueView()));
      view.apply(step);
    }
  }

  venue(name: SimVenueName): VenueView {
    const view = this.venues.get(name);
    if (view === undefined) throw new Error(`no steps seen for ${name}`);
    return view;
  }
}

export function venueStep(
  steps: ReadonlyMap<SimVenueName, ModelStep>,
  venue: SimVenueName,
): ModelStep {
  const step = steps.get(venue);
  if (step === undefined) throw new Error(`step has no ${venue}`);
  return step;
}

/** The tick a price must sit on under the instrument's tick steps. */
export function tickFor(rules: TradingRules, price: number): number {
  let tick = rules.tickSize;
  for (const step of rules.tickSteps) if (price > step.abovePrice) tick = step.tickSize;
  return tick;
}

export function isMultiple(value: number, unit: number): boolean {
  const ratio = value / unit;
  return Math.abs(ratio - Math.round(ratio)) < 1e-7;
}

export function isOption(
  spec: InstrumentSpec,
): spec is Extract<InstrumentSpec, { kind: 'option' }> {
  return spec.kind === 'option';
}

function checkSide(
  name: string,
  rules: TradingRules,
  flat: readonly number[],
  direction: 1 | -1,
): void {
  assert.equal(flat.length % 2, 0, name);
  for (let i = 0; i < flat.length; i += 2) {
    const price = flat[i]!;
    const size = flat[i + 1]!;
    assert.ok(price > 0, `${name} price ${price}`);
    assert.ok(isMultiple(price, tickFor(rules, price)), `${name} ${price} off tick`);
    assert.ok(size >= rules.minSize && isMultiple(size, rules.lotSize), `${name} size ${size}`);
    if (i > 0) assert.ok(direction * (price - flat[i - 2]!) > 0, `${name} levels out of order`);
  }
}

/** Levels a side shows at least and at most: options 25 (plus the tail's slack of 8),
 * perpetuals and futures 200 (plus 40). Bids may stop short only where prices run out. */
const DEPTH = { option: [25, 33], future: [200, 240] } as const;

export function checkQuote(name: string, spec: InstrumentSpec, quote: ModelQuote): void {
  checkSide(name, spec, quote.bids, -1);
  checkSide(name, spec, quote.asks, 1);
  const [min, max] = DEPTH[spec.kind === 'option' ? 'option' : 'future'];
  const asks = quote.asks.length / 2;
  const bids = quote.bids.length / 2;
  assert.ok(asks >= min && asks <= max, `${name} has ${asks} ask levels`);
  assert.ok(bids <= max, `${name} has ${bids} bid levels`);
  if (spec.kind !== 'option') assert.ok(bids >= min, `${name} has ${bids} bid levels`);
  if (quote.bids.length > 0) assert.ok(quote.bids[0]! < quote.asks[0]!, `${name} crossed`);
}
