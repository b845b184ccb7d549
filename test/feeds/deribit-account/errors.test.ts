// Every venue error the simulator answers with, surfaced by DeribitOrderApi with the venue's
// code and words and a sentence naming what was being done; rate limits, timeouts and lost
// connections over the sim's faults.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { VenueReplyError } from '../../../src/feeds/common/errors.js';
import { deribitOrderError } from '../../../src/feeds/deribit/order-errors.js';
import { DeribitOrderApi } from '../../../src/feeds/deribit/orders.js';
import { VenueOrderError, type OrderRequest } from '../../../src/feeds/feed.js';
import type { OptionSpec } from '../../../src/instruments/types.js';
import type { RunningSim } from '../../../src/sim/server.js';
import { RpcClient } from '../../sim/support/rpc-client.js';
import {
  ACCOUNT,
  assertVenueError,
  connectAuthenticated,
  decimal,
  exchangeOf,
  openSim,
  optionOf,
  orderError,
  TestRpc,
  ticksBelow,
  topOf,
} from './support.js';

describe('Deribit order errors from the simulator', () => {
  let sim: RunningSim;
  let rpc: TestRpc;
  let api: DeribitOrderApi;
  let option: OptionSpec;

  before(async () => {
    sim = await openSim();
    rpc = await connectAuthenticated(sim);
    api = new DeribitOrderApi(rpc);
    option = optionOf(sim);
  });
  after(async () => {
    await rpc.client.close();
    await sim.close();
  });

  const buy = (fields: Partial<OrderRequest> & { label: string }): OrderRequest => ({
    instrument: option.name,
    side: 'buy',
    kind: 'limit',
    amount: '0.1',
    price: decimal(topOf(sim, option.name).bid),
    ...fields,
  });

  it('not enough funds', async () => {
    const error = await orderError(() => api.place(buy({ amount: '5000', label: 'funds-1' })));
    assertVenueError(error, {
      reason: 'insufficient-funds',
      code: 10009,
      venueMessage: 'not_enough_funds',
      says: new RegExp(
        `^not enough funds to buy 5000 ${option.name} at [0-9.]+ \\(label funds-1\\)`,
      ),
    });
  });

  it('a price off the tick', async () => {
    const { bid } = topOf(sim, option.name);
    const price = (Math.round(bid * 1e5) / 1e5 + 0.00005).toFixed(5);
    const error = await orderError(() => api.place(buy({ price, label: 'tick-1' })));
    assertVenueError(error, {
      reason: 'invalid-price',
      code: 10043,
      venueMessage: 'price_wrong_tick',
      says: new RegExp(`^price ${price} is not on the 0\\.000[15] tick: buy 0\\.1 ${option.name}`),
    });
  });

  it('an amount below the minimum and one off the lot', async () => {
    const small = await orderError(() => api.place(buy({ amount: '0.05', label: 'small-1' })));
    assertVenueError(small, {
      reason: 'invalid-amount',
      code: 10002,
      venueMessage: 'qty_too_low',
      says: /^amount 0\.05 is below the minimum of 0\.1: buy 0\.05 /,
    });
    const offLot = await orderError(() => api.place(buy({ amount: '0.15', label: 'lot-1' })));
    assertVenueError(offLot, {
      reason: 'invalid-amount',
      code: 10021,
      venueMessage: 'invalid_amount',
      says: /^amount 0\.15 is not a whole number of lots of 0\.1: /,
    });
    const perpetual = await orderError(() =>
      api.place({
        instrument: 'BTC-PERPETUAL',
        side: 'buy',
        kind: 'market',
        amount: '15',
        label: 'lot-2',
      }),
    );
    assertVenueError(perpetual, {
      reason: 'invalid-amount',
      code: 10027,
      venueMessage: 'non_integer_contract_amount',
      says: /^amount 15 is not a whole number of lots of 10: buy 15 BTC-PERPETUAL \(label lot-2\)/,
    });
  });

  it('an order that does not exist, and one that is no longer open', async () => {
    const missing = await orderError(() => api.cancel('BTC-999999999'));
    assertVenueError(missing, {
      reason: 'not-found',
      code: 10004,
      venueMessage: 'order_not_found',
      says: /^no such order of ours at the venue: cancel order BTC-999999999/,
    });
    const filled = await api.place(
      buy({ price: decimal(topOf(sim, option.name).ask), label: 'done-1' }),
    );
    assert.equal(filled.order.status, 'filled');
    const closed = await orderError(() => api.cancel(filled.order.orderId));
    assertVenueError(closed, {
      reason: 'not-open',
      code: 11044,
      venueMessage: 'not_open_order',
      says: new RegExp(`^the order is no longer open .*: cancel order ${filled.order.orderId}`),
    });
  });

  it('a reduce-only order that would grow the position', async () => {
    await api.place(buy({ price: decimal(topOf(sim, option.name).ask), label: 'long-1' }));
    const long = exchangeOf(sim).positions(ACCOUNT, { instrument: option.name })[0]?.size ?? 0;
    assert.ok(long > 0, 'the account should be long the option');
    const error = await orderError(() => api.place(buy({ reduceOnly: true, label: 'ro-1' })));
    assertVenueError(error, {
      reason: 'reduce-only-reject',
      code: 11030,
      venueMessage: 'other_reject',
      says: /^the reduce-only order would increase the position: buy 0\.1 /,
    });
  });

  it('a post-only order that would take', async () => {
    const ask = decimal(topOf(sim, option.name).ask);
    const error = await orderError(() =>
      api.place(buy({ price: ask, postOnly: true, label: 'po-1' })),
    );
    assertVenueError(error, {
      reason: 'post-only-reject',
      code: 11054,
      venueMessage: 'post_only_reject',
      says: new RegExp(
        `^the post-only order would have taken liquidity: buy 0\\.1 ${option.name} at ${ask}`,
      ),
    });
  });

  it('an unknown instrument, a stop that would fire at once, IV on a future', async () => {
    const unknown = await orderError(() =>
      api.place(buy({ instrument: 'BTC-1JAN20-1-C', label: 'unk-1' })),
    );
    assertVenueError(unknown, {
      reason: 'invalid-params',
      code: 13020,
      venueMessage: 'not_found',
      says: /^not found at the venue .*: buy 0\.1 BTC-1JAN20-1-C/,
    });
    const stop = await orderError(() =>
      api.place({
        instrument: 'BTC-PERPETUAL',
        side: 'buy',
        kind: 'stop-market',
        amount: '10',
        trigger: 'mark',
        triggerPrice: '1000',
        label: 'stop-1',
      }),
    );
    assertVenueError(stop, {
      reason: 'invalid-price',
      code: 11036,
      venueMessage: 'invalid_trigger_price',
      says: /^the trigger price would fire at once or is invalid: buy 10 BTC-PERPETUAL/,
    });
    // The edit does not name its instrument, so only the venue can refuse this one.
    const bid = topOf(sim, 'BTC-PERPETUAL').bid;
    const resting = await api.place({
      instrument: 'BTC-PERPETUAL',
      side: 'buy',
      kind: 'limit',
      amount: '10',
      price: String(Math.round(bid * 0.9)),
      label: 'perp-1',
    });
    const iv = await orderError(() =>
      api.edit({ orderId: resting.order.orderId, amount: '10', iv: '0.5' }),
    );
    assertVenueError(iv, {
      reason: 'invalid-params',
      code: 11038,
      venueMessage: 'no_adv_for_futures',
      says: /^only options can be priced in IV or USD: edit order /,
    });
    await api.cancel(resting.order.orderId);
  });

  it('a request on a connection that never authenticated', async () => {
    const anonymous = new TestRpc(await RpcClient.connect(sim.urls.deribitWs));
    try {
      const error = await orderError(() =>
        new DeribitOrderApi(anonymous).place(buy({ label: 'anon-1' })),
      );
      assertVenueError(error, {
        reason: 'unauthorized',
        code: 13009,
        venueMessage: 'unauthorized',
        says: /^not authorised to trade .*: buy 0\.1 /,
      });
    } finally {
      await anonymous.client.close();
    }
  });

  it('names venue codes the simulator never sends', () => {
    const cases: [number, string, string, boolean][] = [
      [11051, 'system_maintenance', 'maintenance', false],
      [10041, 'settlement_in_progress', 'maintenance', false],
      [10047, 'matching_engine_queue_full', 'rate-limited', false],
      [13888, 'timed_out', 'timeout', true],
      [11094, 'internal_server_error', 'rejected', true],
      [12345, 'something_new', 'rejected', false],
    ];
    for (const [code, message, reason, unknown] of cases) {
      const error = deribitOrderError(
        new VenueReplyError('private/buy', code, message),
        'buy 0.1 BTC-27NOV26-90000-C at 0.05 (label m-1)',
        { label: 'm-1' },
      );
      assert.equal(error.reason, reason, message);
      assert.equal(error.code, code);
      assert.equal(error.venueMessage, message);
      assert.equal(error.outcomeUnknown, unknown, message);
      assert.match(error.message, /buy 0\.1 BTC-27NOV26-90000-C at 0\.05 \(label m-1\)/);
      if (unknown) assert.match(error.message, /look it up by label m-1/);
    }
    const maintenance = deribitOrderError(
      new VenueReplyError('private/buy', 11051, 'system_maintenance'),
      'buy 0.1 BTC-27NOV26-90000-C at 0.05 (label m-1)',
    );
    assert.equal(
      maintenance.message,
      'the venue is under maintenance, nothing was done: buy 0.1 BTC-27NOV26-90000-C at 0.05 (label m-1) [Deribit 11051 system_maintenance]',
    );
  });
});

describe('Deribit order errors under the simulator faults', () => {
  it('too_many_requests: refused requests are named and were not placed', async () => {
    const sim = await openSim({ faults: { maxRequestsPerSec: 3 } });
    const rpc = await connectAuthenticated(sim);
    try {
      const api = new DeribitOrderApi(rpc);
      const option = optionOf(sim);
      const price = ticksBelow(topOf(sim, option.name).bid, 3);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          api.place({
            instrument: option.name,
            side: 'buy',
            kind: 'limit',
            amount: '0.1',
            price,
            label: `burst-${i}`,
          }),
        ),
      );
      const refused = outcomes.flatMap((outcome) =>
        outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
      );
      assert.ok(refused.length >= 1, 'the burst should meet the rate limit');
      for (const error of refused) {
        assert.ok(error instanceof VenueOrderError);
        assertVenueError(error, {
          reason: 'rate-limited',
          code: 10028,
          venueMessage: 'too_many_requests',
          says: /^too many requests, nothing was done; back off: buy 0\.1 .* \(label burst-\d\)/,
        });
      }
      assert.equal(rpc.count('private/buy'), 6, 'each order was sent once, none retried');
      const placed = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
      assert.equal(exchangeOf(sim).openOrders(ACCOUNT).length, placed);
    } finally {
      await rpc.client.close();
      await sim.close();
    }
  });

  it('a timeout or a lost connection: outcome unknown, the label named, never resent', async () => {
    const sim = await openSim({ faults: { replyDelayMs: 300 } });
    const rpc = await connectAuthenticated(sim);
    try {
      const option = optionOf(sim);
      const price = ticksBelow(topOf(sim, option.name).bid, 3);
      const request: OrderRequest = {
        instrument: option.name,
        side: 'buy',
        kind: 'limit',
        amount: '0.1',
        price,
        label: 'slow-1',
      };
      const timedOut = await orderError(() =>
        new DeribitOrderApi(rpc, { timeoutMs: 50 }).place(request),
      );
      assert.equal(timedOut.reason, 'timeout');
      assert.equal(timedOut.code, null);
      assert.equal(timedOut.outcomeUnknown, true);
      assert.match(timedOut.message, /no reply within 50 ms/);
      assert.match(timedOut.message, /look it up by label slow-1/);
      assert.equal(rpc.count('private/buy'), 1);
      // Why the outcome is "unknown", not "failed": the venue did place it.
      assert.equal(exchangeOf(sim).orderByLabel(ACCOUNT, 'slow-1')?.state, 'open');

      const pending = orderError(() =>
        new DeribitOrderApi(rpc, { timeoutMs: 5000 }).cancelByLabel('slow-1'),
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      rpc.client.socket.terminate();
      const lost = await pending;
      assert.equal(lost.reason, 'disconnected');
      assert.equal(lost.outcomeUnknown, true);
      assert.match(lost.message, /cancel the orders labelled slow-1/);
      assert.match(lost.message, /look it up by label slow-1/);
      assert.equal(rpc.count('private/cancel_by_label'), 1);
    } finally {
      await rpc.client.close();
      await sim.close();
    }
  });
});
