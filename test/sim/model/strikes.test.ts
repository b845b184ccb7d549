import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deribitProfile } from '../../../src/sim/deribit/profile.js';
import { strikeGrid, strikesToAdd } from '../../../src/sim/model/strikes.js';
import { Grid } from '../../../src/sim/model/ticks.js';

const BTC = { minStepFraction: 0.005, innerCount: 10, wingCount: 6 };

describe('strike grids', () => {
  it('uses round BTC and ETH spacings that widen with time to expiry', () => {
    const day = strikeGrid({ ...BTC, spot: 90_000, stdDev: 0.5 * Math.sqrt(1 / 365) });
    const quarter = strikeGrid({ ...BTC, spot: 90_000, stdDev: 0.55 * Math.sqrt(0.5) });
    assert.ok(day.every((k) => k % 500 === 0));
    assert.ok(quarter.every((k) => k % 5000 === 0));
    assert.ok(day.includes(90_000) && quarter.includes(90_000));
    const eth = strikeGrid({ ...BTC, minStepFraction: 0.008, spot: 3_000, stdDev: 0.03 });
    assert.ok(
      eth.every((k) => k % 25 === 0),
      eth.join(),
    );
    assert.ok(strikeGrid({ ...BTC, spot: 1.37, stdDev: 0.2 }).every((k) => k > 0));
  });

  it('adds strikes only beyond the range, and only once spot nears its edge', () => {
    const listed = strikeGrid({ ...BTC, spot: 90_000, stdDev: 0.1 });
    assert.deepEqual(strikesToAdd(listed, { ...BTC, spot: 92_000, stdDev: 0.08 }), []);
    const after = strikesToAdd(listed, { ...BTC, spot: 120_000, stdDev: 0.08 });
    assert.ok(after.length > 0);
    assert.ok(after.every((k) => k > Math.max(...listed)));
  });
});

describe('tick grid', () => {
  const grid = new Grid(
    deribitProfile.optionSpec('BTC', Date.UTC(2026, 11, 25, 8), 90_000, 'call'),
  );

  it('rounds to 0.0001 up to 0.005 and to 0.0005 above', () => {
    assert.equal(grid.floor(0.00437), 0.0043);
    assert.equal(grid.ceil(0.00431), 0.0044);
    assert.equal(grid.ceil(0.00499), 0.005);
    assert.equal(grid.ceil(0.00501), 0.0055);
    assert.equal(grid.floor(0.00549), 0.005);
    assert.equal(grid.floor(0.0003), 0.0003);
    assert.equal(grid.ceil(0.0003), 0.0003);
  });

  it('sizes in whole lots of at least the minimum', () => {
    assert.equal(grid.amount(0.01), 0.1);
    assert.equal(grid.amount(1.26), 1.3);
  });
});
