// The command latency bench's wiring: a short run against the sim yields the rows run.ts
// prints and emits as JSON lines, from real orders the exchange saw, and leaves nothing behind
// (no order on the book, no timer, the `ws` tap removed), or `npm run bench` would not exit.
// No timing thresholds.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocket } from 'ws';
import { PEER_CLIENT, runCommandLatency, TARGET_P99_MS } from '../../bench/command-latency.js';
import { assertJsonLine } from './support/json-line.js';

const ORDERS = 5;

/** `ws`'s send as the prototype has it now (the bench taps it for the run). */
function sendOf(): unknown {
  return Reflect.get(WebSocket.prototype, 'send');
}

function timers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
}

describe('command latency bench', () => {
  it('times orders typed on the screen and sent by a bare client, to the sim', async () => {
    const before = timers();
    const send = sendOf();
    const logged: string[] = [];
    const result = await runCommandLatency(
      { orders: ORDERS, warmup: 1, pauseMs: [5, 15] },
      (line) => logged.push(line),
    );
    const { rows, notes } = result;

    assert.deepEqual(
      rows.map((row) => row.metric),
      [
        'keypress → order at the sim: p50',
        'keypress → order at the sim: p99',
        'keypress → order at the sim: max',
        'keypress → frame on the wire: p50',
        'keypress → frame on the wire: p99',
      ],
    );
    for (const row of rows) {
      assert.equal(row.bench, 'commands');
      assert.equal(row.better, 'lower');
      assert.equal(row.unit, 'ms');
      assert.equal(row.peer, PEER_CLIENT);
      assertJsonLine(row);
    }
    // The p99 target: keypress → order on the wire (the socket).
    const target = { on: 'ivtrade', op: '<=', value: TARGET_P99_MS };
    assert.deepEqual(
      rows.map((row) => row.target),
      [undefined, undefined, undefined, undefined, target],
    );
    const [p50, p99, max, wire50, wire99] = rows as [
      (typeof rows)[0],
      (typeof rows)[0],
      (typeof rows)[0],
      (typeof rows)[0],
      (typeof rows)[0],
    ];
    for (const side of ['ivtrade', 'peerValue'] as const) {
      assert.ok(p50[side] <= p99[side] && p99[side] <= max[side], side);
      assert.ok(wire50[side] <= wire99[side], side);
    }

    // One sample per timed order; each frame left before the exchange had its order.
    for (const samples of [result.ivtrade, result.peer]) {
      assert.equal(samples.total.length, ORDERS);
      assert.equal(samples.wire.length, ORDERS);
      assert.equal(samples.sync.length, ORDERS);
      samples.total.forEach((total, i) => {
        const wire = samples.wire[i]!;
        assert.ok(wire > 0 && wire <= total, `order ${i}: frame at ${wire} ms, sim at ${total}`);
      });
    }
    assert.equal(result.leftOpen, 0);
    assert.equal(result.notResting, 0);
    assert.ok(notes.some((note) => note.includes(`${ORDERS} orders per contender`)));
    assert.ok(logged.length > 0);

    assert.equal(sendOf(), send, 'the wire tap is removed');
    // Ink's unmount and React's effect clean-ups (the App's frame clock) finish within ticks.
    await sleep(50);
    assert.equal(timers(), before);
  });
});
