import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AccountState } from '../../src/book/account-state.js';
import type { OrderEvent } from '../../src/book/events.js';
import { buildOrdersView } from '../../src/view/orders-view.js';

const VENUE = 'deribit';
const NOW = Date.UTC(2026, 10, 20, 7, 0);

function order(orderId: string, fields: Partial<OrderEvent> = {}): OrderEvent {
  return {
    kind: 'order',
    venue: VENUE,
    ts: NOW - 1000,
    orderId,
    label: null,
    instrument: 'BTC-27NOV26-100000-C',
    side: 'buy',
    orderType: 'limit',
    status: 'open',
    price: 0.0215,
    iv: null,
    triggerPrice: null,
    amount: 1.5,
    filled: 0,
    averagePrice: null,
    postOnly: false,
    reduceOnly: false,
    reason: null,
    ...fields,
  };
}

const neverSeen = (): undefined => undefined;

describe('buildOrdersView', () => {
  it("copies an order's fields into its row", () => {
    const view = buildOrdersView(
      [
        order('7', {
          side: 'sell',
          label: 'ladder-3',
          iv: 0.5234,
          filled: 0.5,
          createdTs: NOW - 65_000,
          orderType: 'limit',
        }),
      ],
      NOW,
      neverSeen,
      (orderId) => (orderId === '7' ? 4 : undefined),
    );
    assert.deepEqual(view.rows, [
      {
        orderId: '7',
        number: 4,
        instrument: 'BTC-27NOV26-100000-C',
        side: 'sell',
        orderType: 'limit',
        amount: 1.5,
        price: 0.0215,
        triggerPrice: null,
        iv: 0.5234,
        filled: 0.5,
        label: 'ladder-3',
        ageMs: 65_000,
        status: 'open',
      },
    ]);
  });

  it("carries a stop's trigger price (issue 16 #18)", () => {
    const view = buildOrdersView(
      [
        order('stop', {
          status: 'untriggered',
          orderType: 'stop-market',
          price: null,
          triggerPrice: 85_000,
        }),
      ],
      NOW,
      neverSeen,
    );
    assert.equal(view.rows[0]!.triggerPrice, 85_000);
  });

  it('keeps open and untriggered orders only', () => {
    const view = buildOrdersView(
      [
        order('open'),
        order('stop', { status: 'untriggered', orderType: 'stop-market', price: null }),
        order('filled', { status: 'filled', filled: 1.5 }),
        order('cancelled', { status: 'cancelled' }),
        order('rejected', { status: 'rejected' }),
      ],
      NOW,
      neverSeen,
    );
    assert.deepEqual(view.rows.map((row) => row.orderId).sort(), ['open', 'stop']);
  });

  it("ages from the venue's creation time, else first sight, else zero; newest first", () => {
    const seen = new Map([
      ['b', NOW - 30_000],
      ['c', NOW - 5_000],
      // The venue's creation time wins over when ivtrade saw it.
      ['a', NOW - 1_000],
    ]);
    const view = buildOrdersView(
      [
        order('a', { createdTs: NOW - 3_600_000 }),
        order('b'),
        order('c'),
        order('d'),
        // A venue clock ahead of ours does not make a negative age.
        order('e', { createdTs: NOW + 400 }),
      ],
      NOW,
      (orderId) => seen.get(orderId),
    );
    assert.deepEqual(
      view.rows.map((row) => [row.orderId, row.ageMs]),
      [
        ['d', 0],
        ['e', 0],
        ['c', 5_000],
        ['b', 30_000],
        ['a', 3_600_000],
      ],
    );
  });

  it("takes AccountState's orders: a fill or cancel removes the row", () => {
    const account = new AccountState();
    account.apply(order('1', { createdTs: NOW - 20_000 }));
    account.apply(order('2', { createdTs: NOW - 10_000, side: 'sell', label: 'hedge' }));
    account.apply(order('3', { createdTs: NOW - 5_000 }));
    account.apply(order('3', { ts: NOW, status: 'filled', filled: 1.5, createdTs: NOW - 5_000 }));
    account.apply(order('1', { ts: NOW, status: 'cancelled', createdTs: NOW - 20_000 }));
    const view = buildOrdersView(account.orders(VENUE), NOW, neverSeen);
    assert.deepEqual(
      view.rows.map((row) => [row.orderId, row.side, row.label, row.ageMs]),
      [['2', 'sell', 'hedge', 10_000]],
    );
    assert.deepEqual(buildOrdersView(new AccountState().orders(VENUE), NOW, neverSeen).rows, []);
  });
});
