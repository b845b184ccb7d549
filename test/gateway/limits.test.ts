// The gateway's caps: the documented defaults, overrides, and configurations refused at
// construction rather than left to switch a guard off quietly.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveLimits } from '../../src/gateway/limits.js';
import { DEFAULT_LIMITS, OrderGateway } from '../../src/gateway/order-gateway.js';
import type { GatewayMarket } from '../../src/gateway/types.js';

const NO_MARKET: GatewayMarket = {
  spec: () => undefined,
  mark: () => null,
  markIv: () => null,
  impliedVol: () => null,
  priceBand: () => null,
  usdPerCoin: () => null,
};

describe('gateway limits', () => {
  it('defaults to 10 vol points or 10 ticks, 1 %, 250,000 USD and 10 orders a second', () => {
    assert.deepEqual(DEFAULT_LIMITS, {
      optionDistance: { unit: 'vol-points', value: 10 },
      optionDistanceTicks: 10,
      futureDistance: { unit: 'percent', value: 1 },
      maxNotionalUsd: 250_000,
      maxOrdersPerSecond: 10,
    });
    const gateway = new OrderGateway({ market: NO_MARKET, orders: () => null });
    assert.deepEqual(gateway.limits, DEFAULT_LIMITS);
    assert.match(gateway.session, /^[0-9a-z]{6}$/);
  });

  it('takes overrides', () => {
    const gateway = new OrderGateway({
      market: NO_MARKET,
      orders: () => null,
      session: 'abc123',
      limits: { maxNotionalUsd: 50_000, optionDistance: { unit: 'percent', value: 20 } },
    });
    assert.equal(gateway.session, 'abc123');
    assert.equal(gateway.limits.maxNotionalUsd, 50_000);
    assert.deepEqual(gateway.limits.optionDistance, { unit: 'percent', value: 20 });
    assert.equal(gateway.limits.maxOrdersPerSecond, 10);
  });

  it('refuses limits that cannot work', () => {
    assert.throws(
      () => resolveLimits({ futureDistance: { unit: 'vol-points', value: 5 } }),
      /percent/,
    );
    assert.throws(() => resolveLimits({ optionDistance: { unit: 'vol-points', value: -1 } }));
    assert.throws(() => resolveLimits({ optionDistance: { unit: 'vol-points', value: NaN } }));
    assert.throws(() => resolveLimits({ maxNotionalUsd: 0 }));
    assert.throws(() => resolveLimits({ maxOrdersPerSecond: 0 }));
    assert.throws(() => resolveLimits({ maxOrdersPerSecond: 2.5 }));
    assert.throws(
      () => new OrderGateway({ market: NO_MARKET, orders: () => null, session: 'BAD' }),
      RangeError,
    );
  });

  it('answers an empty submission with nothing', async () => {
    const gateway = new OrderGateway({ market: NO_MARKET, orders: () => null });
    assert.deepEqual(await gateway.submit([]), []);
  });
});
