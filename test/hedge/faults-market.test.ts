// The hedger when the market or the venue says no: the hedge instrument's quote crossed, and
// hedge orders rejected again and again (the account has no funds left to margin them). A
// crossed quote pauses it until a sane one comes; three rejections in a row switch it off,
// loudly, and off it stays until the trader switches it on again.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TickerEvent } from '../../src/book/events.js';
import { SimError } from '../../src/sim/contract.js';
import { flush, openRig, type Rig } from './support/rig.js';
import { bandCoins, pickOption } from './support/scenario.js';

const STEP_MS = 8_000;

async function buyCall(rig: Rig, amount: number): Promise<string> {
  const call = pickOption(rig.exchange, rig.simNow(), 'call', 1);
  await rig.trade([{ instrument: call, side: 'buy', amount }]);
  return call;
}

/**
 * Ties up nearly all the account's available funds in bids far under the market (they rest,
 * and reserve their premium), so a hedge that opens a position finds no margin. Returns the
 * bids' order ids.
 */
function tieUpFunds(rig: Rig, instrument: string): string[] {
  const price = 0.0005;
  const ids: string[] = [];
  let headroom = 1.2;
  for (let i = 0; i < 30; i += 1) {
    const available = rig.exchange.summary(rig.accountId, 'BTC').availableFunds;
    const lots = Math.floor(available / (price * headroom) / 0.1);
    if (available < 1e-4 || lots < 1) break;
    try {
      const placed = rig.exchange.place(rig.accountId, {
        instrument,
        side: 'buy',
        amount: lots / 10,
        price,
        type: 'limit',
      });
      assert.equal(placed.order.state, 'open');
      ids.push(placed.order.orderId);
    } catch (error) {
      if (!(error instanceof SimError) || error.code !== 'not_enough_funds') throw error;
      headroom *= 1.5;
    }
  }
  assert.ok(rig.exchange.summary(rig.accountId, 'BTC').availableFunds < 1e-3);
  return ids;
}

describe('hedger faults: the market and the venue', () => {
  it('crossed hedge quote: paused while crossed, sends nothing though the book left the band, hedges once a sane quote comes', async () => {
    const rig = await openRig({ venue: 'deribit', seed: 41 });
    try {
      const call = await buyCall(rig, 0.3);
      rig.hedger.activate();
      await rig.settle();
      const hedged = rig.hedgeRequests().length;
      assert.ok(hedged >= 1);

      // The sim's matching keeps its books uncrossed, so a crossed top is applied the way a
      // feed's events are (MarketEngine.apply, the documented replay path): the perpetual's
      // latest ticker, bid lifted $100 through its ask.
      const latest = rig.engine.market.ticker('deribit', rig.hedgeInstrument);
      assert.ok(latest !== undefined && latest.ask !== null);
      const crossed: TickerEvent = { ...latest, bid: latest.ask + 100 };
      rig.engine.apply(crossed);
      await rig.trade([{ instrument: call, side: 'buy', amount: 0.3 }]);
      await rig.settle();
      const state = rig.hedger.state();
      assert.equal(state.mode, 'paused');
      assert.match(state.reason ?? '', /^BTC-PERPETUAL book crossed: bid [\d,.]+ ≥ ask [\d,.]+$/);
      assert.ok(state.measure.netUsd !== null && Math.abs(state.measure.netUsd) > 1000);
      // The periodic check still finds it crossed.
      await rig.clock.advanceTo(rig.clock.now() + rig.config.periodicMs);
      await flush();
      assert.equal(rig.hedger.state().mode, 'paused');
      assert.equal(rig.hedgeRequests().length, hedged, 'nothing sent while crossed');

      rig.mark('step');
      await rig.step(STEP_MS);
      assert.equal(rig.hedger.state().mode, 'on');
      assert.equal(rig.hedgeRequests().length, hedged + 1, 'one hedge once the quote was sane');
      assert.ok(rig.find(/^report sent/, rig.find('step')) > 0);
      assert.ok(Math.abs(rig.netDelta()) <= bandCoins(rig));
    } finally {
      await rig.close();
    }
  });

  it('under the time policy a rejected hedge meets no due time: retried after the back-off, off after three', async () => {
    const rig = await openRig({
      venue: 'deribit',
      seed: 42,
      config: { policy: 'time', everyMs: 10 * 60_000 },
    });
    try {
      const call = await buyCall(rig, 0.3);
      tieUpFunds(rig, call);
      assert.match(rig.hedger.activate(), /^hedger ON/);
      // Settling runs only what is due within a second: a retry that waited out the 10-minute
      // interval would leave the hedger on after one rejection.
      await rig.settle();
      const state = rig.hedger.state();
      assert.equal(state.mode, 'off');
      assert.equal(state.reason, '3 hedge orders rejected in a row: hedger off');
      assert.deepEqual(
        rig.log.map((entry) => entry.decision.action),
        ['hedge', 'hedge', 'hedge', 'off'],
      );
      const times = rig.log.map((entry) => entry.ts);
      for (let i = 1; i < times.length; i += 1) {
        const gap = times[i]! - times[i - 1]!;
        assert.ok(gap >= 1_000 && gap < 60_000, `${gap} ms apart`);
      }
    } finally {
      await rig.close();
    }
  });

  it('three rejections in a row: off with an alert, nothing sent while off, on again after recovery', async () => {
    const rig = await openRig({ venue: 'deribit', seed: 42 });
    try {
      const call = await buyCall(rig, 0.3);
      const bids = tieUpFunds(rig, call);
      assert.match(rig.hedger.activate(), /^hedger ON/);
      await rig.settle();

      const state = rig.hedger.state();
      assert.equal(state.mode, 'off');
      assert.equal(state.reason, '3 hedge orders rejected in a row: hedger off');
      assert.deepEqual(rig.alerts, ['hedger OFF: 3 hedge orders rejected in a row: hedger off']);
      const requests = rig.hedgeRequests();
      assert.equal(requests.length, 3, 'three tries reached the venue');
      for (const request of requests) {
        assert.equal(request.outcome, 'error');
        assert.match(request.error ?? '', /not enough funds/);
      }
      const rejected = rig.reports.filter((report) => report.outcome === 'rejected');
      assert.equal(rejected.length, 3);
      const decisions = rig.log.map((entry) => entry.decision.action);
      assert.deepEqual(decisions, ['hedge', 'hedge', 'hedge', 'off']);
      assert.deepEqual(
        rig.log.map((entry) => entry.inputs.consecutiveRejects),
        [0, 1, 2, 3],
      );
      // A back-off after each rejection: the retries are a second apart, not a debounce.
      const times = rig.log.map((entry) => entry.ts);
      for (let i = 1; i < times.length; i += 1) {
        assert.ok(times[i]! - times[i - 1]! >= 1_000, `${times[i]! - times[i - 1]!} ms apart`);
      }
      assert.match(state.recent[0] ?? '', /OFF: 3 hedge orders rejected in a row/);
      assert.match(rig.hedger.status(), /^hedger OFF \(3 hedge orders rejected in a row/);

      // Off stays off: the call is still unhedged and the market moves; nothing is sent or
      // decided, though the header's net delta keeps up.
      for (let i = 0; i < 5; i += 1) await rig.step(STEP_MS);
      assert.ok(Math.abs(rig.netDelta()) > bandCoins(rig));
      assert.ok(Math.abs((rig.hedger.state().measure.netDelta ?? 0) - rig.netDelta()) < 1e-9);
      assert.equal(rig.hedger.state().mode, 'off');
      assert.equal(rig.hedgeRequests().length, 3);
      assert.equal(rig.log.length, 4, 'no decisions while off');

      // Recovery: the bids are cancelled, funds are free again, the trader switches it on.
      for (const id of bids) rig.exchange.cancel(rig.accountId, id);
      await rig.step(STEP_MS);
      assert.match(rig.hedger.activate(), /^hedger ON/);
      await rig.settle();
      assert.equal(rig.hedger.state().mode, 'on');
      const after = rig.hedgeRequests().slice(3);
      assert.equal(after.length, 1);
      assert.equal(after[0]!.outcome, 'ok');
      assert.equal(after[0]!.status, 'filled');
      assert.ok(Math.abs(rig.netDelta()) <= bandCoins(rig));
    } finally {
      await rig.close();
    }
  });
});
