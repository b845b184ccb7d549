// Every call from outside is one batch. Its end is where the market settles down: stops the
// batch's trades reached fire, reduce-only orders with nothing to reduce go, and the books,
// tickers and accounts it touched are published once.

import { sweepReduceOnly } from './cancellation.js';
import { publishDirty } from './events.js';
import type { ExchangeState } from './exchange-state.js';
import { triggerStops } from './stop-triggers.js';

/** Nested batches join the outermost one: its ts stamps every event, and only it publishes.
 * The end runs even when the body throws, so what it changed before throwing still goes out. */
export function runBatch<T>(state: ExchangeState, ts: number, body: () => T): T {
  if (state.depth === 0) state.batchTs = ts;
  state.depth++;
  try {
    return body();
  } finally {
    if (state.depth === 1) {
      triggerStops(state);
      sweepReduceOnly(state);
      publishDirty(state);
    }
    state.depth--;
  }
}
