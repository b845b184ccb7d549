// Subscriptions: book snapshots then changes on an unbroken change-id chain, grouped books,
// tickers, quotes, trades, index and mark prices, and which channels need authentication.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSim } from '../../../src/sim/server.js';
import { field, readJsonLines, recordedMessage } from '../../support/fixtures.js';
import type { RpcClient } from '../support/rpc-client.js';
import {
  advanceUntil,
  authenticate,
  channelOf,
  connect,
  dataOf,
  liquidOption,
  ok,
  onChannel,
  openSim,
  sortedKeys,
} from './harness.js';

type Row = Record<string, unknown>;
type Level = [string, number, number];

const captured = readJsonLines('deribit', 'ws-capture-2021-07-22.jsonl').map(({ value }) =>
  recordedMessage(value),
);
const fixtureOf = (type: string): unknown =>
  captured.find((m) => field(m, 'params', 'data', 'type') === type);

/** Applies snapshot and changes the way a client does; fails on any break in the chain. */
function replayBook(messages: Row[]): {
  bids: Map<number, number>;
  asks: Map<number, number>;
  changes: number;
} {
  const bids = new Map<number, number>();
  const asks = new Map<number, number>();
  let last: number | null = null;
  let changes = 0;
  for (const message of messages) {
    const data = dataOf(message);
    if (data['type'] === 'snapshot') {
      bids.clear();
      asks.clear();
    } else {
      assert.equal(data['prev_change_id'], last, 'change-id chain broken');
      changes++;
    }
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
  return { bids, asks, changes };
}

describe('deribit sim: subscriptions', () => {
  let sim: RunningSim;
  let client: RpcClient;

  before(async () => {
    sim = await openSim();
    client = await connect(sim);
  });
  after(async () => {
    await client.close();
    await sim.close();
  });

  it('replies with the channels actually subscribed, leaving out invalid ones', async () => {
    const channels = [
      'book.BTC-PERPETUAL.100ms',
      'book.BTC-PERPETUAL.raw',
      'ticker.NOPE-PERPETUAL.100ms',
      'book.BTC-PERPETUAL.none.7.100ms',
      'user.orders.future.BTC.raw',
      'nonsense',
      'deribit_price_index.btc_usd',
    ];
    const result = ok<string[]>(await client.call('public/subscribe', { channels }));
    // Raw and private channels need an authenticated connection.
    assert.deepEqual(result, ['book.BTC-PERPETUAL.100ms', 'deribit_price_index.btc_usd']);
    const dropped = ok<string[]>(
      await client.call('public/unsubscribe', {
        channels: ['book.BTC-PERPETUAL.100ms', 'nonsense'],
      }),
    );
    assert.deepEqual(dropped, ['book.BTC-PERPETUAL.100ms']);
    ok(await client.call('public/unsubscribe', { channels: ['deribit_price_index.btc_usd'] }));
  });

  it('sends a snapshot then changes whose prev_change_id chains, and the book matches the core', async () => {
    const option = liquidOption(sim).spec.name;
    const names = [`book.${option}.100ms`, 'book.BTC-PERPETUAL.100ms'];
    const mark = client.notifications.length;
    ok(await client.call('public/subscribe', { channels: names }));
    await client.sync();
    for (let i = 0; i < 30; i++) {
      sim.advance(1000);
      await client.sync();
    }
    for (const name of names) {
      const messages = client.notifications.slice(mark).filter((m) => channelOf(m) === name);
      const first = messages[0];
      assert.ok(first !== undefined);
      assert.deepEqual(
        sortedKeys(dataOf(first)),
        sortedKeys(field(fixtureOf('snapshot'), 'params', 'data')),
      );
      const change = messages[1];
      assert.ok(change !== undefined, `${name} had no changes`);
      assert.deepEqual(
        sortedKeys(dataOf(change)),
        sortedKeys(field(fixtureOf('change'), 'params', 'data')),
      );
      const replayed = replayBook(messages);
      assert.ok(replayed.changes > 0);
      const book = sim.world.exchanges.deribit.book(name.split('.')[1]!);
      assert.ok(book !== undefined);
      assert.deepEqual(
        [...replayed.bids].sort((a, b) => b[0] - a[0]),
        book.bids.map(([p, a]) => [p, a]),
      );
      assert.deepEqual(
        [...replayed.asks].sort((a, b) => a[0] - b[0]),
        book.asks.map(([p, a]) => [p, a]),
      );
    }
    ok(await client.call('public/unsubscribe', { channels: names }));
  });

  it('sends grouped books as full [price, amount] snapshots without a type', async () => {
    const name = 'book.BTC-PERPETUAL.none.10.100ms';
    ok(await client.call('public/subscribe', { channels: [name] }));
    sim.advance(1000);
    await client.sync();
    const messages = onChannel(client, name);
    assert.ok(messages.length >= 2);
    for (const message of messages) {
      const data = dataOf(message);
      assert.deepEqual(sortedKeys(data), [
        'asks',
        'bids',
        'change_id',
        'instrument_name',
        'timestamp',
      ]);
      const bids = data['bids'] as number[][];
      assert.ok(bids.length > 0 && bids.length <= 10 && bids.every((l) => l.length === 2));
    }
    const last = dataOf(messages.at(-1)!);
    const book = sim.world.exchanges.deribit.book('BTC-PERPETUAL', 10);
    assert.deepEqual(
      last['bids'],
      book?.bids.map(([p, a]) => [p, a]),
    );
    assert.equal(last['change_id'], book?.changeId);
    ok(await client.call('public/unsubscribe', { channels: [name] }));
  });

  it('streams tickers, quotes, the index and option mark prices each step', async () => {
    const option = liquidOption(sim).spec.name;
    const names = [
      `ticker.${option}.100ms`,
      `quote.${option}`,
      'deribit_price_index.btc_usd',
      'markprice.options.btc_usd',
    ];
    ok(await client.call('public/subscribe', { channels: names }));
    await advanceUntil(sim, client, () => names.every((n) => onChannel(client, n).length > 0), 60);
    const ticker = dataOf(onChannel(client, names[0]!).at(-1)!);
    assert.equal(ticker['instrument_name'], option);
    const quote = dataOf(onChannel(client, names[1]!)[0]!);
    assert.deepEqual(sortedKeys(quote), [
      'best_ask_amount',
      'best_ask_price',
      'best_bid_amount',
      'best_bid_price',
      'instrument_name',
      'timestamp',
    ]);
    const index = dataOf(onChannel(client, names[2]!).at(-1)!);
    assert.equal(index['index_name'], 'btc_usd');
    assert.ok(
      Math.abs(Number(index['price']) - sim.world.exchanges.deribit.indexPrice('BTC')) < 0.01,
    );
    const marks = dataOf<Row[]>(onChannel(client, names[3]!).at(-1)!);
    const options = sim.world.exchanges.deribit.instruments({ currency: 'BTC', kind: 'option' });
    assert.equal(marks.length, options.length);
    assert.deepEqual(sortedKeys(marks[0]), ['instrument_name', 'iv', 'mark_price', 'timestamp']);
    ok(await client.call('public/unsubscribe', { channels: names }));
  });

  it('streams public trades per instrument and per kind and currency', async () => {
    const names = ['trades.option.BTC.100ms', 'trades.future.any.100ms'];
    ok(await client.call('public/subscribe', { channels: names }));
    const seen = await advanceUntil(sim, client, () =>
      names.every((n) => onChannel(client, n).length > 0),
    );
    assert.ok(seen, 'no trades printed');
    const rows = dataOf<Row[]>(onChannel(client, names[0]!)[0]!);
    const row = rows[0];
    assert.ok(row !== undefined);
    assert.deepEqual(sortedKeys(row), [
      'amount',
      'direction',
      'index_price',
      'instrument_name',
      'iv',
      'mark_price',
      'price',
      'tick_direction',
      'timestamp',
      'trade_id',
      'trade_seq',
    ]);
    assert.match(String(row['instrument_name']), /^BTC-.*-[CP]$/);
    const futureRow = dataOf<Row[]>(onChannel(client, names[1]!)[0]!)[0];
    assert.ok(futureRow !== undefined && !('iv' in futureRow));
    ok(await client.call('public/unsubscribe', { channels: names }));
  });

  it('allows raw book channels once the connection is authenticated', async () => {
    const raw = await connect(sim);
    try {
      await authenticate(sim, raw);
      const name = 'book.BTC-PERPETUAL.raw';
      assert.deepEqual(ok(await raw.call('public/subscribe', { channels: [name] })), [name]);
      sim.advance(1000);
      await raw.sync();
      const messages = onChannel(raw, name);
      assert.equal(dataOf(messages[0]!)['type'], 'snapshot');
      assert.ok(replayBook(messages).changes >= 1);
      assert.ok(messages.every((m) => channelOf(m) === name));
    } finally {
      await raw.close();
    }
  });
});
