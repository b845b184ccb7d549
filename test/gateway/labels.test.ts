// Labels: `ivt-<session>-<n>` and `ivt-hedge-<session>-<n>`, never issued twice, within the
// venues' shared rule (≤ 36 characters of A-Z a-z 0-9 _ -).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LABEL_RULE, LabelMaker, randomSession } from '../../src/gateway/labels.js';

describe('labels', () => {
  it('counts from 1 in the session, per origin', () => {
    const labels = new LabelMaker('abc123');
    assert.equal(labels.session, 'abc123');
    assert.equal(labels.next('manual'), 'ivt-abc123-1');
    assert.equal(labels.next('manual'), 'ivt-abc123-2');
    assert.equal(labels.next('hedge'), 'ivt-hedge-abc123-1');
    assert.equal(labels.next('manual'), 'ivt-abc123-3');
  });

  it('is unique across 10,000 and keeps to the label rule', () => {
    const labels = new LabelMaker();
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i += 1) {
      const label = labels.next(i % 3 === 0 ? 'hedge' : 'manual');
      assert.match(label, LABEL_RULE);
      assert.match(label, /^ivt-(?:hedge-)?[0-9a-z]{6}-[1-9]\d*$/);
      assert.ok(label.length <= 36);
      seen.add(label);
    }
    assert.equal(seen.size, 10_000);
  });

  it('stays within 36 characters at the largest safe count', () => {
    const longest = `ivt-hedge-abc123-${Number.MAX_SAFE_INTEGER}`;
    assert.ok(longest.length <= 36, `${longest.length}`);
    assert.match(longest, LABEL_RULE);
  });

  it('draws a random six-character session per process unless given one', () => {
    const sessions = new Set<string>();
    for (let i = 0; i < 50; i += 1) {
      const session = randomSession();
      assert.match(session, /^[0-9a-z]{6}$/);
      sessions.add(session);
    }
    assert.ok(sessions.size > 45, 'random, not fixed');
    assert.match(new LabelMaker().session, /^[0-9a-z]{6}$/);
  });

  it('refuses a session that would break the label rule', () => {
    for (const bad of ['ABC123', 'abc12', 'abc1234', 'ab-123', '']) {
      assert.throws(() => new LabelMaker(bad), RangeError, bad);
    }
  });
});
