// Book channel intervals: `raw` sends every change of the book, `100ms` and `agg2` merge the
// changes of their interval into one notification whose ids still chain; applied to their
// snapshots, all three build the same book.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSim } from '../../../src/sim/server.js';
import { authedClient, dataOf, ok, onChannel, openSim, type Notification } from './harness.js';

type Level = [string, number, number];
interface BookData {
  type?: string;
  change_id: number;
  prev_change_id?: number;
  bids: Level[];
  asks: Level[];
}

const INSTRUMENT = 'BTC-PERPETUAL';
const INTERVALS = ['raw', '100ms', 'agg2'] as const;

/** Replays a channel's notifications; fails on a broken change id chain. */
function replay(messages: readonly Notification[]): Map<string, number> {
  const book = new Map<string, number>();
  let last: number | null = null;
  for (const message of messages) {
    const data = dataOf<BookData>(message);
    if (data.type === 'snapshot') book.clear();
    else assert.equal(data.prev_change_id, last, 'change ids must chain');
    last = data.change_id;
    for (const [side, levels] of [
      ['bid', data.bids],
      ['ask', data.asks],
    ] as const) {
      for (const [action, price, amount] of levels) {
        if (action === 'delete') book.delete(`${side}:${price}`);
        else book.set(`${side}:${price}`, amount);
      }
    }
  }
  return book;
}

describe('deribit sim: book channel intervals', () => {
  let sim: RunningSim;

  before(async () => {
    sim = await openSim();
  });
  after(async () => {
    await sim.close();
  });

  it('raw sends every change; 100ms and agg2 merge theirs and still build the same book', async () => {
    const client = await authedClient(sim);
    try {
      const channels = INTERVALS.map((interval) => `book.${INSTRUMENT}.${interval}`);
      assert.deepEqual(ok(await client.call('public/subscribe', { channels })), channels);
      // Between steps, orders change the book several times within one interval.
      const tick = sim.world.exchanges.deribit.instrument(INSTRUMENT)!.spec.tickSize;
      for (let step = 0; step < 40; step++) {
        sim.advance(250);
        const bid = sim.world.exchanges.deribit.book(INSTRUMENT, 1)!.bids[0]![0];
        for (let i = 1; i <= 3; i++) {
          const price = bid - (10 + i) * tick;
          ok(await client.call('private/buy', { instrument_name: INSTRUMENT, amount: 10, price }));
        }
      }
      // Two seconds more let every interval send what it holds.
      for (let step = 0; step < 9; step++) sim.advance(250);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const [raw, fast, slow] = channels.map((channel) => onChannel(client, channel));
      // Merging must send fewer notifications than there were changes.
      assert.ok(raw!.length > fast!.length, `raw ${raw!.length}, 100ms ${fast!.length}`);
      assert.ok(fast!.length > slow!.length, `100ms ${fast!.length}, agg2 ${slow!.length}`);
      // agg2 holds changes two seconds of sim time: about one notification per eight steps.
      assert.ok(slow!.length <= 1 + 49 / 8 + 1, `agg2 ${slow!.length}`);
      const books = [raw!, fast!, slow!].map(replay);
      assert.deepEqual([...books[1]!].sort(), [...books[0]!].sort());
      assert.deepEqual([...books[2]!].sort(), [...books[0]!].sort());
    } finally {
      await client.close();
    }
  });
  it('the market alone moves between raw notifications: takers after the requote come apart', async () => {
    // A sim of its own: no user orders anywhere, so every print is the noise takers'.
    const quiet = await openSim({ seed: 5 });
    const client = await authedClient(quiet);
    try {
      const channels = ['raw', '100ms'].map((interval) => `book.${INSTRUMENT}.${interval}`);
      assert.deepEqual(ok(await client.call('public/subscribe', { channels })), channels);
      const exchange = quiet.world.exchanges.deribit;
      const lastSeq = (): number => exchange.recentTrades(INSTRUMENT, 1).at(-1)!.tradeSeq;
      const before = lastSeq();
      let steps = 0;
      while (steps < 40 || (lastSeq() === before && steps < 400)) {
        quiet.advance(250);
        steps++;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.ok(lastSeq() > before, 'takers traded the perpetual');
      const [raw, fast] = channels.map((channel) => onChannel(client, channel));
      // A requote a step on both, and on raw a notification per taker besides.
      assert.ok(raw!.length > fast!.length, `raw ${raw!.length}, 100ms ${fast!.length}`);
      assert.ok(fast!.length <= steps + 1, `100ms ${fast!.length} over ${steps} steps`);
      assert.deepEqual([...replay(fast!)].sort(), [...replay(raw!)].sort());
    } finally {
      await client.close();
      await quiet.close();
    }
  });
});
