import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConnectionLostError,
  RequestTimeoutError,
  VenueReplyError,
} from '../../../src/feeds/common/errors.js';
import { PendingRequests } from '../../../src/feeds/common/pending-requests.js';

function activeTimeouts(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
}

describe('PendingRequests', () => {
  it('resolves a request with its reply and ignores a duplicate', async () => {
    const pending = new PendingRequests<number>({ defaultTimeoutMs: 1000 });
    const reply = pending.add(1, 'public/get_time');
    assert.equal(pending.size, 1);
    assert.equal(pending.resolve(1, { result: 42 }), true);
    assert.deepEqual(await reply, { result: 42 });
    assert.equal(pending.resolve(1, { result: 43 }), false);
    assert.equal(pending.size, 0);
  });

  it('rejects with RequestTimeoutError after the time limit, then ignores the late reply', async () => {
    const pending = new PendingRequests<string>({ defaultTimeoutMs: 10_000 });
    const reply = pending.add('r1', 'private/buy', 20);
    await assert.rejects(reply, (error: unknown) => {
      assert.ok(error instanceof RequestTimeoutError);
      assert.equal(error.method, 'private/buy');
      assert.equal(error.timeoutMs, 20);
      return true;
    });
    assert.equal(pending.size, 0);
    assert.equal(pending.resolve('r1', 'too late'), false);
  });

  it('uses the default time limit when none is given', async () => {
    const pending = new PendingRequests<number>({ defaultTimeoutMs: 15 });
    await assert.rejects(pending.add(7, 'public/test'), (error: unknown) => {
      assert.ok(error instanceof RequestTimeoutError);
      assert.equal(error.timeoutMs, 15);
      return true;
    });
  });

  it('passes a venue error through reject', async () => {
    const pending = new PendingRequests<number>({ defaultTimeoutMs: 1000 });
    const reply = pending.add(3, 'private/sell');
    assert.equal(
      pending.reject(3, new VenueReplyError('private/sell', 10009, 'not_enough_funds')),
      true,
    );
    await assert.rejects(reply, VenueReplyError);
    assert.equal(pending.reject(3, new Error('again')), false);
  });

  it('rejects everything in flight with ConnectionLostError on disconnect', async () => {
    const pending = new PendingRequests<number>({ defaultTimeoutMs: 1000 });
    const first = pending.add(1, 'public/subscribe');
    const second = pending.add(2, 'private/get_positions');
    pending.rejectAll('socket closed 1006');
    assert.equal(pending.size, 0);
    for (const [reply, label] of [
      [first, 'public/subscribe'],
      [second, 'private/get_positions'],
    ] as const) {
      await assert.rejects(reply, (error: unknown) => {
        assert.ok(error instanceof ConnectionLostError);
        assert.equal(error.method, label);
        assert.match(error.message, /socket closed 1006/);
        return true;
      });
    }
    assert.equal(pending.resolve(1, 'after the loss'), false);
  });

  it('refuses a second request under a key already in flight', async () => {
    const pending = new PendingRequests<number>({ defaultTimeoutMs: 1000 });
    const first = pending.add(5, 'a');
    await assert.rejects(pending.add(5, 'b'), /already in flight/);
    pending.resolve(5, 'ok');
    assert.equal(await first, 'ok');
  });

  it('clears each timer when its request settles', async () => {
    const before = activeTimeouts();
    const pending = new PendingRequests<number>({ defaultTimeoutMs: 60_000 });
    const replies = [pending.add(1, 'a'), pending.add(2, 'b'), pending.add(3, 'c')];
    for (const reply of replies) reply.catch(() => undefined);
    assert.equal(activeTimeouts(), before + 3);
    pending.resolve(1, null);
    pending.reject(2, new Error('no'));
    pending.rejectAll();
    await Promise.allSettled(replies);
    assert.equal(activeTimeouts(), before);
  });
});
