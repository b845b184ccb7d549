import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { black76Greeks, yearFraction } from '../../../src/pricing/index.js';
import { SimError } from '../../../src/sim/contract.js';
import {
  ACCOUNT,
  BTC_CALL,
  BTC_FUTURE,
  BTC_PUT,
  futureMark,
  inverseMarks,
  inverseVenue,
  linearVenue,
  optionMark,
  USDT_CALL,
  USDT_PERP,
} from './harness.js';

function close(actual: number | undefined, expected: number, tolerance = 1e-12): void {
  assert.ok(actual !== undefined, 'missing value');
  assert.ok(
    Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `${actual} ≠ ${expected}`,
  );
}

describe('futures PnL', () => {
  it('inverse future: coin PnL = size·(1/avg − 1/mark), harmonic entry, taker fees on notional', () => {
    const venue = inverseVenue();
    const { exchange } = venue;
    const bought = exchange.place(ACCOUNT, {
      instrument: BTC_FUTURE.name,
      side: 'buy',
      amount: 60_000,
      type: 'market',
    });
    assert.deepEqual(
      bought.fills.map((f) => [f.price, f.amount]),
      [
        [84_010, 50_000],
        [84_020, 10_000],
      ],
    );
    const fees = 0.0005 * (50_000 / 84_010 + 10_000 / 84_020);
    close(bought.order.commission, fees);
    const [held] = exchange.positions(ACCOUNT);
    close(held!.averagePrice, 60_000 / (50_000 / 84_010 + 10_000 / 84_020), 1e-11);

    venue.step({ marks: inverseMarks(venue.time + 1_000, 85_000) }, 1_000);
    const [position] = exchange.positions(ACCOUNT);
    const perFill = 50_000 * (1 / 84_010 - 1 / 85_000) + 10_000 * (1 / 84_020 - 1 / 85_000);
    close(position!.unrealizedPnl, perFill, 1e-9);
    close(position!.delta, 60_000 / 85_000);
    close(position!.initialMargin, 60_000 / 85_000 / 50);
    close(position!.maintenanceMargin, 60_000 / 85_000 / 100);
    const summary = exchange.summary(ACCOUNT, 'BTC');
    close(summary.futuresPnl, perFill, 1e-9);
    close(summary.equity, 10 - fees + perFill, 1e-9);
    close(summary.deltaTotal, 60_000 / 85_000);

    venue.step({ quotes: { [BTC_FUTURE.name]: { bids: [84_990, 100_000], asks: [85_010, 1] } } });
    const sold = exchange.place(ACCOUNT, {
      instrument: BTC_FUTURE.name,
      side: 'sell',
      amount: 60_000,
      type: 'market',
    });
    assert.equal(sold.order.state, 'filled');
    const realized = 50_000 * (1 / 84_010 - 1 / 84_990) + 10_000 * (1 / 84_020 - 1 / 84_990);
    const exitFee = 0.0005 * (60_000 / 84_990);
    assert.deepEqual(exchange.positions(ACCOUNT), []);
    const after = exchange.summary(ACCOUNT, 'BTC');
    close(after.balance, 10 - fees - exitFee + realized, 1e-9);
    close(after.totalPnl, realized, 1e-9);
    close(after.feesPaid, fees + exitFee);
  });

  it('linear perpetual: USDT PnL = (mark − avg)·size; realizes on reduce; pays funding at 08:00', () => {
    const venue = linearVenue();
    const { exchange } = venue;
    const bought = exchange.place(ACCOUNT, {
      instrument: USDT_PERP.name,
      side: 'buy',
      amount: 1,
      type: 'market',
    });
    const entryFee = 0.00055 * 84_000.1;
    close(bought.fills[0]!.fee, entryFee);
    assert.equal(bought.fills[0]!.feeCurrency, 'USDT');

    venue.step({ marks: new Map([[USDT_PERP.name, futureMark(85_000, 84_900, 0.0001)]]) }, 1_000);
    const [position] = exchange.positions(ACCOUNT);
    close(position!.unrealizedPnl, 85_000 - 84_000.1);
    close(position!.delta, 1);
    close(position!.initialMargin, 85_000 / 50);

    const sold = exchange.place(ACCOUNT, {
      instrument: USDT_PERP.name,
      side: 'sell',
      amount: 0.4,
      type: 'market',
    });
    assert.deepEqual(
      sold.fills.map((f) => [f.price, f.amount]),
      [[83_999.9, 0.4]],
    );
    const exitFee = 0.00055 * 0.4 * 83_999.9;
    const realized = (83_999.9 - 84_000.1) * 0.4;
    const [rest] = exchange.positions(ACCOUNT);
    close(rest!.size, 0.6);
    close(rest!.averagePrice, 84_000.1);
    close(rest!.realizedPnl, realized);
    close(exchange.summary(ACCOUNT, 'USDT').balance, 1_000_000 - entryFee - exitFee + realized);

    // 07:00:01 → 08:00: the 08:00 UTC funding charges the long 0.01% of its notional at mark.
    venue.step({}, 3_600_000 - 1_000);
    const funding = 0.0001 * 0.6 * 85_000;
    close(
      exchange.summary(ACCOUNT, 'USDT').balance,
      1_000_000 - entryFee - exitFee + realized - funding,
    );
  });
});

describe('option positions', () => {
  it('carry premium-adjusted coin delta and size-scaled greeks', () => {
    const venue = inverseVenue();
    const { exchange } = venue;
    exchange.place(ACCOUNT, {
      instrument: BTC_CALL.name,
      side: 'buy',
      amount: 3,
      type: 'limit',
      price: 0.007,
    });
    const [position] = exchange.positions(ACCOUNT, { kind: 'option' });
    const ticker = exchange.ticker(BTC_CALL.name)!;
    const greeks = black76Greeks(
      ticker.underlyingPrice!,
      BTC_CALL.strike,
      yearFraction(venue.time, BTC_CALL.expiry),
      ticker.markIv!,
      'call',
    );
    close(position!.delta, (greeks.delta - ticker.markPrice) * 3);
    close(position!.gamma, greeks.gamma * 3);
    close(position!.vega, greeks.vega * 3);
    close(position!.theta, greeks.theta * 3);
    close(position!.unrealizedPnl, (ticker.markPrice - position!.averagePrice) * 3);
    const summary = exchange.summary(ACCOUNT, 'BTC');
    close(summary.optionsDelta, position!.delta);
    close(summary.deltaTotal, position!.delta);
    close(summary.optionsVega, position!.vega);
    close(summary.optionsPnl, position!.unrealizedPnl);
    assert.deepEqual(exchange.positions(ACCOUNT, { kind: 'future' }), []);
    assert.deepEqual(exchange.positions(ACCOUNT, { currency: 'ETH' }), []);

    // A linear option's delta is the plain Black delta: its premium is not in the coin.
    const linear = linearVenue();
    linear.exchange.place(ACCOUNT, {
      instrument: USDT_CALL.name,
      side: 'buy',
      amount: 0.5,
      type: 'market',
    });
    const [usdt] = linear.exchange.positions(ACCOUNT);
    const linearGreeks = black76Greeks(
      84_000,
      USDT_CALL.strike,
      yearFraction(linear.time, USDT_CALL.expiry),
      0.5,
      'call',
    );
    close(usdt!.delta, linearGreeks.delta * 0.5);
  });
});

describe('settlement', () => {
  function heldToExpiry() {
    const venue = inverseVenue();
    const { exchange } = venue;
    exchange.place(ACCOUNT, {
      instrument: BTC_CALL.name,
      side: 'buy',
      amount: 1,
      type: 'limit',
      price: 0.0065,
    });
    exchange.place(ACCOUNT, {
      instrument: BTC_PUT.name,
      side: 'sell',
      amount: 1,
      type: 'limit',
      price: 0.009,
    });
    exchange.place(ACCOUNT, {
      instrument: BTC_FUTURE.name,
      side: 'buy',
      amount: 10_000,
      type: 'market',
    });
    const resting = exchange.place(ACCOUNT, {
      instrument: BTC_CALL.name,
      side: 'buy',
      amount: 1,
      type: 'limit',
      price: 0.004,
    }).order;
    assert.equal(exchange.positions(ACCOUNT).length, 3);
    const before = exchange.summary(ACCOUNT, 'BTC').balance;
    close(before, 10 - 0.0065 + 0.009 - 0.0006 - 0.0005 * (10_000 / 84_010));
    venue.time = BTC_CALL.expiry;
    return { venue, exchange, resting, before };
  }

  it('pays a long ITM call, lets a short OTM put lapse, settles the future, and delists', () => {
    const { venue, exchange, resting, before } = heldToExpiry();
    const from = venue.events.length;
    venue.step({
      expired: [BTC_CALL, BTC_PUT, BTC_FUTURE].map((spec) => ({
        name: spec.name,
        settlementPrice: 95_000,
      })),
    });
    const callPays = (95_000 - 90_000) / 95_000;
    const futurePays = 10_000 * (1 / 84_010 - 1 / 95_000);
    const summary = exchange.summary(ACCOUNT, 'BTC');
    close(summary.balance, before + callPays + futurePays, 1e-11);
    close(summary.totalPnl, callPays - 0.0065 + 0.009 + futurePays, 1e-11);
    assert.deepEqual(exchange.positions(ACCOUNT), []);

    const cancelled = venue.of('order', from).map((e) => e.order);
    assert.deepEqual(
      cancelled.map((o) => [o.orderId, o.state, o.cancelReason]),
      [[resting.orderId, 'cancelled', 'settlement']],
    );
    assert.deepEqual(
      venue.of('position', from).map((e) => [e.position.instrument, e.position.size]),
      [
        [BTC_CALL.name, 0],
        [BTC_PUT.name, 0],
        [BTC_FUTURE.name, 0],
      ],
    );
    assert.deepEqual(
      venue.of('settlement', from).map((e) => [e.instrument, e.price]),
      [
        [BTC_CALL.name, 95_000],
        [BTC_PUT.name, 95_000],
        [BTC_FUTURE.name, 95_000],
      ],
    );
    const [listing] = venue.of('listing', from);
    assert.deepEqual(
      listing?.removed.map((i) => i.spec.name),
      [BTC_CALL.name, BTC_PUT.name, BTC_FUTURE.name],
    );
    assert.equal(venue.of('book', from).length, 0);
    assert.ok(venue.of('account', from).some((e) => e.accountId === ACCOUNT));
    const names = exchange.instruments({ currency: 'BTC' }).map((i) => i.spec.name);
    assert.ok(!names.includes(BTC_CALL.name) && !names.includes(BTC_FUTURE.name));
    assert.ok(names.length > 0);
    assert.equal(exchange.book(BTC_CALL.name), undefined);
    assert.equal(exchange.ticker(BTC_PUT.name), undefined);
    assert.equal(exchange.instrument(BTC_CALL.name), undefined);
    assert.throws(
      () =>
        exchange.place(ACCOUNT, {
          instrument: BTC_CALL.name,
          side: 'buy',
          amount: 1,
          type: 'limit',
          price: 0.004,
        }),
      (error: unknown) => error instanceof SimError && error.code === 'instrument_not_found',
    );
  });

  it('charges a short ITM put its payoff in coin', () => {
    const { venue, exchange, before } = heldToExpiry();
    venue.step({
      expired: [BTC_CALL, BTC_PUT, BTC_FUTURE].map((spec) => ({
        name: spec.name,
        settlementPrice: 75_000,
      })),
    });
    const putCosts = (80_000 - 75_000) / 75_000;
    const futureLoses = 10_000 * (1 / 84_010 - 1 / 75_000);
    close(exchange.summary(ACCOUNT, 'BTC').balance, before - putCosts + futureLoses, 1e-11);
  });

  it('pays linear options their intrinsic value in USDT', () => {
    const venue = linearVenue();
    const { exchange } = venue;
    const { fills } = exchange.place(ACCOUNT, {
      instrument: USDT_CALL.name,
      side: 'buy',
      amount: 1,
      type: 'market',
    });
    assert.deepEqual(
      fills.map((f) => [f.price, f.amount]),
      [[540, 1]],
    );
    // 0.02% of index × size, under the 7% premium cap.
    close(fills[0]!.fee, 0.0002 * 84_000);
    venue.time = USDT_CALL.expiry;
    venue.step({
      marks: new Map([[USDT_CALL.name, optionMark(USDT_CALL, 95_000, 0.5, venue.time - 1)]]),
      expired: [{ name: USDT_CALL.name, settlementPrice: 95_000 }],
    });
    close(exchange.summary(ACCOUNT, 'USDT').balance, 1_000_000 - 540 - 16.8 + 5_000, 1e-11);
    assert.deepEqual(
      exchange.instruments().map((i) => i.spec.name),
      [USDT_PERP.name],
    );
  });
});
