import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bybitBookFromMessage } from '../../src/feeds/bybit/book.js';
import { WireFormatError } from '../../src/feeds/wire-fields.js';
import { field, readJsonLines, recordedMessage } from '../support/fixtures.js';

const stream2023 = readJsonLines('bybit', 'v5-option-stream-2023-04-05.jsonl').map(({ value }) =>
  recordedMessage(value),
);
const shapes2026 = readJsonLines('bybit', 'v5-option-shapes-2026-09.jsonl').map(({ value }) =>
  recordedMessage(value),
);

function recorded(topic: string, type: 'snapshot' | 'delta'): Record<string, unknown> {
  const found = [...stream2023, ...shapes2026].find(
    (message) => field(message, 'topic') === topic && field(message, 'type') === type,
  );
  assert.ok(found, `a recorded ${type} of ${topic}`);
  return structuredClone(found) as Record<string, unknown>;
}

const SOL = 'orderbook.25.SOL-28APR23-30-C';

function solDelta(): { message: Record<string, unknown>; data: Record<string, unknown> } {
  const message = recorded(SOL, 'delta');
  return { message, data: message['data'] as Record<string, unknown> };
}

function assertWireError(run: () => unknown, topic: string, says: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof WireFormatError, `a WireFormatError, not ${String(error)}`);
    assert.ok(error.message.startsWith(`Bybit ${topic}: `), error.message);
    assert.match(error.message, says);
    return true;
  });
}

describe('bybitBookFromMessage', () => {
  it('maps the 2023 snapshot with empty sides', () => {
    const message = recorded('orderbook.25.BTC-30JUN23-45000-P', 'snapshot');
    assert.deepEqual(bybitBookFromMessage(message), {
      kind: 'book-snapshot',
      venue: 'bybit',
      instrument: 'BTC-30JUN23-45000-P',
      ts: 1680652790918,
      sequence: 0,
      bids: [],
      asks: [],
    });
  });

  it('maps the SOL snapshot, then its delta building on it with a "0" delete', () => {
    const snapshot = bybitBookFromMessage(recorded(SOL, 'snapshot'));
    assert.deepEqual(snapshot, {
      kind: 'book-snapshot',
      venue: 'bybit',
      instrument: 'SOL-28APR23-30-C',
      ts: 1680652786355,
      sequence: 24641,
      bids: [0.01, 50],
      asks: [1.74, 46],
    });
    assert.ok(snapshot);
    assert.deepEqual(bybitBookFromMessage(solDelta().message), {
      kind: 'book-delta',
      venue: 'bybit',
      instrument: 'SOL-28APR23-30-C',
      ts: 1680652799661,
      sequence: 24642,
      prevSequence: snapshot.sequence,
      bids: [],
      asks: [1.74, 0, 1.75, 46],
    });
  });

  it('maps the 2026 depth-25 snapshot', () => {
    const message = recorded('orderbook.25.BTC-25JUN27-106000-P-USDT', 'snapshot');
    assert.deepEqual(bybitBookFromMessage(message), {
      kind: 'book-snapshot',
      venue: 'bybit',
      instrument: 'BTC-25JUN27-106000-P-USDT',
      ts: 1790373952615,
      sequence: 4846,
      bids: [22915, 18.55, 5, 0.96],
      asks: [26205, 18.55],
    });
  });

  it('maps a delta with u == 1 (the book service restarted) to a snapshot', () => {
    const { message, data } = solDelta();
    data['u'] = 1;
    assert.deepEqual(bybitBookFromMessage(message), {
      kind: 'book-snapshot',
      venue: 'bybit',
      instrument: 'SOL-28APR23-30-C',
      ts: 1680652799661,
      sequence: 1,
      bids: [],
      // The "0" level deletes nothing from a book that starts afresh.
      asks: [1.75, 46],
    });
    data['u'] = 2;
    assert.equal(bybitBookFromMessage(message)?.kind, 'book-delta');
  });

  it('reads a symbol that contains a dot', () => {
    const { message, data } = solDelta();
    message['topic'] = 'orderbook.25.XRP-30OCT26-0.4-P-USDT';
    data['s'] = 'XRP-30OCT26-0.4-P-USDT';
    assert.equal(bybitBookFromMessage(message)?.instrument, 'XRP-30OCT26-0.4-P-USDT');
  });

  it('ignores every recorded message that is not a book', () => {
    const others = [...stream2023, ...shapes2026].filter(
      (message) => !String(field(message, 'topic')).startsWith('orderbook.'),
    );
    assert.equal(others.length, 7);
    assert.ok(others.some((message) => field(message, 'type') === 'COMMAND_RESP'));
    assert.ok(others.some((message) => field(message, 'topic') === 'publicTrade.BTC'));
    for (const message of [...others, { op: 'pong' }, null, { topic: 'orderbook.x.BTC' }]) {
      assert.equal(bybitBookFromMessage(message), null);
    }
  });

  const breakages: [what: string, edit: (data: Record<string, unknown>) => void, says: RegExp][] = [
    [
      'a size that is no decimal',
      (data) => (data['a'] = [['1.75', 'lots']]),
      /"a"\[0\] size must be a decimal string ≥ 0, got "lots"/,
    ],
    [
      'an empty price',
      (data) => (data['b'] = [['', '1']]),
      /"b"\[0\] price must be a decimal string ≥ 0, got ""/,
    ],
    [
      'a negative size',
      (data) => (data['a'] = [['1.75', '-46']]),
      /"a"\[0\] size must be a decimal string ≥ 0, got "-46"/,
    ],
    [
      'a level of three elements',
      (data) => (data['a'] = [['1.75', '46', '0.8']]),
      /"a"\[0\] must be \[price, size\]/,
    ],
    [
      'data for another symbol',
      (data) => (data['s'] = 'SOL-28APR23-30-P'),
      /"s" is "SOL-28APR23-30-P", not the topic's/,
    ],
    ['a missing update id', (data) => delete data['u'], /"u" must be a number, missing/],
    ['asks that are not a list', (data) => (data['a'] = {}), /"a" must be an array, got \{\}/],
  ];
  for (const [what, edit, says] of breakages) {
    it(`throws, naming the field, on ${what}`, () => {
      const { message, data } = solDelta();
      assert.ok(bybitBookFromMessage(message), 'the unedited delta maps');
      edit(data);
      assertWireError(() => bybitBookFromMessage(message), SOL, says);
    });
  }

  it('throws on an unknown type or a missing ts', () => {
    const oddType = solDelta().message;
    oddType['type'] = 'update';
    assertWireError(() => bybitBookFromMessage(oddType), SOL, /"type" must be snapshot or delta/);
    const noTs = solDelta().message;
    delete noTs['ts'];
    assertWireError(() => bybitBookFromMessage(noTs), SOL, /"ts" must be a number, missing/);
  });
});
