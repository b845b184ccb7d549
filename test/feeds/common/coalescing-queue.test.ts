import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chunks } from '../../../src/feeds/common/chunks.js';
import { CoalescingQueue } from '../../../src/feeds/common/coalescing-queue.js';

interface Item {
  readonly kind: 'ticker' | 'trade';
  readonly instrument: string;
  readonly n: number;
}

const keyOf = (item: Item): string | null =>
  item.kind === 'ticker' ? `ticker:${item.instrument}` : null;
const ticker = (instrument: string, n: number): Item => ({ kind: 'ticker', instrument, n });
const trade = (instrument: string, n: number): Item => ({ kind: 'trade', instrument, n });

describe('CoalescingQueue', () => {
  it('keeps the latest of each key and every unkeyed item, in arrival order', () => {
    const queue = new CoalescingQueue<Item>({ keyOf, maxItems: 100 });
    queue.push(ticker('A', 1));
    queue.push(trade('A', 2));
    queue.push(ticker('B', 3));
    queue.push(ticker('A', 4));
    queue.push(trade('B', 5));
    queue.push(ticker('B', 6));
    assert.equal(queue.size, 4);
    assert.deepEqual(queue.drain(), [trade('A', 2), ticker('A', 4), trade('B', 5), ticker('B', 6)]);
    assert.equal(queue.size, 0);
    assert.deepEqual(queue.drain(), []);
  });

  it('drops the oldest unkeyed items past the bound and reports them', () => {
    const dropped: Item[][] = [];
    const queue = new CoalescingQueue<Item>({
      keyOf,
      maxItems: 3,
      onOverflow: (items) => dropped.push(items),
    });
    queue.push(ticker('A', 1));
    queue.push(trade('A', 2));
    queue.push(trade('A', 3));
    queue.push(trade('A', 4));
    queue.push(ticker('A', 5));
    queue.push(trade('A', 6));
    assert.deepEqual(dropped, [[trade('A', 2)], [trade('A', 3)]]);
    assert.deepEqual(queue.drain(), [trade('A', 4), ticker('A', 5), trade('A', 6)]);
  });

  it('never drops keyed items: they are bounded by their keys', () => {
    const dropped: Item[] = [];
    const queue = new CoalescingQueue<Item>({
      keyOf,
      maxItems: 2,
      onOverflow: (items) => dropped.push(...items),
    });
    for (let n = 0; n < 4; n += 1) queue.push(ticker(`I${n}`, n));
    queue.push(trade('X', 9));
    assert.deepEqual(dropped, [trade('X', 9)]);
    assert.equal(queue.size, 4);
    for (let n = 0; n < 100; n += 1) queue.push(ticker(`I${n % 4}`, n));
    assert.deepEqual(
      queue.drain().map((item) => item.n),
      [96, 97, 98, 99],
    );
  });

  it('stays bounded over a long burst between drains', () => {
    let droppedCount = 0;
    const queue = new CoalescingQueue<Item>({
      keyOf,
      maxItems: 50,
      onOverflow: (items) => (droppedCount += items.length),
    });
    for (let n = 0; n < 10_000; n += 1) queue.push(n % 2 === 0 ? trade('A', n) : ticker('A', n));
    assert.equal(queue.size, 50);
    assert.equal(droppedCount, 5000 - 49);
    const drained = queue.drain();
    assert.deepEqual(
      drained.map((item) => item.n),
      [...Array.from({ length: 49 }, (_, i) => 9902 + 2 * i), 9999],
    );
  });

  it('refuses a bound below one', () => {
    assert.throws(() => new CoalescingQueue<Item>({ keyOf, maxItems: 0 }), RangeError);
  });
});

describe('chunks', () => {
  it('splits into runs of at most size, in order', () => {
    assert.deepEqual(chunks([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
    assert.deepEqual(chunks([1, 2, 3], 3), [[1, 2, 3]]);
    assert.deepEqual(chunks([1, 2], 10), [[1, 2]]);
    assert.deepEqual(chunks([], 4), []);
  });

  it('refuses a size that is not a positive integer', () => {
    assert.throws(() => chunks([1], 0), RangeError);
    assert.throws(() => chunks([1], 1.5), RangeError);
  });
});
