// The render bench's wiring: a short run yields the rows run.ts prints and emits as JSON
// lines, every figure a real measurement, and leaves no timer or Ink instance behind (or
// `npm run bench` would never exit). No timing thresholds.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ratioOf } from '../../bench/common.js';
import { PEER_INK_FLOOR, PEER_PLAIN, runRender, SIZES } from '../../bench/render.js';

const KEYS = ['bench', 'metric', 'ivtrade', 'peer', 'peerValue', 'ratio'];

function timers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
}

describe('render bench', () => {
  it('measures frames at both sizes and the idle UI beside their peers', async () => {
    const before = timers();
    const logged: string[] = [];
    const { rows, notes } = await runRender(
      {
        reps: 1,
        blockSeconds: 0.5,
        warmupSeconds: 0.2,
        idleWarmupSeconds: 0.3,
        idleSeconds: 0.5,
      },
      (line) => logged.push(line),
    );

    const metrics = [
      ...SIZES.flatMap(({ cols, rows: lines }) => [
        `${cols}×${lines} frame: median`,
        `${cols}×${lines} frame: p99`,
      ]),
      'idle UI: CPU, % of a core',
    ];
    assert.deepEqual(
      rows.map((row) => row.metric),
      metrics,
    );
    for (const row of rows) {
      assert.equal(row.bench, 'render');
      assert.equal(row.better, 'lower');
      assert.equal(row.peer, row.unit === 'ms' ? PEER_PLAIN : PEER_INK_FLOOR);
      assert.ok(row.target !== undefined, row.metric);
      // The line run.ts writes for --json: these keys, and numbers that survive JSON.
      const line = JSON.parse(
        JSON.stringify({
          bench: row.bench,
          metric: row.metric,
          ivtrade: row.ivtrade,
          peer: row.peer,
          peerValue: row.peerValue,
          ratio: ratioOf(row),
        }),
      ) as Record<string, unknown>;
      assert.deepEqual(Object.keys(line), KEYS);
      for (const key of ['ivtrade', 'peerValue', 'ratio']) {
        const value = line[key];
        assert.ok(
          typeof value === 'number' && Number.isFinite(value) && value > 0,
          `${row.metric} ${key}: ${String(value)}`,
        );
      }
    }
    for (let i = 0; i < SIZES.length; i++) {
      const [median, p99] = [rows[2 * i]!, rows[2 * i + 1]!];
      assert.ok(p99.ivtrade >= median.ivtrade && p99.peerValue >= median.peerValue);
    }
    assert.ok(notes.some((note) => note.includes('80×24')));
    assert.ok(logged.length > 0);

    // Ink's unmount and React's effect clean-ups (the App's frame clock) finish within ticks.
    await sleep(50);
    assert.equal(timers(), before);
  });
});
