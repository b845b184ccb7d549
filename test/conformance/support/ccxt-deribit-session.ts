// What the ccxt Deribit suites share: a sim on a manual clock started at the wall time (ccxt
// signs and windows its requests with the wall clock), moved on only while a watcher waits, so
// the assertions can compare what ccxt saw with the sim's own state.

import type { Exchange } from 'ccxt';
import { startSim, type RunningSim, type SimServerOptions } from '../../../src/sim/server.js';
import { proClient } from './ccxt-sim.js';

export const PERP = 'BTC/USD:BTC';
export const PERP_ID = 'BTC-PERPETUAL';
export const ACCOUNT = 'paper';
const STEP_MS = 250;
const STEP_EVERY_WALL_MS = 25;

export function openSim(options: SimServerOptions = {}): Promise<RunningSim> {
  return startSim({ seed: 11, manualClock: true, start: Date.now(), ...options });
}

/**
 * ccxt's pro client with the sim's URLs. ccxt refuses a `ws://` URL until its HTTP agent is
 * loaded (it assumes a plain-text WebSocket needs a proxy): the one step beyond URLs and keys.
 */
export async function openPro(sim: RunningSim): Promise<Exchange> {
  const client = proClient('deribit', sim);
  await client.loadHttpProxyAgent();
  await client.loadMarkets();
  return client;
}

/** Awaits `pending` while the sim's clock runs (ten times faster than the wall). */
export async function whileRunning<T>(sim: RunningSim, pending: Promise<T>): Promise<T> {
  const timer = setInterval(() => sim.advance(STEP_MS), STEP_EVERY_WALL_MS);
  try {
    return await withTimeout(pending, 10_000);
  } finally {
    clearInterval(timer);
  }
}

export async function withTimeout<T>(pending: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([pending, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A buy price well under the book (20 ticks below the best bid), so the order rests. */
export function restingBid(sim: RunningSim, instrument = PERP_ID): number {
  const book = sim.world.exchanges.deribit.book(instrument, 1);
  const tick = sim.world.exchanges.deribit.instrument(instrument)!.spec.tickSize;
  return Math.round((book!.bids[0]![0] - 20 * tick) / tick) * tick;
}

export function bestAsk(sim: RunningSim, instrument = PERP_ID): number {
  return sim.world.exchanges.deribit.book(instrument, 1)!.asks[0]![0];
}
