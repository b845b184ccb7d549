// The hedge latency bench's wiring: a short run against the sim yields the rows run.ts prints
// and emits as JSON lines, from real hedges the hedger sent after real fills, and leaves
// nothing behind (no timer, no socket, the `ws` tap removed, the hedge log's temporary
// directory gone), or `npm run bench` would not exit. No timing thresholds.

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocket } from 'ws';
import { PEER_GATEWAY, runHedgeLatency, TARGET_P99_MS } from '../../bench/hedge-latency.js';
import { assertJsonLine } from './support/json-line.js';

const SAMPLES = 4;
const WARMUP = 1;

/** `ws`'s send as the prototype has it now (the bench taps it for the run). */
function sendOf(): unknown {
  return Reflect.get(WebSocket.prototype, 'send');
}

function timers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
}

function benchDirs(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith('ivtrade-bench-hedge-'));
}

describe('hedge latency bench', () => {
  it('times hedges set off by fills, and the gateway alone, to the socket', async () => {
    const before = timers();
    const dirs = benchDirs();
    const send = sendOf();
    const logged: string[] = [];
    const result = await runHedgeLatency(
      { samples: SAMPLES, warmup: WARMUP, pauseMs: [5, 15] },
      (line) => logged.push(line),
    );
    const { rows, notes } = result;

    assert.deepEqual(
      rows.map((row) => row.metric),
      [
        'fill → hedge frame on the wire: p50',
        'fill → hedge frame on the wire: p99',
        'fill → hedge frame on the wire: max',
      ],
    );
    for (const row of rows) {
      assert.equal(row.bench, 'hedge');
      assert.equal(row.better, 'lower');
      assert.equal(row.unit, 'ms');
      assert.equal(row.peer, PEER_GATEWAY);
      assertJsonLine(row);
    }
    // The target sits on the p99 row alone.
    assert.deepEqual(
      rows.map((row) => row.target),
      [undefined, { on: 'ivtrade', op: '<=', value: TARGET_P99_MS }, undefined],
    );
    const [p50, p99, max] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
    for (const side of ['ivtrade', 'peerValue'] as const) {
      assert.ok(p50[side] <= p99[side] && p99[side] <= max[side], side);
    }

    // One sample per timed hedge; the synchronous part ends before the frame leaves.
    for (const samples of [result.ivtrade, result.peer]) {
      assert.equal(samples.wire.length, SAMPLES);
      assert.equal(samples.sync.length, SAMPLES);
      samples.wire.forEach((wire, i) => {
        const sync = samples.sync[i]!;
        assert.ok(sync > 0 && sync <= wire, `sample ${i}: sync ${sync} ms, frame at ${wire}`);
      });
    }
    // Every timed and untimed sample was a hedge the hedger sent and logged.
    assert.ok(result.hedges >= SAMPLES + WARMUP, `${result.hedges} hedges`);
    assert.ok(result.decisions >= result.hedges, `${result.decisions} decisions`);
    assert.equal(result.logOk, true);
    assert.ok(Number.isFinite(result.coldMs) && result.coldMs > 0, `first hedge ${result.coldMs}`);
    assert.match(result.option, /^BTC-\d{1,2}[A-Z]{3}\d{2}-\d+-C$/);
    assert.ok(notes.some((note) => note.includes(`${SAMPLES} hedges timed`)));
    assert.ok(notes.some((note) => note.includes('keeps its default 250 ms debounce')));
    assert.ok(logged.length > 0);

    assert.equal(sendOf(), send, 'the wire tap is removed');
    assert.deepEqual(benchDirs(), dirs, 'the hedge log directory is removed');
    await sleep(50);
    assert.equal(timers(), before);
  });
});
