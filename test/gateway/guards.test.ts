// The fat-finger guards: distance through the mark (percent for futures, vol points for
// options) and notional in USD. Refusals name the numbers and the fix; only the distance
// refusal offers `!`.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  distanceRefusal,
  notionalRefusal,
  notionalUsd,
  type DistanceInput,
} from '../../src/gateway/guards.js';
import type { FutureSpec, OptionSpec } from '../../src/instruments/types.js';
import { BTC_PERPETUAL } from '../view/support/market-fixture.js';

const OPTION: OptionSpec = {
  kind: 'option',
  name: 'BTC-27NOV26-90000-C',
  base: 'BTC',
  quote: 'BTC',
  settlement: 'inverse',
  settleCurrency: 'BTC',
  expiry: Date.UTC(2026, 10, 27, 8),
  strike: 90_000,
  type: 'call',
  tickSize: 0.0001,
  tickSteps: [{ abovePrice: 0.005, tickSize: 0.0005 }],
  lotSize: 0.1,
  minSize: 0.1,
  contractSize: 1,
  sizeUnit: 'base',
};

// The market fixture's inverse perpetual: $10 lots, USD-sized.
const INVERSE_PERPETUAL = BTC_PERPETUAL;

const LINEAR_PERPETUAL: FutureSpec = {
  ...INVERSE_PERPETUAL,
  name: 'BTCUSDT',
  quote: 'USDT',
  settlement: 'linear',
  settleCurrency: 'USDT',
  tickSize: 0.1,
  lotSize: 0.001,
  minSize: 0.001,
  contractSize: 1,
  sizeUnit: 'base',
};

const VOL_10 = { unit: 'vol-points', value: 10 } as const;
const PERCENT_1 = { unit: 'percent', value: 1 } as const;

function future(over: Partial<DistanceInput>): DistanceInput {
  return {
    spec: INVERSE_PERPETUAL,
    side: 'buy',
    price: 90_000,
    iv: null,
    mark: 90_000,
    markIv: null,
    priceIv: null,
    limit: PERCENT_1,
    tick: null,
    maxTicks: 10,
    ...over,
  };
}

function option(over: Partial<DistanceInput>): DistanceInput {
  return {
    spec: OPTION,
    side: 'buy',
    price: 0.05,
    iv: null,
    mark: 0.05,
    markIv: 0.6,
    priceIv: 0.6,
    limit: VOL_10,
    tick: 0.0005,
    maxTicks: 10,
    ...over,
  };
}

describe('distance through the mark', () => {
  it('limits a futures buy above the mark and a sell below it, in percent', () => {
    assert.equal(distanceRefusal(future({ price: 90_900 })), null, 'exactly 1 % is allowed');
    const buy = distanceRefusal(future({ price: 91_800 }));
    assert.ok(buy !== null);
    assert.match(buy, /buy BTC-PERPETUAL at 91800 is 2\.00 % above the mark 90000 \(limit 1 %\)/);
    assert.match(buy, /add ! to send anyway$/);
    const sell = distanceRefusal(future({ side: 'sell', price: 88_000 }));
    assert.match(sell ?? '', /sell BTC-PERPETUAL at 88000 is 2\.22 % below the mark 90000/);
  });

  it('lets any price on the near side of the mark through', () => {
    assert.equal(distanceRefusal(future({ price: 45_000 })), null);
    assert.equal(distanceRefusal(future({ side: 'sell', price: 180_000 })), null);
    assert.equal(distanceRefusal(option({ price: 0.001, priceIv: 0.2 })), null);
    assert.equal(distanceRefusal(option({ side: 'sell', price: 0.2, priceIv: 1.5 })), null);
  });

  it('limits an option in vol points of the IV its price implies', () => {
    assert.equal(distanceRefusal(option({ price: 0.06, priceIv: 0.7 })), null, '10 points');
    const buy = distanceRefusal(option({ price: 0.07, priceIv: 0.75 }));
    assert.ok(buy !== null);
    assert.match(
      buy,
      /buy BTC-27NOV26-90000-C at 0\.07 is 15\.0 vol points and 40\.0 ticks above the mark IV 60\.0 %/,
    );
    assert.match(buy, /implies 75\.0 %/);
    assert.match(buy, /\(limit 10 vol points or 10 ticks\): add ! to send anyway$/);
    const sell = distanceRefusal(option({ side: 'sell', price: 0.03, priceIv: 0.45 }));
    assert.match(sell ?? '', /15\.0 vol points and 40\.0 ticks below the mark IV 60\.0 %/);
  });

  it('checks an order priced by IV against the mark IV', () => {
    assert.equal(distanceRefusal(option({ price: null, iv: 0.69 })), null);
    const refused = distanceRefusal(option({ price: null, iv: 0.85 }));
    assert.match(refused ?? '', /at IV 85\.0 % is 25\.0 vol points above the mark IV 60\.0 %/);
  });

  it('lets market orders through: there is no price to be far from', () => {
    assert.equal(distanceRefusal(option({ price: null, iv: null, mark: null })), null);
    assert.equal(distanceRefusal(future({ price: null, mark: null })), null);
  });

  it('asks for ! when the figures to measure with are missing on the through side', () => {
    assert.match(distanceRefusal(future({ mark: null })) ?? '', /has no mark yet.*add !/);
    // Above the maximum an option can be worth: no IV, and above the mark.
    const noIv = distanceRefusal(option({ price: 0.9, priceIv: null, tick: null }));
    assert.match(noIv ?? '', /has no IV at 0\.9, so buy at 0\.9 cannot be checked: add !/);
    assert.match(
      distanceRefusal(option({ price: 0.9, priceIv: null })) ?? '',
      /at 0\.9 is 1700\.0 ticks above the mark 0\.05 and there is no IV at 0\.9 to measure it in vol/,
    );
    assert.match(
      distanceRefusal(option({ price: 0.06, markIv: null })) ?? '',
      /20\.0 ticks above the mark 0\.05 and there is no mark IV .*add !/,
    );
    // Below the mark a buy is safe even when its price implies no IV (under intrinsic).
    assert.equal(distanceRefusal(option({ price: 0.0001, priceIv: null, markIv: null })), null);
  });

  it('passes an option within 10 ticks of the mark however many vol points that is', () => {
    // Hours to expiry: 10 ticks are 40 vol points, and the price may imply no IV at all.
    const tiny = { mark: 0.0012, markIv: 0.5, tick: 0.0001 };
    assert.equal(distanceRefusal(option({ ...tiny, price: 0.0022, priceIv: 0.9 })), null);
    assert.equal(distanceRefusal(option({ ...tiny, price: 0.0022, priceIv: null })), null);
    assert.equal(
      distanceRefusal(
        option({ ...tiny, side: 'sell', price: 0.0002, priceIv: null, markIv: null }),
      ),
      null,
    );
    assert.match(
      distanceRefusal(option({ ...tiny, price: 0.0023, priceIv: 0.95 })) ?? '',
      /is 45\.0 vol points and 11\.0 ticks above the mark IV 50\.0 %/,
    );
  });

  it('applies a percent limit to options when configured so', () => {
    const limit = { unit: 'percent', value: 20 } as const;
    assert.equal(distanceRefusal(option({ price: 0.06, priceIv: 2, limit })), null);
    assert.match(distanceRefusal(option({ price: 0.065, limit })) ?? '', /30\.00 % above/);
    assert.match(
      distanceRefusal(option({ price: null, iv: 0.6, limit })) ?? '',
      /priced by IV cannot be checked against a percent limit/,
    );
  });
});

describe('notional', () => {
  it('counts coins at the coin price, and USD-sized contracts as their USD', () => {
    assert.equal(notionalUsd(OPTION, 2.5, 90_000), 225_000);
    assert.equal(notionalUsd(LINEAR_PERPETUAL, 0.5, 90_000), 45_000);
    assert.equal(notionalUsd(INVERSE_PERPETUAL, 30_000, 90_000), 30_000);
    assert.equal(notionalUsd(INVERSE_PERPETUAL, 30_000, null), 30_000);
    assert.equal(notionalUsd(OPTION, 1, null), null);
  });

  it('refuses over the cap, naming both figures, with no override', () => {
    const base = { spec: OPTION, usdPerCoin: 90_000, maxUsd: 250_000 };
    assert.equal(notionalRefusal({ ...base, amount: 2.7 }), null);
    const over = notionalRefusal({ ...base, amount: 2.8 });
    assert.equal(
      over,
      '2.8 BTC-27NOV26-90000-C is 252,000 USD notional, over the 250,000 USD cap: send a smaller order',
    );
    assert.doesNotMatch(over, /!/);
    assert.match(
      notionalRefusal({
        spec: INVERSE_PERPETUAL,
        amount: 250_010,
        usdPerCoin: 1,
        maxUsd: 250_000,
      }) ?? '',
      /250,010 USD notional/,
    );
  });

  it('refuses when the coin price is unknown', () => {
    const refused = notionalRefusal({ spec: OPTION, amount: 0.1, usdPerCoin: null, maxUsd: 1e6 });
    assert.match(refused ?? '', /no BTC price yet/);
  });
});
