// What a decision is given: the connection and account as the feed's events tell them, and
// the deltas, quotes and ages read from a live engine on the sim, in each delta source and
// convention, beside the venue's own figures and the positions panel's.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FeedEvent, FeedStatus } from '../../src/book/events.js';
import { ConnectionWatch, EngineInputs } from '../../src/hedge/engine-inputs.js';
import type { HedgeConfig } from '../../src/hedge/types.js';
import { buildPositionsView } from '../../src/view/positions-view.js';
import { openRig, type Rig } from './support/rig.js';
import { pickOption } from './support/scenario.js';

const LOOP = {
  inFlight: false,
  hedgesLastMinute: 0,
  consecutiveRejects: 0,
  unreflected: 0,
} as const;

function status(stream: string, state: FeedStatus, venue = 'deribit'): FeedEvent {
  return { kind: 'status', venue, ts: 0, stream, status: state };
}

function snapshot(venue = 'deribit'): FeedEvent {
  return { kind: 'account-snapshot', venue, ts: 0, orders: [], positions: [], balances: [] };
}

describe('connection watch', () => {
  it('a single socket: down from the loss, the account untrusted until its next snapshot', () => {
    const watch = new ConnectionWatch('deribit', true);
    assert.equal(watch.connected, true, 'a running feed whose first live was missed');
    watch.observe(status('ws', 'reconnecting'));
    assert.deepEqual([watch.connected, watch.accountLoaded], [false, false]);
    watch.observe(status('ws', 'connecting'));
    watch.observe(snapshot());
    assert.deepEqual([watch.connected, watch.accountLoaded], [false, true]);
    watch.observe(status('ws', 'live'));
    assert.deepEqual([watch.connected, watch.accountLoaded], [true, true]);
    // Health reports about streams are not the socket's state.
    assert.equal(watch.observe(status('ws', 'stale')), false);
    assert.equal(watch.observe(status('ws', 'reconnecting', 'bybit')), false);
    assert.equal(watch.connected, true);
  });

  it('several sockets: a market-data one lost leaves the account trusted; the private one does not', () => {
    const watch = new ConnectionWatch('bybit', false);
    assert.equal(watch.accountLoaded, false, 'nothing loaded yet');
    watch.observe(snapshot('bybit'));
    for (const stream of ['option', 'option-2', 'linear', 'private']) {
      watch.observe(status(stream, 'live', 'bybit'));
    }
    assert.deepEqual([watch.connected, watch.accountLoaded], [true, true]);
    watch.observe(status('linear', 'reconnecting', 'bybit'));
    assert.deepEqual([watch.connected, watch.accountLoaded], [false, true]);
    watch.observe(status('linear', 'live', 'bybit'));
    assert.deepEqual([watch.connected, watch.accountLoaded], [true, true]);
    watch.observe(status('private', 'reconnecting', 'bybit'));
    watch.observe(status('private', 'live', 'bybit'));
    assert.deepEqual([watch.connected, watch.accountLoaded], [true, false]);
    assert.equal(watch.observe(snapshot('bybit')), true);
    assert.equal(watch.accountLoaded, true);
  });
});

/** Fresh inputs listening to the rig's engine from now on. */
function listen(
  rig: Rig,
  config: Partial<HedgeConfig> = {},
  pricingNow?: () => number,
): EngineInputs {
  const inputs = new EngineInputs({
    config: { ...rig.config, ...config },
    market: rig.engine.market,
    account: rig.engine.account,
    ...(pricingNow === undefined ? {} : { pricingNow }),
  });
  rig.engine.onEvent((event) => inputs.observe(event, rig.clock.now()));
  return inputs;
}

describe('engine inputs on the venue’s clock (issue 16 #16)', () => {
  it('options are priced at the venue’s time, not the decision clock’s, which a fast sim outruns', async () => {
    const rig = await openRig({ venue: 'deribit', seed: 82 });
    try {
      const call = pickOption(rig.exchange, rig.simNow(), 'call', 1);
      await rig.trade([{ instrument: call, side: 'buy', amount: 0.5 }]);
      const venueTimed = listen(rig, {}, () => rig.simNow());
      const wallTimed = listen(rig);
      const expiry = rig.engine.market.registry('deribit').get(call)!.expiry!;
      const row = () =>
        rig.engine.market
          .chains('deribit')
          .find((chain) => chain.has(call))!
          .row(expiry)!;
      // The expiry's forward moves (as a ticker moves it): its greeks wait for a settle.
      const moveForward = (): void => {
        row().setVenueForward(row().forward * 1.0001);
        assert.equal(row().dirty, true);
      };
      // A machine clock a year past the sim's: every listed expiry has passed on it.
      const far = (): number => rig.simNow() + 365 * 86_400_000;
      await rig.step(2_000);
      moveForward();
      const priced = venueTimed.gather(far(), LOOP).optionsDelta;
      assert.ok(priced !== null && priced > 0.1 && priced < 0.5, `delta ${priced}`);
      assert.equal(row().dirty, false);
      // Priced on the decision clock instead (as before), the held call has no delta.
      moveForward();
      assert.equal(wallTimed.gather(far(), LOOP).optionsDelta, null);
    } finally {
      await rig.close();
    }
  });
});

describe('engine inputs on the sim', () => {
  it('Deribit: deltas by source and convention, the hedge view, ages', async () => {
    const rig = await openRig({ venue: 'deribit', seed: 81 });
    try {
      const call = pickOption(rig.exchange, rig.simNow(), 'call', 1);
      const put = pickOption(rig.exchange, rig.simNow(), 'put', 0.95);
      await rig.trade([
        { instrument: call, side: 'buy', amount: 0.3 },
        { instrument: put, side: 'sell', amount: 0.2 },
        { instrument: rig.hedgeInstrument, side: 'sell', amount: 5_000 },
      ]);
      const forward = listen(rig);
      const adjusted = listen(rig, { convention: 'premium-adjusted' });
      const venue = listen(rig, { deltaSource: 'venue' });
      // Listening began after the last quotes: none can be vouched for yet.
      assert.equal(forward.gather(rig.clock.now(), LOOP).optionsDelta, null);

      await rig.step(2_000);
      const now = rig.simNow();
      const inputs = forward.gather(now, LOOP);
      const totals = buildPositionsView(rig.engine.market, rig.engine.account, 'deribit')
        .totals[0]!;
      assert.ok(Math.abs(inputs.optionsDelta! - totals.optionDelta) < 1e-12, 'the panel agrees');
      assert.ok(Math.abs(inputs.hedgeDelta! - totals.hedgeDelta) < 1e-12);
      const perp = rig.engine.market.ticker('deribit', rig.hedgeInstrument)!;
      assert.ok(Math.abs(inputs.hedgeDelta! - -5_000 / perp.mark!) < 1e-12);

      const venueFigure = rig.engine.account
        .positions('deribit')
        .filter((position) => position.instrument !== rig.hedgeInstrument)
        .reduce((sum, position) => sum + (position.venueDelta ?? NaN), 0);
      assert.ok(Math.abs(venue.gather(now, LOOP).optionsDelta! - venueFigure) < 1e-12);
      // The venue's figure is premium-adjusted: ivtrade's own, so adjusted, lands beside it.
      const ours = adjusted.gather(now, LOOP).optionsDelta!;
      assert.ok(Math.abs(ours - venueFigure) < 2e-3, `${ours} vs the venue's ${venueFigure}`);
      assert.ok(ours < inputs.optionsDelta!, 'the premium held long lowers the delta');

      assert.equal(inputs.marketAgeMs, 0, 'quotes of this very step');
      assert.deepEqual(
        { ...inputs.hedge, bid: null, ask: null, mark: null, quoteTs: null },
        {
          name: 'BTC-PERPETUAL',
          sizeUnit: 'usd',
          lotSize: 10,
          minSize: 10,
          tickSize: 0.5,
          bid: null,
          ask: null,
          mark: null,
          quoteTs: null,
        },
      );
      assert.ok(inputs.hedge.bid! < inputs.hedge.ask!);
      assert.equal(inputs.hedge.mark, perp.mark);
      assert.equal(inputs.hedge.quoteTs, rig.simNow());
      assert.equal(inputs.indexUsd, rig.engine.market.index('deribit', 'BTC', 'USD')!.price);
      assert.equal(inputs.connected, true);
      assert.equal(inputs.accountLoaded, true);
      const later = forward.gather(now + 7_000, { ...LOOP, hedgesLastMinute: 2 });
      assert.equal(later.marketAgeMs, 7_000);
      assert.equal(later.hedgesLastMinute, 2);
      assert.ok(forward.moves(call) && forward.moves(rig.hedgeInstrument));
      assert.ok(!forward.moves(pickOption(rig.exchange, rig.simNow(), 'call', 1.1)), 'not held');
    } finally {
      await rig.close();
    }
  });

  it('Bybit: a linear hedge in coins, linear options the same in both conventions', async () => {
    const rig = await openRig({ venue: 'bybit', seed: 82 });
    try {
      const call = pickOption(rig.exchange, rig.simNow(), 'call', 1);
      await rig.trade([
        { instrument: call, side: 'buy', amount: 0.3 },
        { instrument: rig.hedgeInstrument, side: 'sell', amount: 0.05 },
      ]);
      const forward = listen(rig);
      const adjusted = listen(rig, { convention: 'premium-adjusted' });
      await rig.step(2_000);
      const inputs = forward.gather(rig.clock.now(), LOOP);
      assert.equal(inputs.optionsDelta, adjusted.gather(rig.clock.now(), LOOP).optionsDelta);
      assert.ok(inputs.optionsDelta! > 0.1 && inputs.optionsDelta! < 0.2);
      assert.equal(inputs.hedgeDelta, -0.05);
      assert.equal(inputs.hedge.sizeUnit, 'base');
      assert.equal(inputs.hedge.lotSize, 0.001);
      assert.ok(inputs.hedge.bid! < inputs.hedge.ask!);
      assert.ok(inputs.indexUsd! > 0);
    } finally {
      await rig.close();
    }
  });
});
