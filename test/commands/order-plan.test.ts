import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planOrder, type PlanContext } from '../../src/commands/order-plan.js';
import type { OrderCommand, OrderPricing } from '../../src/commands/types.js';
import type { OrderIntent } from '../../src/gateway/types.js';
import type { InstrumentSpec, OptionSpec } from '../../src/instruments/types.js';
import { BTC_PERPETUAL, option, VENUE } from '../view/support/market-fixture.js';

const DEC27 = Date.UTC(2026, 11, 27, 8);
const CALL = option(DEC27, 100_000, 'call');
/** The venue's option ticks: 0.0001 up to 0.005, 0.0005 above. */
const STEPPED: OptionSpec = { ...CALL, tickSteps: [{ abovePrice: 0.005, tickSize: 0.0005 }] };

function context(spec: InstrumentSpec, market: Partial<PlanContext> = {}): PlanContext {
  return {
    venue: VENUE,
    spec,
    multiplier: '1',
    bid: null,
    ask: null,
    mark: null,
    marketCap: { optionTicks: 2, futurePercent: 0.1 },
    ...market,
  };
}

function command(
  side: OrderCommand['side'],
  size: string,
  pricing: OrderPricing,
  force = false,
): OrderCommand {
  return { kind: 'order', side, size, pricing, force };
}

function planned(
  order: OrderCommand,
  ctx: PlanContext,
): { intents: readonly OrderIntent[]; summary: string } {
  const plan = planOrder(order, ctx);
  assert.ok(plan.ok, plan.ok ? '' : plan.message);
  return { intents: plan.intents, summary: plan.summary };
}

function refusal(order: OrderCommand, ctx: PlanContext): string {
  const plan = planOrder(order, ctx);
  assert.ok(!plan.ok, 'should be refused');
  return plan.message;
}

function base(spec: InstrumentSpec, side: OrderCommand['side'], amount: string, force = false) {
  return { venue: VENUE, instrument: spec.name, side, amount, force, origin: 'manual' } as const;
}

const MARKET = { kind: 'market' } as const;
const price = (value: string) => ({ kind: 'price', value }) as const;
const vol = (percent: string) => ({ kind: 'vol', percent }) as const;

describe('amounts', () => {
  it('are size x multiplier, exactly', () => {
    const limit = { kind: 'limit', level: price('0.01') } as const;
    const amount = (size: string, multiplier: string): string =>
      planned(command('buy', size, limit), context(CALL, { multiplier })).intents[0]?.amount ?? '';
    assert.equal(amount('0.1', '3'), '0.3');
    assert.equal(amount('3', '0.1'), '0.3');
    assert.equal(amount('.5', '0.1'), '0.05');
    assert.equal(amount('0.0000001', '1'), '0.0000001');
    assert.equal(amount('12345678901234567890', '0.1'), '1234567890123456789');
  });

  it('refuses text that is not a positive decimal', () => {
    const limit = { kind: 'limit', level: price('0.01') } as const;
    assert.equal(
      refusal(command('buy', '1', limit), context(CALL, { multiplier: 'abc' })),
      'invalid size multiplier "abc"',
    );
    assert.equal(refusal(command('buy', '1e3', limit), context(CALL)), 'invalid size "1e3"');
  });
});

describe('market orders', () => {
  it('an option buy is an IOC limit a few ticks over the ask', () => {
    const plan = planned(
      command('buy', '0.1', MARKET),
      context(CALL, { ask: 0.0123, multiplier: '3' }),
    );
    assert.deepEqual(plan.intents, [
      {
        ...base(CALL, 'buy', '0.3'),
        kind: 'limit',
        price: '0.0125',
        timeInForce: 'ioc',
        capFrom: '0.0123',
      },
    ]);
    assert.equal(
      plan.summary,
      'buy 0.3 BTC-27DEC26-100000-C at market: IOC limit 0.0125 (ask 0.0123 + 2 ticks)',
    );
  });

  it('walks the tick steps going up', () => {
    const ctx = context(STEPPED, {
      ask: 0.0048,
      marketCap: { optionTicks: 3, futurePercent: 0.1 },
    });
    assert.equal(planned(command('buy', '1', MARKET), ctx).intents[0]?.price, '0.0055');
  });

  it('and going down', () => {
    const ctx = context(STEPPED, { bid: 0.006, marketCap: { optionTicks: 3, futurePercent: 0.1 } });
    assert.equal(planned(command('sell', '1', MARKET), ctx).intents[0]?.price, '0.0049');
    const fromStep = context(STEPPED, {
      bid: 0.005,
      marketCap: { optionTicks: 1, futurePercent: 0 },
    });
    assert.equal(planned(command('sell', '1', MARKET), fromStep).intents[0]?.price, '0.0049');
    const upFromStep = context(STEPPED, {
      ask: 0.005,
      marketCap: { optionTicks: 1, futurePercent: 0 },
    });
    assert.equal(planned(command('buy', '1', MARKET), upFromStep).intents[0]?.price, '0.0055');
  });

  it('a sell never goes below the smallest price', () => {
    const ctx = context(CALL, { bid: 0.0002, marketCap: { optionTicks: 5, futurePercent: 0.1 } });
    assert.equal(planned(command('sell', '1', MARKET), ctx).intents[0]?.price, '0.0001');
  });

  it('a future is capped by percent over the ask, under the bid', () => {
    const ctx = context(BTC_PERPETUAL, { bid: 90_000, ask: 91_000.5, multiplier: '10' });
    const buy = planned(command('buy', '10', MARKET), ctx);
    assert.deepEqual(buy.intents, [
      {
        ...base(BTC_PERPETUAL, 'buy', '100'),
        kind: 'limit',
        price: '91091.5005',
        timeInForce: 'ioc',
        capFrom: '91000.5',
      },
    ]);
    assert.equal(
      buy.summary,
      'buy 100 USD of BTC-PERPETUAL at market: IOC limit 91091.5005 (ask 91000.5 + 0.1%)',
    );
    assert.equal(planned(command('sell', '1', MARKET), ctx).intents[0]?.price, '89910');
  });

  it('needs the far side of the book', () => {
    assert.equal(
      refusal(command('buy', '1', MARKET), context(CALL, { bid: 0.01 })),
      'no ask for BTC-27DEC26-100000-C: nothing to buy at market',
    );
    assert.equal(
      refusal(
        command('sell', '1', MARKET),
        context(BTC_PERPETUAL, { ask: 91_000, bid: Number.NaN }),
      ),
      'no bid for BTC-PERPETUAL: nothing to sell at market',
    );
  });
});

describe('touch orders', () => {
  const ctx = context(CALL, { bid: 0.012, ask: 0.0135, multiplier: '0.5' });

  it('join their own side post-only', () => {
    const bid = planned(command('buy', '1', { kind: 'touch', at: 'bid' }), ctx);
    assert.deepEqual(bid.intents, [
      {
        ...base(CALL, 'buy', '0.5'),
        kind: 'limit',
        price: '0.012',
        timeInForce: 'gtc',
        postOnly: true,
      },
    ]);
    assert.equal(bid.summary, 'buy 0.5 BTC-27DEC26-100000-C post-only at the bid 0.012');
    const ask = planned(command('sell', '1', { kind: 'touch', at: 'ask' }), ctx);
    assert.deepEqual(ask.intents, [
      {
        ...base(CALL, 'sell', '0.5'),
        kind: 'limit',
        price: '0.0135',
        timeInForce: 'gtc',
        postOnly: true,
      },
    ]);
  });

  it('cross to the far side as a taker limit', () => {
    const ask = planned(command('buy', '2', { kind: 'touch', at: 'ask' }), ctx);
    assert.deepEqual(ask.intents, [
      { ...base(CALL, 'buy', '1'), kind: 'limit', price: '0.0135', timeInForce: 'gtc' },
    ]);
    assert.equal(ask.summary, 'buy 1 BTC-27DEC26-100000-C at the ask 0.0135 (taker limit)');
    const bid = planned(command('sell', '2', { kind: 'touch', at: 'bid' }), ctx);
    assert.deepEqual(bid.intents, [
      { ...base(CALL, 'sell', '1'), kind: 'limit', price: '0.012', timeInForce: 'gtc' },
    ]);
  });

  it('say which side is missing', () => {
    const empty = context(CALL);
    const at = (side: OrderCommand['side'], touch: 'bid' | 'ask') =>
      refusal(command(side, '1', { kind: 'touch', at: touch }), empty);
    assert.equal(at('buy', 'bid'), 'no bid for BTC-27DEC26-100000-C to join');
    assert.equal(at('sell', 'ask'), 'no ask for BTC-27DEC26-100000-C to join');
    assert.equal(at('buy', 'ask'), 'no ask for BTC-27DEC26-100000-C to buy from');
    assert.equal(at('sell', 'bid'), 'no bid for BTC-27DEC26-100000-C to sell to');
  });
});

describe('limit orders', () => {
  it('rest post-only at the price typed', () => {
    const plan = planned(
      command('buy', '0.5', { kind: 'limit', level: price('0.0125') }),
      context(CALL),
    );
    assert.deepEqual(plan.intents, [
      {
        ...base(CALL, 'buy', '0.5'),
        kind: 'limit',
        price: '0.0125',
        timeInForce: 'gtc',
        postOnly: true,
      },
    ]);
    assert.equal(plan.summary, 'buy 0.5 BTC-27DEC26-100000-C post-only at 0.0125');
    const short = planned(
      command('sell', '1', { kind: 'limit', level: price('.5') }),
      context(CALL),
    );
    assert.equal(short.intents[0]?.price, '0.5');
  });

  it('by vol carry the IV as a decimal fraction, options only', () => {
    const plan = planned(command('buy', '1', { kind: 'limit', level: vol('62.5') }), context(CALL));
    assert.deepEqual(plan.intents, [
      { ...base(CALL, 'buy', '1'), kind: 'limit', iv: '0.625', timeInForce: 'gtc', postOnly: true },
    ]);
    assert.equal(plan.summary, 'buy 1 BTC-27DEC26-100000-C post-only at 62.5% IV');
    assert.equal(
      refusal(command('buy', '1', { kind: 'limit', level: vol('62.5') }), context(BTC_PERPETUAL)),
      'pricing by vol is for options, and BTC-PERPETUAL is a perpetual',
    );
  });

  it('carry the force and say so', () => {
    const plan = planned(
      command('buy', '1', { kind: 'limit', level: price('0.05') }, true),
      context(CALL),
    );
    assert.equal(plan.intents[0]?.force, true);
    assert.equal(plan.summary, 'buy 1 BTC-27DEC26-100000-C post-only at 0.05 (forced)');
  });
});

describe('stop orders', () => {
  const ctx = context(BTC_PERPETUAL, { mark: 91_000.5, multiplier: '10' });
  const stop = (side: OrderCommand['side'], trigger: string) =>
    command(side, '1', { kind: 'stop', trigger });

  it('are reduce-only stop-markets on the mark', () => {
    const plan = planned(stop('sell', '85000'), ctx);
    assert.deepEqual(plan.intents, [
      {
        ...base(BTC_PERPETUAL, 'sell', '10'),
        kind: 'stop-market',
        triggerPrice: '85000',
        trigger: 'mark',
        reduceOnly: true,
      },
    ]);
    assert.equal(
      plan.summary,
      'sell 10 USD of BTC-PERPETUAL stop-market at 85000 on the mark (reduce-only, mark 91000.5)',
    );
    assert.equal(planned(stop('buy', '95000'), ctx).intents[0]?.triggerPrice, '95000');
  });

  it('are refused when they would trigger at once', () => {
    assert.equal(
      refusal(stop('sell', '91000.5'), ctx),
      'a sell stop at 91000.5 would trigger at once: the mark is 91000.5 (a sell stop goes below it)',
    );
    assert.match(
      refusal(stop('sell', '92000'), ctx),
      /^a sell stop at 92000 would trigger at once/,
    );
    assert.equal(
      refusal(stop('buy', '90000'), ctx),
      'a buy stop at 90000 would trigger at once: the mark is 91000.5 (a buy stop goes above it)',
    );
    assert.match(refusal(stop('buy', '91000.5'), ctx), /^a buy stop/);
  });

  it('need a mark', () => {
    assert.equal(
      refusal(stop('sell', '85000'), context(BTC_PERPETUAL)),
      'no mark for BTC-PERPETUAL: a stop on the mark cannot be checked',
    );
  });

  it('print tiny numbers plainly', () => {
    const plan = planned(stop('sell', '0.0000001'), context(CALL, { mark: 0.0000002 }));
    assert.match(plan.summary, /at 0\.0000001 on the mark \(reduce-only, mark 0\.0000002\)$/);
  });
});

describe('ladders', () => {
  const ladder = (from: string, to: string, count: number) =>
    ({
      kind: 'ladder',
      from: from.startsWith('v') ? vol(from.slice(1)) : price(from),
      to: to.startsWith('v') ? vol(to.slice(1)) : price(to),
      count,
    }) as const;

  it('space count post-only limits evenly, both ends included, each of the full amount', () => {
    const plan = planned(
      command('buy', '1', ladder('0.01', '0.02', 5)),
      context(CALL, { multiplier: '0.5' }),
    );
    assert.deepEqual(
      plan.intents,
      ['0.01', '0.0125', '0.015', '0.0175', '0.02'].map((level) => ({
        ...base(CALL, 'buy', '0.5'),
        kind: 'limit',
        price: level,
        timeInForce: 'gtc',
        postOnly: true,
      })),
    );
    assert.equal(
      plan.summary,
      'buy ladder: 5 x 0.5 from 0.01 to 0.02, post-only on BTC-27DEC26-100000-C',
    );
  });

  it('run either way', () => {
    const plan = planned(command('sell', '1', ladder('0.03', '0.02', 3)), context(CALL));
    assert.deepEqual(
      plan.intents.map((intent) => intent.price),
      ['0.03', '0.025', '0.02'],
    );
  });

  it('keep the ends exact when the spacing does not divide', () => {
    const levels = planned(
      command('buy', '1', ladder('0.01', '0.02', 4)),
      context(CALL),
    ).intents.map((intent) => intent.price ?? '');
    assert.equal(levels[0], '0.01');
    assert.equal(levels[3], '0.02');
    assert.match(levels[1] ?? '', /^0\.01333333333/);
    assert.match(levels[2] ?? '', /^0\.01666666666/);
  });

  it('by vol carry IVs', () => {
    const plan = planned(command('buy', '1', ladder('v60', 'v65', 6)), context(CALL));
    assert.deepEqual(
      plan.intents.map((intent) => [intent.iv, intent.price]),
      ['0.6', '0.61', '0.62', '0.63', '0.64', '0.65'].map((iv) => [iv, undefined]),
    );
    assert.equal(
      plan.summary,
      'buy ladder: 6 x 1 from 60% IV to 65% IV, post-only on BTC-27DEC26-100000-C',
    );
    assert.match(
      refusal(command('buy', '1', ladder('v60', 'v65', 6)), context(BTC_PERPETUAL)),
      /^pricing by vol is for options/,
    );
  });

  it('are refused when their steps are finer than the tick', () => {
    assert.equal(
      refusal(command('buy', '1', ladder('0.01', '0.0102', 5)), context(CALL)),
      'a ladder of 5 from 0.01 to 0.0102 steps 0.00005, finer than the tick 0.0001: orders would share prices',
    );
    assert.equal(
      planned(command('buy', '1', ladder('0.01', '0.0104', 5)), context(CALL)).intents.length,
      5,
    );
    assert.match(
      refusal(command('buy', '1', ladder('0.006', '0.008', 6)), context(STEPPED)),
      /finer than the tick 0\.0005/,
    );
  });

  it('refuse counts the parser would not give', () => {
    assert.equal(
      refusal(command('buy', '1', ladder('0.01', '0.02', 51)), context(CALL)),
      'a ladder has 2 to 50 orders, not 51',
    );
  });
});
