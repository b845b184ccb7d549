// A coin whose Deribit options are USDC-linear (SOL): the feed lists it from the shared USDC
// listing without the other coins there, follows its `sol_usdc` index and its
// SOL_USDC-PERPETUAL, asks no DVOL of it, and trades it on the USDC account.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FillEvent, PositionEvent } from '../../../src/book/events.js';
import type { OrderApi } from '../../../src/feeds/feed.js';
import type { RunningSim } from '../../../src/sim/server.js';
import {
  credentialsOf,
  openSim,
  simOptions,
  startFeed,
  VENUE,
  waitUntil,
  type FeedProbe,
} from './harness.js';

describe('deribit feed: a USDC-linear coin beside an inverse one', () => {
  let sim: RunningSim;
  let probe: FeedProbe;
  let orders: OrderApi;

  before(async () => {
    // The sim lists ETH too: its contracts must stay out of a feed that follows BTC and SOL.
    sim = await openSim({ currencies: ['BTC', 'ETH', 'SOL'] });
    probe = await startFeed(sim, {
      currencies: ['BTC', 'SOL'],
      credentials: credentialsOf(sim),
      volatilityIndex: true,
    });
    assert.ok(probe.feed.orders !== null);
    orders = probe.feed.orders;
    for (let step = 0; step < 3; step++) sim.advance(1000);
    await waitUntil('both indices and DVOL', () =>
      ['BTC/USD', 'SOL/USDC'].every((pair) => {
        const [base, quote] = pair.split('/') as [string, string];
        return probe.market.index(VENUE, base, quote) !== undefined;
      }),
    );
  });
  after(async () => {
    await probe.feed.stop();
    await sim.close();
  });

  it("lists the coin's linear options and perpetual, and nothing of a coin not followed", () => {
    const registry = probe.market.registry(VENUE);
    const names = [...registry.all()].map((spec) => spec.name);
    const sol = simOptions(sim, 'SOL');
    assert.ok(sol.length > 50, `${sol.length} SOL options`);
    assert.ok(sol.every((name) => name.startsWith('SOL_USDC-')));
    for (const name of sol) assert.ok(registry.get(name) !== undefined, name);
    assert.ok(registry.get('SOL_USDC-PERPETUAL') !== undefined);
    assert.ok(simOptions(sim, 'BTC').every((name) => registry.get(name) !== undefined));
    assert.deepEqual(
      names.filter((name) => name.startsWith('ETH')),
      [],
    );
    const option = registry.option(sol[0]!)!;
    assert.equal(option.settlement, 'linear');
    assert.equal(option.quote, 'USDC');
    assert.equal(option.settleCurrency, 'USDC');
    assert.equal(option.contractSize, 10);
    assert.equal(option.lotSize, 10);
  });

  it('follows the sol_usdc index and DVOL of the inverse coin only', () => {
    const sol = probe.market.index(VENUE, 'SOL', 'USDC');
    assert.ok(sol !== undefined && sol.price > 0);
    assert.equal(probe.market.usdIndex(VENUE, 'SOL')?.price, sol.price);
    assert.equal(probe.market.index(VENUE, 'SOL', 'USD'), undefined);
    const vol = probe.events.filter((event) => event.kind === 'volatility-index');
    assert.ok(vol.length > 0, 'no DVOL at all');
    assert.deepEqual([...new Set(vol.map((event) => event.base))], ['BTC']);
  });

  it('hedges with SOL_USDC-PERPETUAL and reads the USDC account', () => {
    const hedgeTops = probe.rawFrames.filter((frame) =>
      frame.includes('"book.SOL_USDC-PERPETUAL.none.1.100ms"'),
    );
    assert.ok(hedgeTops.length > 0, 'no top of the SOL perpetual');
    const snapshot = probe.events.find((event) => event.kind === 'account-snapshot');
    assert.ok(snapshot?.kind === 'account-snapshot');
    assert.deepEqual(snapshot.balances.map((balance) => balance.currency).sort(), ['BTC', 'USDC']);
    const usdc = snapshot.balances.find((balance) => balance.currency === 'USDC');
    assert.equal(usdc?.equity, 250_000);
  });

  it('buys a SOL option in coins, a multiple of its contract, and the position streams', async () => {
    const exchange = sim.world.exchanges.deribit;
    const option = simOptions(sim, 'SOL').find(
      (name) => (exchange.ticker(name)?.bestAskPrice ?? null) !== null,
    );
    assert.ok(option !== undefined);
    const mark = probe.events.length;
    const bought = await orders.place({
      instrument: option,
      side: 'buy',
      kind: 'market',
      amount: '20',
      label: 'sol-buy',
    });
    assert.equal(bought.order.status, 'filled');
    await waitUntil('its position', () =>
      probe.events.slice(mark).some((e) => e.kind === 'position' && e.instrument === option),
    );
    const streamed = probe.events.slice(mark);
    const position = streamed.findLast(
      (e): e is PositionEvent => e.kind === 'position' && e.instrument === option,
    );
    assert.equal(position?.size, 20);
    const fills = streamed.filter(
      (e): e is FillEvent => e.kind === 'fill' && e.orderId === bought.order.orderId,
    );
    assert.equal(
      fills.reduce((sum, fill) => sum + fill.size, 0),
      20,
    );
    await waitUntil('the USDC balance after the premium', () =>
      probe.events
        .slice(mark)
        .some((e) => e.kind === 'balance' && e.currency === 'USDC' && e.equity < 250_000),
    );
  });
});
