// The hedger when the venue's connection fails, through a relay on real sockets: the feed's
// socket cut (the venue drops it and refuses reconnects for a while), and the stream stalled
// (the socket stays up, no bytes arrive). In both, the trader's book changes meanwhile; the
// hedger pauses, sends nothing (the sim's order log is the witness), and hedges once the
// account has reloaded and the quotes are fresh again.
//
// The sim's own `disconnect` and `stall` faults run on the wall clock, every N seconds from
// each connection's start, which cannot be lined up with a manual market clock; the relay
// does the same to the same sockets exactly when the test says.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flush, openRig, type Rig } from './support/rig.js';
import { bandCoins, pickOption } from './support/scenario.js';

const STEP_MS = 8_000;

/** A call of the venue bought, the hedger switched on and settled: hedged, inside the band. */
async function hedgedCall(rig: Rig): Promise<string> {
  const call = pickOption(rig.exchange, rig.simNow(), 'call', 1);
  await rig.trade([{ instrument: call, side: 'buy', amount: 0.3 }]);
  rig.hedger.activate();
  await rig.settle();
  assert.equal(rig.hedger.state().mode, 'on');
  assert.ok(rig.hedgeRequests().length >= 1, 'the call was hedged');
  assert.ok(Math.abs(rig.netDelta()) <= bandCoins(rig));
  return call;
}

/** The trader buys more of the call at the venue: the book leaves the band by far. */
function buyMore(rig: Rig, call: string): void {
  const placed = rig.exchange.place(rig.accountId, {
    instrument: call,
    side: 'buy',
    amount: 0.3,
    type: 'market',
  });
  assert.equal(placed.order.state, 'filled');
}

function pauseReasons(rig: Rig, from: number): string[] {
  return rig.log
    .slice(from)
    .filter((entry) => entry.decision.action === 'pause')
    .map((entry) => entry.decision.reason);
}

describe('hedger faults: the connection', () => {
  it('Deribit socket cut: paused while down, hedges only after the reconnect reloaded the account and fresh quotes came', async () => {
    const rig = await openRig({ venue: 'deribit', seed: 31, relay: true });
    try {
      const call = await hedgedCall(rig);
      const hedged = rig.hedgeRequests().length;
      const logged = rig.log.length;

      rig.mark('cut');
      rig.relays['ws']!.cut();
      assert.ok(await rig.until(() => rig.find(/^status ws reconnecting/, rig.find('cut')) >= 0));
      await rig.settle();
      assert.equal(rig.hedger.state().mode, 'paused');
      assert.equal(rig.hedger.state().reason, 'disconnected');

      // Down for half a minute of market: the book grows and the price moves, unseen.
      buyMore(rig, call);
      for (let i = 0; i < 4; i += 1) {
        await rig.advanceSim(STEP_MS);
        await flush();
        await rig.settle();
      }
      assert.equal(rig.hedger.state().mode, 'paused');
      assert.equal(rig.hedgeRequests().length, hedged, 'nothing sent while disconnected');
      const whileDown = pauseReasons(rig, logged);
      assert.ok(whileDown.length >= 4, `periodic checks paused: ${whileDown.length}`);
      assert.ok(whileDown.every((reason) => reason === 'disconnected'));

      rig.mark('restore');
      rig.relays['ws']!.restore();
      const restored = rig.find('restore');
      // Live once its set-up is done: the account reloaded and fills missed while down read
      // back from the trade history.
      assert.ok(
        await rig.until(() => rig.find('status ws live', restored) >= 0, 10_000),
        'the account reloaded after the reconnect',
      );
      // Connected and reloaded, but the option quotes are from before the cut: still paused.
      await rig.settle();
      assert.equal(rig.hedger.state().mode, 'paused');
      assert.match(rig.hedger.state().reason ?? '', /option data stale/);
      assert.equal(
        rig.hedgeRequests().length,
        hedged,
        'nothing sent on quotes from before the cut',
      );

      rig.mark('step');
      await rig.step(STEP_MS);
      assert.equal(rig.hedger.state().mode, 'on');
      assert.ok(rig.hedgeRequests().length > hedged, 'hedged after recovery');
      assert.ok(Math.abs(rig.netDelta()) <= bandCoins(rig), 'back inside the band');
      // This feed reports the connection live once its set-up, account reload included, is done.
      const snapshot = rig.find('account-snapshot', restored);
      const live = rig.find('status ws live', restored);
      const firstSent = rig.find(/^report sent/, rig.find('cut'));
      assert.ok(snapshot > restored && live > restored, 'reconnected and reloaded');
      assert.ok(
        firstSent > Math.max(snapshot, live, rig.find('step')),
        'the first hedge after the cut came after the reload and fresh quotes',
      );
    } finally {
      await rig.close();
    }
  });

  it('Deribit stream stalled: paused once the quotes are older than the limit, hedges when they flow', async () => {
    const rig = await openRig({ venue: 'deribit', seed: 32, relay: true });
    try {
      const call = await hedgedCall(rig);
      const hedged = rig.hedgeRequests().length;
      const logged = rig.log.length;

      rig.relays['ws']!.hold();
      for (let i = 0; i < 3; i += 1) {
        await rig.advanceSim(5_000);
        await flush();
      }
      buyMore(rig, call);
      // A periodic check with the last quotes 15 s and more behind.
      await rig.clock.advanceTo(rig.clock.now() + rig.config.periodicMs);
      await flush();
      assert.equal(rig.hedger.state().mode, 'paused');
      assert.match(rig.hedger.state().reason ?? '', /^option data stale: \d+\.\d s old/);
      assert.equal(rig.hedgeRequests().length, hedged, 'nothing sent while stale');
      assert.ok(pauseReasons(rig, logged).length >= 1);

      rig.mark('release');
      rig.relays['ws']!.release();
      await rig.catchUp();
      await rig.settle();
      assert.equal(rig.hedger.state().mode, 'on');
      assert.ok(rig.hedgeRequests().length > hedged, 'hedged once the quotes flowed');
      assert.ok(rig.find(/^report sent/, rig.find('release')) > 0);
      assert.ok(Math.abs(rig.netDelta()) <= bandCoins(rig));
    } finally {
      await rig.close();
    }
  });

  it('Bybit option stream stalled: the position change is seen at once, yet nothing is sent until the option quotes are fresh', async () => {
    const rig = await openRig({ venue: 'bybit', seed: 33, relay: true });
    try {
      const call = await hedgedCall(rig);
      const hedged = rig.hedgeRequests().length;

      // Only the option socket stalls; the hedge instrument's and the account's flow on.
      rig.relays['option']!.hold();
      for (let i = 0; i < 3; i += 1) {
        await rig.advanceSim(5_000);
        await flush();
      }
      await rig.clock.advanceTo(rig.clock.now() + rig.config.periodicMs);
      await flush();
      assert.equal(rig.hedger.state().mode, 'paused');
      assert.match(rig.hedger.state().reason ?? '', /^option data stale/);

      buyMore(rig, call);
      const held = await rig.until(
        () => (rig.engine.account.position('bybit', call)?.size ?? 0) > 0.5,
      );
      assert.ok(held, 'the private stream delivered the larger position');
      await rig.settle();
      assert.equal(rig.hedger.state().mode, 'paused');
      assert.equal(rig.hedgeRequests().length, hedged, 'nothing sent on stale option quotes');

      rig.mark('release');
      rig.relays['option']!.release();
      await rig.step(STEP_MS);
      assert.equal(rig.hedger.state().mode, 'on');
      assert.ok(rig.hedgeRequests().length > hedged, 'hedged once the quotes flowed');
      assert.ok(Math.abs(rig.netDelta()) <= bandCoins(rig));
    } finally {
      await rig.close();
    }
  });
});
