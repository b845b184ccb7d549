// The Bybit feed against the simulator with a manual clock: the paginated listing, every
// option's ticker into a MarketState that agrees with the sim's exchange, the hedge perpetual,
// watched books, trades, what reaches raw-frame listeners, and following books on request.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSim } from '../../../src/sim/server.js';
import {
  close,
  closeMark,
  feedTop,
  openSim,
  sameTop,
  simOptions,
  simTop,
  startFeed,
  VENUE,
  waitUntil,
  type FeedProbe,
} from './harness.js';

const HEDGE = 'BTCUSDT';
const PAGE = 40;
const IV_TOLERANCE = 2e-3;
const DAY_MS = 86_400_000;

/** True once every option's ticker in the feed says what the sim's ticker says now. */
function tickersAgree(sim: RunningSim, probe: FeedProbe): boolean {
  const exchange = sim.world.exchanges.bybit;
  return simOptions(sim).every((name) => {
    const mine = probe.tickers.get(name);
    const theirs = exchange.ticker(name);
    return (
      mine !== undefined &&
      theirs !== undefined &&
      close(mine.bid, theirs.bestBidPrice) &&
      close(mine.ask, theirs.bestAskPrice) &&
      closeMark(mine.mark, theirs.markPrice)
    );
  });
}

/** Two of the nearest-the-money options a week or more out: books worth watching. */
function liquidOptions(sim: RunningSim, count: number): string[] {
  const exchange = sim.world.exchanges.bybit;
  const now = exchange.now();
  return exchange
    .instruments({ kind: 'option' })
    .flatMap((instrument) => {
      const spec = instrument.spec;
      const ticker = exchange.ticker(spec.name);
      if (spec.kind !== 'option' || spec.expiry - now < 7 * 86_400_000) return [];
      const forward = ticker?.underlyingPrice ?? null;
      if (forward === null || ticker?.bestBidPrice === null || ticker?.bestAskPrice === null) {
        return [];
      }
      return [{ name: spec.name, distance: Math.abs(spec.strike - forward) }];
    })
    .sort((a, b) => a.distance - b.distance)
    .slice(0, count)
    .map((option) => option.name);
}

describe('bybit feed: market data', () => {
  let sim: RunningSim;
  let probe: FeedProbe;
  let watched: string[];
  let startedAt: number;

  before(async () => {
    sim = await openSim();
    startedAt = sim.world.exchanges.bybit.now();
    watched = liquidOptions(sim, 2);
    probe = await startFeed(sim, { books: watched, instrumentPageLimit: PAGE });
    for (let step = 0; step < 6; step++) sim.advance(1000);
    await waitUntil('every option ticker to agree with the sim', () => tickersAgree(sim, probe));
  });
  after(async () => {
    await probe.feed.stop();
    await sim.close();
  });

  it('lists every option and the hedge perpetual, read page by page', () => {
    const listed = sim.world.exchanges.bybit.instruments().map((i) => i.spec.name);
    assert.ok(listed.length > 4 * PAGE, `${listed.length} instruments: more than one page`);
    const added = probe.events.flatMap((e) => (e.kind === 'instrument-added' ? [e.spec.name] : []));
    assert.deepEqual([...added].sort(), [...listed].sort());
    assert.ok(added.includes(HEDGE));
    const registry = probe.market.registry(VENUE);
    assert.equal(registry.size, listed.length);
    assert.equal(registry.perpetualOf('BTC', 'USDT')?.name, HEDGE);
    const [status] = probe.statuses('instruments');
    assert.match(
      status?.detail ?? '',
      new RegExp(`${listed.length} listed: ${listed.length} added`),
    );
  });

  it('gives every option tops, IVs and greeks that match the sim exchange', () => {
    const exchange = sim.world.exchanges.bybit;
    probe.market.settle(exchange.now());
    const chain = probe.market.chain(VENUE, 'BTC', 'USDT');
    assert.ok(chain !== undefined);
    const names = simOptions(sim);
    let ivs = 0;
    for (const name of names) {
      const quote = chain.option(name);
      const ticker = exchange.ticker(name);
      assert.ok(quote !== undefined && ticker !== undefined, name);
      assert.ok(close(quote.bid, ticker.bestBidPrice), `${name} bid`);
      assert.ok(close(quote.ask, ticker.bestAskPrice), `${name} ask`);
      assert.ok(closeMark(quote.mark, ticker.markPrice), `${name} mark`);
      // An hour from expiry a deep option's time value is below the 4 decimals its mark
      // travels with: no IV can be read back from it, by us or anyone.
      if (quote.spec.expiry - exchange.now() < DAY_MS) continue;
      if (ticker.markIv === null || ticker.greeks === null) continue;
      ivs++;
      assert.ok(
        quote.markIv !== null && Math.abs(quote.markIv - ticker.markIv) < IV_TOLERANCE,
        `${name} mark IV ${quote.markIv} vs ${ticker.markIv}`,
      );
      for (const [mine, theirs, side] of [
        [quote.bidIv, ticker.bidIv, 'bid'],
        [quote.askIv, ticker.askIv, 'ask'],
      ] as const) {
        if (theirs === null) continue;
        assert.ok(
          mine !== null && Math.abs(mine - theirs) < IV_TOLERANCE,
          `${name} ${side} IV ${mine} vs ${theirs}`,
        );
      }
      assert.ok(
        quote.delta !== null && Math.abs(quote.delta - ticker.greeks.delta) < 5e-3,
        `${name} delta ${quote.delta} vs ${ticker.greeks.delta}`,
      );
      assert.ok(
        quote.vega !== null && close(quote.vega, ticker.greeks.vega, 2e-2),
        `${name} vega ${quote.vega} vs ${ticker.greeks.vega}`,
      );
    }
    assert.ok(ivs > names.length / 2, `${ivs} of ${names.length} options have a mark IV`);
  });

  it('keeps the venue IVs and greeks of each option ticker for comparison', () => {
    const exchange = sim.world.exchanges.bybit;
    for (const name of simOptions(sim)) {
      const mine = probe.tickers.get(name)!;
      const theirs = exchange.ticker(name)!;
      assert.ok(close(mine.venueIv.mark, theirs.markIv, 1e-3), `${name} venue mark IV`);
      assert.ok(close(mine.forward, theirs.underlyingPrice, 1e-6), `${name} forward`);
      if (theirs.greeks !== null && mine.venueGreeks !== null) {
        assert.ok(Math.abs(mine.venueGreeks.delta - theirs.greeks.delta) < 1e-6, name);
      }
    }
  });

  it('follows the hedge perpetual: top, mark and index, no IV', async () => {
    const exchange = sim.world.exchanges.bybit;
    await waitUntil('the perpetual book to match', () =>
      sameTop(feedTop(probe, HEDGE), simTop(sim, HEDGE)),
    );
    const ticker = probe.market.ticker(VENUE, HEDGE);
    const theirs = exchange.ticker(HEDGE);
    assert.ok(ticker !== undefined && theirs !== undefined);
    assert.ok(close(ticker.bid, theirs.bestBidPrice));
    assert.ok(close(ticker.ask, theirs.bestAskPrice));
    assert.ok(close(ticker.mark, theirs.markPrice, 1e-6));
    assert.ok(close(ticker.index, theirs.indexPrice, 1e-6));
    assert.equal(ticker.forward, null);
    assert.deepEqual(ticker.venueIv, { bid: null, ask: null, mark: null });
    assert.equal(ticker.venueGreeks, null);
  });

  it('builds the watched books to the sim top, and no others', async () => {
    await waitUntil('the watched books to match the sim', () =>
      watched.every((name) => sameTop(feedTop(probe, name), simTop(sim, name))),
    );
    const booked = new Set(
      probe.events.flatMap((e) => (e.kind === 'book-snapshot' ? [e.instrument] : [])),
    );
    assert.deepEqual([...booked].sort(), [...watched, HEDGE].sort());
  });

  it('passes on every option trade printed since it started, named by contract', async () => {
    const exchange = sim.world.exchanges.bybit;
    const tape = exchange
      .instruments({ kind: 'option' })
      .flatMap((i) => exchange.recentTrades(i.spec.name, 1000))
      .filter((trade) => trade.ts > startedAt);
    const trades = (): string[] =>
      probe.events.flatMap((e) => (e.kind === 'trade' ? [e.tradeId] : []));
    await waitUntil('the trades', () => trades().length >= tape.length);
    assert.deepEqual(trades().sort(), tape.map((t) => t.tradeId).sort());
    for (const event of probe.events) {
      if (event.kind !== 'trade') continue;
      const print = tape.find((t) => t.tradeId === event.tradeId)!;
      assert.equal(event.instrument, print.instrument);
      assert.ok(close(event.price, print.price));
    }
  });

  it('hands raw public frames to raw listeners, counted, never a private one', () => {
    const streams = new Set(probe.raw.map((r) => r.stream));
    assert.deepEqual([...streams].sort(), ['linear', 'option']);
    const counters = probe.feed.counters();
    assert.equal(counters.messages, probe.raw.length);
    assert.deepEqual(
      { malformed: counters.malformed, gaps: counters.gaps, reconnects: counters.reconnects },
      { malformed: 0, gaps: 0, reconnects: 0 },
    );
  });

  it('follows a book on request, and stops following it', async () => {
    const [extra] = liquidOptions(sim, 3).filter((name) => !watched.includes(name));
    assert.ok(extra !== undefined);
    await probe.feed.watchBooks([extra]);
    await waitUntil('the new book to match the sim', () =>
      sameTop(feedTop(probe, extra), simTop(sim, extra)),
    );
    await probe.feed.unwatchBooks([extra]);
    const before = probe.events.filter(
      (e) => (e.kind === 'book-delta' || e.kind === 'book-snapshot') && e.instrument === extra,
    ).length;
    for (let step = 0; step < 5; step++) sim.advance(1000);
    await waitUntil('tickers to catch up', () => tickersAgree(sim, probe));
    const afterCount = probe.events.filter(
      (e) => (e.kind === 'book-delta' || e.kind === 'book-snapshot') && e.instrument === extra,
    ).length;
    assert.equal(afterCount, before);
  });
});
