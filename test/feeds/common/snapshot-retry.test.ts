import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnapshotRetry } from '../../../src/feeds/common/snapshot-retry.js';

const T0 = 1_000_000;

/** Jitter pinned to its largest cut (draw 1 → half the delay) or none (draw 0). */
function retry(draw: number, snapshotDueMs = 1_000): SnapshotRetry {
  return new SnapshotRetry({ snapshotDueMs, backoff: { random: () => draw } });
}

describe('SnapshotRetry', () => {
  it('a change after the acknowledgement proves the snapshot lost: again after a backoff', () => {
    const books = retry(0);
    books.requested('A');
    books.changeWhileWaiting('A', T0); // still in flight: the old subscription's change
    assert.deepEqual(books.takeDue(T0 + 10_000), []);
    books.acknowledged('A', T0);
    books.changeWhileWaiting('A', T0 + 10);
    books.changeWhileWaiting('A', T0 + 20); // one retry however many changes come
    assert.deepEqual(books.takeDue(T0 + 259), []);
    assert.deepEqual(books.takeDue(T0 + 260), ['A']);
    assert.deepEqual(books.takeDue(T0 + 100_000), [], 'waits for the new acknowledgement');
  });

  it('the delays double up to a cap, each jittered within [½d, d], and reset once live', () => {
    const delays = (draw: number): number[] => {
      const books = retry(draw);
      const seen: number[] = [];
      let now = T0;
      books.requested('A');
      for (let attempt = 0; attempt < 8; attempt += 1) {
        books.acknowledged('A', now);
        books.changeWhileWaiting('A', now);
        let due = now;
        while (books.takeDue(due).length === 0) due += 1;
        seen.push(due - now);
        now = due;
      }
      return seen;
    };
    assert.deepEqual(delays(0), [250, 500, 1000, 2000, 4000, 8000, 8000, 8000]);
    assert.deepEqual(delays(1), [125, 250, 500, 1000, 2000, 4000, 4000, 4000]);
    const books = retry(0);
    books.requested('A');
    books.acknowledged('A', T0);
    books.changeWhileWaiting('A', T0);
    assert.deepEqual(books.takeDue(T0 + 250), ['A']);
    books.arrived('A');
    assert.equal(books.isWaiting('A'), false);
    books.requested('A');
    books.acknowledged('A', T0 + 1000);
    books.changeWhileWaiting('A', T0 + 1000);
    assert.deepEqual(books.takeDue(T0 + 1250), ['A'], 'a fresh backoff after a live spell');
  });

  it('a quiet book is given the due time, then the backoff', () => {
    const books = retry(0, 1_000);
    books.requested('A');
    books.acknowledged('A', T0);
    assert.deepEqual(books.takeDue(T0 + 999), []);
    assert.deepEqual(books.takeDue(T0 + 1_000), []);
    assert.deepEqual(books.takeDue(T0 + 1_250), ['A']);
  });

  it('a snapshot, an unfollowed book or a lost connection ends the wait', () => {
    const books = retry(0);
    for (const name of ['A', 'B', 'C']) {
      books.requested(name);
      books.acknowledged(name, T0);
      books.changeWhileWaiting(name, T0);
    }
    books.arrived('A');
    books.forget('B');
    assert.deepEqual(books.takeDue(T0 + 1_000), ['C']);
    books.clear();
    assert.equal(books.isWaiting('C'), false);
  });
});
