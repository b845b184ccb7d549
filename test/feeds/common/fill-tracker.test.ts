// FillTracker: each trade id goes out once whichever way it comes (stream, history read, the
// stream replaying what history delivered), history is read from the last fill seen (with a
// little overlap) but never from before the first connection, and read-back fills go out oldest
// first.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FillEvent } from '../../../src/book/events.js';
import { FillTracker, HISTORY_OVERLAP_MS } from '../../../src/feeds/common/fill-tracker.js';

const T0 = Date.UTC(2026, 10, 20, 7, 0);

function fill(tradeId: string, ts: number): FillEvent {
  return {
    kind: 'fill',
    venue: 'deribit',
    ts,
    tradeId,
    orderId: `o-${tradeId}`,
    label: null,
    instrument: 'BTC-PERPETUAL',
    side: 'buy',
    price: 90_000,
    size: 10,
    liquidity: 'taker',
    fee: 0,
    feeCurrency: 'BTC',
    iv: null,
    indexPrice: null,
  };
}

describe('FillTracker', () => {
  it('reads no history before the first connection has streamed', () => {
    const tracker = new FillTracker();
    assert.equal(tracker.resumeFrom(), null);
    tracker.streaming(T0);
    assert.equal(tracker.resumeFrom(), T0);
    tracker.streaming(T0 + 60_000);
    assert.equal(tracker.resumeFrom(), T0, 'later connections do not move the start');
  });

  it('resumes a little before the last fill, never before the first connection', () => {
    const tracker = new FillTracker();
    tracker.streaming(T0);
    assert.equal(tracker.admit(fill('a', T0 + 200)), true);
    assert.equal(tracker.resumeFrom(), T0, 'the overlap stops at the first connection');
    assert.equal(tracker.admit(fill('b', T0 + 10_000)), true);
    assert.equal(tracker.resumeFrom(), T0 + 10_000 - HISTORY_OVERLAP_MS);
  });

  it('lets each trade id out once: streamed, read back, or replayed after the read', () => {
    const tracker = new FillTracker();
    tracker.streaming(T0);
    assert.equal(tracker.admit(fill('live', T0 + 1)), true);
    const missed = tracker.missed([
      fill('late', T0 + 30),
      fill('live', T0 + 1),
      fill('early', T0 + 20),
      fill('late', T0 + 30),
    ]);
    assert.deepEqual(
      missed.map((f) => f.tradeId),
      ['early', 'late'],
      'new ones only, oldest first',
    );
    assert.equal(tracker.admit(fill('late', T0 + 30)), false, 'the stream replaying it');
    assert.deepEqual(tracker.missed([fill('early', T0 + 20)]), []);
  });

  it('forgets the oldest ids past its bound', () => {
    const tracker = new FillTracker(2);
    tracker.admit(fill('1', T0));
    tracker.admit(fill('2', T0 + 1));
    tracker.admit(fill('3', T0 + 2));
    assert.equal(tracker.admit(fill('3', T0 + 2)), false);
    assert.equal(tracker.admit(fill('1', T0)), true, 'the oldest was forgotten');
  });
});
