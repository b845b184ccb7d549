// The Deribit feed against the simulator on loopback: the listing, every option's ticker into
// a live chain with ivtrade's own IVs and greeks, books, the index, the hedge instrument.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InstrumentAddedEvent } from '../../../src/book/events.js';
import type { RunningSim } from '../../../src/sim/server.js';
import {
  feedTop,
  openSim,
  simOptions,
  simTop,
  startFeed,
  tickersCaughtUp,
  VENUE,
  waitUntil,
  type FeedProbe,
} from './harness.js';

describe('deribit feed: market data', () => {
  let sim: RunningSim;
  let probe: FeedProbe;
  let watched: string;

  before(async () => {
    sim = await openSim();
    // The option nearest the money a week or more out: a book with both sides.
    watched = nearMoneyOption(sim);
    probe = await startFeed(sim, { books: [watched] });
    sim.advance(1000);
    await waitUntil('every option ticker', () => tickersCaughtUp(sim, probe));
  });
  after(async () => {
    await probe.feed.stop();
    await sim.close();
  });

  it('loads the listing: every option, the futures and the perpetual, as added', () => {
    const added = probe.events.filter(
      (event): event is InstrumentAddedEvent => event.kind === 'instrument-added',
    );
    const listed = sim.world.exchanges.deribit.instruments({ currency: 'BTC' });
    assert.deepEqual(
      added.map((event) => event.spec.name).sort(),
      listed.map((instrument) => instrument.spec.name).sort(),
    );
    assert.ok(added.some((event) => event.spec.kind === 'perpetual'));
    assert.ok(added.some((event) => event.spec.kind === 'future'));
    const status = probe.statuses('instruments');
    assert.equal(status.length, 1);
    assert.match(status[0]?.detail ?? '', new RegExp(`${listed.length} added, 0 removed`));
  });

  it('gives every option tops, IVs and greeks matching the sim exchange', () => {
    probe.market.settle(sim.world.exchanges.deribit.now());
    const chain = probe.market.chain(VENUE, 'BTC', 'BTC');
    assert.ok(chain !== undefined);
    const exchange = sim.world.exchanges.deribit;
    const options = simOptions(sim);
    assert.ok(options.length > 100, `${options.length} options`);
    let withIv = 0;
    for (const name of options) {
      const quote = chain.option(name);
      const truth = exchange.ticker(name);
      assert.ok(quote !== undefined && truth !== undefined, name);
      assert.equal(quote.bid, truth.bestBidPrice, `${name} bid`);
      assert.equal(quote.ask, truth.bestAskPrice, `${name} ask`);
      if (truth.bestBidPrice !== null) assert.equal(quote.bidSize, truth.bestBidAmount);
      if (truth.bestAskPrice !== null) assert.equal(quote.askSize, truth.bestAskAmount);
      assert.ok(Math.abs((quote.mark ?? NaN) - truth.markPrice) < 1e-8, `${name} mark`);
      // Where a vol point is worth under a dollar (deep in the money, hours to expiry), the
      // price's last published digit moves the IV by whole points: nothing to compare there.
      if (truth.markIv === null || truth.greeks === null || truth.greeks.vega < 1) continue;
      withIv += 1;
      // Published prices are rounded (8 decimals of a coin, forward to the cent), so
      // ivtrade's own solve lands near the sim's, not on it.
      assert.ok(Math.abs((quote.markIv ?? NaN) - truth.markIv) < 2e-3, `${name} mark IV`);
      assert.ok(Math.abs((quote.delta ?? NaN) - truth.greeks.delta) < 2e-3, `${name} delta`);
      assert.ok(quote.gamma !== null && quote.vega !== null && quote.theta !== null, name);
      if (truth.bidIv !== null && truth.bestBidPrice !== null) {
        assert.ok(Math.abs((quote.bidIv ?? NaN) - truth.bidIv) < 5e-3, `${name} bid IV`);
      }
      if (truth.askIv !== null && truth.bestAskPrice !== null) {
        assert.ok(Math.abs((quote.askIv ?? NaN) - truth.askIv) < 5e-3, `${name} ask IV`);
      }
    }
    assert.ok(withIv > options.length * 0.6, `${withIv} of ${options.length} with IVs`);
  });

  it('follows the watched book to the sim top, and the index and the hedge perpetual', async () => {
    sim.advance(1000);
    await waitUntil('tickers', () => tickersCaughtUp(sim, probe));
    assert.deepEqual(feedTop(probe, watched), simTop(sim, watched));
    const exchange = sim.world.exchanges.deribit;
    const index = probe.market.index(VENUE, 'BTC', 'USD');
    assert.ok(index !== undefined);
    assert.ok(Math.abs(index.price - exchange.indexPrice('BTC')) < 0.01);
    const perpetual = probe.market.ticker(VENUE, 'BTC-PERPETUAL');
    assert.ok(perpetual !== undefined);
    assert.equal(perpetual.forward, null);
    assert.equal(perpetual.venueGreeks, null);
    assert.deepEqual(perpetual.venueIv, { bid: null, ask: null, mark: null });
    // The grouped one-level book gives the perpetual's top.
    await waitUntil(
      'perpetual top',
      () => probe.market.books.get(VENUE, 'BTC-PERPETUAL') !== undefined,
    );
    assert.deepEqual(feedTop(probe, 'BTC-PERPETUAL'), simTop(sim, 'BTC-PERPETUAL'));
  });

  it('records public frames only, and counts every frame', () => {
    assert.ok(probe.rawFrames.length > 100);
    for (const frame of probe.rawFrames) {
      const message = JSON.parse(frame) as {
        method?: string;
        id?: number;
        params?: { channel?: string };
      };
      assert.equal(message.method, 'subscription');
      assert.equal(message.id, undefined);
      assert.ok(!String(message.params?.channel).startsWith('user.'));
    }
    const counters = probe.feed.counters();
    assert.ok(counters.messages > probe.rawFrames.length, 'replies and heartbeats count as frames');
    assert.deepEqual(
      { malformed: counters.malformed, gaps: counters.gaps, reconnects: counters.reconnects },
      { malformed: 0, gaps: 0, reconnects: 0 },
    );
    assert.equal(probe.feed.orders, null, 'no order entry without credentials');
  });

  it('follows a book on request, and stops following it', async () => {
    const other = simOptions(sim).find(
      (name) => name !== watched && sim.world.exchanges.deribit.ticker(name)?.bestAskPrice !== null,
    );
    assert.ok(other !== undefined);
    await probe.feed.watchBooks([other]);
    await waitUntil('its snapshot', () => probe.market.books.get(VENUE, other)?.state === 'live');
    assert.deepEqual(feedTop(probe, other), simTop(sim, other));
    await probe.feed.unwatchBooks([other]);
    const before = probe.events.length;
    for (let step = 0; step < 5; step++) sim.advance(1000);
    await waitUntil('tickers', () => tickersCaughtUp(sim, probe));
    const later = probe.events.slice(before);
    assert.ok(
      !later.some(
        (event) =>
          (event.kind === 'book-delta' || event.kind === 'book-snapshot') &&
          event.instrument === other,
      ),
      'no book update after unwatching',
    );
  });
});

/** The BTC option a week or more out whose delta is nearest 0.5, with a two-sided book. */
function nearMoneyOption(sim: RunningSim): string {
  const exchange = sim.world.exchanges.deribit;
  const weekOut = exchange.now() + 7 * 86_400_000;
  let best: { name: string; distance: number } | null = null;
  for (const instrument of exchange.instruments({ currency: 'BTC', kind: 'option' })) {
    const spec = instrument.spec;
    const ticker = exchange.ticker(spec.name);
    if ((spec.expiry ?? 0) < weekOut || ticker?.greeks === undefined || ticker.greeks === null)
      continue;
    if (ticker.bestBidPrice === null || ticker.bestAskPrice === null) continue;
    const distance = Math.abs(ticker.greeks.delta - 0.5);
    if (best === null || distance < best.distance) best = { name: spec.name, distance };
  }
  assert.ok(best !== null);
  return best.name;
}
