// The hedger when the venue's streams stall but its replies do not (the sim's own `stall`
// fault, as `ivtrade sim --faults stall=…,stall-every=…` runs it): the hedge's reply says
// filled at once, the position that shows it comes seconds later. The hedger must count the
// fill from the reply until the position shows it, and never hedge the same delta twice —
// however long the position lags behind its 5 s order timeout.
//
// The stall runs on the wall clock, from each connection's start: notifications are held
// from 6 s to 10.5 s (and 12 s to 16.5 s…). The test finds the stall by moving the market and
// seeing the quotes not arrive, then works inside it; the hedger's clock stays the test's.

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { flush, openRig, type Rig, type VenueName } from './support/rig.js';
import { bandCoins, pickOption } from './support/scenario.js';

const STALL = { stallEverySec: 6, stallForSec: 4.5 } as const;
const PROBE_MS = 250;

/** Moves the market a little at a time until its quotes stop arriving: the stall has begun. */
async function untilStalled(rig: Rig): Promise<void> {
  for (let i = 0; i < 60; i += 1) {
    await rig.advanceSim(PROBE_MS);
    if (!(await rig.caughtUp(400))) return;
    await sleep(150);
  }
  assert.fail('the stall never came');
}

function hedgeReports(rig: Rig, outcome: string): string[] {
  return rig.reports
    .filter((report) => report.label?.startsWith('ivt-hedge-') === true)
    .filter((report) => report.outcome === outcome)
    .map((report) => report.label as string);
}

async function stalledPositionAfterFill(venue: VenueName, seed: number): Promise<void> {
  const rig = await openRig({ venue, seed, faults: STALL });
  try {
    const call = pickOption(rig.exchange, rig.simNow(), 'call', 1);
    await rig.trade([{ instrument: call, side: 'buy', amount: 0.3 }]);
    const hedge = rig.hedgeInstrument;
    const held = rig.engine.account.position(venue, hedge)?.size ?? 0;

    await untilStalled(rig);
    rig.hedger.activate();
    assert.ok(
      await rig.until(() => hedgeReports(rig, 'filled').length === 1, 3_000),
      'the reply said filled',
    );
    const label = hedgeReports(rig, 'filled')[0]!;
    // The reply is in; the position that shows it is held back.
    assert.equal(rig.engine.account.position(venue, hedge)?.size ?? 0, held);

    // A second past the order timeout (and the periodic check, and the debounce after either),
    // with the position still behind.
    await rig.clock.advanceTo(rig.clock.now() + rig.config.orderTimeoutMs + 1_000);
    await flush();
    await rig.until(() => rig.hedgeRequests().length > 1, 500);
    assert.equal(rig.engine.account.position(venue, hedge)?.size ?? 0, held, 'still stalled');
    assert.equal(rig.hedgeRequests().length, 1, 'the same hedge was not sent twice');
    const waiting = rig.log.at(-1)!;
    assert.equal(waiting.decision.action, 'none');
    assert.match(waiting.decision.reason, /inside ±\$/);
    const reply = rig.reports.find(
      (report) => report.label === label && report.outcome === 'filled',
    )!;
    assert.ok(reply.filled > 0);
    assert.equal(
      waiting.inputs.hedgeUnreflected,
      reply.side === 'buy' ? reply.filled : -reply.filled,
    );
    assert.match(rig.hedger.state().reconciling ?? '', new RegExp(`^counting ${label} `));

    // The stall ends: the position shows the hedge, counted once.
    await rig.catchUp(10_000);
    await rig.settle();
    assert.notEqual(rig.engine.account.position(venue, hedge)?.size ?? 0, held);
    assert.equal(rig.hedgeRequests().length, 1, 'one hedge in all');
    assert.equal(rig.hedger.state().reconciling, null);
    assert.equal(rig.log.at(-1)!.inputs.hedgeUnreflected, 0);
    assert.ok(Math.abs(rig.netDelta()) <= bandCoins(rig), 'hedged, inside the band');
  } finally {
    await rig.close();
  }
}

describe('hedger faults: a stalled position stream', () => {
  it('Deribit: the position lags the filled reply past the order timeout; the fill is counted from the reply, never hedged twice', async () => {
    await stalledPositionAfterFill('deribit', 41);
  });

  it('Bybit: the same, the reply over REST and the position on the stalled private socket', async () => {
    await stalledPositionAfterFill('bybit', 42);
  });
});
