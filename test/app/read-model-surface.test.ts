// The read model with the surface model and the vol history over the sim (Deribit over
// loopback): the header's 30-day index, DVOL and IV rank, the surface view and the smile's
// fit, refitted at most once a second.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ReadModel } from '../../src/app/read-model.js';
import { SurfaceModel } from '../../src/app/surface-model.js';
import { VolHistory } from '../../src/app/vol-history.js';
import type { ViewRequest } from '../../src/view/types.js';
import { waitFor } from '../support/wait.js';
import { closeSimSession, openSimSession, type SimSession } from './support/sim-session.js';

const REQUEST: ViewRequest = {
  chain: null,
  expiry: null,
  strike: null,
  top: 0,
  rows: 10,
  surface: true,
  volSurface: true,
  gridAxis: 'delta',
};

describe('ReadModel with the fitted surface (sim, Deribit over loopback)', () => {
  let session: SimSession;
  let model: ReadModel;
  let history: VolHistory;

  before(async () => {
    session = await openSimSession('deribit');
    const engine = session.engine;
    history = new VolHistory(engine, 'deribit', ['BTC']);
    await history.start(engine.venueNow('deribit'));
    model = new ReadModel(engine, {
      venue: 'deribit',
      mode: 'SIM',
      currencies: ['BTC'],
      logPath: null,
      surfaces: new SurfaceModel(),
      volHistory: history,
    });
    await waitFor('DVOL and a quoted chain', () => {
      const chain = engine.market.chain('deribit', 'BTC', 'BTC');
      const quoted = chain?.rows.every((r) => r.forward > 0 && r.bid.some((b) => b > 0)) ?? false;
      return quoted && engine.market.volatilityIndex('deribit', 'BTC') !== undefined
        ? true
        : undefined;
    });
  });

  after(async () => {
    history.stop();
    model.close();
    await closeSimSession(session);
  });

  it('heads the screen with the 30-day index, DVOL and IV rank, and builds the surface view', () => {
    const now = session.engine.venueNow('deribit');
    const frame = model.snapshot(REQUEST, now);
    const vol = frame.header.vol!;
    assert.ok(vol.index30 !== null && vol.index30 > 0.1 && vol.index30 < 3);
    assert.equal(vol.venueIndexName, 'DVOL');
    assert.equal(vol.venueIndex, session.engine.market.volatilityIndex('deribit', 'BTC')!.value);
    assert.ok(vol.ivRank !== null && vol.ivRank >= 0 && vol.ivRank <= 100);
    // This model was made after the feed went live: it has not heard the connection's state.
    assert.equal(vol.stale, model.connection().state !== 'live');
    const screen = frame.surfaceScreen!;
    assert.equal(screen.title, 'BTC surface (deribit)');
    assert.equal(
      screen.fits.length,
      session.engine.market.chain('deribit', 'BTC', 'BTC')!.rows.length,
    );
    assert.ok(screen.fits.every((f) => !f.flagged));
    assert.ok(screen.rvTerm.length >= 3, 'RV at 1, 7, 30 and 90 days');
    assert.notEqual(screen.vrp30, '-');
    assert.equal(frame.smileFit?.expiry, frame.chain!.expiry, "the fit of the smile's expiry");
  });

  it('refits at most once a second, and the grid axis asks for its own view', () => {
    const now = session.engine.venueNow('deribit') + 5_000;
    const first = model.snapshot(REQUEST, now);
    const again = model.snapshot(REQUEST, now + 300);
    assert.equal(again.surfaceScreen, first.surfaceScreen, 'the same view within a second');
    assert.equal(again.header.vol, first.header.vol);
    const byK = model.snapshot({ ...REQUEST, gridAxis: 'moneyness' }, now + 400);
    assert.equal(byK.surfaceScreen?.axis, 'moneyness');
    assert.equal(byK.surfaceScreen?.columns.length, 11);
    const later = model.snapshot(REQUEST, now + 1_300);
    assert.notEqual(later.header.vol, first.header.vol, 'refitted after a second');
    const off = model.snapshot({ ...REQUEST, volSurface: false }, now + 1_400);
    assert.equal(off.surfaceScreen, null, 'no surface view unless asked for');
    assert.ok(off.header.vol !== undefined, 'the header keeps its figures');
  });

  it('marks the figures and the view stale while the venue is down, at once', () => {
    const now = session.engine.venueNow('deribit') + 10_000;
    model.snapshot(REQUEST, now);
    model.setDown('connection refused', now + 5_000, 2);
    const down = model.snapshot(REQUEST, now + 10);
    assert.equal(down.header.vol?.stale, true);
    assert.match(down.surfaceScreen?.stale ?? '', /feed down/);
    model.setDown(null);
  });

  it('without a surface model the frame carries none of it', () => {
    const plain = new ReadModel(session.engine, {
      venue: 'deribit',
      mode: 'SIM',
      currencies: ['BTC'],
      logPath: null,
    });
    const frame = plain.snapshot(REQUEST, session.engine.venueNow('deribit'));
    assert.equal(frame.header.vol, undefined);
    assert.equal(frame.surfaceScreen, undefined);
    plain.close();
  });
});
