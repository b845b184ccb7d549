// One order, not all of them, through each venue's real adapter against the sim: `e<k>`
// moves one order's price and size, `c<k>` cancels just it, an order that closed is answered
// clearly and nothing is sent for it, an amend the venue finds filled is said and never
// resent, and `f` closes a position reduce-only, never past flat, even when the position
// shrank under a resting flatten. The sim's order log is the witness of what was sent.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import { EngineMarket } from '../../src/app/gateway-market.js';
import type { OrderEvent } from '../../src/book/events.js';
import type { SimEditRequest } from '../../src/sim/contract.js';
import { waitFor } from '../support/wait.js';
import {
  closeSimSession,
  openSimSession,
  tradableCall,
  simOrderLog,
  type SimSession,
} from './support/sim-session.js';

function openOrders(session: SimSession, venue: string): OrderEvent[] {
  return session.engine.account.orders(venue);
}

function numberOf(session: SimSession, venue: string, order: OrderEvent): number {
  const number = session.engine.account.orderNumber(venue, order.orderId);
  assert.ok(number !== undefined, `${order.orderId} has no number`);
  return number;
}

async function run(session: SimSession, line: string): Promise<string> {
  const before = session.notes.length;
  const result = session.runner.run(line, null);
  assert.ok(result.ok, `${line}: ${JSON.stringify(result)}`);
  await session.runner.settled();
  return session.notes.slice(before).join('\n');
}

async function oneOrder(venue: 'deribit' | 'bybit'): Promise<void> {
  const session = await openSimSession(venue);
  try {
    const call = await tradableCall(session);
    const tick = new Decimal(call.tickSize);
    const min = new Decimal(call.minSize);
    await run(session, `i ${call.name}`);

    // Two bids far under the market, numbered as they come.
    await run(session, `a1 ${tick.toString()} ${tick.times(2).toString()} 2`);
    const resting = await waitFor('two bids resting', () => {
      const open = openOrders(session, venue);
      return open.length === 2 ? open : undefined;
    });
    const [low, high] = [...resting].sort((a, b) => (a.price ?? 0) - (b.price ?? 0));
    const lowNumber = numberOf(session, venue, low!);
    const highNumber = numberOf(session, venue, high!);
    assert.notEqual(lowNumber, highNumber);

    // e<k> <price>: one edit of that order, to the new price; the other is untouched.
    const newPrice = tick.times(3);
    const moved = await run(session, `e${lowNumber} ${newPrice.toString()}`);
    assert.match(moved, new RegExp(`#${lowNumber} amended: buy`), moved);
    let log = simOrderLog(session);
    const edit = log.at(-1)!;
    assert.equal(edit.action, 'edit');
    assert.equal(edit.outcome, 'ok');
    assert.deepEqual(edit.orderIds, [low!.orderId]);
    assert.equal((edit.request as SimEditRequest).price, newPrice.toNumber());
    await waitFor('the new price on the stream', () =>
      session.engine.account.order(venue, low!.orderId)?.price === newPrice.toNumber()
        ? true
        : undefined,
    );
    assert.equal(
      session.engine.account.order(venue, high!.orderId)?.price,
      tick.times(2).toNumber(),
    );

    // e<k> x<n>: its size, in multiples of the multiplier, at the price it has.
    await run(session, `e${lowNumber} x3`);
    log = simOrderLog(session);
    assert.equal((log.at(-1)!.request as SimEditRequest).amount, min.times(3).toNumber());
    assert.equal((log.at(-1)!.request as SimEditRequest).price, newPrice.toNumber());

    // c<k>: that order only.
    const cancelled = await run(session, `c${highNumber}`);
    assert.match(cancelled, new RegExp(`#${highNumber} cancelled`), cancelled);
    log = simOrderLog(session);
    assert.equal(log.at(-1)!.action, 'cancel');
    assert.deepEqual(log.at(-1)!.orderIds, [high!.orderId]);
    await waitFor('one bid left', () =>
      openOrders(session, venue).length === 1 ? true : undefined,
    );
    assert.equal(openOrders(session, venue)[0]!.orderId, low!.orderId);

    // Orders that are closed or never were: said, and nothing reaches the venue.
    const sent = simOrderLog(session).length;
    for (const [line, said] of [
      [`c${highNumber}`, new RegExp(`order #${highNumber} .* is cancelled`)],
      [`e${highNumber} ${tick.toString()}`, new RegExp(`order #${highNumber} .* is cancelled`)],
      ['c99', /no order #99 \(the orders panel shows the numbers\)/],
    ] as const) {
      assert.match(await run(session, line), said, line);
    }
    assert.equal(simOrderLog(session).length, sent);

    // An amend the venue finds filled meanwhile: said so, sent once, never again.
    await run(session, 'aw1');
    const taken = await waitFor('the taker order filled', () =>
      session.engine.account
        .fills(venue)
        .find((fill) => fill.instrument === call.name && fill.side === 'buy'),
    );
    const beforeEdit = simOrderLog(session).length;
    const late = await session.gateway.amend({
      venue,
      orderId: taken.orderId,
      label: taken.label,
      name: '#late',
      instrument: call.name,
      side: 'buy',
      amount: min.toString(),
      price: tick.toString(),
    });
    assert.equal(late.ok, false);
    assert.equal(late.closed, true);
    assert.match(late.message, /#late is no longer open at .*nothing amended/, late.message);
    // Deribit's sim books the refused edit; Bybit's refuses it at the door ("Order does not
    // exist"), before its exchange core logs anything. Either way: at most one, refused.
    const edits = simOrderLog(session).slice(beforeEdit);
    assert.ok(edits.length <= 1, JSON.stringify(edits));
    for (const entry of edits) assert.deepEqual([entry.action, entry.outcome], ['edit', 'error']);
    if (venue === 'deribit') assert.equal(edits.length, 1);

    // f: a reduce-only order for the whole position, the other way, at market.
    await run(session, 'c' + String(lowNumber));
    await run(session, 'aw1');
    const held = await waitFor('two lots held', () => {
      const position = session.engine.account.position(venue, call.name);
      return position !== undefined && Math.abs(position.size - min.times(2).toNumber()) < 1e-9
        ? position
        : undefined;
    });
    assert.ok(held.size > 0);
    // A flatten resting far above the market: the position shrinks under it meanwhile.
    const ask = new EngineMarket(session.engine.market).touch(venue, call.name).ask!;
    const far = new Decimal(ask).times(3).toDecimalPlaces(8).toString();
    await run(session, `f ${far}`);
    const flatten = await waitFor('the flatten resting', () =>
      openOrders(session, venue).find((order) => order.side === 'sell'),
    );
    assert.equal(flatten.reduceOnly, true);
    assert.equal(flatten.postOnly, false);
    assert.equal(flatten.amount, min.times(2).toNumber());
    await run(session, 'ds1');
    await waitFor('one lot left', () => {
      const position = session.engine.account.position(venue, call.name);
      return position !== undefined && Math.abs(position.size - min.toNumber()) < 1e-9
        ? true
        : undefined;
    });
    // Moved to the bid, the two-lot flatten closes the one lot left and goes no further.
    const bid = new EngineMarket(session.engine.market).touch(venue, call.name).bid!;
    await run(session, `e${numberOf(session, venue, flatten)} ${bid}`);
    await waitFor(
      () => `flat; notes:\n${session.notes.join('\n')}`,
      () => (session.engine.account.position(venue, call.name) === undefined ? true : undefined),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(session.engine.account.position(venue, call.name), undefined, 'never short');
    const sold = session.engine.account
      .fills(venue)
      .filter((fill) => fill.instrument === call.name && fill.side === 'sell')
      .reduce((sum, fill) => sum + fill.size, 0);
    assert.ok(Math.abs(sold - min.times(2).toNumber()) < 1e-9, `sold ${sold}`);

    // f with nothing held: said, nothing sent.
    const quiet = simOrderLog(session).length;
    assert.match(await run(session, 'f'), /no position in .* to flatten/);
    assert.equal(simOrderLog(session).length, quiet);
    await run(session, 'ca');
  } finally {
    await closeSimSession(session);
  }
}

async function flattenAtMarket(venue: 'deribit' | 'bybit'): Promise<void> {
  const session = await openSimSession(venue);
  try {
    const call = await tradableCall(session);
    await run(session, `i ${call.name}`);
    await run(session, 'ds2');
    await waitFor('a short position', () => {
      const position = session.engine.account.position(venue, call.name);
      return position !== undefined && position.size < 0 ? true : undefined;
    });
    const said = await run(session, 'f');
    const order = simOrderLog(session).at(-1)!;
    assert.equal(order.action, 'place');
    const request = order.request as { side: string; reduceOnly?: boolean; amount: number };
    assert.equal(request.side, 'buy');
    assert.equal(request.reduceOnly, true);
    assert.equal(request.amount, call.minSize * 2);
    await waitFor(
      () => `flat after f; ${said}`,
      () => (session.engine.account.position(venue, call.name) === undefined ? true : undefined),
    );
  } finally {
    await closeSimSession(session);
  }
}

describe('one order at a time against the sim', () => {
  for (const venue of ['deribit', 'bybit'] as const) {
    it(`${venue}: e<k> moves one order, c<k> cancels it, a closed one is said, f never overshoots`, async () => {
      await oneOrder(venue);
    });
    it(`${venue}: f closes a short at market, reduce-only`, async () => {
      await flattenAtMarket(venue);
    });
  }
});
