// public/get_last_trades_by_instrument (and _and_time) over HTTP: the latest prints newest
// first, as the venue serves them, with the tape the sim starts with.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSim, type RunningSim } from '../../../src/sim/server.js';

interface Row {
  readonly trade_id: string;
  readonly trade_seq: number;
  readonly timestamp: number;
}

describe('deribit sim: last trades', () => {
  let sim: RunningSim;
  const get = async (method: string, query: string): Promise<Record<string, unknown>> => {
    const response = await fetch(`${sim.urls.deribitHttp}/public/${method}?${query}`);
    return (await response.json()) as Record<string, unknown>;
  };
  const trades = async (query: string): Promise<{ rows: Row[]; more: boolean }> => {
    const reply = await get('get_last_trades_by_instrument', query);
    const result = reply['result'] as { trades: Row[]; has_more: boolean };
    return { rows: result.trades, more: result.has_more };
  };

  before(async () => {
    sim = await startSim({ manualClock: true, seed: 3, currencies: ['BTC'] });
  });
  after(async () => {
    await sim.close();
  });

  it('serves the newest prints first by default and with desc, the oldest first with asc', async () => {
    const tape = sim.world.exchanges.deribit.recentTrades('BTC-PERPETUAL', 2_000);
    assert.ok(tape.length > 20, `a tape from the start: ${tape.length} prints`);
    const newest = tape
      .slice(-5)
      .reverse()
      .map((t) => t.tradeId);
    const plain = await trades('instrument_name=BTC-PERPETUAL&count=5');
    assert.deepEqual(
      plain.rows.map((r) => r.trade_id),
      newest,
    );
    assert.equal(plain.more, true);
    const desc = await trades('instrument_name=BTC-PERPETUAL&count=5&sorting=desc');
    assert.deepEqual(
      desc.rows.map((r) => r.trade_id),
      newest,
    );
    const asc = await trades('instrument_name=BTC-PERPETUAL&count=5&sorting=asc');
    assert.deepEqual(
      asc.rows.map((r) => r.trade_id),
      tape.slice(0, 5).map((t) => t.tradeId),
    );
  });

  it('narrows by sequence and by time; the _and_time form requires both bounds', async () => {
    const tape = sim.world.exchanges.deribit.recentTrades('BTC-PERPETUAL', 2_000);
    const from = tape[10]!;
    const to = tape[14]!;
    const bySeq = await trades(
      `instrument_name=BTC-PERPETUAL&count=100&start_seq=${from.tradeSeq}&end_seq=${to.tradeSeq}`,
    );
    assert.deepEqual(
      bySeq.rows.map((r) => r.trade_seq),
      tape
        .slice(10, 15)
        .map((t) => t.tradeSeq)
        .reverse(),
    );
    assert.equal(bySeq.more, false);
    const byTime = await get(
      'get_last_trades_by_instrument_and_time',
      `instrument_name=BTC-PERPETUAL&count=100&sorting=asc&start_timestamp=${from.ts}&end_timestamp=${to.ts}`,
    );
    const rows = (byTime['result'] as { trades: Row[] }).trades;
    assert.ok(rows.length >= 5);
    assert.ok(rows.every((r) => r.timestamp >= from.ts && r.timestamp <= to.ts));
    const missing = await get(
      'get_last_trades_by_instrument_and_time',
      `instrument_name=BTC-PERPETUAL&start_timestamp=${from.ts}`,
    );
    assert.equal((missing['error'] as { code: number }).code, -32602);
    const tooMany = await get(
      'get_last_trades_by_instrument',
      'instrument_name=BTC-PERPETUAL&count=1001',
    );
    assert.equal((tooMany['error'] as { code: number }).code, -32602);
  });
});
