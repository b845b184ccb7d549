// The screen's goodbye line says what became of the open orders, truthfully in every mode.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { whatOutlives } from '../../src/cli/goodbye.js';

describe('the goodbye line', () => {
  it('on the embedded exchange nothing outlives the session, and it says so', () => {
    assert.equal(
      whatOutlives(0, 'SIM', false),
      'the embedded exchange stopped with it, so nothing outlives the session',
    );
    assert.equal(
      whatOutlives(2, 'SIM', false),
      'the embedded exchange stopped with it, so nothing outlives the session (2 open orders went with it)',
    );
    assert.doesNotMatch(whatOutlives(1, 'SIM', false), /stay/);
  });

  it('on a real venue, orders stay open unless the venue cancels on disconnect', () => {
    for (const mode of ['LIVE', 'TESTNET'] as const) {
      assert.equal(whatOutlives(0, mode, false), 'no open orders');
      assert.equal(whatOutlives(1, mode, false), '1 open order stays open on the venue');
      assert.equal(whatOutlives(3, mode, false), '3 open orders stay open on the venue');
      assert.equal(
        whatOutlives(3, mode, true),
        '3 open orders cancelled by the venue as the connection closed (its cancel-on-disconnect)',
      );
    }
  });
});
