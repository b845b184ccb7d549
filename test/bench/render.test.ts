// The render bench's wiring: a short run yields the rows run.ts prints and emits as JSON
// lines, every figure a real measurement, and leaves no timer or Ink instance behind (or
// `npm run bench` would never exit). No timing thresholds.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { PEER_INK_FLOOR, PEER_PLAIN, runRender, SIZES, VIEWS } from '../../bench/render.js';
import { assertJsonLine } from './support/json-line.js';

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
      ...VIEWS.flatMap(({ name, size }) => [
        `${size.cols}×${size.rows} ${name} frame: median`,
        `${size.cols}×${size.rows} ${name} frame: p99`,
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
      assertJsonLine(row);
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
