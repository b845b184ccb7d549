import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { RequestPacer } from '../../../src/feeds/common/request-pacer.js';

describe('RequestPacer', () => {
  it('lets a burst through at once and the rest in arrival order', async () => {
    const pacer = new RequestPacer({ ratePerSec: 100, burst: 2 });
    const granted: number[] = [];
    const takes = Array.from({ length: 6 }, (_, i) => pacer.take().then(() => granted.push(i)));
    await nextTurn();
    assert.deepEqual(granted, [0, 1], 'only the burst goes without waiting');
    await Promise.all(takes);
    assert.deepEqual(granted, [0, 1, 2, 3, 4, 5]);
    pacer.stop();
  });

  it('refills at the configured rate', async () => {
    const pacer = new RequestPacer({ ratePerSec: 200, burst: 1 });
    const started = performance.now();
    for (let i = 0; i < 5; i += 1) await pacer.take();
    // Four tokens beyond the burst at 5 ms each; timers never fire early.
    assert.ok(performance.now() - started >= 19, 'the four refills took at least 20 ms');
    pacer.stop();
  });

  it('grants nothing during a penalty and restarts with an empty bucket', async () => {
    const pacer = new RequestPacer({ ratePerSec: 1000, burst: 5 });
    pacer.penalize(60);
    const started = performance.now();
    let granted = 0;
    const takes = Array.from({ length: 3 }, () => pacer.take().then(() => (granted += 1)));
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(granted, 0, 'no token while penalized');
    await Promise.all(takes);
    assert.ok(performance.now() - started >= 59, 'the first grant came after the penalty');
    pacer.stop();
  });

  it('extends, never shortens, a penalty', async () => {
    const pacer = new RequestPacer({ ratePerSec: 1000, burst: 1 });
    pacer.penalize(60);
    pacer.penalize(10);
    const started = performance.now();
    await pacer.take();
    assert.ok(performance.now() - started >= 55);
    pacer.stop();
  });

  it('rejects waiters on stop and every take after it', async () => {
    const pacer = new RequestPacer({ ratePerSec: 1, burst: 1 });
    await pacer.take();
    const waiting = pacer.take();
    assert.equal(pacer.waiting, 1);
    pacer.stop();
    await assert.rejects(waiting, /stopped/);
    await assert.rejects(pacer.take(), /stopped/);
    assert.equal(pacer.waiting, 0);
  });

  it('refuses a non-positive rate or an empty bucket', () => {
    assert.throws(() => new RequestPacer({ ratePerSec: 0, burst: 1 }), RangeError);
    assert.throws(() => new RequestPacer({ ratePerSec: 5, burst: 0 }), RangeError);
  });
});
