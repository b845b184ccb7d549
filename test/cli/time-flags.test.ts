import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTimeFlag, TimeFlagError } from '../../src/cli/time-flags.js';

const NOW = Date.UTC(2026, 5, 1, 12, 30);
const DAY = 86_400_000;

describe('time flags', () => {
  it('spans point ahead for expiries and back for history', () => {
    assert.equal(parseTimeFlag('7d', NOW, 'ahead', 'end'), NOW + 7 * DAY);
    assert.equal(parseTimeFlag('2h', NOW, 'ago', 'start'), NOW - 2 * 3_600_000);
    assert.equal(parseTimeFlag('90m', NOW, 'ago', 'start'), NOW - 90 * 60_000);
    assert.equal(parseTimeFlag('2w', NOW, 'ahead', 'end'), NOW + 14 * DAY);
    assert.equal(parseTimeFlag('1.5d', NOW, 'ahead', 'end'), NOW + 1.5 * DAY);
    assert.equal(parseTimeFlag('now', NOW, 'ago', 'end'), NOW);
  });

  it('a date is a whole UTC day: its first millisecond from, its last to', () => {
    const day = Date.UTC(2026, 11, 25);
    assert.equal(parseTimeFlag('2026-12-25', NOW, 'ahead', 'start'), day);
    assert.equal(parseTimeFlag('2026-12-25', NOW, 'ahead', 'end'), day + DAY - 1);
    // The venues' expiry codes name the same day.
    assert.equal(parseTimeFlag('25DEC26', NOW, 'ahead', 'end'), day + DAY - 1);
    assert.equal(parseTimeFlag('5jan27', NOW, 'ahead', 'start'), Date.UTC(2027, 0, 5));
  });

  it('an instant without a zone is UTC', () => {
    assert.equal(parseTimeFlag('2026-12-25T08:00', NOW, 'ago', 'start'), Date.UTC(2026, 11, 25, 8));
    assert.equal(
      parseTimeFlag('2026-12-25T08:00Z', NOW, 'ago', 'start'),
      Date.UTC(2026, 11, 25, 8),
    );
    assert.equal(
      parseTimeFlag('2026-12-25T10:00+02:00', NOW, 'ago', 'start'),
      Date.UTC(2026, 11, 25, 8),
    );
  });

  it('refuses what is not a time, saying what is', () => {
    for (const text of ['soon', '7', '-2h', '2026-13-01', '2026-02-30', '31FEB26', '1XYZ26', '']) {
      assert.throws(
        () => parseTimeFlag(text, NOW, 'ago', 'start'),
        (error: unknown) =>
          error instanceof TimeFlagError && /not a (time|day of the calendar)/.test(error.message),
        text,
      );
    }
  });
});
