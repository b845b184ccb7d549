// The hedger's decision, rule by rule and in its order of precedence: off after repeated
// rejections, pause on anything missing, stale or unsafe, wait while an order is in flight,
// nothing inside the band, else an order that brings the net closest to zero in whole lots,
// capped, on the right side, at the touch plus the cap.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_HEDGE_CONFIG } from '../../src/hedge/config.js';
import { decide, measure } from '../../src/hedge/decide.js';
import type {
  HedgeConfig,
  HedgeDecision,
  HedgeInputs,
  HedgeInstrumentView,
} from '../../src/hedge/types.js';

const NOW = Date.UTC(2026, 10, 20, 7, 0);
const INDEX = 90_000;
/** 0.25 % of $90,000. */
const BAND = 225;

const PERPETUAL: HedgeInstrumentView = {
  name: 'BTC-PERPETUAL',
  sizeUnit: 'usd',
  lotSize: 10,
  minSize: 10,
  tickSize: 0.5,
  bid: 89_999.5,
  ask: 90_000,
  mark: 90_000,
  quoteTs: NOW - 100,
};

const LINEAR: HedgeInstrumentView = {
  name: 'BTCUSDT',
  sizeUnit: 'base',
  lotSize: 0.001,
  minSize: 0.001,
  tickSize: 0.1,
  bid: 89_999.9,
  ask: 90_000,
  mark: 90_000,
  quoteTs: NOW - 100,
};

const DERIBIT = DEFAULT_HEDGE_CONFIG('deribit', 'BTC', 'BTC-PERPETUAL');
const BYBIT = DEFAULT_HEDGE_CONFIG('bybit', 'BTC', 'BTCUSDT');

type Over = Partial<Omit<HedgeInputs, 'hedge'>> & { hedge?: Partial<HedgeInstrumentView> };

function inputs(over: Over = {}, base: HedgeInstrumentView = PERPETUAL): HedgeInputs {
  const { hedge, ...rest } = over;
  return {
    now: NOW,
    optionsDelta: 0,
    hedgeDelta: 0,
    hedgeUnreflected: 0,
    indexUsd: INDEX,
    marketAgeMs: 500,
    connected: true,
    accountLoaded: true,
    inFlight: false,
    hedgesLastMinute: 0,
    consecutiveRejects: 0,
    ...rest,
    hedge: { ...base, ...hedge },
  };
}

function config(over: Partial<HedgeConfig> = {}, base = DERIBIT): HedgeConfig {
  return { ...base, ...over };
}

type Hedge = Extract<HedgeDecision, { action: 'hedge' }>;

function hedgeOf(decision: HedgeDecision): Hedge {
  assert.equal(decision.action, 'hedge', decision.reason);
  return decision;
}

function expectAction(decision: HedgeDecision, action: HedgeDecision['action'], reason: RegExp) {
  assert.equal(decision.action, action, decision.reason);
  assert.match(decision.reason, reason);
}

describe('decide: off', () => {
  it('switches off at the third rejection in a row, before anything else is looked at', () => {
    const broken = inputs({ consecutiveRejects: 3, connected: false, optionsDelta: null });
    expectAction(decide(broken, DERIBIT), 'off', /3 hedge orders rejected in a row/);
    expectAction(decide(inputs({ consecutiveRejects: 5 }), DERIBIT), 'off', /5 /);
  });

  it('stays on below the limit, and honours a configured limit', () => {
    const twice = inputs({ consecutiveRejects: 2, optionsDelta: 0.1 });
    assert.equal(decide(twice, DERIBIT).action, 'hedge');
    assert.equal(decide(twice, config({ maxConsecutiveRejects: 2 })).action, 'off');
  });
});

describe('decide: pause', () => {
  const outside: Over = { optionsDelta: 0.5 };

  // In order of precedence: each fault, applied with every later one, is the reason given.
  const faults: readonly { name: string; over: Over; reason: RegExp }[] = [
    { name: 'disconnected', over: { connected: false }, reason: /^disconnected$/ },
    { name: 'account not loaded', over: { accountLoaded: false }, reason: /account snapshot/ },
    {
      name: 'options delta unknown',
      over: { optionsDelta: null },
      reason: /options delta unknown/,
    },
    {
      name: 'hedge delta unknown',
      over: { hedgeDelta: null },
      reason: /BTC-PERPETUAL position delta unknown/,
    },
    { name: 'index unknown', over: { indexUsd: null }, reason: /BTC index unknown/ },
    {
      name: 'option data stale',
      over: { marketAgeMs: 10_001 },
      reason: /option data stale: 10\.0 s old \(limit 10\.0 s\)/,
    },
    { name: 'hedge quote missing', over: { hedge: { bid: null } }, reason: /quote missing/ },
  ];

  for (const [i, fault] of faults.entries()) {
    it(`pauses for ${fault.name}, ahead of every later fault`, () => {
      const alone = decide(inputs({ ...outside, ...fault.over }), DERIBIT);
      expectAction(alone, 'pause', fault.reason);
      const merged: Over = { ...outside, inFlight: true };
      for (const later of faults.slice(i)) {
        Object.assign(merged, later.over, {
          hedge: { ...merged.hedge, ...later.over.hedge },
        });
      }
      expectAction(decide(inputs(merged), DERIBIT), 'pause', fault.reason);
    });
  }

  it('pauses on a hedge quote that is crossed, locked, one-sided or not positive', () => {
    const crossed = decide(inputs({ hedge: { bid: 90_010, ask: 90_000 } }), DERIBIT);
    expectAction(crossed, 'pause', /BTC-PERPETUAL book crossed: bid 90,010 ≥ ask 90,000/);
    const locked = decide(inputs({ hedge: { bid: 90_000, ask: 90_000 } }), DERIBIT);
    expectAction(locked, 'pause', /crossed/);
    for (const hedge of [{ ask: null }, { bid: 0 }, { ask: NaN }]) {
      expectAction(decide(inputs({ hedge }), DERIBIT), 'pause', /quote missing/);
    }
  });

  it('pauses on a hedge quote older than the limit or of unknown age', () => {
    const stale = decide(inputs({ hedge: { quoteTs: NOW - 12_345 } }), DERIBIT);
    expectAction(stale, 'pause', /BTC-PERPETUAL quote stale: 12\.3 s old \(limit 10\.0 s\)/);
    const unknown = decide(inputs({ hedge: { quoteTs: null } }), DERIBIT);
    expectAction(unknown, 'pause', /quote age unknown/);
  });

  it('counts data exactly at the staleness limit as fresh', () => {
    const edge = inputs({ marketAgeMs: 10_000, hedge: { quoteTs: NOW - 10_000 } });
    assert.equal(decide(edge, DERIBIT).action, 'none');
    assert.equal(decide(inputs({ marketAgeMs: null }), DERIBIT).action, 'none');
  });

  it('pauses on NaN deltas and a non-positive index as unknowns', () => {
    expectAction(decide(inputs({ optionsDelta: NaN }), DERIBIT), 'pause', /options delta/);
    expectAction(decide(inputs({ hedgeDelta: Infinity }), DERIBIT), 'pause', /position delta/);
    expectAction(decide(inputs({ indexUsd: 0 }), DERIBIT), 'pause', /index unknown/);
  });

  it('refuses inputs gathered for any instrument but the configured one', () => {
    const other = decide(inputs({ optionsDelta: 0.5, hedge: { name: 'BTC-27NOV26' } }), DERIBIT);
    expectAction(other, 'pause', /hedge instrument is BTC-PERPETUAL, inputs are for BTC-27NOV26/);
  });

  it('pauses at the per-minute cap only when a hedge is due, and honours its setting', () => {
    // Inside the band a flat book is not paused by the cap: there is nothing to send.
    expectAction(decide(inputs({ hedgesLastMinute: 7 }), DERIBIT), 'none', /inside/);
    expectAction(
      decide(inputs({ hedgesLastMinute: 7, optionsDelta: 0.5 }), DERIBIT),
      'pause',
      /outside ±\$225; 7 hedges in the last minute \(limit 6\)$/,
    );
    expectAction(
      decide(inputs({ hedgesLastMinute: 1, optionsDelta: 0.5 }), config({ maxHedgesPerMinute: 1 })),
      'pause',
      /; 1 hedge in the last minute \(limit 1\)$/,
    );
    // An order in flight still comes first.
    expectAction(
      decide(inputs({ hedgesLastMinute: 7, optionsDelta: 0.5, inFlight: true }), DERIBIT),
      'none',
      /in flight/,
    );
    const five = inputs({ hedgesLastMinute: 5, optionsDelta: 0.5 });
    assert.equal(decide(five, DERIBIT).action, 'hedge');
    assert.equal(decide(five, config({ maxHedgesPerMinute: 5 })).action, 'pause');
  });
});

describe('decide: none', () => {
  it('sends nothing while a hedge order is in flight, however far outside the band', () => {
    const flight = decide(inputs({ optionsDelta: 3, inFlight: true }), DERIBIT);
    assert.deepEqual(flight, { action: 'none', reason: 'hedge order in flight' });
  });

  it('does nothing inside the band, or exactly on it, and says where the net stands', () => {
    const inside = decide(inputs({ optionsDelta: 0.004, hedgeDelta: -0.002 }), DERIBIT);
    assert.deepEqual(inside, {
      action: 'none',
      reason: 'net +0.0020 BTC = $180 inside ±$225',
    });
    const edge = decide(inputs({ optionsDelta: -0.0025 }), DERIBIT);
    expectAction(edge, 'none', /^net -0\.0025 BTC = -\$225 inside ±\$225$/);
  });

  it('reads a dollar band as dollars and a fractional one at the index', () => {
    const net = inputs({ optionsDelta: 0.001 }); // $90
    assert.equal(decide(net, config({ band: { kind: 'usd', value: 50 } })).action, 'hedge');
    assert.equal(decide(net, config({ band: { kind: 'usd', value: 100 } })).action, 'none');
    const at20k = inputs({ optionsDelta: 0.0026, indexUsd: 20_000, hedge: { mark: 20_000 } });
    expectAction(decide(at20k, DERIBIT), 'hedge', /= \$52\.00 outside ±\$50\.00/);
  });

  it('does nothing when the order would round to no lots', () => {
    // $3.60 outside a $1 band, but less than half of a $10 lot.
    const small = inputs({ optionsDelta: 0.00004 });
    const tight = config({ band: { kind: 'usd', value: 1 } });
    expectAction(decide(small, tight), 'none', /outside ±\$1\.00, but under half a lot \(10 USD\)/);
  });

  it('does nothing when the rounded order is under the minimum size', () => {
    const coarse = inputs({ optionsDelta: 0.005 }, { ...LINEAR, minSize: 0.01 });
    expectAction(decide(coarse, BYBIT), 'none', /0\.005 BTC is under BTCUSDT's minimum 0\.01/);
  });

  it('does nothing when the order cap is smaller than one lot', () => {
    const capped = decide(inputs({ optionsDelta: 0.5 }), config({ maxOrderUsd: 5 }));
    expectAction(capped, 'none', /max order \$5\.00 is under one lot \(10 USD\)/);
  });
});

describe('decide: hedge', () => {
  it('sells when net delta is long, sized to the nearest $10 at the touch less the cap', () => {
    const decision = decide(inputs({ optionsDelta: 0.0312 }), DERIBIT);
    assert.deepEqual(decision, {
      action: 'hedge',
      side: 'sell',
      amount: '2810',
      price: '89909.5005',
      reason:
        'net +0.0312 BTC = $2,808 outside ±$225: sell 2,810 USD BTC-PERPETUAL limit 89,909.5005',
    });
  });

  it('buys when net delta is short, at the ask plus the cap', () => {
    const hedge = hedgeOf(decide(inputs({ optionsDelta: -0.25, hedgeDelta: 0.2 }), DERIBIT));
    assert.equal(hedge.side, 'buy');
    assert.equal(hedge.amount, '4500');
    assert.equal(hedge.price, '90090');
  });

  it('prices in exact decimals, leaving the tick to the gateway', () => {
    const odd = inputs({ optionsDelta: -0.1, hedge: { ask: 90_000.5 } });
    const hedge = hedgeOf(decide(odd, config({ capPercent: 0.25 })));
    // In doubles 90000.5 × 1.0025 is 90225.50124999999.
    assert.equal(hedge.price, '90225.50125');
    const sell = hedgeOf(decide(inputs({ optionsDelta: 0.1, hedge: { bid: 0.3 } }), DERIBIT));
    assert.equal(sell.price, '0.2997');
  });

  it('sends no price for market execution', () => {
    const hedge = hedgeOf(decide(inputs({ optionsDelta: 0.1 }), config({ execution: 'market' })));
    assert.equal('price' in hedge, false);
    assert.match(hedge.reason, /sell 9,000 USD BTC-PERPETUAL at market$/);
  });

  it('rounds a USD-sized order to the nearest $10 lot', () => {
    const amountFor = (net: number): string =>
      hedgeOf(decide(inputs({ optionsDelta: net }), DERIBIT)).amount;
    assert.equal(amountFor(0.03124), '2810'); // $2,811.60
    assert.equal(amountFor(0.0313), '2820'); // $2,817
    assert.equal(amountFor(-0.00256), '230'); // $230.40
  });

  it('values coins at the hedge mark (as the hedge delta is), else at the index', () => {
    const atMark = inputs({ optionsDelta: -0.1, hedge: { mark: 90_100 } });
    assert.equal(hedgeOf(decide(atMark, DERIBIT)).amount, '9010');
    const noMark = inputs({ optionsDelta: -0.1, hedge: { mark: null } });
    assert.equal(hedgeOf(decide(noMark, DERIBIT)).amount, '9000');
  });

  it('rounds a base-unit order to the nearest lot of coins', () => {
    const buy = hedgeOf(decide(inputs({ optionsDelta: -0.01234 }, LINEAR), BYBIT));
    assert.deepEqual([buy.side, buy.amount], ['buy', '0.012']);
    const sell = hedgeOf(decide(inputs({ optionsDelta: 0.01267 }, LINEAR), BYBIT));
    assert.deepEqual([sell.side, sell.amount], ['sell', '0.013']);
    assert.match(sell.reason, /sell 0\.013 BTC BTCUSDT limit 89,909\.9001$/);
  });

  it('caps a USD-sized order at the largest whole number of lots within maxOrderUsd', () => {
    const big = hedgeOf(decide(inputs({ optionsDelta: 5 }), DERIBIT));
    assert.equal(big.amount, '100000');
    assert.match(big.reason, /\(capped at \$100,000\)$/);
    const odd = hedgeOf(decide(inputs({ optionsDelta: 5 }), config({ maxOrderUsd: 99_995 })));
    assert.equal(odd.amount, '99990');
    const under = hedgeOf(decide(inputs({ optionsDelta: 1 }), DERIBIT));
    assert.equal(under.amount, '90000');
    assert.doesNotMatch(under.reason, /capped/);
  });

  it('caps a base-unit order at the index value of maxOrderUsd, rounded down to lots', () => {
    const big = hedgeOf(decide(inputs({ optionsDelta: -3 }, LINEAR), BYBIT));
    assert.equal(big.amount, '1.111'); // $100,000 / $90,000 = 1.1111 BTC
    assert.match(big.reason, /capped/);
  });

  it('nets the hedge position against the options', () => {
    // Options +0.5 BTC, hedge −0.45 BTC (−$40,500): net +0.05 = $4,500.
    const hedge = hedgeOf(decide(inputs({ optionsDelta: 0.5, hedgeDelta: -0.45 }), DERIBIT));
    assert.deepEqual([hedge.side, hedge.amount], ['sell', '4500']);
  });

  it('leaves the net inside the band after its own order: it cannot trade in a loop', () => {
    const instruments = [
      { view: PERPETUAL, cfg: DERIBIT },
      { view: LINEAR, cfg: BYBIT },
    ];
    fc.assert(
      fc.property(
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.double({ min: 20_000, max: 150_000, noNaN: true }),
        fc.integer({ min: 0, max: 1 }),
        (net, index, which) => {
          const { view, cfg } = instruments[which]!;
          const hedge = { ...view, bid: index - 0.5, ask: index, mark: index };
          const first = decide(inputs({ optionsDelta: net, indexUsd: index }, hedge), cfg);
          if (first.action !== 'hedge') return;
          const signed = (first.side === 'buy' ? 1 : -1) * Number(first.amount);
          const coins = view.sizeUnit === 'usd' ? signed / index : signed;
          const after = inputs({ optionsDelta: net, hedgeDelta: coins, indexUsd: index }, hedge);
          const next = decide(after, cfg);
          if (!/capped/.test(first.reason)) {
            // Not capped: the next decision is inside the band.
            assert.equal(next.action, 'none', next.reason);
          } else {
            // Capped: the next order, if any, continues on the same side.
            assert.ok(next.action !== 'hedge' || next.side === first.side, next.reason);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('measure', () => {
  it('gives net delta in coins and USD and the band in USD', () => {
    const m = measure(inputs({ optionsDelta: 0.3, hedgeDelta: -0.25 }), DERIBIT);
    assert.ok(Math.abs(m.netDelta! - 0.05) < 1e-12);
    assert.ok(Math.abs(m.netUsd! - 4_500) < 1e-8);
    assert.equal(m.bandUsd, BAND);
  });

  it('leaves unknown whatever rests on an unknown input', () => {
    assert.deepEqual(measure(inputs({ optionsDelta: null }), DERIBIT), {
      netDelta: null,
      netUsd: null,
      bandUsd: BAND,
    });
    assert.deepEqual(measure(inputs({ optionsDelta: 0.1, indexUsd: null }), DERIBIT), {
      netDelta: 0.1,
      netUsd: null,
      bandUsd: null,
    });
    const usdBand = config({ band: { kind: 'usd', value: 80 } });
    assert.equal(measure(inputs({ indexUsd: null }), usdBand).bandUsd, 80);
  });
});

describe('policies in the decision (issue 20)', () => {
  it('the gamma band is the Whalley–Wilmott width from the book gamma, floored at the fixed band', () => {
    const gamma = config({ policy: 'gamma', aversion: 1e-3 });
    // Half-spread 0.5 / 179,999.5 over the taker fee 5 bp; Γ 5.6e-4 coins per USD.
    const cost = 0.0005 + 0.5 / 179_999.5;
    const coins = Math.cbrt((3 * cost * INDEX * 5.6e-4 * 5.6e-4) / (2 * 1e-3));
    const band = measure(inputs({ optionsGamma: 5.6e-4 }), gamma).bandUsd!;
    assert.ok(Math.abs(band - coins * INDEX) < 1e-6, `${band}`);
    // 0.2 coins short of a 0.28-coin band: nothing to do; the fixed band would hedge it.
    const inside = decide(inputs({ optionsGamma: 5.6e-4, optionsDelta: 0.2 }), gamma);
    assert.equal(inside.action, 'none');
    assert.match(inside.reason, /inside ±\$2\d,\d{3}/);
    assert.equal(decide(inputs({ optionsDelta: 0.2 }), DERIBIT).action, 'hedge');
    // No gamma: the fixed band's $225 is the floor.
    assert.equal(measure(inputs({ optionsGamma: 0 }), gamma).bandUsd, BAND);
    // Unknown gamma: no band to decide by.
    assert.equal(decide(inputs({ optionsGamma: null, optionsDelta: 1 }), gamma).action, 'pause');
  });

  it('the time policy hedges to the target when due and never between', () => {
    const time = config({ policy: 'time', everyMs: 15 * 60_000 });
    const between = decide(inputs({ optionsDelta: 1, lastHedgeAt: NOW - 60_000 }), time);
    assert.equal(between.action, 'none');
    assert.match(between.reason, /every 15 min$/);
    const due = hedgeOf(decide(inputs({ optionsDelta: 1, lastHedgeAt: NOW - 15 * 60_000 }), time));
    assert.equal(due.side, 'sell');
    assert.equal(due.amount, '90000');
    assert.match(due.reason, /every 15 min: due/);
  });

  it('a target delta is held: the order trades the distance from it', () => {
    const long = config({ target: 0.5 });
    const order = hedgeOf(decide(inputs({ optionsDelta: 1.5 }), long));
    assert.equal(order.side, 'sell');
    assert.equal(order.amount, '90000');
    assert.match(order.reason, /against target \+0\.5\d* = \$90,000 off/);
    assert.equal(decide(inputs({ optionsDelta: 0.501 }), long).action, 'none');
  });

  it('to the edge trades back just inside the band; a ratio trades that share of the way', () => {
    // Fixed band $225 = 0.0025 BTC at $90,000; net +1 BTC is $90,000 out.
    const edge = hedgeOf(decide(inputs({ optionsDelta: 1 }), config({ hedgeTo: 'edge' })));
    // To +0.00225 BTC (0.9 of the band): sell 0.99775 BTC = $89,797.5, rounded to $89,800.
    assert.equal(edge.side, 'sell');
    assert.equal(edge.amount, '89800');
    const half = hedgeOf(decide(inputs({ optionsDelta: 1 }), config({ ratio: 0.5 })));
    assert.equal(half.amount, '45000');
    // The time policy has no band: to the edge means the target there.
    const time = config({ policy: 'time', hedgeTo: 'edge' });
    assert.equal(hedgeOf(decide(inputs({ optionsDelta: 1 }), time)).amount, '90000');
  });
});
