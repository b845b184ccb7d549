// A feed stall (the venue holds every notification, still answering requests and pings) on the
// real Deribit adapter, engine and read model: the header must stop saying `live` and show how
// long the streams have been quiet, and the index it shows must read as stale; both clear once
// data flows again.

import assert from 'node:assert/strict';
import { stripVTControlCharacters } from 'node:util';
import { describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import { MarketEngine } from '../../src/app/market-engine.js';
import { ReadModel } from '../../src/app/read-model.js';
import { DeribitFeed } from '../../src/feeds/deribit/feed.js';
import { startSim } from '../../src/sim/server.js';
import { Header } from '../../src/ui/header.js';
import type { HeaderView } from '../../src/view/types.js';
import { waitUntil } from '../support/wait.js';
import { FULL_VIEW } from './support/sim-screen.js';

function headerText(header: HeaderView): string {
  const app = render(<Header header={header} width={160} />);
  const text = stripVTControlCharacters(app.lastFrame() ?? '');
  app.unmount();
  return text;
}

describe('the header during a feed stall', () => {
  it('says stale with the age of the silence, and marks the index, until data flows again', async () => {
    // Notifications held for 3.5 s every 5 s; replies (and so the round trip) still flow. The
    // watchdog reports quiet streams after 1 s and would call them wedged only after 4 s.
    const sim = await startSim({
      seed: 4,
      currencies: ['BTC'],
      stepWallMs: 50,
      faults: { stallEverySec: 5, stallForSec: 3.5 },
    });
    const feed = new DeribitFeed({
      wsUrl: sim.urls.deribitWs,
      currencies: ['BTC'],
      staleAfterMs: 1_000,
      log: () => undefined,
    });
    const engine = new MarketEngine([feed]);
    const model = new ReadModel(engine, {
      venue: 'deribit',
      mode: 'SIM',
      currencies: ['BTC'],
      logPath: null,
    });
    const header = (): HeaderView => model.snapshot(FULL_VIEW, Date.now()).header;
    await engine.start();
    try {
      await waitUntil(
        'an index',
        () => header().index !== null && header().connection.state === 'live',
      );
      const before = headerText(header());
      assert.match(before, /DERIBIT live/);
      assert.doesNotMatch(before, /stale/);

      await waitUntil('the stall seen', () => header().connection.state === 'stale', 8_000);
      // Let the silence grow past a second so its age shows.
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      const stalled = header();
      assert.equal(stalled.connection.state, 'stale');
      assert.equal(stalled.indexStale, true);
      const quietFor = Date.now() - (stalled.connection.quietSince ?? Date.now());
      assert.ok(quietFor >= 1_500, `quiet for ${quietFor} ms`);
      const text = headerText(stalled);
      assert.doesNotMatch(text, /live/);
      assert.match(text, /DERIBIT stale [1-9]s/);
      assert.match(text, /idx [\d,.]+ stale/);
      assert.match(text, /quiet: .*ws tickers/);

      await waitUntil('live again', () => header().connection.state === 'live', 4_000);
      const after = header();
      assert.equal(after.indexStale, false);
      assert.doesNotMatch(headerText(after), /stale/);
    } finally {
      model.close();
      await engine.stop();
      await sim.close();
    }
  });
});
