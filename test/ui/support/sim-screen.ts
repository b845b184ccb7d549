// A real screen source for component tests: the simulator on loopback (manual clock, so the
// market only moves when a test says so), the real Deribit adapter, the engine and the read
// model — exactly what `ivtrade` runs, minus the terminal.

import { MarketEngine } from '../../../src/app/market-engine.js';
import { ReadModel } from '../../../src/app/read-model.js';
import { DeribitFeed } from '../../../src/feeds/deribit/feed.js';
import { startSim, type RunningSim } from '../../../src/sim/server.js';
import type { ViewRequest } from '../../../src/view/types.js';
import { waitUntil } from '../../support/wait.js';

export const START = Date.UTC(2026, 10, 20, 7, 0);

export interface SimScreen {
  readonly sim: RunningSim;
  readonly engine: MarketEngine;
  readonly model: ReadModel;
  /** Sim time: what the screen is told the time is. */
  readonly now: () => number;
  /** Moves the market on by `ms` of sim time and waits until the feed has caught up. */
  readonly advance: (ms: number) => Promise<void>;
  readonly close: () => Promise<void>;
}

export const FULL_VIEW: ViewRequest = {
  chain: null,
  expiry: null,
  strike: null,
  top: 0,
  rows: 40,
  surface: true,
};

export async function openSimScreen(options: { readonly seed?: number } = {}): Promise<SimScreen> {
  const sim = await startSim({
    seed: options.seed ?? 3,
    manualClock: true,
    start: START,
    currencies: ['BTC', 'ETH'],
    minHeartbeatSec: 1,
  });
  sim.advance(1000);
  const key = sim.apiKeys.deribit[0]!;
  const feed = new DeribitFeed({
    wsUrl: sim.urls.deribitWs,
    currencies: ['BTC', 'ETH'],
    credentials: { clientId: key.key, clientSecret: key.secret },
    heartbeatSec: 1,
    staleAfterMs: 600_000,
    log: () => undefined,
  });
  const engine = new MarketEngine([feed]);
  const model = new ReadModel(engine, {
    venue: 'deribit',
    mode: 'SIM',
    currencies: ['BTC', 'ETH'],
    logPath: '/tmp/ivtrade-test.log',
  });
  await engine.start();
  const now = (): number => sim.world.clock.now();
  const advance = async (ms: number): Promise<void> => {
    const before = model.version;
    sim.advance(ms);
    await waitUntil('the feed to deliver the sim step', () => model.version > before);
    // Let the rest of the step's frames land.
    await new Promise((resolve) => setTimeout(resolve, 50));
  };
  const close = async (): Promise<void> => {
    model.close();
    await engine.stop();
    await sim.close();
  };
  try {
    // The market moves only when told: step it until the chain is priced and the header has
    // the hedge perpetual's quote (its ticker can land a step after the options' on a busy
    // machine).
    await waitUntil(
      'a priced chain and the perpetual',
      () => {
        const header = model.snapshot(FULL_VIEW, now()).header;
        if (header.loading === null && header.perpetual !== null) return true;
        sim.advance(1000);
        return false;
      },
      10_000,
    );
  } catch (error) {
    await close();
    throw error;
  }
  return {
    sim,
    engine,
    model,
    now,
    advance,
    close,
  };
}
