import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ceilToTick,
  floorToTick,
  isLotMultiple,
  isOnTick,
  snapAmount,
  tickAbove,
  tickBelow,
} from '../../../src/sim/exchange/grid.js';
import { BTC_CALL, BTC_PERP } from './harness.js';

describe('tick grid', () => {
  it('follows the coarser tick above a step, and tolerates float noise', () => {
    assert.ok(isOnTick(BTC_CALL, 0.0049));
    assert.ok(isOnTick(BTC_CALL, 0.005));
    assert.ok(!isOnTick(BTC_CALL, 0.0051));
    assert.ok(isOnTick(BTC_CALL, 0.0055));
    assert.ok(isOnTick(BTC_CALL, 0.1 * 0.07));
    assert.ok(isOnTick(BTC_PERP, 84_000.5));
    assert.ok(!isOnTick(BTC_PERP, 84_000.25));
  });

  it('steps one tick across the threshold in both directions', () => {
    assert.equal(tickBelow(BTC_CALL, 0.0055), 0.005);
    assert.equal(tickBelow(BTC_CALL, 0.005), 0.0049);
    assert.equal(tickAbove(BTC_CALL, 0.0049), 0.005);
    assert.equal(tickAbove(BTC_CALL, 0.005), 0.0055);
    assert.equal(tickBelow(BTC_PERP, 84_000), 83_999.5);
  });

  it('rounds off-grid prices to the passive side and leaves grid prices alone', () => {
    assert.equal(floorToTick(BTC_CALL, 0.00349), 0.0034);
    assert.equal(ceilToTick(BTC_CALL, 0.00341), 0.0035);
    assert.equal(floorToTick(BTC_CALL, 0.0049), 0.0049);
    assert.equal(ceilToTick(BTC_CALL, 0.0001 * 3), 0.0003);
    assert.equal(floorToTick(BTC_CALL, 0.00612), 0.006);
    assert.equal(ceilToTick(BTC_CALL, 0.00612), 0.0065);
  });

  it('snaps sizes back onto the lot grid', () => {
    assert.ok(isLotMultiple(BTC_CALL, 0.1 + 0.2));
    assert.ok(!isLotMultiple(BTC_CALL, 0.15));
    assert.equal(snapAmount(BTC_CALL, 0.1 + 0.2), 0.3);
    assert.equal(snapAmount(BTC_CALL, 0.3 - 0.1 - 0.2), 0);
  });
});
