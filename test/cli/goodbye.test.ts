// The screen's goodbye line says what became of the open orders, truthfully in every mode.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { whatOutlives } from '../../src/cli/goodbye.js';

describe('the goodbye line', () => {
  it('on the embedded exchange nothing outlives the session, and it says so', () => {
    assert.equal(
      whatOutlives({ open: 0, cancelledByVenue: 0 }, 'SIM'),
      'the embedded exchange stopped with it, so nothing outlives the session',
    );
    assert.equal(
      whatOutlives({ open: 2, cancelledByVenue: 0 }, 'SIM'),
      'the embedded exchange stopped with it, so nothing outlives the session (2 open orders went with it)',
    );
    assert.doesNotMatch(whatOutlives({ open: 1, cancelledByVenue: 1 }, 'SIM'), /stay/);
  });

  it('on a real venue, orders stay open unless the venue cancels on disconnect', () => {
    for (const mode of ['LIVE', 'TESTNET'] as const) {
      assert.equal(whatOutlives({ open: 0, cancelledByVenue: 0 }, mode), 'no open orders');
      assert.equal(
        whatOutlives({ open: 1, cancelledByVenue: 0 }, mode),
        '1 open order stays open on the venue',
      );
      assert.equal(
        whatOutlives({ open: 3, cancelledByVenue: 0 }, mode),
        '3 open orders stay open on the venue',
      );
      assert.equal(
        whatOutlives({ open: 3, cancelledByVenue: 3 }, mode),
        '3 open orders cancelled by the venue as the connection closed (its cancel-on-disconnect)',
      );
      // Cancel-on-disconnect covers the connection's own orders: the rest stay, and it says so.
      assert.equal(
        whatOutlives({ open: 3, cancelledByVenue: 2 }, mode),
        '2 open orders cancelled by the venue as the connection closed (its cancel-on-disconnect); 1 open order stays open on the venue (placed elsewhere)',
      );
    }
  });
});
