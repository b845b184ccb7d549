import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { black76Price, yearFraction } from '../../../src/pricing/index.js';
import { SimError, type SimErrorCode } from '../../../src/sim/contract.js';
import {
  ACCOUNT,
  BTC_CALL,
  BTC_INDEX,
  BTC_PERP,
  BTC_PUT,
  CALL_QUOTE,
  ETH_CALL,
  inverseMarks,
  inverseVenue,
  OTHER,
  quote,
} from './harness.js';

function close(actual: number, expected: number, tolerance = 1e-12): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `${actual} ≠ ${expected}`,
  );
}

function rejects(code: SimErrorCode, action: () => unknown): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof SimError, `not a SimError: ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  });
}

describe('taking liquidity', () => {
  it('fills a marketable buy across levels at their prices and pays premium and fee', () => {
    const venue = inverseVenue();
    const { exchange } = venue;
    const from = venue.events.length;
    const { order, fills } = exchange.place(ACCOUNT, {
      instrument: BTC_CALL.name,
      side: 'buy',
      amount: 3,
      type: 'limit',
      price: 0.007,
      label: 'first',
    });
    assert.deepEqual(
      fills.map((f) => [f.price, f.amount, f.liquidity, f.label]),
      [
        [0.0065, 2, 'taker', 'first'],
        [0.007, 1, 'taker', 'first'],
      ],
    );
    // The fee is 0.0003 coin per contract, below the 12.5% premium cap at these prices.
    close(fills[0]!.fee, 0.0006);
    close(fills[1]!.fee, 0.0003);
    assert.equal(order.state, 'filled');
    close(order.averagePrice, (2 * 0.0065 + 0.007) / 3);
    close(order.commission, 0.0009);

    const [position] = exchange.positions(ACCOUNT);
    assert.equal(position?.size, 3);
    close(position.averagePrice, (2 * 0.0065 + 0.007) / 3);
    const summary = exchange.summary(ACCOUNT, 'BTC');
    close(summary.balance, 10 - 0.02 - 0.0009);
    close(summary.feesPaid, 0.0009);
    const mark = exchange.ticker(BTC_CALL.name)!.markPrice;
    close(summary.optionsValue, 3 * mark);
    close(summary.equity, summary.balance + 3 * mark);
    close(summary.availableFunds, summary.equity);

    const trades = venue.of('trade', from);
    assert.deepEqual(
      trades.map((t) => [t.trade.tradeSeq, t.trade.price, t.trade.direction]),
      [
        [1, 0.0065, 'buy'],
        [2, 0.007, 'buy'],
      ],
    );
    assert.ok(trades.every((t) => t.trade.iv !== null && t.trade.iv > 0));
    assert.deepEqual(exchange.book(BTC_CALL.name)?.asks, [[0.007, 2]]);
    assert.equal(venue.of('book', from).length, 1);
    assert.deepEqual(
      venue.of('account', from).map((e) => [e.accountId, e.currency]),
      [[ACCOUNT, 'BTC']],
    );
  });

  it('never trades with its own resting orders', () => {
    const { exchange } = inverseVenue();
    const resting = exchange.place(ACCOUNT, {
      instrument: BTC_CALL.name,
      side: 'sell',
      amount: 1,
      type: 'limit',
      price: 0.006,
    }).order;
    const { fills } = exchange.place(ACCOUNT, {
      instrument: BTC_CALL.name,
      side: 'buy',
      amount: 1,
      type: 'limit',
      price: 0.0065,
      timeInForce: 'immediate_or_cancel',
    });
    assert.deepEqual(
      fills.map((f) => f.price),
      [0.0065],
    );
    assert.equal(exchange.order(ACCOUNT, resting.orderId)?.state, 'open');
  });

  it('market orders take what there is and cancel the rest', () => {
    const { exchange } = inverseVenue();
    const { order, fills } = exchange.place(ACCOUNT, {
      instrument: BTC_CALL.name,
      side: 'buy',
      amount: 6,
      type: 'market',
    });
    assert.deepEqual(
      fills.map((f) => [f.price, f.amount]),
      [
        [0.0065, 2],
        [0.007, 3],
      ],
    );
    assert.equal(order.state, 'cancelled');
    assert.equal(order.filledAmount, 5);
    assert.equal(order.cancelReason, 'ioc');
    assert.deepEqual(exchange.book(BTC_CALL.name)?.asks, []);
  });

  it('market_limit fills at the best price and rests the rest there', () => {
    const { exchange } = inverseVenue();
    const { order, fills } = exchange.place(ACCOUNT, {
      instrument: BTC_CALL.name,
      side: 'buy',
      amount: 4,
      type: 'market_limit',
    });
    assert.deepEqual(
      fills.map((f) => [f.price, f.amount]),
      [[0.0065, 2]],
    );
    assert.equal(order.state, 'open');
    assert.equal(order.price, 0.0065);
    assert.equal(order.filledAmount, 2);
    assert.deepEqual(exchange.book(BTC_CALL.name)?.bids[0], [0.0065, 2]);
    assert.deepEqual(
      exchange.openOrders(ACCOUNT).map((o) => o.orderId),
      [order.orderId],
    );
  });

  it('immediate-or-cancel cancels the unfilled rest', () => {
    const { exchange } = inverseVenue();
    const { order, fills } = exchange.place(ACCOUNT, {
      instrument: BTC_CALL.name,
      side: 'buy',
      amount: 4,
      type: 'limit',
      price: 0.0065,
      timeInForce: 'immediate_or_cancel',
    });
    assert.equal(fills.length, 1);
    assert.equal(order.filledAmount, 2);
    assert.equal(order.state, 'cancelled');
    assert.equal(order.cancelReason, 'ioc');
    assert.deepEqual(exchange.openOrders(ACCOUNT), []);
  });

  it('fill-or-kill fills whole or ends cancelled without fills', () => {
    const venue = inverseVenue();
    const { exchange } = venue;
    const before = exchange.book(BTC_CALL.name);
    const from = venue.events.length;
    const killed = exchange.place(ACCOUNT, {
      instrument: BTC_CALL.name,
      side: 'buy',
      amount: 6,
      type: 'limit',
      price: 0.007,
      timeInForce: 'fill_or_kill',
    });
    assert.deepEqual(killed.fills, []);
    assert.equal(killed.order.state, 'cancelled');
    assert.equal(killed.order.cancelReason, 'fok');
    assert.equal(venue.of('trade', from).length, 0);
    assert.deepEqual(exchange.book(BTC_CALL.name), before);

    const filled = exchange.place(ACCOUNT, {
      instrument: BTC_CALL.name,
      side: 'buy',
      amount: 5,
      type: 'limit',
      price: 0.007,
      timeInForce: 'fill_or_kill',
    });
    assert.equal(filled.order.state, 'filled');
    assert.equal(
      filled.fills.reduce((sum, f) => sum + f.amount, 0),
      5,
    );
  });
});

describe('resting orders', () => {
  it('fill as maker at their own price when the market makers quote through them', () => {
    const venue = inverseVenue();
    const { exchange } = venue;
    const { order } = exchange.place(ACCOUNT, {
      instrument: BTC_CALL.name,
      side: 'buy',
      amount: 1,
      type: 'limit',
      price: 0.006,
      label: 'dip',
    });
    assert.equal(order.state, 'open');
    assert.deepEqual(exchange.book(BTC_CALL.name)?.bids[0], [0.006, 1]);
    const from = venue.events.length;
    venue.step({ quotes: { [BTC_CALL.name]: quote([0.005, 4], [0.0055, 3]) } }, 1_000);
    const fills = venue.of('fill', from).map((e) => e.fill);
    assert.deepEqual(
      fills.map((f) => [f.orderId, f.price, f.amount, f.liquidity, f.label]),
      [[order.orderId, 0.006, 1, 'maker', 'dip']],
    );
    assert.equal(venue.of('trade', from)[0]?.trade.direction, 'sell');
    assert.equal(exchange.order(ACCOUNT, order.orderId)?.state, 'filled');
    assert.equal(exchange.positions(ACCOUNT)[0]?.size, 1);
    // The makers' ask lost what it sold to the order.
    assert.deepEqual(exchange.book(BTC_CALL.name)?.asks, [[0.0055, 2]]);
    close(exchange.summary(ACCOUNT, 'BTC').balance, 10 - 0.006 - 0.0003);
  });

  it('fill when the model taker hits them, oldest first at a price', () => {
    const venue = inverseVenue();
    const { exchange } = venue;
    const first = exchange.place(ACCOUNT, {
      instrument: BTC_CALL.name,
      side: 'sell',
      amount: 1,
      type: 'limit',
      price: 0.006,
    }).order;
    const second = exchange.place(OTHER, {
      instrument: BTC_CALL.name,
      side: 'sell',
      amount: 1,
      type: 'limit',
      price: 0.006,
    }).order;
    const from = venue.events.length;
    venue.step({ takers: [{ instrument: BTC_CALL.name, side: 'buy', amount: 1 }] }, 1_000);
    assert.deepEqual(
      venue.of('fill', from).map((e) => [e.fill.orderId, e.fill.liquidity, e.fill.price]),
      [[first.orderId, 'maker', 0.006]],
    );
    assert.equal(exchange.order(OTHER, second.orderId)?.state, 'open');
    assert.equal(exchange.positions(ACCOUNT)[0]?.size, -1);
    close(exchange.summary(ACCOUNT, 'BTC').balance, 10 + 0.006 - 0.0003);

    venue.step({ takers: [{ instrument: BTC_CALL.name, side: 'buy', amount: 1.5 }] }, 1_000);
    assert.equal(exchange.order(OTHER, second.orderId)?.state, 'filled');
    assert.deepEqual(exchange.book(BTC_CALL.name)?.asks[0], [0.0065, 1.5]);
  });

  it('cancel takes an order off the book; cancelling again is refused', () => {
    const venue = inverseVenue();
    const { exchange } = venue;
    const { order } = exchange.place(ACCOUNT, {
      instrument: BTC_CALL.name,
      side: 'buy',
      amount: 1,
      type: 'limit',
      price: 0.006,
    });
    const cancelled = exchange.cancel(ACCOUNT, order.orderId);
    assert.equal(cancelled.state, 'cancelled');
    assert.equal(cancelled.cancelReason, 'user');
    assert.deepEqual(exchange.book(BTC_CALL.name)?.bids[0], [0.0055, 5]);
    rejects('not_open_order', () => exchange.cancel(ACCOUNT, order.orderId));
    rejects('order_not_found', () => exchange.cancel(ACCOUNT, 'BTC-999999'));
    const theirs = exchange.place(OTHER, {
      instrument: BTC_CALL.name,
      side: 'buy',
      amount: 1,
      type: 'limit',
      price: 0.005,
    }).order;
    rejects('order_not_found', () => exchange.cancel(ACCOUNT, theirs.orderId));
  });

  it('cancelAll filters by currency, kind, instrument and label', () => {
    const { exchange } = inverseVenue();
    const place = (account: string, instrument: string, price: number, label: string): string =>
      exchange.place(account, {
        instrument,
        side: 'buy',
        amount: instrument === BTC_PERP.name ? 10 : instrument === ETH_CALL.name ? 1 : 0.1,
        type: 'limit',
        price,
        label,
      }).order.orderId;
    const call = place(ACCOUNT, BTC_CALL.name, 0.004, 'a');
    const put = place(ACCOUNT, BTC_PUT.name, 0.008, 'b');
    const eth = place(ACCOUNT, ETH_CALL.name, 0.009, 'a');
    const perp = place(ACCOUNT, BTC_PERP.name, 80_000, 'c');
    const call2 = place(ACCOUNT, BTC_CALL.name, 0.0041, 'd');
    const theirs = place(OTHER, BTC_CALL.name, 0.004, 'a');

    const ids = (orders: readonly { orderId: string }[]): string[] => orders.map((o) => o.orderId);
    assert.deepEqual(ids(exchange.cancelAll(ACCOUNT, { currency: 'ETH' })), [eth]);
    assert.deepEqual(ids(exchange.cancelAll(ACCOUNT, { kind: 'perpetual' })), [perp]);
    assert.deepEqual(ids(exchange.cancelAll(ACCOUNT, { label: 'a' })), [call]);
    assert.deepEqual(ids(exchange.cancelAll(ACCOUNT, { instrument: BTC_CALL.name })), [call2]);
    assert.deepEqual(ids(exchange.openOrders(ACCOUNT)), [put]);
    assert.deepEqual(ids(exchange.cancelAll(ACCOUNT)), [put]);
    assert.deepEqual(ids(exchange.openOrders(OTHER)), [theirs]);
    assert.equal(exchange.orderByLabel(ACCOUNT, 'c')?.orderId, perp);
    assert.equal(exchange.orderByLabel(ACCOUNT, 'c')?.state, 'cancelled');
    assert.equal(exchange.orderByLabel(ACCOUNT, 'zzz'), undefined);
  });

  it('edit moves price and amount; an edit through the touch trades', () => {
    const venue = inverseVenue();
    const { exchange } = venue;
    const { order } = exchange.place(ACCOUNT, {
      instrument: BTC_CALL.name,
      side: 'buy',
      amount: 1,
      type: 'limit',
      price: 0.005,
    });
    assert.deepEqual(exchange.book(BTC_CALL.name)?.bids, [
      [0.0055, 5],
      [0.005, 11],
    ]);
    const moved = exchange.edit(ACCOUNT, { orderId: order.orderId, price: 0.006, amount: 2 });
    assert.equal(moved.order.price, 0.006);
    assert.equal(moved.order.amount, 2);
    assert.deepEqual(exchange.book(BTC_CALL.name)?.bids, [
      [0.006, 2],
      [0.0055, 5],
      [0.005, 10],
    ]);
    const crossed = exchange.edit(ACCOUNT, { orderId: order.orderId, price: 0.0065 });
    assert.deepEqual(
      crossed.fills.map((f) => [f.price, f.amount]),
      [[0.0065, 2]],
    );
    assert.equal(crossed.order.state, 'filled');
    rejects('not_open_order', () => exchange.edit(ACCOUNT, { orderId: order.orderId, amount: 3 }));
    rejects('order_not_found', () => exchange.edit(ACCOUNT, { orderId: 'nope', amount: 3 }));
  });
});

describe('order flags', () => {
  it('reduce_only refuses to grow a position and stops at flat', () => {
    const { exchange } = inverseVenue();
    const buyReduce = {
      instrument: BTC_CALL.name,
      side: 'buy',
      amount: 1,
      type: 'limit',
      price: 0.0065,
      reduceOnly: true,
    } as const;
    rejects('reduce_only_increase', () => exchange.place(ACCOUNT, buyReduce));
    exchange.place(ACCOUNT, { ...buyReduce, reduceOnly: false });
    rejects('reduce_only_increase', () => exchange.place(ACCOUNT, buyReduce));
    const { order, fills } = exchange.place(ACCOUNT, {
      instrument: BTC_CALL.name,
      side: 'sell',
      amount: 2,
      type: 'limit',
      price: 0.0055,
      reduceOnly: true,
    });
    assert.deepEqual(
      fills.map((f) => f.amount),
      [1],
    );
    assert.equal(order.state, 'cancelled');
    assert.equal(order.cancelReason, 'reduce_only');
    assert.deepEqual(exchange.positions(ACCOUNT), []);
  });

  it('post_only reprices one tick inside the touch, or rejects when asked to', () => {
    const { exchange } = inverseVenue();
    const request = {
      instrument: BTC_CALL.name,
      side: 'buy',
      amount: 1,
      type: 'limit',
      price: 0.007,
      postOnly: true,
    } as const;
    const { order, fills } = exchange.place(ACCOUNT, request);
    assert.deepEqual(fills, []);
    assert.equal(order.repriced, true);
    assert.equal(order.price, 0.006);
    assert.equal(order.state, 'open');
    rejects('post_only_reject', () =>
      exchange.place(ACCOUNT, { ...request, rejectPostOnly: true }),
    );
    const passive = exchange.place(ACCOUNT, { ...request, price: 0.006, rejectPostOnly: true });
    assert.equal(passive.order.repriced, false);
    assert.equal(passive.order.price, 0.006);
    // A sell through the bid goes one tick above it (0.0005 above the 0.005 step).
    const sell = exchange.place(ACCOUNT, {
      instrument: ETH_CALL.name,
      side: 'sell',
      amount: 1,
      type: 'limit',
      price: 0.0045,
      postOnly: true,
    });
    assert.equal(sell.order.price, 0.0105);
  });

  it('stop_market waits for the mark, then trades; one that would fire at once is refused', () => {
    const venue = inverseVenue();
    const { exchange } = venue;
    const mark = exchange.ticker(BTC_CALL.name)!.markPrice;
    assert.ok(mark > 0.006 && mark < 0.0062);
    rejects('would_trigger_immediately', () =>
      exchange.place(ACCOUNT, {
        instrument: BTC_CALL.name,
        side: 'buy',
        amount: 1,
        type: 'stop_market',
        triggerPrice: 0.006,
        trigger: 'mark_price',
      }),
    );
    const { order } = exchange.place(ACCOUNT, {
      instrument: BTC_CALL.name,
      side: 'buy',
      amount: 1,
      type: 'stop_market',
      triggerPrice: 0.0062,
      trigger: 'mark_price',
    });
    assert.equal(order.state, 'untriggered');
    assert.deepEqual(exchange.book(BTC_CALL.name)?.bids[0], [0.0055, 5]);
    venue.step({ marks: inverseMarks(venue.time + 1_000, BTC_INDEX, 0.49) }, 1_000);
    assert.equal(exchange.order(ACCOUNT, order.orderId)?.state, 'untriggered');
    const from = venue.events.length;
    venue.step({ marks: inverseMarks(venue.time + 1_000, BTC_INDEX, 0.55) }, 1_000);
    assert.ok(exchange.ticker(BTC_CALL.name)!.markPrice > 0.0062);
    const after = exchange.order(ACCOUNT, order.orderId);
    assert.equal(after?.state, 'filled');
    assert.equal(after?.averagePrice, 0.0065);
    assert.deepEqual(
      venue.of('fill', from).map((e) => [e.fill.orderId, e.fill.liquidity]),
      [[order.orderId, 'taker']],
    );
  });

  it('IV orders sit at the price the IV implies on the forward and follow it', () => {
    const venue = inverseVenue();
    const { exchange } = venue;
    const iv = 0.4;
    const expected = (forward: number, side: 'buy' | 'sell'): number => {
      const years = yearFraction(venue.time, BTC_CALL.expiry);
      const coin = black76Price(forward, BTC_CALL.strike, years, iv, 'call') / forward;
      // Below 0.005 the grid is 0.0001; buys round down, sells up.
      const ticks = coin / 0.0001;
      return Number(((side === 'buy' ? Math.floor(ticks) : Math.ceil(ticks)) * 0.0001).toFixed(4));
    };
    const buy = exchange.place(ACCOUNT, {
      instrument: BTC_CALL.name,
      side: 'buy',
      amount: 1,
      type: 'limit',
      iv,
    }).order;
    assert.ok(expected(BTC_INDEX, 'buy') < 0.005);
    assert.equal(buy.price, expected(BTC_INDEX, 'buy'));
    assert.equal(buy.iv, iv);
    const sell = exchange.place(OTHER, {
      instrument: BTC_CALL.name,
      side: 'sell',
      amount: 1,
      type: 'limit',
      iv: 0.6,
    }).order;
    assert.equal(sell.state, 'open');
    assert.ok(sell.price! > buy.price);

    const from = venue.events.length;
    venue.step({ marks: inverseMarks(venue.time + 60_000, 85_000) }, 60_000);
    const moved = exchange.order(ACCOUNT, buy.orderId)!;
    assert.equal(moved.price, expected(85_000, 'buy'));
    assert.ok(moved.price > buy.price);
    assert.equal(moved.iv, iv);
    assert.ok(venue.of('order', from).some((e) => e.order.orderId === buy.orderId));
    assert.ok(exchange.book(BTC_CALL.name)!.bids.some(([price]) => price === moved.price));

    const edited = exchange.edit(ACCOUNT, { orderId: buy.orderId, iv: 0.3 }).order;
    assert.ok(edited.price! < moved.price);
    assert.equal(edited.iv, 0.3);
  });
});

describe('order validation', () => {
  const withoutPrice = {
    instrument: BTC_CALL.name,
    side: 'buy',
    amount: 1,
    type: 'limit',
  } as const;
  const base = { ...withoutPrice, price: 0.004 };

  it('answers each bad request with its SimError code', () => {
    const { exchange } = inverseVenue();
    rejects('instrument_not_found', () =>
      exchange.place(ACCOUNT, { ...base, instrument: 'BTC-1JAN27-1-C' }),
    );
    rejects('amount_off_lot', () => exchange.place(ACCOUNT, { ...base, amount: 0.15 }));
    rejects('amount_below_minimum', () => exchange.place(ACCOUNT, { ...base, amount: 0.05 }));
    rejects('amount_off_lot', () =>
      exchange.place(ACCOUNT, { ...base, instrument: BTC_PERP.name, amount: 15, price: 80_000 }),
    );
    rejects('invalid_params', () => exchange.place(ACCOUNT, { ...base, amount: -1 }));
    rejects('price_off_tick', () => exchange.place(ACCOUNT, { ...base, price: 0.00612 }));
    // Above 0.005 the tick is 0.0005: 0.0052 is off it, 0.0048 below the step is fine.
    rejects('price_off_tick', () => exchange.place(ACCOUNT, { ...base, price: 0.0052 }));
    assert.equal(exchange.place(ACCOUNT, { ...base, price: 0.0048 }).order.state, 'open');
    // Float noise is not an off-tick price.
    assert.equal(exchange.place(ACCOUNT, { ...base, price: 0.0001 * 3 }).order.price, 0.0003);
    rejects('price_off_tick', () =>
      exchange.place(ACCOUNT, { ...base, instrument: BTC_PERP.name, amount: 10, price: 80_000.2 }),
    );
    rejects('invalid_params', () => exchange.place(ACCOUNT, withoutPrice));
    rejects('invalid_params', () =>
      exchange.place(ACCOUNT, { ...withoutPrice, instrument: BTC_PERP.name, amount: 10, iv: 0.5 }),
    );
    rejects('invalid_params', () =>
      exchange.place(ACCOUNT, { ...withoutPrice, type: 'stop_market' }),
    );
    rejects('not_enough_funds', () =>
      exchange.place(ACCOUNT, { ...base, amount: 2_000, price: 0.007 }),
    );
    rejects('order_not_found', () => exchange.edit(ACCOUNT, { orderId: 'x', price: 0.004 }));
    rejects('reduce_only_increase', () =>
      exchange.place(ACCOUNT, { ...base, side: 'sell', reduceOnly: true }),
    );
    rejects('post_only_reject', () =>
      exchange.place(ACCOUNT, { ...base, price: 0.0065, postOnly: true, rejectPostOnly: true }),
    );
    rejects('would_trigger_immediately', () =>
      exchange.place(ACCOUNT, {
        ...withoutPrice,
        side: 'sell',
        type: 'stop_market',
        triggerPrice: 0.007,
      }),
    );
    const order = exchange.place(ACCOUNT, base).order;
    exchange.cancel(ACCOUNT, order.orderId);
    rejects('not_open_order', () => exchange.cancel(ACCOUNT, order.orderId));
  });

  it('refuses what the balance cannot carry: shorts by margin, buys by premium', () => {
    const { exchange } = inverseVenue();
    // A short call posts max(0.15 − OTM/F, 0.1) coin plus its mark: about 0.106 BTC each.
    rejects('not_enough_funds', () =>
      exchange.place(ACCOUNT, { ...base, side: 'sell', amount: 100, price: 0.0065 }),
    );
    const fits = exchange.place(ACCOUNT, { ...base, side: 'sell', amount: 80, price: 0.0065 });
    assert.equal(fits.order.state, 'open');
    const reserved = exchange.summary(ACCOUNT, 'BTC');
    assert.ok(reserved.initialMargin > 8 && reserved.initialMargin < 9);
    close(reserved.availableFunds, reserved.equity - reserved.initialMargin);
    // Open orders tie their margin up: the next order meets what is left.
    rejects('not_enough_funds', () =>
      exchange.place(ACCOUNT, { ...base, side: 'sell', amount: 20, price: 0.0065 }),
    );
    // A buy needs its premium: 10 BTC buys fewer than 10 / 0.0065 calls.
    rejects('not_enough_funds', () =>
      exchange.place(OTHER, { ...base, amount: 1_600, price: 0.0065 }),
    );
    rejects('not_enough_funds', () =>
      exchange.place(OTHER, {
        instrument: BTC_PERP.name,
        side: 'buy',
        amount: 50_000_000,
        type: 'market',
      }),
    );
    assert.deepEqual(exchange.positions(OTHER), []);
  });

  it('keeps unknown and other accounts apart', () => {
    const { exchange } = inverseVenue();
    assert.equal(exchange.order(ACCOUNT, 'BTC-1'), undefined);
    assert.deepEqual(exchange.openOrders('nobody'), []);
    assert.deepEqual(exchange.accountCurrencies(ACCOUNT), ['BTC', 'ETH']);
    assert.equal(exchange.summary('nobody', 'BTC').balance, 10);
    assert.equal(exchange.instrument(BTC_PUT.name)?.spec.name, BTC_PUT.name);
    assert.deepEqual(exchange.book(BTC_CALL.name)?.bids, [
      [CALL_QUOTE.bids[0], CALL_QUOTE.bids[1]],
      [CALL_QUOTE.bids[2], CALL_QUOTE.bids[3]],
    ]);
  });
});
