// The `orders` listing (issue 16 #18): a header, clear columns, and "Filled" as a fraction of
// the size, not a word that reads like a status.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OrderEvent } from '../../src/book/events.js';
import { EngineMarket } from '../../src/app/gateway-market.js';
import { accountLines } from '../../src/app/info-lines.js';
import { MarketEngine } from '../../src/app/market-engine.js';

const NOW = Date.UTC(2026, 10, 20, 7);

function order(orderId: string, fields: Partial<OrderEvent>): OrderEvent {
  return {
    kind: 'order',
    venue: 'deribit',
    ts: NOW,
    orderId,
    label: null,
    instrument: 'BTC-27NOV26-90000-C',
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

describe('the orders listing', () => {
  it('has a header, one column per field, and Filled as done/size', () => {
    const engine = new MarketEngine([]);
    engine.apply(order('1', { label: 'ivt-abc-1', filled: 0.5, postOnly: true }));
    engine.apply(
      order('2', {
        instrument: 'BTC-PERPETUAL',
        side: 'sell',
        orderType: 'stop-market',
        status: 'untriggered',
        price: null,
        triggerPrice: 85000,
        amount: 100,
        reduceOnly: true,
      }),
    );
    engine.apply(order('3', { status: 'filled', filled: 1.5 }));
    const lines = accountLines('orders', engine, new EngineMarket(engine.market), 'deribit');
    assert.equal(lines.length, 3, lines.join('\n'));
    const cells = (line: string): string[] => line.trim().split(/\s{2,}/);
    assert.deepEqual(cells(lines[0]!), [
      '#',
      'Instrument',
      'Side',
      'Type',
      'Size',
      'Price',
      'IV',
      'Trigger',
      'Filled',
      'Status',
      'Flags',
      'Label',
      'Order id',
    ]);
    const limit = lines.find((line) => line.includes('ivt-abc-1'))!;
    assert.match(
      limit,
      /#1\s+BTC-27NOV26-90000-C\s+buy\s+limit\s+1\.5\s+0\.0215\s+0\.5\/1\.5\s+open\s+post-only\s+ivt-abc-1\s+1$/,
    );
    const stop = lines.find((line) => line.includes('BTC-PERPETUAL'))!;
    assert.match(stop, /^\s*#2\s+BTC-PERPETUAL/, 'the number c2 names it by');
    assert.match(
      stop,
      /sell\s+stop-market\s+100\s+market\s+85000\s+0\/100\s+untriggered\s+reduce-only\s+2$/,
    );
    assert.ok(!lines.some((line) => / filled /.test(line)), 'no "filled" read as a status');
    // The columns line up: every line's Filled cell ends where the title does.
    const end = lines[0]!.indexOf('Filled') + 'Filled'.length;
    for (const line of lines.slice(1)) assert.match(line.slice(0, end), /\d\/[\d.]+$/, line);
  });
});
