// The hedger's count of its own fills the position does not show yet: each fill counted from
// the venue's answer until the position is known to include it, then never again.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FillEvent } from '../../src/book/events.js';
import { FillLedger } from '../../src/hedge/fill-ledger.js';

const HALF_LOT = 5;

function trade(tradeId: string, orderId: string, size: number, label: string | null): FillEvent {
  return {
    kind: 'fill',
    venue: 'deribit',
    ts: 1,
    tradeId,
    orderId,
    label,
    instrument: 'BTC-PERPETUAL',
    side: 'sell',
    price: 90_000,
    size,
    liquidity: 'taker',
    fee: 0,
    feeCurrency: 'BTC',
    iv: null,
    indexPrice: null,
  };
}

describe('fill ledger', () => {
  it('counts a filled hedge until the position stands where the hedge leaves it', () => {
    const ledger = new FillLedger();
    ledger.add({ label: 'h1', orderId: 'o1', signed: -1230, before: 0, since: 0 });
    assert.equal(ledger.unreflected, -1230);
    assert.deepEqual(ledger.reconcile(0, HALF_LOT), [], 'the position has not moved yet');
    assert.equal(ledger.unreflected, -1230);
    assert.deepEqual(ledger.reconcile(-1230, HALF_LOT), ['h1']);
    assert.equal(ledger.unreflected, 0);
    assert.deepEqual(ledger.reconcile(-1230, HALF_LOT), [], 'counted once');
  });

  it('a position showing a later hedge shows the earlier ones too', () => {
    const ledger = new FillLedger();
    ledger.add({ label: 'h1', orderId: 'o1', signed: -1000, before: 0, since: 0 });
    ledger.add({ label: 'h2', orderId: 'o2', signed: -500, before: -1000, since: 1 });
    assert.deepEqual(ledger.reconcile(-1000, HALF_LOT), ['h1']);
    assert.equal(ledger.unreflected, -500);
    assert.deepEqual(ledger.reconcile(-1500, HALF_LOT), ['h2']);
  });

  it('when the position moved for another reason, the stream says: its trades, each once, then a position', () => {
    const ledger = new FillLedger();
    ledger.add({ label: 'h1', orderId: 'o1', signed: -1000, before: 0, since: 0 });
    // The trader also bought 300 of the perpetual: the size never reads -1000.
    ledger.noteFill(trade('t1', 'o1', 600, 'h1'));
    ledger.noteFill(trade('t1', 'o1', 600, 'h1'));
    ledger.notePosition();
    assert.deepEqual(ledger.reconcile(-300, HALF_LOT), [], 'a trade delivered twice counts once');
    ledger.noteFill(trade('t2', 'o1', 400, null));
    assert.deepEqual(ledger.reconcile(-300, HALF_LOT), [], 'no position since the last trade');
    ledger.notePosition();
    assert.deepEqual(ledger.reconcile(-700, HALF_LOT), ['h1']);
  });

  it('trades that came before the answer still count, matched by label when the order id differs', () => {
    const ledger = new FillLedger();
    ledger.noteFill(trade('t9', 'x9', 200, 'h9'));
    ledger.notePosition();
    ledger.add({ label: 'h9', orderId: null, signed: 200, before: 50, since: 0 });
    assert.deepEqual(ledger.reconcile(900, HALF_LOT), ['h9']);
  });
});
