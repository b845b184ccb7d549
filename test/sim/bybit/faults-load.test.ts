// Faults do what they advertise on Bybit's sockets and REST (dropped book deltas leave u gaps
// a client sees, malformed frames, rate limits answered 10006 / "Too many visits!"), idle
// sockets are closed, and load mode keeps every book's u chain intact at its set rate.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunningSim } from '../../../src/sim/server.js';
import { BybitRest, BybitSocket, type Json } from './support/bybit-client.js';
import { perpetual, sleep, startBybitSim } from './support/sim.js';

function optionBooks(sim: RunningSim, count: number): string[] {
  return sim.world.exchanges.bybit
    .instruments({ kind: 'option' })
    .slice(0, count)
    .map((i) => `orderbook.25.${i.spec.name}`);
}

/** Per topic: snapshot first, then u + 1 per delta; returns the number of gaps seen. */
function chainGaps(frames: readonly Json[]): number {
  const last = new Map<string, number>();
  let gaps = 0;
  for (const frame of frames) {
    const topic = String(frame['topic']);
    if (!topic.startsWith('orderbook.')) continue;
    const u = Number((frame['data'] as Json)['u']);
    const previous = last.get(topic);
    if (frame['type'] === 'snapshot') {
      last.set(topic, u);
      continue;
    }
    assert.ok(previous !== undefined, `${topic}: delta before snapshot`);
    assert.ok(u > previous, `${topic}: u went from ${previous} to ${u}`);
    if (u !== previous + 1) gaps++;
    last.set(topic, u);
  }
  return gaps;
}

describe('bybit faults and load', () => {
  it('drops book deltas as configured, leaving u gaps a client detects', async () => {
    const sim = await startBybitSim({ faults: { dropBookChanges: 0.2 } });
    try {
      const client = await BybitSocket.connect(sim.urls.bybitOptionWs);
      await client.request({ op: 'subscribe', req_id: 's', args: optionBooks(sim, 40) });
      for (let i = 0; i < 40; i++) sim.advance(2000);
      await client.sync();
      const deltas = client.frames.filter((f) => f['type'] === 'delta').length;
      assert.ok(deltas > 20, `${deltas} deltas`);
      assert.ok(chainGaps(client.frames) > 0);
      await client.close();
    } finally {
      await sim.close();
    }
  });

  it('sends malformed frames as configured', async () => {
    const sim = await startBybitSim({ faults: { malformedFrames: 0.3 } });
    try {
      const client = await BybitSocket.connect(sim.urls.bybitOptionWs);
      const tickers = sim.world.exchanges.bybit
        .instruments({ kind: 'option' })
        .slice(0, 20)
        .map((i) => `tickers.${i.spec.name}`);
      await client.request({ op: 'subscribe', req_id: 's', args: tickers });
      for (let i = 0; i < 10; i++) sim.advance(1000);
      await client.sync();
      assert.ok(client.unparsable.length > 0);
      // Option tickers are full snapshots; the ones not spoiled still arrive whole.
      assert.ok(
        client.frames.some(
          (f) => typeof f['topic'] === 'string' && f['topic'].startsWith('tickers.'),
        ),
      );
      await client.close();
    } finally {
      await sim.close();
    }
  });

  it('answers requests above the rate limit with 10006 on REST and "Too many visits!" on sockets', async () => {
    const sim = await startBybitSim({ faults: { maxRequestsPerSec: 5 } });
    try {
      const rest = new BybitRest(sim.urls.bybitRest, sim.apiKeys.bybit[0]!);
      // All at once, so they land inside one rate window.
      const replies = await Promise.all(
        Array.from({ length: 12 }, () => rest.get('/v5/market/time')),
      );
      const limited = replies.filter((r) => r.retCode === 10006);
      assert.ok(limited.length >= 6, `${limited.length} limited`);
      assert.equal(limited[0]!.retMsg, 'Too many visits!');
      const signed = await Promise.all(
        Array.from({ length: 8 }, () =>
          rest.signedGet('/v5/account/wallet-balance', 'accountType=UNIFIED'),
        ),
      );
      assert.ok(signed.some((r) => r.retCode === 10006) && signed.some((r) => r.retCode === 0));

      const client = await BybitSocket.connect(sim.urls.bybitLinearWs);
      for (let i = 0; i < 10; i++) client.send({ op: 'ping', req_id: `p${i}` });
      await client.next((f) => f['req_id'] === 'p9');
      const refused = client.frames.filter((a) => a['success'] === false);
      assert.ok(refused.length >= 4, `${refused.length} refused`);
      assert.equal(refused[0]!['ret_msg'], 'Too many visits!');
      await client.close();
    } finally {
      await sim.close();
    }
  });

  it('closes a socket that sends nothing for the idle timeout, and keeps one that pings', async () => {
    const sim = await startBybitSim({ idleTimeoutSec: 0.4 });
    try {
      const quiet = await BybitSocket.connect(sim.urls.bybitOptionWs);
      const chatty = await BybitSocket.connect(sim.urls.bybitOptionWs);
      for (let i = 0; i < 10; i++) {
        chatty.send({ op: 'ping' });
        await sleep(100);
      }
      assert.equal(quiet.closed, true);
      assert.equal(chatty.closed, false);
      assert.equal(sim.venues.bybit.connectionCount(), 1);
      await chatty.close();
    } finally {
      await sim.close();
    }
  });

  it('publishes synthetic book deltas at the load rate, continuing each book u chain', async () => {
    const sim = await startBybitSim({ loadRate: 20_000 });
    try {
      const option = await BybitSocket.connect(sim.urls.bybitOptionWs);
      const linear = await BybitSocket.connect(sim.urls.bybitLinearWs);
      const perp = perpetual(sim.world.exchanges.bybit).spec.name;
      const topics = optionBooks(sim, 3);
      await option.request({ op: 'subscribe', req_id: 's', args: topics });
      await linear.request({ op: 'subscribe', req_id: 's', args: [`orderbook.50.${perp}`] });
      const wanted = 2000;
      const deadline = Date.now() + 5000;
      while (option.frames.length + linear.frames.length < wanted && Date.now() < deadline) {
        await sleep(20);
      }
      // A real model step in the middle: its deltas must slot into the same chains.
      sim.advance(1000);
      await sleep(50);
      await option.sync();
      await linear.sync();
      assert.ok(option.frames.length + linear.frames.length >= wanted);
      assert.equal(chainGaps(option.frames), 0);
      assert.equal(chainGaps(linear.frames), 0);
      for (const topic of topics) assert.ok(option.topicFrames(topic).length > 100, topic);
      assert.ok(linear.topicFrames(`orderbook.50.${perp}`).length > 100);
      const sample = option.frames.find((f) => f['type'] === 'delta')!;
      assert.deepEqual(Object.keys(sample).sort(), ['cts', 'data', 'id', 'topic', 'ts', 'type']);
      await option.close();
      await linear.close();
    } finally {
      await sim.close();
    }
  });
});
