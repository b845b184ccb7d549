import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelStep, SimVenueName } from '../../../src/sim/contract.js';
import { HOUR, MINUTE, START, model } from './helpers.js';

/** Mixed step sizes crossing the 08:00 expiry: 250 ms, 15 min, an equal time and a long gap. */
const TIMES = [
  START,
  START + 250,
  START + 500,
  START + 500,
  START + 15 * MINUTE,
  START + 45 * MINUTE,
  START + HOUR + 100,
  START + HOUR + 15 * MINUTE,
  START + 30 * HOUR,
];

function run(seed: number): ReadonlyMap<SimVenueName, ModelStep>[] {
  const m = model(seed);
  return TIMES.map((ts) => m.step(ts));
}

describe('market model determinism', () => {
  it('replays identical steps from the same seed', () => {
    assert.deepEqual(run(7), run(7));
  });

  it('produces a different market from a different seed', () => {
    const a = run(7);
    const b = run(8);
    const last = TIMES.length - 1;
    assert.notEqual(
      a[last]!.get('deribit')!.index.get('BTC'),
      b[last]!.get('deribit')!.index.get('BTC'),
    );
    assert.notDeepEqual(a[2]!.get('deribit')!.quotes, b[2]!.get('deribit')!.quotes);
    assert.notDeepEqual(a[last]!.get('bybit')!.takers, b[last]!.get('bybit')!.takers);
  });

  it('does not depend on the order in which its streams are consumed elsewhere', () => {
    // A model that is also asked for modelIv and forwards between steps must not drift.
    const plain = run(11);
    const m = model(11);
    const probed = TIMES.map((ts) => {
      const step = m.step(ts);
      m.modelIv('BTC', Date.UTC(2026, 11, 25, 8), 100_000);
      m.forward('ETH', Date.UTC(2026, 11, 25, 8));
      m.indexPrice('ETH');
      return step;
    });
    assert.deepEqual(probed, plain);
  });

  it('rejects a step back in time', () => {
    const m = model(1);
    m.step(START + MINUTE);
    assert.throws(() => m.step(START), RangeError);
  });
});
