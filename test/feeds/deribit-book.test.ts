import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BookEvent } from '../../src/book/events.js';
import { deribitBookFromMessage } from '../../src/feeds/deribit/book.js';
import { WireFormatError } from '../../src/feeds/wire-fields.js';
import { field, readJsonLines, recordedMessage } from '../support/fixtures.js';

const capture = readJsonLines('deribit', 'ws-capture-2021-07-22.jsonl').map(({ line, value }) => ({
  line,
  message: recordedMessage(value),
}));

function channelOf(message: unknown): string | undefined {
  return field(message, 'params', 'channel') as string | undefined;
}

function captureLine(line: number): unknown {
  const found = capture.find((recorded) => recorded.line === line);
  assert.ok(found, `the capture has a line ${line}`);
  return structuredClone(found.message);
}

function dataOf(message: unknown): Record<string, unknown> {
  return field(message, 'params', 'data') as Record<string, unknown>;
}

/** Written from the example on docs.deribit.com for this channel: no `type`, `[price, amount]`. */
function groupedMessage(): { message: unknown; data: Record<string, unknown> } {
  const data: Record<string, unknown> = {
    timestamp: 1554375447971,
    instrument_name: 'BTC-PERPETUAL',
    change_id: 109615,
    bids: [
      [5030, 400],
      [5029.5, 1240],
    ],
    asks: [[5031, 90]],
  };
  const message = {
    jsonrpc: '2.0',
    method: 'subscription',
    params: { channel: 'book.BTC-PERPETUAL.none.10.100ms', data },
  };
  return { message, data };
}

function assertWireError(run: () => unknown, channel: string, says: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof WireFormatError, `a WireFormatError, not ${String(error)}`);
    assert.ok(error.message.startsWith(`Deribit ${channel}: `), error.message);
    assert.match(error.message, says);
    return true;
  });
}

describe('deribitBookFromMessage', () => {
  it('maps every book line of the capture, and nothing else', () => {
    let snapshots = 0;
    let changes = 0;
    for (const { line, message } of capture) {
      const channel = channelOf(message);
      const event = deribitBookFromMessage(message);
      if (!channel?.startsWith('book.')) {
        assert.equal(event, null, `line ${line} (${channel ?? 'no channel'})`);
        continue;
      }
      const data = dataOf(message);
      assert.ok(event, `line ${line}`);
      assert.equal(`book.${event.instrument}.raw`, channel, `line ${line}`);
      assert.equal(event.ts, data['timestamp'], `line ${line}`);
      assert.equal(event.sequence, data['change_id'], `line ${line}`);
      assert.equal(event.bids.length, 2 * (data['bids'] as unknown[]).length, `line ${line}`);
      assert.equal(event.asks.length, 2 * (data['asks'] as unknown[]).length, `line ${line}`);
      if (data['type'] === 'snapshot') {
        snapshots += 1;
        assert.equal(event.kind, 'book-snapshot', `line ${line}`);
      } else {
        changes += 1;
        assert.equal(event.kind, 'book-delta', `line ${line}`);
        assert.equal(event.prevSequence, data['prev_change_id'], `line ${line}`);
      }
    }
    assert.deepEqual({ snapshots, changes }, { snapshots: 10, changes: 36 });
  });

  it('maps the snapshot on line 18 exactly', () => {
    assert.deepEqual(deribitBookFromMessage(captureLine(18)), {
      kind: 'book-snapshot',
      venue: 'deribit',
      instrument: 'BTC-25MAR22-30000-C',
      ts: 1626993721928,
      sequence: 33195873383,
      bids: [0.274, 8, 0.1055, 10, 0.001, 5, 0.0005, 0.2],
      asks: [0.316, 8],
    });
  });

  it('maps the change on line 62 exactly, a delete as size 0', () => {
    assert.deepEqual(deribitBookFromMessage(captureLine(62)), {
      kind: 'book-delta',
      venue: 'deribit',
      instrument: 'BTC-31DEC21-34000-P',
      ts: 1626993733801,
      sequence: 33195896354,
      prevSequence: 33195894765,
      bids: [],
      asks: [0.239, 0, 0.2385, 9.3],
    });
  });

  it('maps an empty book (line 13) to empty sides', () => {
    const event = deribitBookFromMessage(captureLine(13));
    assert.ok(event);
    assert.equal(event.kind, 'book-snapshot');
    assert.deepEqual([event.bids, event.asks], [[], []]);
  });

  it('deletes a level whatever amount the delete carries', () => {
    const message = captureLine(25);
    const asks = dataOf(message)['asks'] as unknown[][];
    assert.deepEqual(asks, [['delete', 0.001, 0]]);
    asks[0] = ['delete', 0.001, 2.6];
    assert.deepEqual(deribitBookFromMessage(message)?.asks, [0.001, 0]);
  });

  it('chains every change to the previous event of its instrument', () => {
    const last = new Map<string, BookEvent>();
    for (const { line, message } of capture) {
      const event = deribitBookFromMessage(message);
      if (event === null) continue;
      if (event.kind === 'book-delta') {
        assert.equal(event.prevSequence, last.get(event.instrument)?.sequence, `line ${line}`);
      }
      last.set(event.instrument, event);
    }
    assert.equal(last.size, 10);
  });

  it('maps a grouped book as a full snapshot of [price, amount] levels', () => {
    assert.deepEqual(deribitBookFromMessage(groupedMessage().message), {
      kind: 'book-snapshot',
      venue: 'deribit',
      instrument: 'BTC-PERPETUAL',
      ts: 1554375447971,
      sequence: 109615,
      bids: [5030, 400, 5029.5, 1240],
      asks: [5031, 90],
    });
  });

  it('ignores messages that are not book notifications', () => {
    const others: unknown[] = [
      null,
      'book.BTC-PERPETUAL.raw',
      { jsonrpc: '2.0', method: 'heartbeat', params: { type: 'test_request' } },
      { jsonrpc: '2.0', id: 7, result: ['book.BTC-PERPETUAL.raw'] },
      { jsonrpc: '2.0', method: 'subscription', params: { channel: 'ticker.BTC-PERPETUAL.raw' } },
      { jsonrpc: '2.0', method: 'subscription', params: { channel: 'book.BTC-PERPETUAL' } },
      { jsonrpc: '2.0', method: 'subscription', params: { channel: 'book.BTC-PERPETUAL.1.raw' } },
      { jsonrpc: '2.0', method: 'subscription', params: { channel: 'book..raw' } },
    ];
    for (const message of others) assert.equal(deribitBookFromMessage(message), null);
  });

  const CHANGE = 'book.BTC-31DEC21-34000-P.raw';
  const SNAPSHOT = 'book.BTC-25MAR22-30000-C.raw';
  const breakages: [
    what: string,
    line: number,
    channel: string,
    edit: (data: Record<string, unknown>) => void,
    says: RegExp,
  ][] = [
    [
      'an unknown action',
      62,
      CHANGE,
      (data) => (data['asks'] = [['modify', 0.239, 1]]),
      /"asks"\[0\] action must be new, change or delete, got "modify"/,
    ],
    [
      'a snapshot level that is not new',
      18,
      SNAPSHOT,
      (data) =>
        (data['bids'] = [
          ['new', 0.274, 8],
          ['change', 0.1, 1],
        ]),
      /"bids"\[1\] action in a snapshot must be "new", got "change"/,
    ],
    [
      'a price sent as a string',
      62,
      CHANGE,
      (data) => (data['asks'] = [['change', '0.2385', 9.3]]),
      /"asks"\[0\] price must be a number ≥ 0, got "0\.2385"/,
    ],
    [
      'a negative amount',
      18,
      SNAPSHOT,
      (data) => (data['asks'] = [['new', 0.316, -8]]),
      /"asks"\[0\] amount must be a number ≥ 0, got -8/,
    ],
    [
      'an infinite price',
      18,
      SNAPSHOT,
      (data) => (data['bids'] = [['new', Infinity, 1]]),
      /"bids"\[0\] price must be a number/,
    ],
    [
      'a level of two elements',
      62,
      CHANGE,
      (data) => (data['asks'] = [['delete', 0.239]]),
      /"asks"\[0\] must be \[action, price, amount\], got \["delete",0\.239\]/,
    ],
    [
      'a missing change id',
      62,
      CHANGE,
      (data) => delete data['change_id'],
      /"change_id" must be a number, missing/,
    ],
    [
      'a change without its previous change id',
      62,
      CHANGE,
      (data) => delete data['prev_change_id'],
      /"prev_change_id" must be a number, missing/,
    ],
    [
      'data for another instrument',
      18,
      SNAPSHOT,
      (data) => (data['instrument_name'] = 'BTC-25MAR22-30000-P'),
      /"instrument_name" is "BTC-25MAR22-30000-P", not the channel's/,
    ],
    [
      'an unknown type',
      62,
      CHANGE,
      (data) => (data['type'] = 'update'),
      /"type" must be snapshot or change, got "update"/,
    ],
    [
      'bids that are not a list',
      18,
      SNAPSHOT,
      (data) => delete data['bids'],
      /"bids" must be an array/,
    ],
  ];
  for (const [what, line, channel, edit, says] of breakages) {
    it(`throws, naming the field, on ${what}`, () => {
      const message = captureLine(line);
      assert.ok(deribitBookFromMessage(message), 'the unedited line maps');
      edit(dataOf(message));
      assertWireError(() => deribitBookFromMessage(message), channel, says);
    });
  }

  it('throws on a grouped level that carries an action', () => {
    const { message, data } = groupedMessage();
    data['asks'] = [['new', 5031, 90]];
    assertWireError(
      () => deribitBookFromMessage(message),
      'book.BTC-PERPETUAL.none.10.100ms',
      /"asks"\[0\] must be \[price, amount\]/,
    );
  });

  it('throws when a book notification has no data', () => {
    const message = { jsonrpc: '2.0', method: 'subscription', params: { channel: CHANGE } };
    assertWireError(() => deribitBookFromMessage(message), CHANGE, /"data" must be an object/);
  });
});
