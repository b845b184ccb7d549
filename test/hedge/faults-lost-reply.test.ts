// The hedger when a hedge's outcome is unknown: the venue filled it, but its reply was lost and
// the private stream (held by a relay) shows neither the order nor the position. The hedger
// must not guess: it sends nothing else in the instrument, says it is waiting for that hedge,
// and at the long bound asks the venue (Bybit's order/realtime by orderLinkId); the answer
// (filled) is counted until the position shows it, once.

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { VenueOrderError, type OrderApi } from '../../src/feeds/feed.js';
import { flush, openRig, type Rig } from './support/rig.js';
import { bandCoins, pickOption } from './support/scenario.js';

/**
 * The venue's own adapter, except that a hedge order's reply is lost on the way back: the
 * order reaches the venue and is executed there, and the caller hears only that the outcome
 * is unknown, as after a timeout.
 */
function losingHedgeReplies(api: OrderApi): OrderApi {
  return {
    place: async (request) => {
      const result = await api.place(request);
      if (!(request.label ?? '').startsWith('ivt-hedge-')) return result;
      throw new VenueOrderError({
        venue: 'bybit',
        reason: 'timeout',
        code: null,
        venueMessage: null,
        message: 'no reply within 5 s',
        outcomeUnknown: true,
      });
    },
    edit: (edit) => api.edit(edit),
    cancel: (orderId) => api.cancel(orderId),
    cancelAll: (scope) => api.cancelAll(scope),
    cancelByLabel: (label) => api.cancelByLabel(label),
    orderByLabel: (label, instrument) => api.orderByLabel(label, instrument),
  };
}

/** The market moves on, a second at a time, its quotes reaching the hedger (the option and
 * linear sockets flow; only the private one is held). */
async function marketFor(rig: Rig, ms: number): Promise<void> {
  for (let done = 0; done < ms; done += 1_000) {
    await rig.advanceSim(Math.min(1_000, ms - done));
    await flush();
    await sleep(20);
  }
}

describe('hedger faults: a lost reply', () => {
  it('Bybit: no reply, no stream: waits for that hedge, asks the venue at the long bound, counts the fill once', async () => {
    const holder: { rig: Rig | null } = { rig: null };
    const rig = await openRig({
      venue: 'bybit',
      seed: 43,
      relay: true,
      orders: (venue) => {
        const api = holder.rig?.engine.feed(venue)?.orders ?? null;
        return api === null ? null : losingHedgeReplies(api);
      },
    });
    holder.rig = rig;
    try {
      const call = pickOption(rig.exchange, rig.simNow(), 'call', 1);
      await rig.trade([{ instrument: call, side: 'buy', amount: 0.3 }]);
      const hedge = rig.hedgeInstrument;
      const held = rig.engine.account.position('bybit', hedge)?.size ?? 0;

      rig.relays['private']!.hold();
      rig.hedger.activate();
      const label = 'ivt-hedge-hedge1-1';
      assert.ok(await rig.until(() => rig.hedgeRequests().length === 1));
      assert.equal(rig.hedgeRequests()[0]!.status, 'filled', 'the venue filled it');
      assert.ok(
        await rig.until(() =>
          rig.reports.some((report) => report.label === label && report.outcome === 'unknown'),
        ),
        'the reply was lost',
      );

      // Past the order timeout: cancelled for good measure (it had filled), then waited for.
      await marketFor(rig, rig.config.orderTimeoutMs + 1_000);
      assert.ok(
        await rig.until(() => rig.hedger.state().reconciling !== null),
        rig.hedger.state().recent.join('\n'),
      );
      await marketFor(rig, rig.config.periodicMs);
      assert.equal(rig.hedgeRequests().length, 1, 'nothing else sent while the outcome is unknown');
      assert.equal(rig.hedger.state().reconciling, `waiting for hedge ${label} to reconcile`);
      assert.deepEqual(rig.log.at(-1)!.decision, {
        action: 'none',
        reason: `waiting for hedge ${label} to reconcile`,
      });
      assert.equal(rig.engine.account.position('bybit', hedge)?.size ?? 0, held);

      // The long bound: the venue is asked, says filled; counted from that answer.
      await marketFor(rig, rig.log[0]!.ts + rig.config.reconcileAfterMs - rig.clock.now());
      assert.ok(
        await rig.until(() =>
          rig.reports.some((report) => report.label === label && report.outcome === 'filled'),
        ),
        rig.hedger.state().recent.join('\n'),
      );
      await flush();
      assert.ok(
        rig.hedger
          .state()
          .recent.some((line) =>
            line.includes(`${label}: no outcome after 30 s: asking the venue`),
          ),
        rig.hedger.state().recent.join('\n'),
      );
      assert.match(rig.hedger.state().reconciling ?? '', new RegExp(`^counting ${label} `));
      assert.equal(rig.hedgeRequests().length, 1);
      await rig.settle();
      assert.match(rig.log.at(-1)!.decision.reason, /inside ±\$/, 'the answer counted: hedged');
      assert.equal(rig.hedgeRequests().length, 1);

      // The stream flows again: the position shows the hedge, counted once.
      rig.relays['private']!.release();
      await rig.step(1_000);
      assert.equal(rig.hedger.state().reconciling, null);
      assert.notEqual(rig.engine.account.position('bybit', hedge)?.size ?? 0, held);
      assert.equal(rig.hedgeRequests().length, 1, 'one hedge in all');
      assert.ok(Math.abs(rig.netDelta()) <= bandCoins(rig), 'hedged, inside the band');
    } finally {
      await rig.close();
    }
  });
});
