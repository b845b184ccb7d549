// Fault injection as a client sees it over the wire, and load mode's synthetic book stream.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SimServerOptions } from '../../../src/sim/server.js';
import type { RpcClient } from '../support/rpc-client.js';
import {
  channelOf,
  connect,
  dataOf,
  errorCode,
  ok,
  openSim,
  type Notification,
} from './harness.js';

type Level = [string, number, number];

const BOOKS = ['book.BTC-PERPETUAL.100ms', 'book.ETH-PERPETUAL.100ms'];

/** Subscribes to the perpetual books and steps the market; returns the sim's books as sent. */
async function bookStream(
  options: SimServerOptions,
  steps: number,
  channels: readonly string[] = BOOKS,
): Promise<{ messages: Notification[]; client: RpcClient }> {
  const sim = await openSim(options);
  const client = await connect(sim);
  try {
    ok(await client.call('public/subscribe', { channels }));
    for (let i = 0; i < steps; i++) {
      sim.advance(1000);
      await client.sync();
    }
    return { messages: client.notifications, client };
  } finally {
    await client.close();
    await sim.close();
  }
}

function changesOf(messages: Notification[], channel: string): Record<string, unknown>[] {
  return messages
    .filter((m) => channelOf(m) === channel)
    .map((m) => dataOf(m))
    .filter((d) => d['type'] === 'change');
}

describe('deribit sim: faults', () => {
  it('with no faults the chain has no gaps', async () => {
    const { messages } = await bookStream({}, 25);
    for (const channel of BOOKS) {
      const changes = changesOf(messages, channel);
      assert.ok(changes.length >= 15);
      for (let i = 1; i < changes.length; i++) {
        assert.equal(changes[i]!['prev_change_id'], changes[i - 1]!['change_id']);
      }
    }
  });

  it('dropped book changes show up as prev_change_id gaps', async () => {
    const { messages } = await bookStream({ faults: { dropBookChanges: 0.2 } }, 40);
    let gaps = 0;
    let chained = 0;
    for (const channel of BOOKS) {
      const changes = changesOf(messages, channel);
      for (let i = 1; i < changes.length; i++) {
        if (changes[i]!['prev_change_id'] === changes[i - 1]!['change_id']) chained++;
        else gaps++;
        // A drop skips ids; it never sends one out of order.
        assert.ok(Number(changes[i]!['change_id']) > Number(changes[i - 1]!['change_id']));
      }
    }
    assert.ok(gaps >= 5, `only ${gaps} gaps`);
    assert.ok(chained > gaps);
  });

  it('duplicated book changes arrive twice', async () => {
    const { messages } = await bookStream({ faults: { duplicateBookChanges: 0.2 } }, 30);
    const ids = changesOf(messages, BOOKS[0]!).map((d) => d['change_id']);
    const repeats = ids.filter((id, i) => i > 0 && id === ids[i - 1]).length;
    assert.ok(repeats >= 2, `only ${repeats} repeats`);
  });

  it('reordered book changes arrive after their successor', async () => {
    // One book, so the held-back change is released by a change of the same book.
    const { messages } = await bookStream({ faults: { reorderBookChanges: 0.2 } }, 30, [BOOKS[0]!]);
    const ids = changesOf(messages, BOOKS[0]!).map((d) => Number(d['change_id']));
    const backwards = ids.filter((id, i) => i > 0 && id < ids[i - 1]!).length;
    assert.ok(backwards >= 2, `only ${backwards} out of order`);
  });

  it('malformed frames fail JSON.parse while replies stay intact', async () => {
    const sim = await openSim({ faults: { malformedFrames: 0.3 } });
    const client = await connect(sim);
    try {
      ok(
        await client.call('public/subscribe', {
          channels: ['deribit_price_index.btc_usd', ...BOOKS],
        }),
      );
      for (let i = 0; i < 20; i++) {
        sim.advance(1000);
        await client.sync();
      }
      assert.ok(client.unparsable.length >= 3);
      for (const text of client.unparsable) assert.throws(() => JSON.parse(text) as unknown);
      assert.ok(client.notifications.length > client.unparsable.length);
    } finally {
      await client.close();
      await sim.close();
    }
  });

  it('delays replies by the configured time', async () => {
    const sim = await openSim({ faults: { replyDelayMs: 150 } });
    const client = await connect(sim);
    try {
      const started = Date.now();
      ok(await client.call('public/get_time'));
      assert.ok(Date.now() - started >= 140);
    } finally {
      await client.close();
      await sim.close();
    }
  });

  it('answers too_many_requests above the request rate', async () => {
    const sim = await openSim({ faults: { maxRequestsPerSec: 5 } });
    const client = await connect(sim);
    try {
      const replies = await Promise.all(
        Array.from({ length: 12 }, () => client.call('public/get_time')),
      );
      const limited = replies.filter((r) => errorCode(r) === 10028);
      assert.ok(limited.length >= 5, `only ${limited.length} limited`);
      assert.ok(replies.slice(0, 5).every((r) => r.error === undefined));
      assert.equal(limited[0]?.error?.message, 'too_many_requests');
    } finally {
      await client.close();
      await sim.close();
    }
  });
});

describe('deribit sim: load mode', () => {
  it('publishes synthetic changes on valid chains that keep the book correct', async () => {
    const sim = await openSim({ loadRate: 20_000 });
    const client = await connect(sim);
    try {
      ok(await client.call('public/subscribe', { channels: BOOKS }));
      const wanted = 2_000;
      const deadline = Date.now() + 5_000;
      while (client.notifications.length < wanted && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.ok(client.notifications.length >= wanted, `only ${client.notifications.length}`);
      // Real steps interleave with the synthetic stream.
      for (let i = 0; i < 5; i++) {
        sim.advance(1000);
        await client.sync();
      }
      ok(await client.call('public/unsubscribe', { channels: BOOKS }));
      await client.sync();
      for (const channel of BOOKS) {
        const messages = client.notifications
          .filter((m) => channelOf(m) === channel)
          .map((m) => dataOf(m));
        assert.equal(messages[0]?.['type'], 'snapshot');
        const bids = new Map<number, number>();
        const asks = new Map<number, number>();
        let last = Number.NaN;
        for (const data of messages) {
          if (data['type'] === 'change') assert.equal(data['prev_change_id'], last);
          last = Number(data['change_id']);
          for (const [side, levels] of [
            [bids, data['bids']],
            [asks, data['asks']],
          ] as const) {
            for (const [action, price, amount] of levels as Level[]) {
              if (action === 'delete') side.delete(price);
              else side.set(price, amount);
            }
          }
        }
        const book = sim.world.exchanges.deribit.book(channel.split('.')[1]!);
        assert.ok(book !== undefined);
        assert.deepEqual(
          [...bids].sort((a, b) => b[0] - a[0]),
          book.bids.map(([p, a]) => [p, a]),
        );
        assert.deepEqual(
          [...asks].sort((a, b) => a[0] - b[0]),
          book.asks.map(([p, a]) => [p, a]),
        );
      }
    } finally {
      await client.close();
      await sim.close();
    }
  });
});
