// A trading session against the embedded exchange over loopback: the real feeds, engine,
// gateway and command runner, every note the runner says, and the sim's order log (every
// request that reached the exchange), the witness of what was sent.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandRunner } from '../../../src/app/command-runner.js';
import { startTrading } from '../../../src/app/exec-lines.js';
import type { OrderGateway } from '../../../src/gateway/order-gateway.js';
import { MarketEngine } from '../../../src/app/market-engine.js';
import type { OpenFeeds } from '../../../src/app/venue-feeds.js';
import type { GatewayLimits } from '../../../src/gateway/types.js';
import { EngineMarket } from '../../../src/app/gateway-market.js';
import type { OptionSpec } from '../../../src/instruments/types.js';
import { waitFor } from '../../support/wait.js';
import type { SimOrderLogEntry } from '../../../src/sim/order-log.js';
import { openSimBtcFeeds } from '../../support/sim-feeds.js';

export type SimVenueName = 'deribit' | 'bybit';

export interface SimSession {
  readonly venue: SimVenueName;
  readonly opened: OpenFeeds;
  readonly engine: MarketEngine;
  readonly runner: CommandRunner;
  readonly gateway: OrderGateway;
  readonly notes: string[];
  readonly logPath: string;
  readonly dir: string;
}

export async function openSimSession(
  venue: SimVenueName,
  limits: Partial<GatewayLimits> = {},
): Promise<SimSession> {
  const dir = mkdtempSync(join(tmpdir(), 'ivtrade-session-'));
  const logPath = join(dir, 'sim-orders.jsonl');
  const opened = await openSimBtcFeeds(venue, { seed: 3, speed: 1, orderLogPath: logPath });
  const engine = new MarketEngine(opened.feeds);
  await engine.start();
  const notes: string[] = [];
  const { runner, gateway } = startTrading(
    engine,
    venue,
    { limits },
    {
      note: (text) => notes.push(text),
      info: (title) => notes.push(`info ${title}`),
      help: () => notes.push('help'),
      quit: () => notes.push('quit'),
    },
  );
  return { venue, opened, engine, runner, gateway, notes, logPath, dir };
}

export async function closeSimSession(session: SimSession): Promise<void> {
  session.runner.close();
  await session.engine.stop();
  await session.opened.close();
  rmSync(session.dir, { recursive: true, force: true });
}

export function simOrderLog(session: SimSession): SimOrderLogEntry[] {
  try {
    return readFileSync(session.logPath, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as SimOrderLogEntry);
  } catch {
    return [];
  }
}

const WEEK_MS = 7 * 86_400_000;

/** A two-sided call a week or more out, nearest the money, as the session's engine sees it. */
export function tradableCall(session: SimSession): Promise<OptionSpec> {
  const { venue, engine } = session;
  const market = new EngineMarket(engine.market);
  return waitFor('a two-sided call a week out', () => {
    let best: { spec: OptionSpec; distance: number } | null = null;
    for (const chain of engine.market.chains(venue)) {
      for (const spec of chain.options) {
        if (spec.type !== 'call' || spec.expiry - Date.now() < WEEK_MS) continue;
        const touch = market.touch(venue, spec.name);
        const forward = chain.row(spec.expiry)?.forward ?? NaN;
        if (touch.bid === null || touch.ask === null || !Number.isFinite(forward)) continue;
        const distance = Math.abs(spec.strike - forward);
        if (best === null || distance < best.distance) best = { spec, distance };
      }
    }
    return best?.spec;
  });
}
