// Point 3 of issue 16: `a1`/`d1` (market, capped a few ticks beyond the touch) must pass the
// fat-finger guard on every expiry the sim lists, hours-to-expiry and deep in the money
// included, where one tick is tens of vol points or the price implies no IV at all. Every
// option with a two-sided book is planned as the command would plan it and checked by the
// gateway's own check against the sim's live market; then the front expiry's order is sent.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_MARKET_CAP } from '../../src/app/command-runner.js';
import { EngineMarket } from '../../src/app/gateway-market.js';
import { planOrder } from '../../src/commands/order-plan.js';
import { parseLine } from '../../src/commands/parse.js';
import type { OrderCommand } from '../../src/commands/types.js';
import { checkIntent } from '../../src/gateway/intent-check.js';
import { DEFAULT_LIMITS } from '../../src/gateway/limits.js';
import type { OptionSpec } from '../../src/instruments/types.js';
import { waitFor } from '../support/wait.js';
import {
  closeSimSession,
  openSimSession,
  simOrderLog,
  type SimSession,
  type SimVenueName,
} from './support/sim-session.js';

function order(line: string): OrderCommand {
  const parsed = parseLine(line);
  const command = parsed.ok ? parsed.commands[0] : undefined;
  assert.ok(command?.kind === 'order', line);
  return command;
}

interface Checked {
  readonly expiries: Set<number>;
  readonly refused: string[];
  readonly count: number;
  readonly front: OptionSpec;
}

/** Plans a1 and d1 on every two-sided option and runs the gateway's check on each. */
function checkEveryOption(session: SimSession): Checked | undefined {
  const { venue, engine } = session;
  const market = new EngineMarket(engine.market);
  const orders = engine.feed(venue)?.orders ?? null;
  const listed = new Set<number>();
  const expiries = new Set<number>();
  const refused: string[] = [];
  let count = 0;
  let front: OptionSpec | null = null;
  for (const chain of engine.market.chains(venue)) {
    for (const spec of chain.options) {
      listed.add(spec.expiry);
      const touch = market.touch(venue, spec.name);
      if (touch.bid === null || touch.ask === null || touch.mark === null) continue;
      expiries.add(spec.expiry);
      if (front === null || spec.expiry < front.expiry) front = spec;
      for (const line of ['a1', 'd1']) {
        const plan = planOrder(order(line), {
          venue,
          spec,
          multiplier: String(spec.minSize),
          ...touch,
          marketCap: DEFAULT_MARKET_CAP,
        });
        assert.ok(plan.ok, `${line} on ${spec.name}: ${plan.ok ? '' : plan.message}`);
        for (const intent of plan.intents) {
          count += 1;
          const checked = checkIntent(intent, {
            market,
            orders: () => orders,
            limits: DEFAULT_LIMITS,
          });
          if (checked.refusal !== null) refused.push(`${line} ${spec.name}: ${checked.refusal}`);
        }
      }
    }
  }
  // Wait until every listed expiry quotes two-sided somewhere.
  if (front === null || listed.size === 0 || expiries.size < listed.size) return undefined;
  return { expiries, refused, count, front };
}

async function everyExpiry(venue: SimVenueName): Promise<void> {
  const session = await openSimSession(venue);
  try {
    const checked = await waitFor(`${venue}: every expiry two-sided`, () =>
      checkEveryOption(session),
    );
    assert.ok(checked.expiries.size >= 8, `expiries: ${checked.expiries.size}`);
    assert.ok(checked.front.expiry - Date.now() < 2 * 86_400_000, 'the front expiry is near');
    assert.deepEqual(checked.refused, [], `${checked.refused.length} of ${checked.count}`);

    // And through the runner to the exchange: the front expiry's market buy is sent.
    const { runner } = session;
    runner.run(`i ${checked.front.name}; a1`, null);
    await runner.settled();
    const placed = simOrderLog(session).filter((entry) => entry.action === 'place');
    assert.equal(placed.length, 1, session.notes.join('\n'));
    assert.ok(
      !session.notes.some((note) => /vol points|has no IV|has no mark IV/.test(note)),
      session.notes.join('\n'),
    );
  } finally {
    await closeSimSession(session);
  }
}

describe('market orders pass the distance guard on every expiry of the sim', () => {
  it('Deribit protocol', async () => {
    await everyExpiry('deribit');
  });
  it('Bybit protocol', async () => {
    await everyExpiry('bybit');
  });
});
