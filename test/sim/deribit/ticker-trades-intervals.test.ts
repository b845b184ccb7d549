// Ticker and trades channel intervals: at agg2 a ticker goes out at most once per two seconds
// and the interval's trades go out together, the same trades `raw` sends one by one.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSim } from '../../../src/sim/server.js';
import type { RpcClient } from '../support/rpc-client.js';
import { authedClient, dataOf, ok, onChannel, openSim } from './harness.js';

const INSTRUMENT = 'BTC-PERPETUAL';
const STEP_MS = 250;
const STEPS = 60;

interface TradeRow {
  trade_id: string;
  timestamp: number;
}

describe('deribit sim: ticker and trades at agg2', () => {
  let sim: RunningSim;
  let client: RpcClient;
  /** Sim time at which each channel's notifications arrived, in order. */
  const arrivals = new Map<string, number[]>();
  const channels = [
    `ticker.${INSTRUMENT}.agg2`,
    `ticker.${INSTRUMENT}.100ms`,
    `trades.${INSTRUMENT}.agg2`,
    `trades.${INSTRUMENT}.raw`,
  ];

  before(async () => {
    sim = await openSim();
    client = await authedClient(sim);
    assert.deepEqual(ok(await client.call('public/subscribe', { channels })), channels);
    // Notes the sim time at which notifications arrived (all sent before the sync's reply).
    const note = async (): Promise<void> => {
      await client.sync();
      const now = sim.world.exchanges.deribit.now();
      for (const channel of channels) {
        const times = arrivals.get(channel) ?? [];
        while (times.length < onChannel(client, channel).length) times.push(now);
        arrivals.set(channel, times);
      }
    };
    for (let i = 0; i < STEPS; i++) {
      // The account's own market orders print on the tape, so every interval has trades.
      if (i % 3 === 0) {
        const order = { instrument_name: INSTRUMENT, amount: 10, type: 'market' };
        ok(await client.call('private/buy', order));
        await note();
      }
      sim.advance(STEP_MS);
      await note();
    }
  });
  after(async () => {
    await client.close();
    await sim.close();
  });

  it('agg2 tickers are two seconds apart; 100ms ones go out every step', () => {
    const agg2 = arrivals.get(`ticker.${INSTRUMENT}.agg2`)!;
    const fast = arrivals.get(`ticker.${INSTRUMENT}.100ms`)!;
    assert.ok(agg2.length >= 3, `${agg2.length} agg2 tickers`);
    for (let i = 1; i < agg2.length; i++) assert.ok(agg2[i]! - agg2[i - 1]! >= 2000);
    assert.ok(fast.length > 3 * agg2.length, `${fast.length} vs ${agg2.length}`);
    // Each carries the ticker as it was when it went out.
    const last = dataOf<{ timestamp: number }>(
      onChannel(client, `ticker.${INSTRUMENT}.agg2`).at(-1)!,
    );
    assert.equal(last.timestamp, agg2.at(-1));
  });

  it("agg2 trades are the raw channel's trades, sent together every two seconds", () => {
    const sent = arrivals.get(`trades.${INSTRUMENT}.agg2`)!;
    assert.ok(sent.length >= 2, `${sent.length} agg2 notifications`);
    for (let i = 1; i < sent.length; i++) assert.ok(sent[i]! - sent[i - 1]! >= 2000);
    const rows = (channel: string): TradeRow[] =>
      onChannel(client, channel).flatMap((n) => dataOf<TradeRow[]>(n));
    const raw = rows(`trades.${INSTRUMENT}.raw`);
    const agg2 = rows(`trades.${INSTRUMENT}.agg2`);
    assert.ok(onChannel(client, `trades.${INSTRUMENT}.raw`).length > sent.length);
    // Everything agg2 sent, raw sent; everything raw sent before agg2's last send, agg2 sent.
    const agg2Ids = new Set(agg2.map((t) => t.trade_id));
    assert.ok(agg2.every((t) => raw.some((r) => r.trade_id === t.trade_id)));
    const lastSend = sent.at(-1)!;
    for (const trade of raw.filter((t) => t.timestamp < lastSend)) {
      assert.ok(agg2Ids.has(trade.trade_id), `agg2 missed ${trade.trade_id}`);
    }
  });
});
