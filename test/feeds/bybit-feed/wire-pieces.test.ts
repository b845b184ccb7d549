// The feed's pure pieces on recorded shapes and hand-made cases: op replies and pongs of each
// socket, the perpetual's ticker merge, topic chunks and connection shards within the venue's
// limits, the `u` chain bookkeeping, and the 08:00 listing time.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BookEvent } from '../../../src/book/events.js';
import { BookSequencer } from '../../../src/feeds/bybit/book-sequencer.js';
import { BybitLinearTickerMerger } from '../../../src/feeds/bybit/linear-ticker.js';
import { nextListingTime } from '../../../src/feeds/bybit/listing.js';
import {
  ARGS_CHARS_PER_CONNECTION,
  chunkTopics,
  OPTION_CONNECTION_LIMITS,
  ShardPlan,
  topicInfo,
} from '../../../src/feeds/bybit/subscriptions.js';
import { TopCrossCheck } from '../../../src/feeds/common/top-check.js';
import {
  bybitControlReply,
  bybitPingFrame,
  bybitTopicOpFrame,
} from '../../../src/feeds/bybit/ws-ops.js';
import { WireFormatError } from '../../../src/feeds/wire-fields.js';
import { field, readJsonLines, recordedMessage } from '../../support/fixtures.js';

const shapes = readJsonLines('bybit', 'v5-option-shapes-2026-09.jsonl').map(({ value }) => ({
  what: String(field(value, 'what')),
  message: recordedMessage(value),
}));

function recorded(what: string): Record<string, unknown> {
  const found = shapes.find((shape) => shape.what.startsWith(what));
  assert.ok(found, `the fixture has "${what}"`);
  return structuredClone(found.message) as Record<string, unknown>;
}

describe('bybit op replies', () => {
  it('reads the option socket COMMAND_RESP ack of the recording', () => {
    const ack = recorded('subscribe ack on the option socket');
    assert.deepEqual(bybitControlReply(ack), {
      kind: 'reply',
      reqId: null,
      op: null,
      success: true,
      message: '',
      failTopics: [],
    });
    const refused = { ...ack, success: false, req_id: 's-7', data: { failTopics: ['x'] } };
    assert.deepEqual(bybitControlReply(refused), {
      kind: 'reply',
      reqId: 's-7',
      op: null,
      success: false,
      message: '',
      failTopics: ['x'],
    });
  });

  it("reads the linear and private sockets' envelope, a rate limit included", () => {
    const reply = {
      success: false,
      ret_msg: 'Too many visits!',
      conn_id: 'c',
      req_id: '9',
      op: 'subscribe',
    };
    assert.deepEqual(bybitControlReply(reply), {
      kind: 'reply',
      reqId: '9',
      op: 'subscribe',
      success: false,
      message: 'Too many visits!',
      failTopics: [],
    });
  });

  it('tells both pongs apart from replies, and data from both', () => {
    // v5 "Connect" page: linear answers ping in its own envelope, option/private with op pong.
    const linearPong = { success: true, ret_msg: 'pong', conn_id: 'c', op: 'ping' };
    const optionPong = { op: 'pong', args: ['1790373953406'], conn_id: 'c' };
    assert.deepEqual(bybitControlReply(linearPong), { kind: 'pong', reqId: null });
    assert.deepEqual(bybitControlReply(optionPong), { kind: 'pong', reqId: null });
    // A ping sent with a req_id gets it back, on either socket: that is what times it.
    assert.deepEqual(bybitControlReply({ ...linearPong, req_id: 'ping-3' }), {
      kind: 'pong',
      reqId: 'ping-3',
    });
    assert.deepEqual(bybitControlReply({ req_id: 'ping-4', ...optionPong }), {
      kind: 'pong',
      reqId: 'ping-4',
    });
    assert.equal(bybitControlReply(recorded('option ticker snapshot')), null);
    assert.throws(() => bybitControlReply({ hello: 1 }), WireFormatError);
    assert.throws(() => bybitControlReply([1]), WireFormatError);
  });

  it('writes subscribe ops and pings with the req_id the answer echoes', () => {
    assert.equal(
      bybitTopicOpFrame('subscribe', 'sub-1', ['tickers.BTCUSDT']),
      '{"req_id":"sub-1","op":"subscribe","args":["tickers.BTCUSDT"]}',
    );
    assert.equal(bybitPingFrame('ping-1'), '{"req_id":"ping-1","op":"ping"}');
  });
});

describe('BybitLinearTickerMerger', () => {
  it('maps the recorded perpetual ticker: top, mark and index, no vol', () => {
    const merger = new BybitLinearTickerMerger();
    const message = recorded('inverse perpetual ticker snapshot');
    assert.deepEqual(merger.accept(message), {
      kind: 'ticker',
      venue: 'bybit',
      instrument: 'BTCUSD',
      ts: 1790373926264,
      bid: 83819.3,
      bidSize: 5949,
      ask: 83819.4,
      askSize: 46909,
      mark: 83822.1,
      index: 83876.1,
      forward: null,
      venueIv: { bid: null, ask: null, mark: null },
      venueGreeks: null,
    });
  });

  it('merges a delta of changed fields into the last state, and needs a snapshot first', () => {
    const merger = new BybitLinearTickerMerger();
    const delta = {
      topic: 'tickers.BTCUSD',
      type: 'delta',
      ts: 1790373927264,
      data: { symbol: 'BTCUSD', ask1Price: '83820.00', ask1Size: '10' },
    };
    assert.throws(() => merger.accept(delta), /delta arrived before any snapshot/);
    merger.accept(recorded('inverse perpetual ticker snapshot'));
    const event = merger.accept(delta);
    assert.equal(event?.ask, 83820);
    assert.equal(event?.askSize, 10);
    assert.equal(event?.bid, 83819.3, 'carried forward');
    assert.equal(event?.ts, 1790373927264);
  });

  it('leaves option tickers and other topics alone', () => {
    const merger = new BybitLinearTickerMerger();
    assert.equal(merger.accept(recorded('option ticker snapshot')), null);
    assert.equal(merger.accept({ topic: 'orderbook.1.BTCUSDT' }), null);
  });
});

describe('bybit subscription planning', () => {
  const topic = (i: number): string => `tickers.BTC-25JUN27-${100000 + i * 1000}-P-USDT`;

  it('chunks topics by count and by the characters of the args array', () => {
    const topics = Array.from({ length: 250 }, (_, i) => topic(i));
    const byCount = chunkTopics(topics, 100);
    assert.deepEqual(
      byCount.map((chunk) => chunk.length),
      [100, 100, 50],
    );
    const byChars = chunkTopics(topics, 1000, 400);
    assert.deepEqual(byChars.flat(), topics);
    for (const chunk of byChars) assert.ok(JSON.stringify(chunk).length <= 400);
  });

  it('spreads topics over connections within 2000 args and 21,000 characters each', () => {
    const plan = new ShardPlan(OPTION_CONNECTION_LIMITS);
    const topics = Array.from({ length: 1500 }, (_, i) => topic(i));
    const shards = topics.map((t) => plan.assign(t));
    assert.ok(plan.shardCount >= 3);
    for (let shard = 0; shard < plan.shardCount; shard++) {
      const held = topics.filter((_, i) => shards[i] === shard);
      assert.ok(held.length <= 2000);
      assert.ok(JSON.stringify(held).length <= ARGS_CHARS_PER_CONNECTION);
    }
    assert.equal(plan.assign(topics[0]!), 0, 'a topic keeps its shard');
    assert.equal(plan.remove(topics[0]!), 0);
    assert.equal(plan.assign('publicTrade.BTC'), 0, 'room freed is used again');
  });

  it('reads topic names back, symbols with dots included', () => {
    assert.deepEqual(topicInfo('orderbook.25.XRP-30OCT26-0.4-P-USDT'), {
      family: 'books',
      subject: 'XRP-30OCT26-0.4-P-USDT',
    });
    assert.deepEqual(topicInfo('publicTrade.BTC'), { family: 'trades', subject: 'BTC' });
    assert.equal(topicInfo('kline.1.BTCUSDT'), null);
  });
});

function delta(sequence: number, prev = sequence - 1): BookEvent {
  return {
    kind: 'book-delta',
    venue: 'bybit',
    instrument: 'B',
    ts: sequence,
    sequence,
    prevSequence: prev,
    bids: [],
    asks: [],
  };
}

function snapshot(sequence: number, bids: number[] = [], asks: number[] = []): BookEvent {
  return { kind: 'book-snapshot', venue: 'bybit', instrument: 'B', ts: 0, sequence, bids, asks };
}

describe('BookSequencer', () => {
  it('applies a chain, drops duplicates, and breaks on a gap until the next snapshot', () => {
    const books = new BookSequencer();
    books.expect('B', 'subscribe', 0);
    assert.equal(books.accept(delta(5), 0).verdict, 'skip', 'no snapshot yet');
    assert.deepEqual(books.accept(snapshot(5), 0), { verdict: 'apply', resynced: null });
    assert.equal(books.accept(delta(6), 0).verdict, 'apply');
    assert.equal(books.accept(delta(6), 0).verdict, 'duplicate');
    assert.equal(books.accept(delta(8), 0).verdict, 'gap');
    assert.equal(books.accept(delta(9), 0).verdict, 'skip');
    assert.deepEqual(books.accept(snapshot(9), 0), { verdict: 'apply', resynced: 'gap' });
    assert.equal(books.accept(delta(10), 0).verdict, 'apply');
  });

  it('resyncs every book on a new connection, and reports books whose snapshot is late', () => {
    const books = new BookSequencer();
    books.accept(snapshot(3), 0);
    books.expectAll('reconnect', 100);
    assert.deepEqual(books.takeOverdue(50, 200), []);
    assert.deepEqual(books.takeOverdue(150, 200), ['B']);
    assert.deepEqual(books.takeOverdue(150, 200), [], 'once per period');
    assert.deepEqual(books.accept(snapshot(4), 300), { verdict: 'apply', resynced: 'reconnect' });
  });
});

describe('TopCrossCheck', () => {
  const ticker = (bid: number | null, ask: number | null) => ({
    kind: 'ticker' as const,
    venue: 'bybit',
    instrument: 'B',
    ts: 0,
    bid,
    bidSize: bid === null ? null : 1,
    ask,
    askSize: ask === null ? null : 1,
    mark: null,
    index: null,
    forward: null,
    venueIv: { bid: null, ask: null, mark: null },
    venueGreeks: null,
  });

  it('reports a book whose top has disagreed with its ticker for long enough', () => {
    const check = new TopCrossCheck();
    check.onBook(snapshot(1, [100, 1, 99, 2], [101, 1]), 0);
    check.onTicker(ticker(100, 101), 0);
    assert.deepEqual(check.takeDisagreeing(1000), []);
    // The venue's top moved; the book's change was lost.
    check.onTicker(ticker(99, 101), 10);
    assert.deepEqual(check.takeDisagreeing(10), [], 'not yet');
    assert.deepEqual(check.takeDisagreeing(11), ['B']);
    assert.deepEqual(check.takeDisagreeing(1000), [], 'forgotten until the book returns');
  });

  it('lets a late book change settle the disagreement', () => {
    const check = new TopCrossCheck();
    check.onBook(snapshot(1, [100, 1], [101, 1]), 0);
    check.onTicker(ticker(null, 101), 5);
    check.onBook(delta(2), 6);
    check.onBook({ ...delta(3), bids: [100, 0] }, 7);
    assert.deepEqual(check.takeDisagreeing(100), []);
  });
});

describe('nextListingTime', () => {
  it('is the first 08:00 UTC strictly after the time', () => {
    assert.equal(nextListingTime(Date.UTC(2026, 10, 20, 7, 59)), Date.UTC(2026, 10, 20, 8));
    assert.equal(nextListingTime(Date.UTC(2026, 10, 20, 8)), Date.UTC(2026, 10, 21, 8));
    assert.equal(nextListingTime(Date.UTC(2026, 10, 20, 23)), Date.UTC(2026, 10, 21, 8));
  });
});
