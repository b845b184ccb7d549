// Issue 20's policies over the sim (Deribit protocol, virtual clock): the same straddle on
// the same seeded path, hedged under the fixed band and under the gamma band. Under each,
// the net delta is inside the policy's own band at every sample with nothing in flight, one
// hedge at a time; the gamma band, wider where the book's gamma is, hedges less often.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HedgeConfig } from '../../src/hedge/types.js';
import { openRig } from './support/rig.js';
import { shapeLegs } from './support/scenario.js';

const STEP_MS = 8_000;
const HOURS = 1;

async function run(
  config: Partial<HedgeConfig>,
): Promise<{ hedges: number; outside: string[]; samples: number }> {
  const rig = await openRig({ venue: 'deribit', seed: 11, config });
  try {
    await rig.trade(shapeLegs('long straddle', rig.exchange, rig.simNow(), 1));
    assert.match(rig.hedger.activate(), /^hedger ON/);
    await rig.settle();
    const outside: string[] = [];
    let samples = 0;
    const end = rig.simNow() + HOURS * 3_600_000;
    while (rig.simNow() < end) {
      await rig.step(STEP_MS);
      const state = rig.hedger.state();
      if (state.inFlight !== null || state.mode !== 'on') continue;
      const { netUsd, bandUsd } = state.measure;
      if (netUsd === null || bandUsd === null) continue;
      samples += 1;
      // A band is checked against itself at the decision; a hair of slack for the step's move.
      if (Math.abs(netUsd) > bandUsd * 1.05 + 1) {
        outside.push(`${netUsd.toFixed(0)} outside ±${bandUsd.toFixed(0)} (${state.reason ?? ''})`);
      }
    }
    // One hedge at a time, as under every policy.
    const open = new Set<string>();
    for (const report of rig.reports) {
      const label = report.label;
      if (label === null || !label.startsWith('ivt-hedge-')) continue;
      if (report.outcome === 'sent') {
        assert.deepEqual([...open], [], `${label} sent while another was in flight`);
        open.add(label);
      } else if (['filled', 'cancelled', 'rejected'].includes(report.outcome)) {
        open.delete(label);
      }
    }
    return { hedges: rig.hedger.state().hedges, outside, samples };
  } finally {
    await rig.close();
  }
}

describe('hedging policies over the sim', () => {
  it('the gamma band holds the net inside its own band and hedges less often than the fixed', async () => {
    const fixed = await run({});
    const gamma = await run({ policy: 'gamma', aversion: 1e-3 });
    console.log(
      `1 BTC long straddle, ${HOURS} h at ${STEP_MS / 1000} s steps: fixed band ${fixed.hedges} hedges, ` +
        `gamma band (γ 1e-3/$) ${gamma.hedges} hedges`,
    );
    assert.ok(fixed.samples > 100 && gamma.samples > 100);
    assert.deepEqual(fixed.outside, []);
    assert.deepEqual(gamma.outside, []);
    assert.ok(fixed.hedges > 0, 'the fixed band hedged');
    assert.ok(gamma.hedges < fixed.hedges, `gamma ${gamma.hedges} vs fixed ${fixed.hedges}`);
  });
});
