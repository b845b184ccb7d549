// Switching the hedger: off by default (a held call stays unhedged while the market moves),
// `hon` / `hs` / `hoff` answer in one line each, the state its panel reads follows, and after
// `hoff` nothing more is sent however far the book drifts.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HedgerState } from '../../src/hedge/types.js';
import { openRig } from './support/rig.js';
import { bandCoins, pickOption } from './support/scenario.js';

const STEP_MS = 8_000;

describe('hedger control', () => {
  it('off by default; on hedges, off stops; each answer is one line', async () => {
    const rig = await openRig({ venue: 'deribit', seed: 51 });
    try {
      const states: HedgerState[] = [];
      rig.hedger.onState((state) => states.push(state));
      const call = pickOption(rig.exchange, rig.simNow(), 'call', 1);
      await rig.trade([{ instrument: call, side: 'buy', amount: 0.3 }]);
      for (let i = 0; i < 3; i += 1) await rig.step(STEP_MS);

      assert.equal(rig.hedger.state().mode, 'off');
      assert.equal(rig.hedgeRequests().length, 0, 'off by default: nothing sent');
      assert.equal(rig.log.length, 0, 'and nothing decided');
      const off = rig.hedger.status();
      assert.match(
        off,
        /^hedger OFF · BTC-PERPETUAL · net \+0\.\d{4} BTC \(\$[\d,]+\) vs band ±\$[\d,]+ · 0 hedges · today 0 hedges · cost \$0\.00$/,
      );
      assert.ok(!off.includes('\n'));

      const on = rig.hedger.activate();
      assert.match(
        on,
        /^hedger ON: BTC options' net delta hedged in BTC-PERPETUAL within ±\$[\d,]+ \(0\.25% of one coin\); delta from ivtrade greeks at mark IV, forward; other BTC futures are ignored$/,
      );
      assert.match(rig.hedger.activate(), /^hedger already ON: /);
      await rig.settle();
      const hedging = rig.hedger.state();
      assert.equal(hedging.mode, 'on');
      assert.equal(hedging.hedges, 1);
      assert.equal(hedging.inFlight, null);
      assert.equal(hedging.instrument, 'BTC-PERPETUAL');
      assert.ok(Math.abs(rig.netDelta()) <= bandCoins(rig));
      assert.ok(hedging.measure.bandUsd !== null && hedging.measure.netUsd !== null);
      assert.ok(Math.abs(hedging.measure.netUsd) <= hedging.measure.bandUsd);
      // Newest first: the fill, the decision that sent it, the switch.
      assert.match(hedging.recent.at(-1) ?? '', /^\d\d:\d\d:\d\d ON by the trader$/);
      assert.ok(hedging.recent.some((line) => /HEDGE ivt-hedge-hedge1-1: net \+/.test(line)));
      assert.ok(hedging.recent.some((line) => /sold [\d,]+ BTC-PERPETUAL/.test(line)));
      assert.ok(hedging.recent.length <= 20);
      assert.ok(states.some((state) => state.inFlight === 'ivt-hedge-hedge1-1'));
      assert.match(
        rig.hedger.status(),
        /^hedger ON · BTC-PERPETUAL · net [+-]0\.\d{4} BTC .* · 1 hedge · today 1 hedge · cost \$\d+\.\d\d \(fees \$\d+\.\d\d, spread \$\d+\.\d\d\)$/,
      );

      // Every decision was logged with its inputs; the one that sent carries the label.
      const sent = rig.log.filter((entry) => entry.label !== undefined);
      assert.deepEqual(
        sent.map((entry) => entry.label),
        ['ivt-hedge-hedge1-1'],
      );
      assert.equal(sent[0]!.state, 'on');
      assert.equal(sent[0]!.inputs.hedge.name, 'BTC-PERPETUAL');

      assert.match(rig.hedger.deactivate(), /^hedger OFF \(1 hedge this session\)$/);
      assert.match(rig.hedger.deactivate(), /^hedger already OFF: /);
      const logged = rig.log.length;
      await rig.trade([{ instrument: call, side: 'buy', amount: 0.3 }]);
      for (let i = 0; i < 3; i += 1) await rig.step(STEP_MS);
      assert.equal(rig.hedger.state().mode, 'off');
      assert.equal(rig.hedgeRequests().length, 1, 'nothing sent after hoff');
      assert.equal(rig.log.length, logged, 'nothing decided after hoff');
      assert.ok(Math.abs(rig.netDelta()) > bandCoins(rig));

      rig.hedger.activate();
      await rig.settle();
      assert.equal(rig.hedgeRequests().length, 2, 'on again: hedged again');
      assert.ok(Math.abs(rig.netDelta()) <= bandCoins(rig));

      rig.hedger.close();
      assert.equal(rig.hedger.state().mode, 'off');
      assert.equal(rig.hedger.activate(), 'hedger closed');
      assert.equal(rig.clock.pending(), 0, 'close cleared every timer');
    } finally {
      await rig.close();
    }
  });

  it('a fault inside the loop switches it off and says so; the engine keeps running', async () => {
    const rig = await openRig({
      venue: 'deribit',
      seed: 52,
      // A real gateway whose venue lookup breaks when the first order is checked.
      orders: () => {
        throw new Error('venue lookup broke');
      },
    });
    try {
      const call = pickOption(rig.exchange, rig.simNow(), 'call', 1);
      await rig.trade([{ instrument: call, side: 'buy', amount: 0.3 }]);
      rig.hedger.activate();
      await rig.settle();
      const state = rig.hedger.state();
      assert.equal(state.mode, 'off');
      assert.equal(state.reason, 'internal error: venue lookup broke');
      assert.deepEqual(rig.alerts, ['hedger OFF: internal error: venue lookup broke']);
      assert.equal(rig.hedgeRequests().length, 0);
      // The engine's other listeners still hear every event: the market keeps flowing in.
      await rig.step(STEP_MS);
      assert.equal(rig.hedger.state().mode, 'off');
    } finally {
      await rig.close();
    }
  });
});
