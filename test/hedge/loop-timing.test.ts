// When the hedger decides and how it follows its one order: a decision per held option's
// move, never two within the debounce, one per periodic interval when nothing moves; an order
// unanswered past its timeout is cancelled and the account decided afresh, with no second
// order meanwhile; the per-minute cap pauses it and says so.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SimOrderRequest } from '../../src/sim/contract.js';
import { flush, openRig, type Rig } from './support/rig.js';
import { bandCoins, pickOption } from './support/scenario.js';

async function buyCall(rig: Rig, amount = 0.3): Promise<string> {
  const call = pickOption(rig.exchange, rig.simNow(), 'call', 1);
  await rig.trade([{ instrument: call, side: 'buy', amount }]);
  return call;
}

describe('hedger timing', () => {
  it('decides on every move of a held option, at most once per debounce (a fill at once), and periodically when nothing moves', async () => {
    const rig = await openRig({ venue: 'deribit', seed: 61 });
    try {
      await buyCall(rig);
      rig.hedger.activate();
      await rig.settle();
      for (let i = 0; i < 10; i += 1) {
        const before = rig.log.length;
        await rig.step(1_000);
        assert.ok(rig.log.length > before, `step ${i}: the held call moved, a decision followed`);
      }
      // Market moves are decided at most once per debounce; only the book's own change (the
      // hedge's fill) is decided at once, so a quicker decision always follows a hedge.
      for (let i = 1; i < rig.log.length; i += 1) {
        const gap = rig.log[i]!.ts - rig.log[i - 1]!.ts;
        const afterHedge = rig.log[i - 1]!.decision.action === 'hedge';
        assert.ok(gap >= rig.config.debounceMs || afterHedge, `decisions ${gap} ms apart`);
      }

      // Nothing moves: the periodic check still decides, once per interval.
      const quiet = rig.log.length;
      await rig.clock.advanceTo(rig.clock.now() + 3 * rig.config.periodicMs);
      await flush();
      const periodic = rig.log.slice(quiet).map((entry) => entry.ts);
      assert.equal(periodic.length, 3);
      assert.equal(periodic[1]! - periodic[0]!, rig.config.periodicMs);
      assert.equal(periodic[2]! - periodic[1]!, rig.config.periodicMs);
      // Fifteen quiet seconds: the quotes have aged past the limit.
      assert.equal(rig.log.at(-1)!.decision.action, 'pause');
      assert.match(rig.log.at(-1)!.decision.reason, /^option data stale/);
    } finally {
      await rig.close();
    }
  });

  it('an order unanswered past its timeout is cancelled, nothing else is sent meanwhile, then the account is decided afresh', async () => {
    const rig = await openRig({
      venue: 'deribit',
      seed: 62,
      relay: true,
      config: { orderTimeoutMs: 6_000 },
    });
    try {
      await buyCall(rig);
      // The venue gets the order and fills it; its answers stop on the way back.
      rig.relays['ws']!.hold();
      rig.hedger.activate();
      await flush();
      const label = rig.hedger.state().inFlight;
      assert.equal(label, 'ivt-hedge-hedge1-1');
      assert.ok(await rig.until(() => rig.hedgeRequests().length === 1));
      assert.equal(rig.hedgeRequests()[0]!.status, 'filled');

      // The periodic check at 5 s: still in flight, so no second order.
      await rig.clock.advanceTo(rig.clock.now() + 5_000);
      await flush();
      assert.deepEqual(rig.log.at(-1)!.decision, {
        action: 'none',
        reason: 'hedge order in flight',
      });
      // At 6 s: timed out, so cancelled (by label: its id never came back).
      await rig.clock.advanceTo(rig.clock.now() + 1_000);
      await flush();
      assert.match(
        rig.hedger.state().recent[0] ?? '',
        /ivt-hedge-hedge1-1: no answer in time: cancelling/,
      );
      assert.equal(rig.hedger.state().inFlight, label, 'in flight until the cancel is answered');

      rig.relays['ws']!.release();
      await rig.catchUp();
      await rig.settle();
      assert.equal(rig.hedger.state().inFlight, null);
      // The venue's answer to the cancel: the IOC had filled and was no longer open.
      assert.ok(
        rig.hedger
          .state()
          .recent.some((line) => / ivt-hedge-hedge1-1: .*was not open at deribit/.test(line)),
        rig.hedger.state().recent.join('\n'),
      );
      assert.equal(rig.hedgeRequests().length, 1, 'one order in all');
      assert.equal(rig.hedger.state().mode, 'on');
      const last = rig.log.at(-1)!;
      assert.equal(last.decision.action, 'none');
      assert.equal(last.inputs.inFlight, false);
      assert.ok(Math.abs(rig.netDelta()) <= bandCoins(rig), 'the fill counted once');
      const request = rig.hedgeRequests()[0]!.request as SimOrderRequest;
      assert.equal(request.label, label);
    } finally {
      await rig.close();
    }
  });

  it('the per-minute cap pauses it, says so, and hedges when the minute has passed', async () => {
    const rig = await openRig({ venue: 'deribit', seed: 63, config: { maxHedgesPerMinute: 1 } });
    try {
      const call = await buyCall(rig);
      rig.hedger.activate();
      await rig.settle();
      assert.equal(rig.hedgeRequests().length, 1);
      const first = rig.log.find((entry) => entry.label !== undefined)!;

      await rig.trade([{ instrument: call, side: 'buy', amount: 0.3 }]);
      await rig.settle();
      assert.equal(rig.hedger.state().mode, 'paused');
      assert.match(
        rig.hedger.state().reason ?? '',
        /outside ±\$225; 1 hedge in the last minute \(limit 1\)$/,
      );
      assert.equal(rig.hedgeRequests().length, 1);

      while (rig.hedgeRequests().length === 1) {
        assert.ok(rig.clock.now() - first.ts < 70_000, 'the second hedge came within 70 s');
        await rig.step(8_000);
      }
      const second = rig.log.filter((entry) => entry.label !== undefined)[1]!;
      assert.ok(second.ts - first.ts >= 60_000, `${second.ts - first.ts} ms after the first`);
      assert.ok(Math.abs(rig.netDelta()) <= bandCoins(rig));
      // At the cap again, but the book is hedged: nothing is due, so nothing is paused.
      assert.equal(rig.hedger.state().mode, 'on', 'a hedged book is not paused by the cap');
    } finally {
      await rig.close();
    }
  });
});
