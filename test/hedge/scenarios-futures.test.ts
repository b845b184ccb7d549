// `hinst` over the sim (Deribit protocol, virtual clock): a dated future held by the trader is
// ignored by default, counted in the net after `hinst net` (the perpetual then offsets it),
// and `hinst <future>` moves the hedging itself into that future.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InstrumentSpec } from '../../src/instruments/types.js';
import type { SimExchange } from '../../src/sim/contract.js';
import { buildHedgerView } from '../../src/view/hedger-view.js';
import { openRig } from './support/rig.js';

/** The sim's dated BTC futures on Deribit, nearest first. */
function datedFutures(exchange: SimExchange): string[] {
  return exchange
    .instruments({ currency: 'BTC', kind: 'future' })
    .map((instrument) => instrument.spec)
    .sort((a, b) => expiryOf(a) - expiryOf(b))
    .map((spec) => spec.name);
}

function expiryOf(spec: InstrumentSpec): number {
  return spec.kind === 'option' ? spec.expiry : (spec.expiry ?? Infinity);
}

describe('the hedge instrument and the futures it counts (hinst)', () => {
  it('ignores other futures by default, offsets them after hinst net, hedges in a future after hinst <name>', async () => {
    // The feed follows the nearest future as a hedge, as `--hedge-instrument` would have it.
    const rig = await openRig({
      venue: 'deribit',
      seed: 21,
      hedgeInstruments: (exchange) => datedFutures(exchange).slice(0, 1),
    });
    try {
      const [future, unfollowed] = datedFutures(rig.exchange);
      assert.ok(future !== undefined && unfollowed !== undefined, 'the sim lists two futures');
      // $90,000 of the future: about +1 BTC, and no options.
      await rig.trade([{ instrument: future, side: 'buy', amount: 90_000 }]);
      assert.match(rig.hedger.activate(), /other BTC futures are ignored/);
      await rig.settle();
      assert.equal(rig.hedgeRequests().length, 0, 'the future is the trader’s own business');

      const answer = rig.hedger.set('inst', 'net');
      assert.match(answer, /^hedger instrument BTC-PERPETUAL, net of every BTC future held \(was /);
      await rig.settle();
      const hedges = rig.hedgeRequests();
      assert.equal(hedges.length, 1, JSON.stringify(hedges));
      const sold = hedges[0]!.request as { instrument: string; side: string; amount: number };
      assert.equal(sold.instrument, 'BTC-PERPETUAL');
      assert.equal(sold.side, 'sell');
      // The future's coins (its $90,000 over its mark, above spot in contango) in the
      // perpetual's USD: within a few $10 lots and the marks' moves meanwhile.
      // The feed asks no ticker of a future it does not hedge in: its position carries a mark.
      const mark = (name: string): number =>
        rig.engine.market.ticker('deribit', name)?.mark ??
        rig.engine.account.position('deribit', name)!.markPrice!;
      const expected = (90_000 / mark(future)) * mark('BTC-PERPETUAL');
      assert.ok(Math.abs(Number(sold.amount) - expected) < 100, `${sold.amount} vs ${expected}`);
      const { netUsd, bandUsd } = rig.hedger.state().measure;
      assert.ok(netUsd !== null && bandUsd !== null && Math.abs(netUsd) <= bandUsd);

      // Hedging moves into the future: a target of +0.5 BTC is bought there, not in the perp.
      assert.match(rig.hedger.set('inst', future), new RegExp(`^hedger instrument ${future}, net`));
      assert.match(rig.hedger.set('inst', 'BTC-NOPE'), /^instrument not changed: BTC-NOPE is not/);
      assert.match(
        rig.hedger.set('inst', unfollowed),
        new RegExp(`^instrument not changed: ${unfollowed} is not followed as a hedge`),
      );
      rig.hedger.set('target', '0.5');
      await rig.settle();
      const next = rig.hedgeRequests().slice(1);
      assert.equal(
        next.length,
        1,
        `${JSON.stringify(rig.reports.slice(-3))} ${rig.hedger.status()}`,
      );
      const bought = next[0]!.request as { instrument: string; side: string };
      assert.equal(bought.instrument, future);
      assert.equal(bought.side, 'buy');
      assert.match(rig.hedger.status(), new RegExp(future));
    } finally {
      await rig.close();
    }
  });

  it('per expiry: each expiry with a future is hedged in it, the rest in the perpetual, each bucket inside its band', async () => {
    const rig = await openRig({ venue: 'deribit', seed: 22, hedgeFutures: true });
    try {
      const registry = rig.engine.market.registry('deribit');
      const options = registry.optionsOf('BTC');
      const futures = [...registry.all()].filter((spec) => spec.kind === 'future');
      const withFuture = futures.find((future) =>
        options.some((option) => option.expiry === future.expiry),
      );
      assert.ok(withFuture !== undefined && withFuture.kind === 'future', 'an expiry with both');
      const without = options.find(
        (option) => !futures.some((future) => future.expiry === option.expiry),
      );
      assert.ok(without !== undefined, 'an option expiry with no future');
      const atm = (expiry: number): string => {
        const calls = options.filter((o) => o.expiry === expiry && o.type === 'call');
        const index = rig.engine.market.usdIndex('deribit', 'BTC')!.price;
        calls.sort((a, b) => Math.abs(a.strike - index) - Math.abs(b.strike - index));
        return calls[0]!.name;
      };
      const near = atm(withFuture.expiry!);
      const far = atm(without.expiry);
      await rig.trade([
        { instrument: near, side: 'buy', amount: 1 },
        { instrument: far, side: 'buy', amount: 1 },
      ]);
      assert.match(rig.hedger.set('inst', 'expiry'), /^hedger instrument per expiry: /);
      assert.match(rig.hedger.activate(), /^hedger ON/);
      await rig.settle();
      // A second pass: the first bucket's hedge had to reconcile before the other was decided.
      await rig.step(1_000);
      await rig.settle();
      const traded = rig.hedgeRequests().map((entry) => {
        const request = entry.request as { instrument: string; side: string };
        return `${request.side} ${request.instrument}`;
      });
      assert.ok(traded.includes(`sell ${withFuture.name}`), traded.join(', '));
      assert.ok(traded.includes('sell BTC-PERPETUAL'), traded.join(', '));
      const buckets = rig.hedger.state().buckets;
      assert.ok(buckets !== undefined && buckets.length === 2, JSON.stringify(buckets));
      for (const bucket of buckets) {
        assert.ok(bucket.netUsd !== null && bucket.bandUsd !== null, `${bucket.instrument} known`);
        assert.ok(Math.abs(bucket.netUsd) <= bucket.bandUsd, JSON.stringify(bucket));
      }
      const panel = buildHedgerView(rig.hedger.state(), 'settings')!.lines.join('\n');
      assert.match(panel, new RegExp(`per expiry: .*${withFuture.name} [+-]\\$\\d`));
    } finally {
      await rig.close();
    }
  });
});
