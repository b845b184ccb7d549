import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Books } from '../../src/book/books.js';
import { emptyTop, OrderBook } from '../../src/book/order-book.js';
import { NaiveBook } from '../support/naive-book.js';

function liveBook(): OrderBook {
  const book = new OrderBook('venue', 'BTC-X');
  book.applySnapshot(10, 1000, [100, 1, 99, 2, 98, 3], [101, 4, 102, 5]);
  return book;
}

describe('OrderBook', () => {
  it('serves the snapshot top and depth, best first', () => {
    const book = liveBook();
    assert.equal(book.state, 'live');
    assert.deepEqual(book.readTop(emptyTop()), { bid: 100, bidSize: 1, ask: 101, askSize: 4 });
    assert.deepEqual(book.depth(2), {
      bids: [
        [100, 1],
        [99, 2],
      ],
      asks: [
        [101, 4],
        [102, 5],
      ],
    });
    assert.equal(book.sequence, 10);
    assert.equal(book.ts, 1000);
  });

  it('accepts unsorted snapshots', () => {
    const book = new OrderBook('venue', 'X');
    book.applySnapshot(1, 0, [98, 3, 100, 1, 99, 2], [102, 5, 101, 4]);
    assert.deepEqual(book.depth(5).bids, [
      [100, 1],
      [99, 2],
      [98, 3],
    ]);
    assert.deepEqual(book.depth(5).asks, [
      [101, 4],
      [102, 5],
    ]);
  });

  it('reports top, depth and no-op changes', () => {
    const book = liveBook();
    assert.equal(book.applyDelta(10, 11, 1001, [99, 7], []), 'depth');
    assert.equal(book.applyDelta(11, 12, 1002, [], [101, 3]), 'top');
    assert.equal(book.applyDelta(12, 13, 1003, [97.5, 0], []), 'depth');
    assert.equal(book.applyDelta(13, 14, 1004, [], []), 'none');
    assert.equal(book.applyDelta(14, 15, 1005, [100, 0], []), 'top');
    assert.deepEqual(book.readTop(emptyTop()), { bid: 99, bidSize: 7, ask: 101, askSize: 3 });
    assert.equal(book.sequence, 15);
  });

  it('goes stale on a gap, serves nothing, ignores deltas until a snapshot', () => {
    const book = liveBook();
    assert.equal(book.resyncRequest(), null);
    assert.equal(book.applyDelta(11, 12, 1001, [100.5, 1], []), 'gap');
    assert.equal(book.state, 'stale');
    assert.equal(book.good, false);
    assert.deepEqual(book.resyncRequest(), {
      venue: 'venue',
      instrument: 'BTC-X',
      expected: 10,
      received: 11,
    });
    assert.deepEqual(book.readTop(emptyTop()), emptyTop());
    assert.equal(book.applyDelta(12, 13, 1002, [100.5, 1], []), 'ignored');
    assert.equal(book.applyDelta(10, 11, 1002, [100.5, 1], []), 'ignored');
    assert.equal(book.applySnapshot(20, 1003, [100, 1], [101, 1]), 'top');
    assert.equal(book.state, 'live');
    assert.equal(book.resyncRequest(), null);
    assert.equal(book.applyDelta(20, 21, 1004, [100, 2], []), 'top');
  });

  it('skips a redelivered delta (one already applied) without calling it a gap', () => {
    const book = liveBook();
    assert.equal(book.applyDelta(10, 11, 1001, [], [101, 3]), 'top');
    assert.equal(book.applyDelta(10, 11, 1001, [], [101, 3]), 'ignored');
    assert.equal(book.applyDelta(9, 10, 1000, [100, 0], []), 'ignored');
    assert.equal(book.state, 'live');
    assert.deepEqual(book.readTop(emptyTop()), { bid: 100, bidSize: 1, ask: 101, askSize: 3 });
    assert.equal(book.applyDelta(11, 12, 1002, [100, 5], []), 'top');
  });

  it('ignores deltas before the first snapshot without calling it a gap', () => {
    const book = new OrderBook('venue', 'X');
    assert.equal(book.applyDelta(1, 2, 0, [1, 1], []), 'ignored');
    assert.equal(book.state, 'awaiting-snapshot');
    assert.equal(book.resyncRequest(), null);
  });

  it('a snapshot that keeps the top reports depth; one that moves it reports top', () => {
    const book = liveBook();
    assert.equal(book.applySnapshot(11, 1001, [100, 1, 99, 2, 98, 3], [101, 4, 102, 5]), 'depth');
    assert.equal(book.applySnapshot(12, 1002, [100, 1, 99, 2], [101, 4, 102, 5]), 'depth');
    assert.equal(book.applySnapshot(13, 1003, [100, 1], [101, 9]), 'top');
  });

  it('flags a crossed book and does not call it good', () => {
    const book = liveBook();
    assert.equal(book.good, true);
    book.applyDelta(10, 11, 1001, [101, 1], []);
    assert.equal(book.crossed, true);
    assert.equal(book.good, false);
    book.applyDelta(11, 12, 1002, [101, 0], []);
    assert.equal(book.crossed, false);
    assert.equal(book.good, true);
  });

  it('markStale clears levels without inventing a gap', () => {
    const book = liveBook();
    book.markStale();
    assert.equal(book.state, 'stale');
    assert.equal(book.resyncRequest(), null);
    assert.deepEqual(book.readTop(emptyTop()), emptyTop());
  });

  it('grows past its initial capacity', () => {
    const book = new OrderBook('venue', 'X');
    const bids: number[] = [];
    for (let i = 0; i < 100; i += 1) bids.push(1000 - i, i + 1);
    book.applySnapshot(1, 0, bids, []);
    assert.equal(book.bids.count, 100);
    assert.equal(book.bids.priceAt(99), 901);
    assert.equal(book.bids.sizeOf(950), 51);
    assert.equal(book.bids.sizeOf(950.5), 0);
  });
});

describe('Books', () => {
  it('keeps books apart by venue and instrument and drops removed ones', () => {
    const books = new Books();
    books.apply({
      kind: 'book-snapshot',
      venue: 'a',
      instrument: 'X',
      ts: 0,
      sequence: 1,
      bids: [1, 1],
      asks: [],
    });
    books.apply({
      kind: 'book-snapshot',
      venue: 'b',
      instrument: 'X',
      ts: 0,
      sequence: 1,
      bids: [2, 1],
      asks: [],
    });
    assert.equal(books.get('a', 'X')?.bids.bestPrice, 1);
    assert.equal(books.get('b', 'X')?.bids.bestPrice, 2);
    books.markVenueStale('a');
    assert.equal(books.get('a', 'X')?.state, 'stale');
    assert.equal(books.get('b', 'X')?.state, 'live');
    books.remove('b', 'X');
    assert.equal(books.get('b', 'X'), undefined);
    assert.equal([...books.all()].length, 1);
  });
});

// Prices on a coarse grid so random operations keep hitting the same levels.
const price = fc.integer({ min: 1, max: 60 }).map((tick) => tick * 0.5);
const size = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1, max: 1000 }).map((lots) => lots / 10),
);
const levels = fc.array(fc.tuple(price, size), { maxLength: 8 }).map((pairs) => pairs.flat());
const operation = fc.record({
  snapshot: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
  bids: levels,
  asks: levels,
});

describe('OrderBook against a naive Map book (property)', () => {
  it('long random sequences give identical levels and tops', () => {
    fc.assert(
      fc.property(fc.array(operation, { minLength: 1, maxLength: 400 }), (operations) => {
        const book = new OrderBook('venue', 'X');
        const naive = new NaiveBook();
        const top = emptyTop();
        let sequence = 0;
        for (const { snapshot, bids, asks } of operations) {
          const before = naive.top();
          if (snapshot || sequence === 0) {
            book.applySnapshot(sequence + 1, 0, bids, asks);
            naive.snapshot(bids, asks);
          } else {
            const change = book.applyDelta(sequence, sequence + 1, 0, bids, asks);
            naive.delta(bids, asks);
            const topMoved = JSON.stringify(before) !== JSON.stringify(naive.top());
            assert.equal(change === 'top', topMoved);
          }
          sequence += 1;
          assert.deepEqual(book.readTop(top), naive.top());
          const expectedCrossed =
            naive.top().bid !== null &&
            naive.top().ask !== null &&
            naive.top().bid! >= naive.top().ask!;
          assert.equal(book.crossed, expectedCrossed);
        }
        assert.deepEqual(book.depth(1000).bids, naive.levels('bids'));
        assert.deepEqual(book.depth(1000).asks, naive.levels('asks'));
      }),
      { numRuns: 300 },
    );
  });
});
