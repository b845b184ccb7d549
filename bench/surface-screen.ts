// `node dist/bench/surface-screen.js [--json]`: what the screen pays for issue 18 per refresh.
// On the sim's BTC chain (Deribit protocol over loopback, the real feed and engine): the
// SurfaceModel's fit of the whole chain (warm-started, as the screen refits once a second; and
// cold), the vol history's view (RV tables and VRP) and the surface view built and laid out.
// Budgets, reported, never failed.

import { parseArgs } from 'node:util';
import { fitCoinSurface } from '../src/app/surface-model.js';
import { MarketEngine } from '../src/app/market-engine.js';
import { openFeeds } from '../src/app/venue-feeds.js';
import { VolHistory } from '../src/app/vol-history.js';
import { surfaceScreenLines } from '../src/ui/surface-screen.js';
import { buildSurfaceScreen } from '../src/view/surface-view.js';
import { medianMs as ms } from './timing.js';
import { sleep } from './wait.js';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false } } });
  const opened = await openFeeds({
    venue: 'sim',
    currencies: ['BTC'],
    testnet: false,
    urlOverrides: [],
    books: [],
    private: false,
    simVenues: ['deribit'],
    sim: { seed: 3, speed: 1 },
  });
  const engine = new MarketEngine(opened.feeds);
  await engine.start();
  try {
    await sleep(2_000);
    const chain = engine.market.chain('deribit', 'BTC', 'BTC')!;
    const t0 = process.hrtime.bigint();
    const history = new VolHistory(engine, 'deribit', ['BTC']);
    stopHistory = () => history.stop();
    await history.start(engine.venueNow('deribit'));
    const historyMs = Number(process.hrtime.bigint() - t0) / 1e6;
    // The feed keeps ticking: stop it so every repetition fits the same chain.
    await engine.stop();
    const now = engine.venueNow('deribit');
    let last = fitCoinSurface(chain, now);
    const warmMs = ms(() => {
      last = fitCoinSurface(chain, now, {}, last.fit);
    }, 21);
    const coldMs = ms(() => fitCoinSurface(chain, now), 21);
    const viewMs = ms(() => history.view('BTC', now + Math.random() * 1e9, last), 11);
    const vol = history.view('BTC', now, last);
    const screenMs = ms(() => {
      surfaceScreenLines(buildSurfaceScreen(last, vol, 'delta', null), 140, 30);
    }, 51);
    const rows = [
      { what: 'options / expiries', value: `${chain.options.length} / ${chain.rows.length}` },
      { what: 'fit of the chain, warm (ms, median)', value: warmMs.toFixed(2) },
      { what: 'fit of the chain, cold (ms, median)', value: coldMs.toFixed(2) },
      {
        what: 'vol history load: 7 d minutes, 366 d hours, 366 d DVOL (ms)',
        value: historyMs.toFixed(0),
      },
      { what: 'vol history view: RV tables + VRP (ms, median)', value: viewMs.toFixed(2) },
      { what: 'surface view built and laid out, 140×30 (ms, median)', value: screenMs.toFixed(2) },
    ];
    if (values.json) console.log(JSON.stringify(rows));
    else for (const r of rows) console.log(`${r.what.padEnd(64)} ${r.value}`);
  } finally {
    stopHistory();
    await opened.close();
  }
}

let stopHistory = (): void => undefined;

await main();
