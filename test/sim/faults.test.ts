// Each fault does exactly what it advertises: on one connection's frames (ConnectionFaults)
// and over the wire against the running sim.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConnectionFaults,
  NO_FAULTS,
  parseFaults,
  type FaultOptions,
} from '../../src/sim/faults.js';
import { startSim } from '../../src/sim/server.js';
import { RpcClient } from './support/rpc-client.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function harness(options: Partial<FaultOptions>, wallNow?: () => number) {
  const sent: string[] = [];
  let terminated = 0;
  const faults = new ConnectionFaults(
    { ...NO_FAULTS, ...options },
    { send: (text) => sent.push(text), terminate: () => terminated++ },
    11,
    wallNow,
  );
  return { faults, sent, terminated: () => terminated };
}

const frame = (n: number): string => JSON.stringify({ n });

describe('parseFaults', () => {
  it('reads every fault, fractions or percentages', () => {
    const parsed = parseFaults(
      'drop=1%,duplicate=0.002,reorder=0.5%,malformed=0.001,disconnect=60,stall=5,stall-every=30,delay=200,rate-limit=20',
    );
    assert.deepEqual(parsed, {
      dropBookChanges: 0.01,
      duplicateBookChanges: 0.002,
      reorderBookChanges: 0.005,
      malformedFrames: 0.001,
      disconnectEverySec: 60,
      stallEverySec: 30,
      stallForSec: 5,
      replyDelayMs: 200,
      maxRequestsPerSec: 20,
    });
    assert.deepEqual(parseFaults(''), NO_FAULTS);
    assert.equal(
      parseFaults('stall=2').stallEverySec,
      30,
      'a stall without a period recurs every 30 s',
    );
  });

  it('names what is wrong', () => {
    assert.throws(() => parseFaults('drop=2'), /"drop" needs a fraction in \[0, 1\]/);
    assert.throws(() => parseFaults('delay=-5'), /"delay" needs a number ≥ 0/);
    assert.throws(() => parseFaults('drop'), /unknown fault "drop"/);
    assert.throws(() => parseFaults('boom=1'), /unknown fault "boom=1": expected name=value/);
  });
});

describe('ConnectionFaults', () => {
  it('passes everything through untouched with no faults', () => {
    const { faults, sent } = harness({});
    for (let i = 0; i < 100; i++)
      faults.send(frame(i), i % 2 === 0 ? 'book-change' : 'notification');
    faults.send('reply', 'reply');
    assert.deepEqual(sent, [...Array.from({ length: 100 }, (_, i) => frame(i)), 'reply']);
    faults.close();
  });

  it('drops about the asked fraction of book changes, and nothing else', () => {
    const { faults, sent } = harness({ dropBookChanges: 0.1 });
    for (let i = 0; i < 10_000; i++) faults.send(frame(i), 'book-change');
    for (let i = 0; i < 1_000; i++) faults.send('other', 'notification');
    faults.send('reply', 'reply');
    const books = sent.filter((s) => s.startsWith('{'));
    assert.equal(faults.counters.dropped, 10_000 - books.length);
    assert.ok(
      faults.counters.dropped > 850 && faults.counters.dropped < 1_150,
      `${faults.counters.dropped}`,
    );
    assert.equal(sent.filter((s) => s === 'other').length, 1_000);
    assert.equal(sent.at(-1), 'reply');
    // Survivors keep their order.
    const order = books.map((s) => (JSON.parse(s) as { n: number }).n);
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a - b),
    );
    faults.close();
  });

  it('duplicates a book change right after itself', () => {
    const { faults, sent } = harness({ duplicateBookChanges: 0.05 });
    for (let i = 0; i < 2_000; i++) faults.send(frame(i), 'book-change');
    assert.equal(sent.length, 2_000 + faults.counters.duplicated);
    assert.ok(faults.counters.duplicated > 50, `${faults.counters.duplicated}`);
    let pairs = 0;
    for (let i = 1; i < sent.length; i++) if (sent[i] === sent[i - 1]) pairs++;
    assert.equal(pairs, faults.counters.duplicated);
    faults.close();
  });

  it('reorders by holding one change back until the next has gone', () => {
    const { faults, sent } = harness({ reorderBookChanges: 0.05 });
    for (let i = 0; i < 2_000; i++) faults.send(frame(i), 'book-change');
    const order = sent.map((s) => (JSON.parse(s) as { n: number }).n);
    let swaps = 0;
    for (let i = 1; i < order.length; i++) if ((order[i] ?? 0) < (order[i - 1] ?? 0)) swaps++;
    assert.ok(faults.counters.reordered > 50);
    // The final change may still be held when the stream ends.
    assert.ok(swaps === faults.counters.reordered || swaps === faults.counters.reordered - 1);
    assert.ok(order.length >= 1_999);
    faults.close();
  });

  it('cuts malformed notifications so they are not JSON, never replies', () => {
    const { faults, sent } = harness({ malformedFrames: 0.1 });
    for (let i = 0; i < 1_000; i++) faults.send(frame(i), 'notification');
    for (let i = 0; i < 100; i++) faults.send(frame(i), 'reply');
    const broken = sent.filter((s) => {
      try {
        JSON.parse(s);
        return false;
      } catch {
        return true;
      }
    });
    assert.equal(broken.length, faults.counters.malformed);
    assert.ok(broken.length > 60 && broken.length < 140, `${broken.length}`);
    assert.ok(sent.slice(-100).every((s) => JSON.parse(s) !== undefined));
    faults.close();
  });

  it('answers too-many-requests above the rate, per wall second', () => {
    let now = 1_000_000;
    const { faults } = harness({ maxRequestsPerSec: 5 }, () => now);
    const first = Array.from({ length: 8 }, () => faults.admitRequest());
    assert.deepEqual(first, [true, true, true, true, true, false, false, false]);
    now += 1_000;
    assert.equal(faults.admitRequest(), true);
    assert.equal(faults.counters.rateLimited, 3);
    faults.close();
  });

  it('delays replies by the asked time', async () => {
    const { faults, sent } = harness({ replyDelayMs: 120 });
    const started = Date.now();
    faults.send('reply', 'reply');
    assert.deepEqual(sent, []);
    while (sent.length === 0) await sleep(5);
    assert.ok(Date.now() - started >= 115, `${Date.now() - started} ms`);
    faults.close();
  });

  it('stalls notifications for the asked time, then delivers them in order; replies flow', async () => {
    const { faults, sent } = harness({ stallEverySec: 0.2, stallForSec: 0.15 });
    await sleep(230);
    faults.send(frame(1), 'book-change');
    faults.send(frame(2), 'notification');
    faults.send('reply', 'reply');
    assert.deepEqual(sent, ['reply'], 'only the reply gets through a stall');
    await sleep(200);
    assert.deepEqual(sent, ['reply', frame(1), frame(2)]);
    assert.equal(faults.counters.stalled, 2);
    faults.close();
  });

  it('terminates the connection after the asked time', async () => {
    const { faults, terminated } = harness({ disconnectEverySec: 0.1 });
    assert.equal(terminated(), 0);
    await sleep(160);
    assert.equal(terminated(), 1);
    assert.equal(faults.counters.disconnects, 1);
    faults.close();
  });
});

describe('faults over the wire', () => {
  it('disconnect=N closes every connection N seconds after it opens, abnormally', async () => {
    const sim = await startSim({ manualClock: true, faults: { disconnectEverySec: 0.3 } });
    try {
      const client = await RpcClient.connect(sim.urls.deribitWs);
      const opened = Date.now();
      const code = await new Promise<number>((resolve) => client.socket.once('close', resolve));
      const lasted = Date.now() - opened;
      assert.equal(code, 1006, 'terminated without a close handshake, as an outage would');
      assert.ok(lasted >= 250 && lasted < 2_000, `${lasted} ms`);
    } finally {
      await sim.close();
    }
  });

  it('stall holds subscription data while replies still answer', async () => {
    const sim = await startSim({
      manualClock: true,
      faults: { stallEverySec: 0.3, stallForSec: 0.5 },
    });
    const client = await RpcClient.connect(sim.urls.deribitWs);
    try {
      await client.call('public/subscribe', { channels: ['deribit_price_index.btc_usd'] });
      await sleep(350);
      const before = client.notifications.length;
      for (let i = 0; i < 5; i++) sim.advance(1_000);
      await client.sync();
      assert.equal(client.notifications.length, before, 'no data during the stall');
      await sleep(550);
      assert.ok(client.notifications.length >= before + 5, `${client.notifications.length}`);
    } finally {
      await client.close();
      await sim.close();
    }
  });
});
