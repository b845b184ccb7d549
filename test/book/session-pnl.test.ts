// The session's realised PnL and fees from fills, against hand arithmetic: average cost,
// partial closes, a flip through flat, inverse futures counted in coin, a fill heard twice.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FillEvent } from '../../src/book/events.js';
import { SessionPnl } from '../../src/book/session-pnl.js';

let trade = 0;
function fill(
  instrument: string,
  side: 'buy' | 'sell',
  size: number,
  price: number,
  fee = 0,
): FillEvent {
  trade += 1;
  return {
    kind: 'fill',
    venue: 'deribit',
    ts: trade,
    tradeId: `t${trade}`,
    orderId: `o${trade}`,
    label: null,
    instrument,
    side,
    price,
    size,
    liquidity: 'taker',
    fee,
    feeCurrency: instrument.startsWith('SOL') ? 'USDC' : 'BTC',
    iv: null,
    indexPrice: null,
  };
}

const specs = (name: string) =>
  name === 'BTC-PERPETUAL'
    ? { settleCurrency: 'BTC', usdSized: true }
    : name.startsWith('SOL')
      ? { settleCurrency: 'USDC', usdSized: false }
      : { settleCurrency: 'BTC', usdSized: false };

describe('SessionPnl', () => {
  it('realises (price − average) on what a fill closes, at average cost', () => {
    const pnl = new SessionPnl(specs);
    const call = 'BTC-25DEC26-90000-C';
    pnl.applyFill(fill(call, 'buy', 1, 0.02, 0.0003));
    pnl.applyFill(fill(call, 'buy', 1, 0.03, 0.0003));
    // Average 0.025; selling 1.5 at 0.04 realises 1.5 × 0.015.
    pnl.applyFill(fill(call, 'sell', 1.5, 0.04, 0.0003));
    assert.ok(Math.abs(pnl.realized().get('BTC')! - 0.0225) < 1e-12);
    assert.ok(Math.abs(pnl.fees().get('BTC')! - 0.0009) < 1e-12);
    // Through flat: 0.5 closes at 0.01 (−0.0075), and 1 opens short at 0.01.
    pnl.applyFill(fill(call, 'sell', 1.5, 0.01));
    assert.ok(Math.abs(pnl.realized().get('BTC')! - 0.015) < 1e-12);
    pnl.applyFill(fill(call, 'buy', 1, 0.005));
    assert.ok(Math.abs(pnl.realized().get('BTC')! - 0.02) < 1e-12);
  });

  it('counts an inverse perpetual in coin, and a linear option in USDC', () => {
    const pnl = new SessionPnl(specs);
    pnl.applyFill(fill('BTC-PERPETUAL', 'buy', 10_000, 80_000));
    pnl.applyFill(fill('BTC-PERPETUAL', 'sell', 10_000, 100_000));
    assert.ok(Math.abs(pnl.realized().get('BTC')! - 10_000 * (1 / 80_000 - 1 / 100_000)) < 1e-15);
    pnl.applyFill(fill('SOL_USDC-25DEC26-100-C', 'sell', 20, 5, 0.3));
    pnl.applyFill(fill('SOL_USDC-25DEC26-100-C', 'buy', 10, 3, 0.3));
    assert.equal(pnl.realized().get('USDC'), 20);
    assert.equal(pnl.fees().get('USDC'), 0.6);
  });

  it('counts from a chosen time, with earlier fills still setting the average cost', () => {
    const call = 'BTC-25DEC26-90000-C';
    const bought = fill(call, 'buy', 2, 0.02, 0.0006);
    const pnl = new SessionPnl(specs, bought.ts + 1);
    pnl.applyFill(bought);
    pnl.applyFill(fill(call, 'sell', 1, 0.03, 0.0003));
    // The buy came before: its fee is not counted, its price is the cost of what was sold.
    assert.ok(Math.abs(pnl.realized().get('BTC')! - 0.01) < 1e-12);
    assert.equal(pnl.fees().get('BTC'), 0.0003);
    assert.equal(pnl.fills, 1);
  });

  it('starts from the account as first loaded, and counts a fill heard twice once', () => {
    const pnl = new SessionPnl(specs);
    const call = 'BTC-25DEC26-90000-C';
    pnl.startFrom([
      {
        kind: 'position',
        venue: 'deribit',
        ts: 0,
        instrument: call,
        size: 2,
        averagePrice: 0.05,
        markPrice: null,
        unrealizedPnl: null,
        realizedPnl: null,
        venueDelta: null,
      },
    ]);
    // A later snapshot (a reconnect) does not reset what the session counts from.
    pnl.startFrom([]);
    const sold = fill(call, 'sell', 1, 0.06);
    pnl.applyFill(sold);
    pnl.applyFill(sold);
    assert.ok(Math.abs(pnl.realized().get('BTC')! - 0.01) < 1e-12);
    assert.equal(pnl.fills, 1);
  });
});
