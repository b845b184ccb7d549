import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import chalk from 'chalk';
import { cleanup } from 'ink-testing-library';
import { OrdersPanel } from '../../src/ui/orders-panel.js';
import type { OrderRowView, OrdersView } from '../../src/view/types.js';

import { assertFits, cellsOf, frame, styled } from './support/panel-frame.js';

after(cleanup);

function order(orderId: string, fields: Partial<OrderRowView> = {}): OrderRowView {
  return {
    orderId,
    number: /^[1-9]\d*$/.test(orderId) ? Number(orderId) : null,
    instrument: 'BTC-27NOV26-90000-C',
    side: 'buy',
    orderType: 'limit',
    amount: 1.5,
    price: 0.0215,
    triggerPrice: null,
    iv: null,
    filled: 0,
    label: null,
    ageMs: 42_000,
    status: 'open',
    ...fields,
  };
}

const ORDERS: OrdersView = {
  rows: [
    order('1', { iv: 0.5234, label: 'ladder-call-3', filled: 0.5, ageMs: 3_000 }),
    order('2', {
      instrument: 'BTC-PERPETUAL',
      side: 'sell',
      amount: 25000,
      price: 92500.5,
      label: 'hedge',
      ageMs: 754_000,
    }),
    order('3', {
      instrument: 'BTC-25DEC26-80000-P',
      orderType: 'stop-market',
      status: 'untriggered',
      price: null,
      ageMs: 2 * 86_400_000 + 3 * 3_600_000,
    }),
  ],
};

describe('OrdersPanel', () => {
  it('at 160 columns shows every column of every order', () => {
    const { lines } = frame(<OrdersPanel view={ORDERS} width={160} height={10} />);
    assertFits(lines, 160, 10);
    assert.equal(lines.length, 4);
    assert.deepEqual(cellsOf(lines[0]!), [
      '#',
      'Instrument',
      'Side',
      'Size',
      'Price',
      'Trigger',
      'IV',
      'Filled',
      'Label',
      'Age',
    ]);
    assert.deepEqual(cellsOf(lines[1]!), [
      '#1',
      'BTC-27NOV26-90000-C',
      'buy',
      '1.5',
      '0.0215',
      '52.3',
      '0.5',
      'ladder-call…',
      '3s',
    ]);
    // Not priced by vol: the IV cell is blank.
    assert.deepEqual(cellsOf(lines[2]!), [
      '#2',
      'BTC-PERPETUAL',
      'sell',
      '25.0k',
      '92501',
      '0',
      'hedge',
      '12m34s',
    ]);
    assert.deepEqual(cellsOf(lines[3]!), [
      '#3',
      'BTC-25DEC26-80000-P',
      'buy',
      '1.5',
      'market',
      '0',
      '2d03h',
    ]);
  });

  it('at 80 columns keeps the number, instrument, side, size, price and age', () => {
    const wide: OrdersView = {
      rows: [...ORDERS.rows, order('4', { instrument: 'BTC_USDC-27NOV26-100000-C', price: 1550 })],
    };
    const { lines } = frame(<OrdersPanel view={wide} width={80} height={24} />);
    assertFits(lines, 80, 24);
    const titles = cellsOf(lines[0]!);
    for (const kept of ['#', 'Instrument', 'Side', 'Size', 'Price', 'Age']) {
      assert.ok(titles.includes(kept), kept);
    }
    assert.ok(!titles.includes('Label'));
    assert.ok(lines[4]!.startsWith('  #4 BTC_USDC-27NOV26-100000-C'), lines[4]);
    assert.match(lines[4]!, /1550\.0 .* 42s$/);
  });

  it('never exceeds a narrow width', () => {
    for (const width of [20, 40, 60]) {
      const { lines } = frame(<OrdersPanel view={ORDERS} width={width} height={10} />);
      assertFits(lines, width, 10);
    }
  });

  it('shows "+N more" for the orders that do not fit', () => {
    const rows = Array.from({ length: 12 }, (_, k) => order(String(k), { ageMs: k * 1000 }));
    const { lines } = frame(<OrdersPanel view={{ rows }} width={100} height={6} />);
    assertFits(lines, 100, 6);
    assert.equal(lines.length, 6);
    assert.match(lines[4]!, / 3s$/);
    assert.equal(lines[5]!.trim(), '+8 more (Ctrl-O lists all)');
  });

  it('shows a stop’s trigger price beside its price (issue 16 #18)', () => {
    const stops: OrdersView = {
      rows: [
        order('s1', {
          orderType: 'stop-market',
          status: 'untriggered',
          price: null,
          triggerPrice: 85000,
        }),
        order('s2', {
          orderType: 'stop-limit',
          status: 'untriggered',
          price: 0.012,
          triggerPrice: 0.015,
        }),
      ],
    };
    const { lines } = frame(<OrdersPanel view={stops} width={160} height={10} />);
    assert.equal(cellsOf(lines[0]!)[5], 'Trigger');
    assert.deepEqual(cellsOf(lines[1]!).slice(3, 5), ['market', '85000']);
    assert.deepEqual(cellsOf(lines[2]!).slice(3, 5), ['0.0120', '0.0150']);
    // Kept at 80 columns, before the age.
    const narrow = frame(<OrdersPanel view={stops} width={80} height={10} />).lines;
    assert.ok(cellsOf(narrow[0]!).includes('Trigger'), narrow[0]);
  });

  it('never draws a title over no rows: too low a panel says how many and the key', () => {
    const rows = Array.from({ length: 3 }, (_, k) => order(String(k), { ageMs: k * 1000 }));
    for (const height of [1, 2]) {
      const { lines } = frame(<OrdersPanel view={{ rows }} width={100} height={height} />);
      assertFits(lines, 100, height);
      assert.equal(lines[0]!.trim(), '3 open orders (Ctrl-O lists all)', `height ${height}`);
    }
    // With room for the title, one row and the count, the row shows.
    const { lines } = frame(<OrdersPanel view={{ rows }} width={100} height={3} />);
    assert.match(lines[1]!, /^\s*(#\d+ )?BTC-27NOV26-90000-C/);
    assert.equal(lines[2]!.trim(), '+2 more (Ctrl-O lists all)');
  });

  it('colours the side: buy green, sell red', () => {
    const level = chalk.level;
    chalk.level = 1;
    try {
      const { raw } = frame(<OrdersPanel view={ORDERS} width={160} height={10} />);
      assert.deepEqual(
        styled(raw, chalk.green).map((text) => text.trim()),
        ['buy', 'buy'],
      );
      assert.deepEqual(styled(raw, chalk.red), ['sell']);
    } finally {
      chalk.level = level;
    }
  });

  it('says "no open orders" when there are none, dimmed', () => {
    const level = chalk.level;
    chalk.level = 1;
    try {
      const { lines, raw } = frame(<OrdersPanel view={{ rows: [] }} width={80} height={5} />);
      assert.deepEqual(lines, ['no open orders']);
      assert.deepEqual(styled(raw, chalk.dim), ['no open orders']);
    } finally {
      chalk.level = level;
    }
  });
});
