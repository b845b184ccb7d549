// Same seed → the same market, message for message, seen by a plain client over the wire.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startSim } from '../../src/sim/server.js';
import { RpcClient } from './support/rpc-client.js';

const START = Date.UTC(2026, 10, 20, 6, 0);
const WANTED = 10_000;

async function firstMessages(seed: number): Promise<string[]> {
  const sim = await startSim({ seed, manualClock: true, start: START });
  const client = await RpcClient.connect(sim.urls.deribitWs);
  try {
    const btc = sim.world.exchanges.deribit.instruments({ currency: 'BTC' });
    const channels = [
      'deribit_price_index.btc_usd',
      'markprice.options.btc_usd',
      'trades.option.BTC.100ms',
      ...btc.flatMap((i) => [`ticker.${i.spec.name}.100ms`, `book.${i.spec.name}.100ms`]),
    ];
    for (let i = 0; i < channels.length; i += 200) {
      const reply = await client.call('public/subscribe', { channels: channels.slice(i, i + 200) });
      assert.equal(reply.error, undefined);
    }
    for (let step = 0; step < 2_000 && client.notifications.length < WANTED; step++) {
      sim.advance(1_000);
      await client.sync();
    }
    assert.ok(
      client.notifications.length >= WANTED,
      `only ${client.notifications.length} messages`,
    );
    return client.notifications.slice(0, WANTED).map((m) => JSON.stringify(m));
  } finally {
    await client.close();
    await sim.close();
  }
}

describe('sim determinism', () => {
  it('replays the first 10,000 messages identically for the same seed, and not for another', async () => {
    const first = await firstMessages(42);
    const again = await firstMessages(42);
    assert.equal(first.length, WANTED);
    const firstDifference = first.findIndex((line, i) => line !== again[i]);
    assert.equal(firstDifference, -1, `message ${firstDifference} differs`);
    const other = await firstMessages(43);
    assert.notDeepEqual(other, first);
    const kinds = new Set(
      first.map(
        (line) =>
          (JSON.parse(line) as { params: { channel: string } }).params.channel.split('.')[0],
      ),
    );
    assert.ok(
      kinds.has('book') && kinds.has('ticker') && kinds.has('deribit_price_index'),
      [...kinds].join(','),
    );
  });
});
