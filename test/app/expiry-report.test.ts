// When an expiry settles a position, the trader is told at what price and for what PnL: the
// arithmetic by hand, and the message through a real engine and read model.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settlementOf, settlementText } from '../../src/book/expiry-report.js';
import type { PositionEvent } from '../../src/book/events.js';
import { MarketEngine } from '../../src/app/market-engine.js';
import { ReadModel } from '../../src/app/read-model.js';
import { addListing, listing, NOV27, NOW, option, VENUE } from '../view/support/market-fixture.js';

function position(
  instrument: string,
  size: number,
  averagePrice: number,
  ts: number,
): PositionEvent {
  return {
    kind: 'position',
    venue: VENUE,
    ts,
    instrument,
    size,
    averagePrice,
    markPrice: null,
    unrealizedPnl: null,
    realizedPnl: null,
    venueDelta: null,
  };
}

describe('the expiry report', () => {
  it('values a settled option at intrinsic, in coin for an inverse one, and sums in USD', () => {
    const call = option(NOV27, 90_000, 'call');
    const put = option(NOV27, 95_000, 'put');
    const long = settlementOf({ spec: call, position: position(call.name, 0.5, 0.01, 0) }, 92_000);
    // 2,000 USD of intrinsic is 2,000/92,000 coin; paid 0.01 coin each.
    assert.ok(Math.abs(long.pnl - 0.5 * (2_000 / 92_000 - 0.01)) < 1e-15);
    assert.ok(Math.abs(long.pnlUsd - long.pnl * 92_000) < 1e-9);
    assert.equal(long.currency, 'BTC');
    const short = settlementOf({ spec: put, position: position(put.name, -1, 0.05, 0) }, 92_000);
    assert.ok(Math.abs(short.pnl - -1 * (3_000 / 92_000 - 0.05)) < 1e-15);
    const text = settlementText('27NOV26', 92_000, [long, short]);
    assert.match(
      text,
      /^27NOV26 settled at ~92,000 \(the index then; the venue's delivery price may differ\): /,
    );
    assert.match(text, /BTC-27NOV26-90000-C \+0\.5 → \+0\.005870 BTC \(\+540\.00 \$\)/);
    assert.match(text, /total \+\d/);
  });

  it('tells the screen when a held option goes at its expiry', () => {
    const engine = new MarketEngine([]);
    addListing(engine.market, listing());
    const model = new ReadModel(engine, {
      venue: VENUE,
      mode: 'SIM',
      currencies: ['BTC'],
      logPath: null,
    });
    const call = option(NOV27, 90_000, 'call');
    engine.apply(position(call.name, 0.5, 0.01, NOW));
    engine.apply({
      kind: 'index',
      venue: VENUE,
      base: 'BTC',
      quote: 'USD',
      ts: NOV27 + 1_000,
      price: 92_000,
    });
    // Before its expiry a position that goes was closed, not settled: nothing said.
    const early = option(NOV27, 95_000, 'put');
    engine.apply(position(early.name, 1, 0.02, NOW));
    engine.apply(position(early.name, 0, 0, NOW + 1_000));
    engine.apply(position(call.name, 0, 0, NOV27 + 2_000));
    const messages = model
      .snapshot(
        { chain: null, expiry: null, strike: null, top: 0, rows: 5, surface: false },
        NOV27 + 3_000,
      )
      .messages!.map((message) => message.text);
    const settled = messages.filter((text) => /settled at ~/.test(text));
    assert.equal(settled.length, 1, messages.join('\n'));
    assert.match(
      settled[0]!,
      /^27NOV26 settled at ~92,000 .*BTC-27NOV26-90000-C \+0\.5 → \+0\.005870 BTC/,
    );
  });
});
