import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TickerEvent } from '../../src/book/events.js';
import { computeTickerAnalytics, IvMemory } from '../../src/book/ticker-analytics.js';
import type { OptionContract } from '../../src/instruments/types.js';
import { black76Greeks, black76Price, yearFraction } from '../../src/pricing/index.js';

const NOW = Date.UTC(2024, 0, 2, 8);
const EXPIRY = Date.UTC(2024, 2, 29, 8);
const FORWARD = 42_000;

function contract(settlement: OptionContract['settlement']): OptionContract {
  return {
    name: 'TEST',
    base: 'BTC',
    quote: settlement === 'inverse' ? 'BTC' : 'USDC',
    settlement,
    expiry: EXPIRY,
    strike: 45_000,
    type: 'call',
  };
}

/** A ticker whose bid, ask and mark are Black-76 prices at known vols. */
function ticker(settlement: OptionContract['settlement'], vols: [number, number, number]) {
  const years = yearFraction(NOW, EXPIRY);
  const [bid, ask, mark] = vols.map((vol) => {
    const usd = black76Price(FORWARD, 45_000, years, vol, 'call');
    return settlement === 'inverse' ? usd / FORWARD : usd;
  });
  const event: TickerEvent = {
    kind: 'ticker',
    venue: 'test',
    instrument: 'TEST',
    ts: NOW,
    bid: bid ?? null,
    bidSize: 1,
    ask: ask ?? null,
    askSize: 1,
    mark: mark ?? null,
    index: FORWARD,
    forward: FORWARD,
    venueIv: { bid: null, ask: null, mark: null },
    venueGreeks: null,
  };
  return event;
}

describe('computeTickerAnalytics', () => {
  for (const settlement of ['inverse', 'linear'] as const) {
    it(`recovers the vols behind ${settlement} premiums and takes greeks at the mark`, () => {
      const ours = computeTickerAnalytics(
        ticker(settlement, [0.5, 0.7, 0.6]),
        contract(settlement),
      );
      assert.ok(Math.abs((ours.bidIv ?? NaN) - 0.5) < 1e-9);
      assert.ok(Math.abs((ours.askIv ?? NaN) - 0.7) < 1e-9);
      assert.ok(Math.abs((ours.markIv ?? NaN) - 0.6) < 1e-9);
      const greeks = black76Greeks(
        FORWARD,
        45_000,
        yearFraction(NOW, EXPIRY),
        ours.markIv ?? NaN,
        'call',
      );
      assert.deepEqual(
        [ours.delta, ours.gamma, ours.vega, ours.theta],
        [greeks.delta, greeks.gamma, greeks.vega, greeks.theta],
      );
    });
  }

  it('gives null for a missing side, and no greeks without a mark IV', () => {
    const event = { ...ticker('inverse', [0.5, 0.7, 0.6]), bid: null, mark: null };
    const ours = computeTickerAnalytics(event, contract('inverse'));
    assert.equal(ours.bidIv, null);
    assert.ok(ours.askIv !== null);
    assert.deepEqual(
      [ours.markIv, ours.delta, ours.gamma, ours.vega, ours.theta],
      [null, null, null, null, null],
    );
  });

  it('gives null where no vol explains the price, or there is no forward or no time', () => {
    const belowIntrinsic = { ...ticker('linear', [0.5, 0.7, 0.6]), bid: 0, ask: 1e9 };
    const ours = computeTickerAnalytics(belowIntrinsic, contract('linear'));
    assert.equal(ours.askIv, null);
    assert.ok(ours.markIv !== null);
    const noForward = { ...ticker('linear', [0.5, 0.7, 0.6]), forward: null };
    assert.equal(computeTickerAnalytics(noForward, contract('linear')).markIv, null);
    const expired = { ...ticker('linear', [0.5, 0.7, 0.6]), ts: EXPIRY + 1 };
    assert.equal(computeTickerAnalytics(expired, contract('linear')).markIv, null);
  });

  it('fills and returns the object it is given', () => {
    const into = computeTickerAnalytics(ticker('linear', [0.5, 0.7, 0.6]), contract('linear'));
    const again = computeTickerAnalytics(
      { ...ticker('linear', [0.5, 0.7, 0.6]), forward: null },
      contract('linear'),
      into,
    );
    assert.equal(again, into);
    assert.equal(into.markIv, null);
    assert.equal(into.delta, null);
  });
});

describe('computeTickerAnalytics with a memory of the last IVs', () => {
  it('gives what a solve from scratch gives, quote after quote, and remembers a missing side', () => {
    const memory = new IvMemory();
    const spec = contract('inverse');
    let vols: [number, number, number] = [0.55, 0.6, 0.575];
    for (let step = 0; step < 40; step += 1) {
      // The market walks: a few hundredths of a vol point a quote, now and then a jump.
      const move = step % 10 === 9 ? 0.08 : 0.0003 * Math.sin(step);
      vols = [vols[0] + move, vols[1] + move, vols[2] + move];
      const event = ticker('inverse', vols);
      const quote = step % 7 === 3 ? { ...event, bid: null } : event;
      const warm = computeTickerAnalytics(quote, spec, undefined, memory);
      const cold = computeTickerAnalytics(quote, spec);
      for (const key of ['bidIv', 'askIv', 'markIv', 'delta', 'vega'] as const) {
        const [a, b] = [warm[key], cold[key]];
        if (a === null || b === null) assert.equal(a, b, `${step} ${key}`);
        else assert.ok(Math.abs(a - b) <= 1e-12 * Math.abs(b), `${step} ${key}: ${a} vs ${b}`);
      }
      assert.deepEqual(
        [...memory.of('TEST')].map((v) => (Number.isNaN(v) ? null : v)),
        [warm.bidIv, warm.askIv, warm.markIv],
      );
    }
  });
});
