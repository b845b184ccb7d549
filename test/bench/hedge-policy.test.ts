// The hedge policy bench on a few simulated hours: its path is seeded and has its jumps, each
// policy's tallies are what its rule implies, and the rows carry the figures the run prints.
// No timing here.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ratioOf } from '../../bench/common.js';
import { hedgeBook, indexPath, runHedgePolicy, stepsOf } from '../../bench/hedge-policy.js';

const HOURS_6 = 0.25;

describe('hedge policy bench', () => {
  it('walks the same index path for the same seed, with its jumps', () => {
    const steps = stepsOf(HOURS_6);
    assert.equal(steps, 6 * 3_600);
    const path = indexPath(5, steps);
    assert.deepEqual(indexPath(5, steps), path);
    assert.notDeepEqual(indexPath(6, steps), path);
    assert.equal(path[0], 90_000);
    let biggest = 0;
    for (let i = 1; i < path.length; i++) {
      assert.ok(path[i]! > 0 && Number.isFinite(path[i]));
      biggest = Math.max(biggest, Math.abs(Math.log(path[i]! / path[i - 1]!)));
    }
    // One-second moves at 60 % vol are ~0.01 %; a jump is 2–5 %.
    assert.ok(biggest > 0.019 && biggest < 0.052, `largest move ${biggest}`);
  });

  it('keeps a small book inside the band with few hedges, the naive policy within half a lot', () => {
    const run = hedgeBook(indexPath(5, stepsOf(HOURS_6)), 0.1);
    const { ivtrade, naive } = run;
    assert.ok(run.maxBandUsd > 150 && run.maxBandUsd < 300, `band ${run.maxBandUsd}`);
    assert.equal(ivtrade.secondsOutsideBand, 0);
    assert.equal(ivtrade.secondsPaused, 0);
    assert.ok(ivtrade.maxAbsNetUsd <= run.maxBandUsd);
    assert.ok(ivtrade.hedges > 0 && ivtrade.hedges * 20 < naive.hedges, `${ivtrade.hedges}`);
    assert.ok(ivtrade.notionalUsd < naive.notionalUsd);
    assert.ok(naive.maxAbsNetUsd <= 5 + 1e-6, `naive max ${naive.maxAbsNetUsd}`);
    assert.ok(ivtrade.meanAbsNetUsd > naive.meanAbsNetUsd);
    assert.ok(ivtrade.spreadPaidUsd < naive.spreadPaidUsd);
  });

  it('the gamma band hedges a large book far less often than the fixed band, and stays off the cap', () => {
    const { ivtrade, gamma } = hedgeBook(indexPath(5, stepsOf(HOURS_6)), 10);
    assert.ok(gamma.hedges * 5 < ivtrade.hedges, `${gamma.hedges} vs ${ivtrade.hedges}`);
    assert.ok(gamma.secondsPaused < ivtrade.secondsPaused);
    assert.ok(gamma.spreadPaidUsd < ivtrade.spreadPaidUsd);
    // The cost of hedging less: more delta held between hedges.
    assert.ok(gamma.meanAbsNetUsd > ivtrade.meanAbsNetUsd);
  });

  it('lets the per-minute cap pace a large book: no more than 6 hedges a minute overall', () => {
    const { ivtrade, naive } = hedgeBook(indexPath(5, stepsOf(HOURS_6)), 10);
    assert.ok(ivtrade.hedges <= 6 * 6 * 60, `${ivtrade.hedges} hedges`);
    assert.ok(ivtrade.secondsPaused > 0);
    assert.ok(naive.hedges > ivtrade.hedges);
  });

  it('reports three rows per book in the shape the runner prints', () => {
    const result = runHedgePolicy({ seed: 5, days: HOURS_6, shortStraddlesBtc: [1, 0.1] });
    assert.equal(result.rows.length, 6 + 8);
    assert.deepEqual(
      result.rows.slice(0, 6).map((row) => row.metric),
      [1, 0.1].flatMap((size) =>
        ['hedges placed', 'traded notional (USD)', 'time-weighted |net delta| (USD)'].map(
          (metric) => `0.25 d, short ${size} BTC straddle: ${metric}`,
        ),
      ),
    );
    for (const row of result.rows.slice(0, 6)) {
      assert.equal(row.bench, 'hedge');
      assert.equal(row.better, 'lower');
      assert.equal(row.peer, 'naive: re-hedge every tick');
      assert.ok(row.ivtrade > 0 && Number.isFinite(row.ivtrade), row.metric);
      assert.ok(row.peerValue > 0 && Number.isFinite(row.peerValue), row.metric);
    }
    const [hedges, notional, net] = result.rows.slice(3);
    // Fewer hedges and less notional put ivtrade ahead; holding more delta puts it behind.
    assert.ok(ratioOf(hedges!) > 20);
    assert.ok(ratioOf(notional!) > 1);
    assert.ok(ratioOf(net!) < 1);
    // Issue 20: four rows per book for the gamma band beside the fixed one.
    const gamma = result.rows.slice(6);
    assert.deepEqual(
      gamma.map((row) => row.metric.replace(/^0\.25 d, short [\d.]+ BTC straddle, /, '')),
      [1, 0.1].flatMap(() =>
        [
          'hedges placed',
          'time paused at the cap (%)',
          'half-spread paid (USD)',
          'time-weighted |net delta| (USD)',
        ].map((metric) => `gamma band (γ 1e-3/$): ${metric}`),
      ),
    );
    for (const row of gamma) assert.equal(row.peer, "ivtrade's fixed band");
    assert.equal(result.notes.length, 4);
    assert.match(result.notes[0]!, /0\.25 simulated days in 1 s steps \(seed 5\)/);
    assert.match(result.notes[2]!, /short 0\.1 BTC: ivtrade's \|net\| above its band/);
  });
});
