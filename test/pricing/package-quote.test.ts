// A package's quote against independent arithmetic: a straddle priced at one vol has that
// vol back as its package IV, its greeks are the sums of its legs', and a package of mixed
// signs (a spread) has no single vol.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { black76Greeks, black76Price } from '../../src/pricing/black76.js';
import { packageQuote, packageVol, type PackageLegQuote } from '../../src/pricing/package-quote.js';

const F = 90_000;
const T = 30 / 365;

function leg(strike: number, type: 'call' | 'put', ratio: number, vol: number): PackageLegQuote {
  const usd = black76Price(F, strike, T, vol, type);
  const greeks = black76Greeks(F, strike, T, vol, type);
  const coin = usd / F;
  return {
    ratio,
    bid: coin * 0.98,
    ask: coin * 1.02,
    mark: coin,
    delta: greeks.delta,
    gamma: greeks.gamma,
    vega: greeks.vega,
    theta: greeks.theta,
    forward: F,
    years: T,
    strike,
    type,
    style: 'inverse',
  };
}

describe('packageQuote', () => {
  it("a straddle's package IV is the vol both legs were priced at", () => {
    const legs = [leg(90_000, 'call', 1, 0.55), leg(90_000, 'put', 1, 0.55)];
    const quote = packageQuote(legs);
    assert.ok(quote.markIv !== null && Math.abs(quote.markIv - 0.55) < 1e-7, String(quote.markIv));
    assert.ok(quote.bidIv! < quote.markIv && quote.markIv < quote.askIv!);
    assert.ok(Math.abs(quote.mark! - (legs[0]!.mark! + legs[1]!.mark!)) < 1e-15);
    // Its delta is the call's less the put's magnitude; its vega twice one leg's.
    assert.ok(Math.abs(quote.delta! - (legs[0]!.delta! + legs[1]!.delta!)) < 1e-12);
    assert.ok(Math.abs(quote.delta!) < 0.1);
    assert.ok(Math.abs(quote.vega! - 2 * legs[0]!.vega!) < 1e-9);
  });

  it("buying pays the legs' asks for bought legs and their bids for sold ones", () => {
    const legs = [leg(90_000, 'call', 1, 0.55), leg(100_000, 'call', -1, 0.52)];
    const quote = packageQuote(legs);
    assert.equal(quote.ask, legs[0]!.ask! - legs[1]!.bid!);
    assert.equal(quote.bid, legs[0]!.bid! - legs[1]!.ask!);
    assert.equal(quote.markIv, null);
    assert.equal(packageVol(legs, quote.mark), null);
    assert.ok(Math.abs(quote.delta! - (legs[0]!.delta! - legs[1]!.delta!)) < 1e-12);
  });

  it('a leg with no quote leaves the package with none', () => {
    const legs = [leg(90_000, 'call', 1, 0.55), { ...leg(90_000, 'put', 1, 0.55), ask: null }];
    const quote = packageQuote(legs);
    assert.equal(quote.ask, null);
    assert.equal(quote.askIv, null);
    assert.notEqual(quote.bid, null);
  });
});
