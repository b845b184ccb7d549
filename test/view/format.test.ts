import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  fmtClock,
  fmtDuration,
  fmtExpiry,
  fmtFixed,
  fmtIv,
  fmtPrice,
  fmtSigned,
  fmtSize,
  fmtStrike,
  fmtUsd,
  NONE,
} from '../../src/view/format.js';

const NOT_A_VALUE = [NaN, Infinity, -Infinity, null, undefined] as const;
const NOT_FINITE = [NaN, Infinity, -Infinity] as const;

describe('missing values print as a dash', () => {
  it('for every formatter that accepts null', () => {
    assert.equal(NONE, '-');
    for (const value of NOT_A_VALUE) {
      const where = String(value);
      assert.equal(fmtFixed(value, 2), '-', where);
      assert.equal(fmtPrice(value), '-', where);
      assert.equal(fmtIv(value), '-', where);
      assert.equal(fmtSigned(value, 2), '-', where);
      assert.equal(fmtSize(value), '-', where);
      assert.equal(fmtUsd(value), '-', where);
      assert.equal(fmtDuration(value), '-', where);
    }
  });

  // A NaN expiry or clock reaching a cell must not print "NaNundefinedNaN" or throw mid-render.
  it('for the date and strike formatters too', () => {
    for (const value of NOT_FINITE) {
      const where = String(value);
      assert.equal(fmtStrike(value), '-', `fmtStrike ${where}`);
      assert.equal(fmtExpiry(value), '-', `fmtExpiry ${where}`);
      assert.equal(fmtClock(value), '-', `fmtClock ${where}`);
    }
  });
});

describe('no negative zero (issue 16 #18)', () => {
  it('a value that rounds to zero prints unsigned in every format', () => {
    assert.equal(fmtFixed(-0.0001, 2), '0.00');
    assert.equal(fmtFixed(-0, 2), '0.00');
    assert.equal(fmtPrice(-0.00001), '0.0000');
    assert.equal(fmtSize(-0.00001), '0');
    assert.equal(fmtSize(-0), '0');
    assert.equal(fmtUsd(-0.004), '0.00');
  });
});

describe('fmtFixed', () => {
  it('rounds to the decimals asked', () => {
    assert.equal(fmtFixed(1.23456, 2), '1.23');
    assert.equal(fmtFixed(-0.5, 1), '-0.5');
    assert.equal(fmtFixed(12, 0), '12');
    assert.equal(fmtFixed(0, 3), '0.000');
  });
});

describe('fmtPrice', () => {
  it('keeps 4 decimals for coin premiums below 1, so every one is 6 characters', () => {
    for (const [value, text] of [
      [0.05, '0.0500'],
      [0.0001, '0.0001'],
      [0.1234, '0.1234'],
      [0.9, '0.9000'],
      [0, '0.0000'],
    ] as const) {
      assert.equal(fmtPrice(value), text, String(value));
    }
    for (let tick = 1; tick < 10_000; tick += 37) {
      assert.equal(fmtPrice(tick / 10_000).length, 6, String(tick / 10_000));
    }
  });

  it('gives fewer decimals as dollar prices grow', () => {
    assert.equal(fmtPrice(1), '1.00');
    assert.equal(fmtPrice(42.5), '42.50');
    assert.equal(fmtPrice(99.99), '99.99');
    assert.equal(fmtPrice(100), '100.0');
    assert.equal(fmtPrice(1234.56), '1234.6');
    assert.equal(fmtPrice(9999.9), '9999.9');
    assert.equal(fmtPrice(10_000), '10000');
    assert.equal(fmtPrice(65_432.7), '65433');
  });

  it('signs negative prices and bands them by size', () => {
    assert.equal(fmtPrice(-0.05), '-0.0500');
    assert.equal(fmtPrice(-42.5), '-42.50');
    assert.equal(fmtPrice(-12_345), '-12345');
  });

  // The chain's price cell is 6 wide: a value just under a band edge that rounds onto it must
  // take the next band's format, or it grows a digit ("10000.0") and is cut off.
  it('a value that rounds up onto a band edge takes that band’s format', () => {
    assert.equal(fmtPrice(9999.96), '10000');
    assert.equal(fmtPrice(-9999.96), '-10000');
  });
});

describe('fmtIv', () => {
  it('shows vol points with one decimal', () => {
    assert.equal(fmtIv(0.5234), '52.3');
    assert.equal(fmtIv(0.5), '50.0');
    assert.equal(fmtIv(1.2346), '123.5');
    assert.equal(fmtIv(0), '0.0');
    assert.equal(fmtIv(0.0004), '0.0');
  });
});

describe('fmtSigned', () => {
  it('puts a plus on positives and keeps the minus on negatives', () => {
    assert.equal(fmtSigned(0.52, 2), '+0.52');
    assert.equal(fmtSigned(-1.2, 2), '-1.20');
    assert.equal(fmtSigned(3, 0), '+3');
    assert.equal(fmtSigned(-3, 0), '-3');
  });

  it('zero and negative zero read +0', () => {
    assert.equal(fmtSigned(0, 2), '+0.00');
    assert.equal(fmtSigned(-0, 2), '+0.00');
  });

  it('a small positive value that rounds to zero keeps its plus', () => {
    assert.equal(fmtSigned(0.004, 2), '+0.00');
  });

  // A flat PnL or delta wobbling around zero must not flicker between +0.00 and -0.00.
  it('a small negative value that rounds to zero reads as zero, not -0.00', () => {
    assert.equal(fmtSigned(-0.004, 2), '+0.00');
    assert.equal(fmtSigned(-0.4, 0), '+0');
  });

  it('a negative value rounding away from zero keeps its minus', () => {
    assert.equal(fmtSigned(-0.005001, 2), '-0.01');
  });
});

describe('fmtSize', () => {
  it('prints whole sizes without decimals and fractions with up to 4 significant decimals', () => {
    assert.equal(fmtSize(0), '0');
    assert.equal(fmtSize(12), '12');
    assert.equal(fmtSize(9999), '9999');
    assert.equal(fmtSize(0.1), '0.1');
    assert.equal(fmtSize(0.1234), '0.1234');
    assert.equal(fmtSize(0.12346), '0.1235');
    assert.equal(fmtSize(1.5), '1.5');
    assert.equal(fmtSize(1.256), '1.26');
    assert.equal(fmtSize(250.25), '250.3');
    assert.equal(fmtSize(-2.5), '-2.5');
  });

  it('switches to k at ten thousand and M at a million', () => {
    assert.equal(fmtSize(10_000), '10.0k');
    assert.equal(fmtSize(12_345), '12.3k');
    assert.equal(fmtSize(99_940), '99.9k');
    assert.equal(fmtSize(100_000), '100k');
    assert.equal(fmtSize(456_789), '457k');
    assert.equal(fmtSize(1_000_000), '1.0M');
    assert.equal(fmtSize(2_500_000), '2.5M');
    assert.equal(fmtSize(10_000_000), '10M');
    assert.equal(fmtSize(123_456_789), '123M');
    assert.equal(fmtSize(-25_000), '-25.0k');
    assert.equal(fmtSize(-3_000_000), '-3.0M');
  });

  it('a size that rounds up onto the next unit is written in that unit', () => {
    assert.equal(fmtSize(999_999), '1.0M');
  });
});

describe('fmtUsd', () => {
  it('groups thousands, with cents', () => {
    assert.equal(fmtUsd(0), '0.00');
    assert.equal(fmtUsd(12.3), '12.30');
    assert.equal(fmtUsd(1234.5), '1,234.50');
    assert.equal(fmtUsd(9999.99), '9,999.99');
    assert.equal(fmtUsd(-1234.5), '-1,234.50');
  });

  // One rule at every size (issue 16 #18): 10,086 beside 9,995.92 read as different kinds.
  it('keeps its cents from ten thousand up, so a column of dollars lines up', () => {
    assert.equal(fmtUsd(10_000), '10,000.00');
    assert.equal(fmtUsd(12_345.67), '12,345.67');
    assert.equal(fmtUsd(1_234_567), '1,234,567.00');
    assert.equal(fmtUsd(-98_765.4), '-98,765.40');
    assert.equal(fmtUsd(9999.996), '10,000.00');
    assert.equal(fmtUsd(-0.001), '0.00');
  });
});

describe('fmtDuration', () => {
  const SECOND = 1000;
  it('changes unit exactly at the boundaries', () => {
    assert.equal(fmtDuration(0), '0s');
    assert.equal(fmtDuration(59 * SECOND), '59s');
    assert.equal(fmtDuration(60 * SECOND - 1), '59s');
    assert.equal(fmtDuration(60 * SECOND), '1m00s');
    assert.equal(fmtDuration(3599 * SECOND), '59m59s');
    assert.equal(fmtDuration(3600 * SECOND), '1h00m');
    assert.equal(fmtDuration(86_399 * SECOND), '23h59m');
    assert.equal(fmtDuration(86_400 * SECOND), '1d00h');
  });

  it('shows the two largest units, zero-padded', () => {
    assert.equal(fmtDuration((12 * 60 + 30) * SECOND), '12m30s');
    assert.equal(fmtDuration((4 * 3600 + 12 * 60 + 59) * SECOND), '4h12m');
    assert.equal(fmtDuration((3 * 86_400 + 4 * 3600 + 59 * 60) * SECOND), '3d04h');
    assert.equal(fmtDuration(400 * 86_400 * SECOND), '400d00h');
  });

  it('a negative span (an expiry just passed) reads 0s', () => {
    assert.equal(fmtDuration(-1), '0s');
    assert.equal(fmtDuration(-5 * SECOND), '0s');
    assert.equal(fmtDuration(-3 * 86_400 * SECOND), '0s');
  });
});

describe('fmtExpiry', () => {
  it('writes the venue-style day, month and year', () => {
    assert.equal(fmtExpiry(Date.UTC(2024, 11, 27, 8)), '27DEC24');
    assert.equal(fmtExpiry(Date.UTC(2026, 11, 4, 8)), '4DEC26');
    assert.equal(fmtExpiry(Date.UTC(2026, 0, 1, 8)), '1JAN26');
    assert.equal(fmtExpiry(Date.UTC(2030, 5, 30, 8)), '30JUN30');
    assert.equal(fmtExpiry(Date.UTC(2100, 2, 5, 8)), '5MAR00');
  });

  it('uses the UTC date whatever the local time zone', () => {
    const saved = process.env.TZ;
    try {
      // 23:30 UTC is already the next day in Kiritimati (UTC+14) and still it in Honolulu.
      for (const zone of ['Pacific/Kiritimati', 'Pacific/Honolulu', 'UTC']) {
        process.env.TZ = zone;
        assert.equal(fmtExpiry(Date.UTC(2024, 11, 27, 23, 30)), '27DEC24', zone);
        assert.equal(fmtExpiry(Date.UTC(2024, 11, 27, 0, 30)), '27DEC24', zone);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('fmtClock', () => {
  it('prints UTC wall-clock time as HH:MM:SS', () => {
    assert.equal(fmtClock(Date.UTC(2026, 10, 20, 7, 0)), '07:00:00');
    assert.equal(fmtClock(Date.UTC(2026, 10, 20, 23, 59, 59, 999)), '23:59:59');
    assert.equal(fmtClock(Date.UTC(2026, 10, 21, 0, 0, 1)), '00:00:01');
  });
});

describe('fmtStrike', () => {
  it('drops trailing zeros', () => {
    assert.equal(fmtStrike(65_000), '65000');
    assert.equal(fmtStrike(100_000), '100000');
    assert.equal(fmtStrike(0.85), '0.85');
    assert.equal(fmtStrike(2.5), '2.5');
    assert.equal(fmtStrike(0.0001), '0.0001');
    assert.equal(fmtStrike(1.25), '1.25');
    assert.equal(fmtStrike(3200.5), '3200.5');
  });
});
