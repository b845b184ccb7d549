// Starting the sim for Bybit tests and picking instruments worth testing against.

import type { SimExchange, SimInstrument } from '../../../../src/sim/contract.js';
import { startSim, type RunningSim, type SimServerOptions } from '../../../../src/sim/server.js';

export const START = Date.UTC(2026, 10, 20, 7, 0);
const WEEK_MS = 7 * 86_400_000;

export function startBybitSim(options: SimServerOptions = {}): Promise<RunningSim> {
  return startSim({ seed: 7, manualClock: true, start: START, currencies: ['BTC'], ...options });
}

/** A two-sided option at least a week out, the strike nearest the forward. */
export function liquidOption(exchange: SimExchange): SimInstrument {
  const now = exchange.now();
  let best: { instrument: SimInstrument; distance: number } | null = null;
  for (const instrument of exchange.instruments({ kind: 'option' })) {
    const spec = instrument.spec;
    if (spec.kind !== 'option' || spec.expiry - now < WEEK_MS) continue;
    const ticker = exchange.ticker(spec.name);
    if (ticker === undefined || ticker.underlyingPrice === null) continue;
    if (ticker.bestBidPrice === null || ticker.bestAskPrice === null) continue;
    const distance = Math.abs(spec.strike - ticker.underlyingPrice);
    if (best === null || distance < best.distance) best = { instrument, distance };
  }
  if (best === null) throw new Error('no two-sided option a week out');
  return best.instrument;
}

export function perpetual(exchange: SimExchange): SimInstrument {
  const perp = exchange.instruments({ kind: 'perpetual' })[0];
  if (perp === undefined) throw new Error('no perpetual listed');
  return perp;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
