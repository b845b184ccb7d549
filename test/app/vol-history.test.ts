// Realised vol, VRP, IV rank and the venue's index of the sim's BTC, loaded through each
// venue's history door over loopback and extended live from the venue's price ticks.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HOUR_MS, MINUTE_MS, type Bar } from '../../src/analytics/index.js';
import { SurfaceModel } from '../../src/app/surface-model.js';
import { VolHistory } from '../../src/app/vol-history.js';
import { waitFor } from '../support/wait.js';
import {
  closeSimSession,
  openSimSession,
  type SimSession,
  type SimVenueName,
} from './support/sim-session.js';

for (const venue of ['deribit', 'bybit'] as const satisfies readonly SimVenueName[]) {
  describe(`VolHistory on the sim (${venue} over loopback)`, () => {
    let session: SimSession;
    let history: VolHistory;
    let startedAt: number;

    before(async () => {
      session = await openSimSession(venue);
      history = new VolHistory(session.engine, venue, ['BTC']);
      startedAt = session.engine.venueNow(venue);
      await history.start(startedAt);
    });

    after(async () => {
      history.stop();
      await closeSimSession(session);
    });

    it('loads a week of minutes and a year of hours, and every RV cell has a vol', () => {
      const view = history.view('BTC', session.engine.venueNow(venue))!;
      assert.equal(view.status, 'ready', view.error ?? '');
      assert.deepEqual(
        view.minuteRv.map((r) => r.days),
        [1, 7],
      );
      assert.deepEqual(
        view.hourRv.map((r) => r.days),
        [1, 7, 30, 90],
      );
      for (const row of [...view.minuteRv, ...view.hourRv]) {
        for (const result of Object.values(row.results)) {
          assert.ok(
            result.vol !== null && result.vol > 0.05 && result.vol < 3,
            `${row.periodMs} ${row.days}d ${result.estimator}: ${JSON.stringify(result)}`,
          );
        }
      }
      const hours = history.bars('BTC', HOUR_MS);
      assert.ok(hours[0]!.ts <= startedAt - 365 * 86_400_000, 'a year of hourly bars');
      assert.equal(history.view('ETH', startedAt), null, 'a coin not asked for has no view');
    });

    it('extends the minute and hour bars live from the venue price ticks', async () => {
      const door = session.engine.feed(venue)!.history!;
      // Checked inside the engine's listener, right after the history's own (it listened first).
      const seen = await new Promise<{ ts: number; price: number; minute: Bar; hour: Bar }>(
        (resolve) => {
          const off = session.engine.onEvent((event) => {
            const tick = door.priceTick(event);
            if (tick === null || tick.base !== 'BTC') return;
            off();
            resolve({
              ...tick,
              minute: history.bars('BTC', MINUTE_MS).at(-1)!,
              hour: history.bars('BTC', HOUR_MS).at(-1)!,
            });
          });
        },
      );
      assert.ok(seen.ts >= startedAt - 1000, 'a live tick');
      assert.equal(seen.minute.ts, Math.floor(seen.ts / MINUTE_MS) * MINUTE_MS);
      assert.equal(seen.minute.close, seen.price);
      assert.equal(seen.hour.ts, Math.floor(seen.ts / HOUR_MS) * HOUR_MS);
      assert.equal(seen.hour.close, seen.price);
    });

    it('gives VRP per constant maturity against the surface, IV rank where the venue has an implied index', async () => {
      const chain = await waitFor('a quoted BTC chain', () => {
        const c = session.engine.market
          .chains(venue)
          .find((x) => x.base === 'BTC' && x.rows.length > 4 && x.rows.every((r) => r.forward > 0));
        return c;
      });
      const now = session.engine.venueNow(venue);
      const surface = new SurfaceModel().surface(chain, now);
      const view = history.view('BTC', now, surface)!;
      assert.deepEqual(
        view.vrp.map((p) => p.days),
        surface.grid.rows.map((r) => r.days),
      );
      const month = view.vrp.find((p) => p.days === 30)!;
      assert.ok(month.atmIv !== null && month.rv !== null);
      assert.ok(Math.abs(month.vrp! - (month.atmIv - month.rv)) < 1e-15);
      if (venue === 'deribit') {
        await waitFor('a DVOL tick', () => session.engine.market.volatilityIndex('deribit', 'BTC'));
        const live = history.view('BTC', session.engine.venueNow(venue), surface)!;
        assert.equal(live.venueIndex?.kind, 'implied');
        assert.equal(
          live.venueIndex?.value,
          session.engine.market.volatilityIndex('deribit', 'BTC')!.value,
        );
        assert.ok(live.ivRank.rank !== null, JSON.stringify(live.ivRank));
        assert.ok(live.ivRank.count >= 360, `${live.ivRank.count} daily points`);
        assert.equal(live.ivRank.current, live.venueIndex?.value, 'the rank is of the live level');
        assert.match(live.ivRankSource, /DVOL/);
      } else {
        assert.equal(view.venueIndex?.kind, 'realized');
        assert.ok(view.venueIndex?.value !== null && view.venueIndex.value > 0);
        assert.equal(view.ivRank.rank, null);
        assert.match(view.ivRank.rank === null ? view.ivRank.reason : '', /no implied vol index/);
      }
    });
  });
}
