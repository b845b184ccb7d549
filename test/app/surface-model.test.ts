// The fitted surface of the sim's BTC chain, read from the real engine over loopback: every
// expiry fitted, no arbitrage on the sim's SSVI surface, the ATM read-out where the quotes are,
// one fit per change of the chain.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OptionChain } from '../../src/book/option-chain.js';
import { fitCoinSurface, SurfaceModel } from '../../src/app/surface-model.js';
import { sviTotalVariance } from '../../src/surface/index.js';
import { waitFor } from '../support/wait.js';
import { closeSimSession, openSimSession, type SimSession } from './support/sim-session.js';

describe('SurfaceModel on the sim (Deribit over loopback)', () => {
  let session: SimSession;
  let chain: OptionChain;

  before(async () => {
    session = await openSimSession('deribit');
    const engine = session.engine;
    chain = await waitFor(
      'every BTC expiry quoted around its forward',
      () => {
        const c = engine.market.chain('deribit', 'BTC', 'BTC');
        if (c === undefined || c.rows.length < 4) return undefined;
        const now = engine.venueNow('deribit');
        c.settle(now);
        const ready = c.rows.every((row) => {
          if (!(row.forward > 0)) return false;
          let quoted = 0;
          for (let s = 0; s < row.slots; s++) if (row.bid[s]! > 0 || row.ask[s]! > 0) quoted++;
          return quoted === row.slots;
        });
        return ready ? c : undefined;
      },
      20_000,
    );
  });

  after(async () => {
    await closeSimSession(session);
  });

  it('fits every expiry of the chain, arbitrage-free, with its forward delta convention', () => {
    const now = session.engine.venueNow('deribit');
    const s = fitCoinSurface(chain, now);
    const live = chain.rows.filter((row) => row.expiry > now).map((row) => row.expiry);
    assert.deepEqual(
      s.fit.expiries.map((e) => e.expiryMs),
      live,
    );
    assert.deepEqual(s.fit.skipped, []);
    // The sim's SSVI surface is arbitrage-free; its quotes are ticks around it, so a smile of
    // hours (a handful of quotes on a wide tick grid) may need a repair, never a flag left
    // standing. From two weeks out, where the quotes pin the smile, no check fails at all.
    const flags = JSON.stringify(s.fit.expiries.map((e) => e.arbitrage));
    assert.equal(s.fit.arbitrageFree, true, flags);
    assert.ok(
      s.fit.expiries.every((e) => e.arbitrage.every((f) => f.repaired)),
      flags,
    );
    const settled = s.fit.expiries.filter((e) => e.years > 14 / 365);
    assert.ok(settled.length >= 5);
    assert.ok(
      settled.every((e) => e.arbitrage.length === 0),
      flags,
    );
    assert.equal(s.deltaConvention, 'forward');
    assert.equal(s.coin, 'BTC');
    assert.equal(s.health.stale, 0);
    assert.equal(s.grid.rows.length, 7);
    assert.equal(s.expiries.length, live.length);
    // The sim lists beyond 30 days, so there is an index, and it is a plausible vol.
    assert.ok(
      s.index.value !== null && s.index.value > 0.1 && s.index.value < 3,
      `${s.index.value}`,
    );
  });

  it('puts the ATM read-out of each expiry among its near-the-money quotes', () => {
    const now = session.engine.venueNow('deribit');
    const s = fitCoinSurface(chain, now);
    for (const [i, fit] of s.fit.expiries.entries()) {
      const input = s.inputs.find((c) => c.expiryMs === fit.expiryMs)!;
      // The two-sided quote nearest the forward: the fitted smile passes through its spread
      // (a vol point of slack for the sim makers' lean), and the ATM read-out is its smile's.
      const near = input.quotes
        .filter((q) => q.bidIv !== null && q.askIv !== null)
        .sort(
          (a, b) =>
            Math.abs(Math.log(a.strike / input.forward)) -
            Math.abs(Math.log(b.strike / input.forward)),
        )[0]!;
      const k = Math.log(near.strike / input.forward);
      const fitted = Math.sqrt(sviTotalVariance(fit.params, k) / fit.years);
      assert.ok(
        fitted >= near.bidIv! - 0.01 && fitted <= near.askIv! + 0.01,
        `${new Date(fit.expiryMs).toISOString()}: fitted ${fitted} vs [${near.bidIv}, ${near.askIv}]`,
      );
      const atm = s.expiries[i]!.readouts.atmIv!;
      const mid = 0.5 * (near.bidIv! + near.askIv!);
      // Within the quote's own spread of its mid (hours from expiry a tick is vol points
      // wide), and what the smile's slope moves between the quote's k and the forward.
      const halfSpread = 0.5 * (near.askIv! - near.bidIv!);
      assert.ok(
        Math.abs(atm - mid) < Math.max(0.02, halfSpread + 0.01) + Math.abs(k) * 0.5,
        `${new Date(fit.expiryMs).toISOString()}: ATM ${atm} vs mid ${mid} at k ${k}`,
      );
    }
  });

  it('fits once per change of the chain, warm-started from the last fit', async () => {
    const model = new SurfaceModel();
    const now = session.engine.venueNow('deribit');
    const first = model.surface(chain, now);
    assert.equal(model.surface(chain, now), first, 'unchanged chain: the same surface');
    assert.equal(model.latest('deribit', 'BTC', 'BTC'), first);
    const version = chain.version;
    await waitFor('a new quote', () => (chain.version !== version ? true : undefined), 10_000);
    const later = session.engine.venueNow('deribit');
    const second = model.surface(chain, later);
    assert.notEqual(second, first);
    assert.equal(second.fit.expiries.length, first.fit.expiries.length);
    // A fit is redone after maxAgeMs even in a quiet chain: time to expiry moves.
    // Another chain object of the same coin (a reconnect's) is refitted, whatever its version.
    const twin = new OptionChain(chain.venue, chain.base, chain.quote, chain.options);
    const fromTwin = model.surface(twin, later);
    assert.notEqual(fromTwin, second);
    assert.equal(fromTwin.fit.expiries.length, 0, 'the new chain has no quotes yet');
    const aged = new SurfaceModel({ maxAgeMs: 0 });
    const a = aged.surface(chain, later);
    assert.notEqual(aged.surface(chain, later), a);
  });

  it('uses premium-adjusted delta on the inverse chain only', () => {
    const now = session.engine.venueNow('deribit');
    const adjusted = fitCoinSurface(chain, now, { deltaConvention: 'premium-adjusted' });
    assert.equal(adjusted.deltaConvention, 'premium-adjusted');
    assert.equal(adjusted.grid.deltaConvention, 'premium-adjusted');
    // A premium-adjusted 25Δ put lies further out than a forward-delta one: its vol on a
    // downward-skewed sim smile is at least as high.
    const forward = fitCoinSurface(chain, now);
    const row = forward.grid.rows.find((r) => r.days === 30)!;
    const adjRow = adjusted.grid.rows.find((r) => r.days === 30)!;
    assert.ok(adjRow.byDelta[1]! !== row.byDelta[1]!);
  });
});

describe('SurfaceModel on the sim (Bybit over loopback)', () => {
  let session: SimSession;

  before(async () => {
    session = await openSimSession('bybit');
  });

  after(async () => {
    await closeSimSession(session);
  });

  it('fits the linear USDT chain, where premium-adjusted delta falls back to forward', async () => {
    const engine = session.engine;
    const chain = await waitFor(
      'a quoted BTC/USDT chain',
      () => {
        const c = engine.market.chains('bybit').find((x) => x.base === 'BTC');
        if (c === undefined || c.rows.length < 4) return undefined;
        c.settle(engine.venueNow('bybit'));
        return c.rows.every((row) => row.forward > 0 && row.bid.some((b) => b > 0)) ? c : undefined;
      },
      20_000,
    );
    assert.notEqual(chain.quote, chain.base, 'USDT premiums: a linear chain');
    const now = engine.venueNow('bybit');
    const s = new SurfaceModel({ deltaConvention: 'premium-adjusted' }).surface(chain, now);
    assert.equal(s.deltaConvention, 'forward');
    assert.equal(s.grid.deltaConvention, 'forward');
    assert.equal(s.fit.expiries.length, chain.rows.filter((r) => r.expiry > now).length);
    assert.equal(s.fit.arbitrageFree, true);
    const month = s.grid.rows.find((r) => r.days === 30)!.readouts;
    assert.ok(month.atmIv !== null && month.rr25 !== null && month.bf25 !== null);
  });
});
