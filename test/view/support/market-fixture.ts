/**
 * A small inverse BTC option market built from normalized events into a real MarketState:
 * three expiries, strikes with only one type listed at the wings, one option never quoted,
 * and quotes priced off a known smile so tests can tell which side a value came from.
 */
import type { TickerEvent } from '../../../src/book/events.js';
import { MarketState } from '../../../src/book/market-state.js';
import type { FutureSpec, OptionSpec } from '../../../src/instruments/types.js';
import { black76Price, yearFraction } from '../../../src/pricing/index.js';
import { fmtExpiry } from '../../../src/view/format.js';

export const VENUE = 'deribit';
export const NOW = Date.UTC(2026, 10, 20, 7, 0);
export const NOV27 = Date.UTC(2026, 10, 27, 8);
export const DEC25 = Date.UTC(2026, 11, 25, 8);
export const MAR26 = Date.UTC(2027, 2, 26, 8);
export const INDEX = 90_800;

/** NOV27: the forward sits between strikes (ATM 90000, index 2). */
export const NOV_FORWARD = 91_000;
/** DEC25: the forward is exactly a strike (ATM 95000, index 3). */
export const DEC_FORWARD = 95_000;

/** NOV27 strikes: 70000 lists only a call, 120000 only a put. */
export const NOV_STRIKES = [
  70_000, 80_000, 85_000, 90_000, 95_000, 100_000, 105_000, 110_000, 120_000,
];
export const NOV_ATM = 3;
export const DEC_STRIKES = [80_000, 85_000, 90_000, 95_000, 100_000, 105_000, 110_000];
export const DEC_ATM = 3;
export const MAR_STRIKES = [60_000, 80_000, 100_000, 120_000, 140_000];

export type Type = 'call' | 'put';

export function optionName(expiry: number, strike: number, type: Type): string {
  return `BTC-${fmtExpiry(expiry)}-${strike}-${type === 'call' ? 'C' : 'P'}`;
}

export function option(expiry: number, strike: number, type: Type): OptionSpec {
  return {
    kind: 'option',
    name: optionName(expiry, strike, type),
    base: 'BTC',
    quote: 'BTC',
    settlement: 'inverse',
    settleCurrency: 'BTC',
    expiry,
    strike,
    type,
    tickSize: 0.0001,
    tickSteps: [],
    lotSize: 0.1,
    minSize: 0.1,
    contractSize: 1,
    sizeUnit: 'base',
  };
}

export const BTC_PERPETUAL: FutureSpec = {
  kind: 'perpetual',
  name: 'BTC-PERPETUAL',
  base: 'BTC',
  quote: 'USD',
  settlement: 'inverse',
  settleCurrency: 'BTC',
  expiry: null,
  tickSize: 0.5,
  tickSteps: [],
  lotSize: 10,
  minSize: 10,
  contractSize: 10,
  sizeUnit: 'usd',
};

/** Calls' vol at a strike; puts are quoted 2 vol points higher so the side is visible. */
export function smileVol(strike: number, forward: number, type: Type): number {
  const x = Math.log(strike / forward);
  return 0.5 + 0.4 * x * x + (type === 'put' ? 0.02 : 0);
}

/** The options each expiry lists. */
export function listing(): OptionSpec[] {
  const specs: OptionSpec[] = [];
  for (const strike of NOV_STRIKES) {
    if (strike !== 120_000) specs.push(option(NOV27, strike, 'call'));
    if (strike !== 70_000) specs.push(option(NOV27, strike, 'put'));
  }
  for (const strike of DEC_STRIKES) {
    specs.push(option(DEC25, strike, 'call'), option(DEC25, strike, 'put'));
  }
  for (const strike of MAR_STRIKES) {
    specs.push(option(MAR26, strike, 'call'), option(MAR26, strike, 'put'));
  }
  return specs;
}

/** Options listed but never quoted (besides all of MAR26). */
export const UNQUOTED = new Set([
  optionName(NOV27, 105_000, 'put'),
  optionName(DEC25, 95_000, 'put'),
]);

/** A venue ticker for an option priced off the smile, in coin. */
export function optionTicker(
  spec: OptionSpec,
  forward: number | null,
  ts: number,
  pricedAt: number = forward ?? NOV_FORWARD,
): TickerEvent {
  const years = yearFraction(NOW, spec.expiry);
  const coin = (vol: number): number =>
    black76Price(pricedAt, spec.strike, years, vol, spec.type) / pricedAt;
  const vol = smileVol(spec.strike, pricedAt, spec.type);
  return {
    kind: 'ticker',
    venue: VENUE,
    instrument: spec.name,
    ts,
    bid: coin(vol - 0.02),
    bidSize: 10,
    ask: coin(vol + 0.02),
    askSize: 12.5,
    mark: coin(vol),
    index: INDEX,
    forward,
    venueIv: { bid: null, ask: null, mark: null },
    venueGreeks: null,
  };
}

export function futureTicker(
  instrument: string,
  quote: { bid: number | null; ask: number | null; mark: number | null },
): TickerEvent {
  return {
    kind: 'ticker',
    venue: VENUE,
    instrument,
    ts: NOW - 500,
    bid: quote.bid,
    bidSize: quote.bid === null ? null : 1000,
    ask: quote.ask,
    askSize: quote.ask === null ? null : 1000,
    mark: quote.mark,
    index: INDEX,
    forward: null,
    venueIv: { bid: null, ask: null, mark: null },
    venueGreeks: null,
  };
}

export function addListing(market: MarketState, specs: readonly (OptionSpec | FutureSpec)[]): void {
  for (const spec of specs) {
    market.apply({ kind: 'instrument-added', venue: VENUE, ts: NOW - 60_000, spec });
  }
}

/** Every option listed; NOV27 and DEC25 quoted except UNQUOTED; settled at NOW. */
export function quotedMarket(): MarketState {
  const market = new MarketState();
  addListing(market, listing());
  for (const spec of listing()) {
    if (spec.expiry === MAR26 || UNQUOTED.has(spec.name)) continue;
    const forward = spec.expiry === NOV27 ? NOV_FORWARD : DEC_FORWARD;
    market.apply(optionTicker(spec, forward, NOW - 1000));
  }
  market.settle(NOW);
  return market;
}
