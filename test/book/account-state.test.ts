import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { AccountState, type AccountChange } from '../../src/book/account-state.js';
import type {
  AccountEvent,
  AccountSnapshotEvent,
  BalanceEvent,
  FillEvent,
  OrderEvent,
  PositionEvent,
} from '../../src/book/events.js';

const A = 'venue-a';
const B = 'venue-b';

function order(fields: Partial<OrderEvent> & Pick<OrderEvent, 'orderId' | 'ts'>): OrderEvent {
  return {
    kind: 'order',
    venue: A,
    label: null,
    instrument: 'BTC-27NOV26-100000-C',
    side: 'buy',
    orderType: 'limit',
    status: 'open',
    price: 0.05,
    iv: null,
    triggerPrice: null,
    amount: 1,
    filled: 0,
    averagePrice: null,
    postOnly: false,
    reduceOnly: false,
    reason: null,
    ...fields,
  };
}

function fill(fields: Partial<FillEvent> & Pick<FillEvent, 'tradeId' | 'ts'>): FillEvent {
  return {
    kind: 'fill',
    venue: A,
    orderId: 'o1',
    label: null,
    instrument: 'BTC-27NOV26-100000-C',
    side: 'buy',
    price: 0.05,
    size: 0.5,
    liquidity: 'maker',
    fee: 0.0001,
    feeCurrency: 'BTC',
    iv: null,
    indexPrice: null,
    ...fields,
  };
}

function position(
  fields: Partial<PositionEvent> & Pick<PositionEvent, 'instrument' | 'ts' | 'size'>,
): PositionEvent {
  return {
    kind: 'position',
    venue: A,
    averagePrice: 0.05,
    markPrice: null,
    unrealizedPnl: null,
    realizedPnl: null,
    venueDelta: null,
    ...fields,
  };
}

function balance(
  fields: Partial<BalanceEvent> & Pick<BalanceEvent, 'currency' | 'ts' | 'equity'>,
): BalanceEvent {
  return {
    kind: 'balance',
    venue: A,
    balance: fields.equity,
    available: fields.equity,
    initialMargin: 0,
    maintenanceMargin: 0,
    ...fields,
  };
}

function snapshot(
  ts: number,
  content: Partial<Pick<AccountSnapshotEvent, 'orders' | 'positions' | 'balances' | 'venue'>>,
): AccountSnapshotEvent {
  return {
    kind: 'account-snapshot',
    venue: A,
    ts,
    orders: [],
    positions: [],
    balances: [],
    ...content,
  };
}

function ids(orders: readonly OrderEvent[]): string[] {
  return orders.map((o) => o.orderId);
}

describe('AccountState orders', () => {
  it('the latest state of an order replaces the previous one', () => {
    const state = new AccountState();
    assert.equal(state.apply(order({ orderId: 'o1', ts: 1, label: 'mine-1' })), 'order');
    assert.equal(
      state.apply(order({ orderId: 'o1', ts: 2, label: 'mine-1', price: 0.06 })),
      'order',
    );
    assert.equal(state.order(A, 'o1')?.price, 0.06);
    assert.equal(state.orderByLabel(A, 'mine-1')?.price, 0.06);
    assert.deepEqual(ids(state.orders(A)), ['o1']);
    assert.equal(state.order(B, 'o1'), undefined);
  });

  it('an older state is stale, an identical one a duplicate', () => {
    const state = new AccountState();
    state.apply(order({ orderId: 'o1', ts: 5, price: 0.06 }));
    assert.equal(state.apply(order({ orderId: 'o1', ts: 4, price: 0.04 })), 'stale');
    assert.equal(state.apply(order({ orderId: 'o1', ts: 5, price: 0.06 })), 'duplicate');
    assert.equal(state.order(A, 'o1')?.price, 0.06);
  });

  it('a late "open" cannot resurrect a filled order, at an equal or even a later ts', () => {
    const state = new AccountState();
    state.apply(order({ orderId: 'o1', ts: 3, status: 'filled', filled: 1, averagePrice: 0.05 }));
    assert.equal(state.apply(order({ orderId: 'o1', ts: 3, status: 'open' })), 'stale');
    assert.equal(state.apply(order({ orderId: 'o1', ts: 4, status: 'open' })), 'stale');
    assert.deepEqual(state.orders(A), []);
    assert.equal(state.order(A, 'o1')?.status, 'filled');
  });

  it('at an equal ts, the more filled state wins whatever the arrival order', () => {
    const state = new AccountState();
    state.apply(order({ orderId: 'o1', ts: 3, filled: 0.5 }));
    assert.equal(state.apply(order({ orderId: 'o1', ts: 3, filled: 0.2 })), 'stale');
    assert.equal(state.order(A, 'o1')?.filled, 0.5);
  });

  it('final orders leave orders() but stay known, up to a bound', () => {
    const state = new AccountState({ closedOrders: 2 });
    state.apply(order({ orderId: 'live', ts: 1, label: 'L' }));
    for (const [i, status] of (['filled', 'cancelled', 'rejected'] as const).entries()) {
      state.apply(order({ orderId: `f${i}`, ts: 10 + i, status, label: `F${i}` }));
    }
    assert.deepEqual(ids(state.orders()), ['live']);
    assert.equal(state.order(A, 'f0'), undefined, 'the oldest closed order was evicted');
    assert.equal(state.orderByLabel(A, 'F0'), undefined);
    assert.equal(state.order(A, 'f1')?.status, 'cancelled');
    assert.equal(state.orderByLabel(A, 'F2')?.status, 'rejected');
    assert.equal(state.orderByLabel(A, 'L')?.orderId, 'live');
  });

  it('untriggered orders count as open', () => {
    const state = new AccountState();
    state.apply(order({ orderId: 's1', ts: 1, status: 'untriggered', orderType: 'stop-limit' }));
    assert.deepEqual(ids(state.orders(A)), ['s1']);
  });
});

describe('AccountState fills, positions and balances', () => {
  it('a fill redelivered under the same tradeId is a duplicate and counted once', () => {
    const state = new AccountState();
    assert.equal(state.apply(fill({ tradeId: 't1', ts: 1 })), 'fill');
    assert.equal(state.apply(fill({ tradeId: 't1', ts: 1 })), 'duplicate');
    assert.equal(state.apply(fill({ tradeId: 't1', ts: 1, venue: B })), 'fill');
    assert.equal(state.fills(A).length, 1);
    assert.equal(state.fills().length, 2);
  });

  it('fills are listed oldest first, bounded, with the newest kept', () => {
    const state = new AccountState({ fills: 3 });
    for (const ts of [5, 1, 4, 2, 3]) state.apply(fill({ tradeId: `t${ts}`, ts }));
    assert.deepEqual(
      state.fills(A).map((f) => f.tradeId),
      ['t3', 't4', 't5'],
    );
    assert.deepEqual(
      state.fills(A, 2).map((f) => f.tradeId),
      ['t4', 't5'],
    );
    assert.deepEqual(state.fills(A, 0), []);
    assert.equal(state.apply(fill({ tradeId: 't1', ts: 1 })), 'duplicate', 'ids outlive the list');
  });

  it('fills of every venue merge by time', () => {
    const state = new AccountState();
    state.apply(fill({ tradeId: 'a2', ts: 2 }));
    state.apply(fill({ tradeId: 'b1', ts: 1, venue: B }));
    state.apply(fill({ tradeId: 'b3', ts: 3, venue: B }));
    assert.deepEqual(
      state.fills().map((f) => f.tradeId),
      ['b1', 'a2', 'b3'],
    );
    assert.deepEqual(
      state.fills(undefined, 1).map((f) => f.tradeId),
      ['b3'],
    );
  });

  it('a position is replaced by newer states and removed at size 0', () => {
    const state = new AccountState();
    const call = 'BTC-27NOV26-100000-C';
    assert.equal(state.apply(position({ instrument: call, ts: 1, size: 1 })), 'position');
    assert.equal(state.apply(position({ instrument: call, ts: 2, size: -2 })), 'position');
    assert.equal(state.apply(position({ instrument: call, ts: 1, size: 5 })), 'stale');
    assert.equal(state.position(A, call)?.size, -2);
    assert.equal(state.apply(position({ instrument: call, ts: 3, size: 0 })), 'position');
    assert.deepEqual(state.positions(), []);
    assert.equal(state.position(A, call), undefined);
    assert.equal(
      state.apply(position({ instrument: call, ts: 2, size: -2 })),
      'stale',
      'a flat position is not revived by an older state',
    );
    assert.deepEqual(state.positions(A), []);
  });

  it('balances by currency, the newest wins', () => {
    const state = new AccountState();
    assert.equal(state.apply(balance({ currency: 'BTC', ts: 2, equity: 3 })), 'balance');
    assert.equal(state.apply(balance({ currency: 'BTC', ts: 1, equity: 9 })), 'stale');
    state.apply(balance({ currency: 'ETH', ts: 1, equity: 10 }));
    state.apply(balance({ currency: 'USDC', ts: 1, equity: 100, venue: B }));
    assert.deepEqual(
      state.balances().map((b) => `${b.venue}:${b.currency}=${b.equity}`),
      ['venue-a:BTC=3', 'venue-a:ETH=10', 'venue-b:USDC=100'],
    );
    assert.equal(state.balances(B).length, 1);
  });
});

describe('AccountState snapshots', () => {
  const call = 'BTC-27NOV26-100000-C';
  const put = 'BTC-27NOV26-80000-P';
  const perp = 'BTC-PERPETUAL';

  it('replace open orders, positions and balances of their venue only', () => {
    const state = new AccountState();
    state.apply(order({ orderId: 'gone', ts: 10, label: 'G' }));
    state.apply(order({ orderId: 'kept', ts: 10, price: 0.01 }));
    state.apply(order({ orderId: 'other', ts: 10, venue: B }));
    state.apply(position({ instrument: call, ts: 10, size: 1 }));
    state.apply(position({ instrument: put, ts: 10, size: -1 }));
    state.apply(position({ instrument: put, ts: 10, size: 4, venue: B }));
    state.apply(balance({ currency: 'BTC', ts: 10, equity: 1 }));
    state.apply(balance({ currency: 'ETH', ts: 10, equity: 1 }));

    const change = state.apply(
      snapshot(20, {
        orders: [order({ orderId: 'kept', ts: 15, price: 0.02 })],
        positions: [position({ instrument: call, ts: 20, size: 3 })],
        balances: [balance({ currency: 'BTC', ts: 20, equity: 2 })],
      }),
    );
    assert.equal(change, 'snapshot');
    assert.deepEqual(ids(state.orders(A)), ['kept']);
    assert.equal(state.order(A, 'kept')?.price, 0.02);
    assert.equal(state.order(A, 'gone')?.orderId, 'gone', 'kept in history');
    assert.equal(state.orderByLabel(A, 'G')?.orderId, 'gone');
    assert.deepEqual(
      state.positions(A).map((p) => [p.instrument, p.size]),
      [[call, 3]],
    );
    assert.deepEqual(
      state.balances(A).map((b) => [b.currency, b.equity]),
      [['BTC', 2]],
    );
    assert.deepEqual(ids(state.orders(B)), ['other']);
    assert.equal(state.position(B, put)?.size, 4);
  });

  it('do not undo events newer than themselves that arrived first', () => {
    const state = new AccountState();
    state.apply(order({ orderId: 'placed-after', ts: 25 }));
    state.apply(order({ orderId: 'filled-after', ts: 26, status: 'filled', filled: 1 }));
    state.apply(position({ instrument: call, ts: 25, size: 2 }));
    state.apply(position({ instrument: put, ts: 26, size: 0 }));
    state.apply(position({ instrument: perp, ts: 27, size: -100 }));
    state.apply(balance({ currency: 'BTC', ts: 25, equity: 5 }));

    state.apply(
      snapshot(20, {
        orders: [order({ orderId: 'filled-after', ts: 12 })],
        positions: [
          position({ instrument: call, ts: 18, size: 1 }),
          position({ instrument: put, ts: 18, size: -1 }),
        ],
        balances: [balance({ currency: 'BTC', ts: 20, equity: 4 })],
      }),
    );
    assert.deepEqual(ids(state.orders(A)), ['placed-after']);
    assert.equal(state.order(A, 'filled-after')?.status, 'filled');
    assert.deepEqual(
      state.positions(A).map((p) => [p.instrument, p.size]),
      [
        [call, 2],
        [perp, -100],
      ],
    );
    assert.equal(state.balances(A)[0]?.equity, 5);
  });

  it('make later-arriving states older than themselves stale', () => {
    const state = new AccountState();
    state.apply(snapshot(20, { positions: [position({ instrument: call, ts: 5, size: 1 })] }));
    assert.equal(state.apply(position({ instrument: put, ts: 19, size: 7 })), 'stale');
    assert.equal(state.apply(balance({ currency: 'ETH', ts: 19, equity: 7 })), 'stale');
    assert.equal(state.apply(order({ orderId: 'late', ts: 19 })), 'stale');
    assert.equal(state.apply(order({ orderId: 'late', ts: 19, status: 'cancelled' })), 'order');
    assert.deepEqual(state.orders(), []);
    assert.deepEqual(
      state.positions().map((p) => p.instrument),
      [call],
    );
    assert.equal(state.apply(position({ instrument: put, ts: 21, size: 7 })), 'position');
    assert.equal(state.apply(snapshot(19, {})), 'stale', 'an older snapshot');
    assert.equal(state.positions().length, 2);
  });

  it('an order dropped by a snapshot takes its final state when it arrives late', () => {
    const state = new AccountState();
    state.apply(order({ orderId: 'o1', ts: 10 }));
    state.apply(snapshot(20, {}));
    assert.deepEqual(state.orders(), []);
    assert.equal(
      state.apply(order({ orderId: 'o1', ts: 15, status: 'filled', filled: 1 })),
      'order',
    );
    assert.equal(state.order(A, 'o1')?.status, 'filled');
    assert.deepEqual(state.orders(), []);
  });

  it('leave no duplicated position across a reconnect', () => {
    const state = new AccountState();
    const events: AccountEvent[] = [
      position({ instrument: call, ts: 1, size: 1 }),
      fill({ tradeId: 't1', ts: 1, size: 1 }),
      position({ instrument: put, ts: 2, size: -2 }),
      fill({ tradeId: 't2', ts: 2, size: 2, side: 'sell', instrument: put }),
    ];
    for (const event of events) state.apply(event);
    // Reconnect: the snapshot restates the same positions, and the stream replays its tail.
    state.apply(
      snapshot(3, {
        positions: [
          position({ instrument: call, ts: 3, size: 1 }),
          position({ instrument: put, ts: 3, size: -2 }),
        ],
      }),
    );
    for (const event of events) state.apply(event);
    state.apply(fill({ tradeId: 't3', ts: 4, size: 1 }));
    state.apply(position({ instrument: call, ts: 4, size: 2 }));
    assert.deepEqual(
      state.positions().map((p) => [p.instrument, p.size]),
      [
        [call, 2],
        [put, -2],
      ],
    );
    assert.deepEqual(
      state.fills().map((f) => f.tradeId),
      ['t1', 't2', 't3'],
    );
  });
});

// ——— Properties: messy deliveries converge on the clean stream's state ———

interface OrderPlan {
  readonly fills: number;
  readonly end: 'filled' | 'cancelled' | 'open';
  /** The final state carries the same ts as the state before it. */
  readonly tieFinal: boolean;
  /** Two consecutive partial fills carry the same ts. */
  readonly tieFill: boolean;
}

interface PositionPlan {
  readonly sizes: readonly number[];
}

const orderPlan: fc.Arbitrary<OrderPlan> = fc.record({
  fills: fc.integer({ min: 0, max: 3 }),
  end: fc.constantFrom('filled', 'cancelled', 'open'),
  tieFinal: fc.boolean(),
  tieFill: fc.boolean(),
});

const positionPlan: fc.Arbitrary<PositionPlan> = fc.record({
  sizes: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 4 }),
});

const instruments = ['I-1', 'I-2', 'I-3'];

/**
 * A clean account stream in venue time: each order's successive states and fills, each
 * instrument's positions, a balance per step. Times are spaced by 10 (ties aside) so a
 * snapshot can fall strictly between two of them.
 */
function cleanStream(
  orders: readonly OrderPlan[],
  positions: readonly PositionPlan[],
): AccountEvent[] {
  const events: AccountEvent[] = [];
  let clock = 0;
  const tick = (): number => (clock += 10);
  orders.forEach((plan, index) => {
    const orderId = `o${index}`;
    const label = `L${index}`;
    const amount = plan.fills + 1;
    let ts = tick();
    events.push(order({ orderId, label, ts, amount }));
    for (let n = 1; n <= plan.fills; n++) {
      ts = plan.tieFill && n === 2 ? ts : tick();
      events.push(fill({ tradeId: `${orderId}-t${n}`, orderId, label, ts, size: 1 }));
      events.push(order({ orderId, label, ts, amount, filled: n, averagePrice: 0.05 }));
    }
    if (plan.end === 'open') return;
    const filled = plan.end === 'filled' ? amount : plan.fills;
    ts = plan.tieFinal ? ts : tick();
    events.push(order({ orderId, label, ts, amount, filled, status: plan.end }));
  });
  positions.forEach((plan, index) => {
    const instrument = instruments[index % instruments.length] as string;
    for (const size of plan.sizes) events.push(position({ instrument, ts: tick(), size }));
  });
  for (let n = 0; n < 3; n++) events.push(balance({ currency: 'BTC', ts: tick(), equity: n }));
  return events.sort((a, b) => a.ts - b.ts);
}

/** What a consumer can observe, in a form deepEqual compares. */
function observe(state: AccountState, events: readonly AccountEvent[]): unknown {
  const orderIds = [...new Set(events.flatMap((e) => (e.kind === 'order' ? [e.orderId] : [])))];
  return {
    orders: state.orders(),
    known: orderIds.map((id) => state.order(A, id)),
    labels: orderIds.map((id) => state.orderByLabel(A, `L${id.slice(1)}`)),
    positions: state.positions(),
    balances: state.balances(),
    fills: state.fills(),
  };
}

function replayed(events: readonly (AccountEvent | AccountSnapshotEvent)[]): AccountState {
  const state = new AccountState();
  for (const event of events) state.apply(event);
  return state;
}

/** The clean stream, plus some of its events again, in any order. */
function messyDelivery(
  events: readonly AccountEvent[],
): fc.Arbitrary<(AccountEvent | AccountSnapshotEvent)[]> {
  return fc
    .array(fc.nat({ max: events.length - 1 }), { maxLength: events.length })
    .chain((repeats) => {
      const all = [...events, ...repeats.map((i) => events[i] as AccountEvent)];
      return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
    });
}

const plans = fc.record({
  orders: fc.array(orderPlan, { minLength: 1, maxLength: 5 }),
  positions: fc.array(positionPlan, { maxLength: 3 }),
});

describe('AccountState under duplicated and reordered delivery', () => {
  it('a stream of fills, order states, positions and balances converges on the clean state', () => {
    fc.assert(
      fc.property(
        plans
          .map(({ orders, positions }) => cleanStream(orders, positions))
          .chain((events) => fc.tuple(fc.constant(events), messyDelivery(events))),
        ([clean, delivered]) => {
          assert.deepEqual(observe(replayed(delivered), clean), observe(replayed(clean), clean));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('and so it does with a snapshot of the state at any moment delivered anywhere', () => {
    const scenario = plans
      .map(({ orders, positions }) => cleanStream(orders, positions))
      .chain((events) =>
        fc.tuple(
          fc.constant(events),
          fc.integer({ min: 0, max: events.length }),
          messyDelivery(events),
          fc.nat(),
        ),
      );
    fc.assert(
      fc.property(scenario, ([clean, cut, delivered, where]) => {
        // The venue's view at T, between two events: what the clean stream held by then.
        const last = clean[clean.length - 1] as AccountEvent;
        const ts = cut < clean.length ? (clean[cut] as AccountEvent).ts - 5 : last.ts + 5;
        const before = replayed(clean.filter((event) => event.ts < ts));
        const taken = snapshot(ts, {
          orders: before.orders(A),
          positions: before.positions(A),
          balances: before.balances(A),
        });
        const position = where % (delivered.length + 1);
        const withSnapshot = [...delivered.slice(0, position), taken, ...delivered.slice(position)];
        assert.deepEqual(observe(replayed(withSnapshot), clean), observe(replayed(clean), clean));
      }),
      { numRuns: 300 },
    );
  });
});

describe('AccountState change kinds', () => {
  it('says what each event did', () => {
    const state = new AccountState();
    const changes: AccountChange[] = [
      state.apply(order({ orderId: 'o1', ts: 1 })),
      state.apply(fill({ tradeId: 't', ts: 1 })),
      state.apply(position({ instrument: 'X', ts: 1, size: 1 })),
      state.apply(balance({ currency: 'BTC', ts: 1, equity: 1 })),
      state.apply(snapshot(2, {})),
      state.apply(fill({ tradeId: 't', ts: 1 })),
      state.apply(position({ instrument: 'X', ts: 0, size: 1 })),
    ];
    assert.deepEqual(changes, [
      'order',
      'fill',
      'position',
      'balance',
      'snapshot',
      'duplicate',
      'stale',
    ]);
  });
});
