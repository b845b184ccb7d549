// The depth and tape of one instrument over a real engine fed normalized events: levels best
// first with the size down to each, our resting size marked at its level, each level's IV at
// the chain's forward (independently recomputed), prints newest first, and a book that is not
// live shown without levels.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bs from 'black-scholes';
import { buildDepthView } from '../../src/app/depth-view.js';
import { MarketEngine } from '../../src/app/market-engine.js';
import { depthLines } from '../../src/ui/depth-screen.js';
import type { PanelLine } from '../../src/ui/chart-frame.js';
import {
  addListing,
  listing,
  NOV27,
  NOV_FORWARD,
  NOW,
  option,
  optionTicker,
  VENUE,
} from '../view/support/market-fixture.js';

const CALL = option(NOV27, 90_000, 'call');

function engineWithBook(): MarketEngine {
  const engine = new MarketEngine([]);
  addListing(engine.market, listing());
  for (const spec of listing()) {
    if (spec.expiry === NOV27) engine.apply(optionTicker(spec, NOV_FORWARD, NOW - 1000));
  }
  engine.apply({
    kind: 'book-snapshot',
    venue: VENUE,
    instrument: CALL.name,
    ts: NOW - 500,
    sequence: 10,
    bids: [0.0215, 1.5, 0.021, 2, 0.0205, 4],
    asks: [0.022, 1, 0.0225, 3],
  });
  engine.apply({
    kind: 'order',
    venue: VENUE,
    ts: NOW - 400,
    orderId: 'mine',
    label: 'ivt-x-1',
    instrument: CALL.name,
    side: 'buy',
    orderType: 'limit',
    amount: 0.5,
    price: 0.021,
    triggerPrice: null,
    iv: null,
    filled: 0.2,
    averagePrice: null,
    status: 'open',
    postOnly: true,
    reduceOnly: false,
    reason: null,
    createdTs: NOW - 400,
  });
  for (const [n, side, block] of [
    [1, 'buy', false],
    [2, 'sell', true],
  ] as const) {
    engine.apply({
      kind: 'trade',
      venue: VENUE,
      instrument: CALL.name,
      ts: NOW - 300 + n,
      tradeId: `t${n}`,
      price: 0.0215 + n * 0.0005,
      size: n,
      takerSide: side,
      iv: 0.5 + n / 100,
      markPrice: null,
      indexPrice: null,
      block,
    });
  }
  return engine;
}

const text = (line: PanelLine): string => line.map((segment) => segment.text).join('');

describe('the depth view', () => {
  it('shows levels best first with cumulative size, our order, IVs and the tape', () => {
    const engine = engineWithBook();
    engine.market.settle(NOW);
    const view = buildDepthView(engine.market, engine.account, VENUE, CALL.name, NOW);
    assert.equal(view.book, 'live');
    assert.deepEqual(
      view.bids.map((level) => [level.price, level.size, level.cumulative, level.own]),
      [
        [0.0215, 1.5, 1.5, 0],
        [0.021, 2, 3.5, 0.3],
        [0.0205, 4, 7.5, 0],
      ],
    );
    assert.deepEqual(
      view.asks.map((level) => level.price),
      [0.022, 0.0225],
    );
    // The level's IV: the inverse price in USD at the chain's forward, solved independently.
    const forward = engine.market.chains(VENUE)[0]!.row(NOV27)!.forward;
    const years = (NOV27 - NOW) / (365 * 86_400_000);
    const iv = view.bids[0]!.iv!;
    assert.ok(
      Math.abs(bs.blackScholes(forward, 90_000, years, iv, 0, 'call') - 0.0215 * forward) < 1e-6,
      `${iv}`,
    );
    assert.ok(view.asks[0]!.iv! > iv, 'the ask is the higher vol');
    assert.deepEqual(
      view.trades.map((trade) => [trade.takerSide, trade.size, trade.block]),
      [
        ['sell', 2, true],
        ['buy', 1, false],
      ],
    );
    const lines = depthLines(view, 80, 14).map(text);
    assert.match(lines[0]!, /depth and tape {2}book live$/);
    assert.ok(
      lines.some((line) => /\*0\.3\s+\S+\s+3\.5\s+2\s+0\.0210 │ 0\.0225/.test(line)),
      lines.join('\n'),
    );
    assert.ok(lines.some((line) => /sell .* block$/.test(line)));
    assert.ok(
      lines.every((line) => line.length <= 80),
      lines.join('\n'),
    );
    const wide = depthLines(view, 200, 40).map(text);
    assert.ok(wide[1]!.includes('│') && wide[1]!.includes('time'), 'the tape beside the book');
  });

  it('shows no levels of a book that is not live, and says so', () => {
    const engine = engineWithBook();
    engine.apply({
      kind: 'book-delta',
      venue: VENUE,
      instrument: CALL.name,
      ts: NOW - 100,
      sequence: 13,
      prevSequence: 12,
      bids: [0.0215, 0],
      asks: [],
    });
    const view = buildDepthView(engine.market, engine.account, VENUE, CALL.name, NOW);
    assert.equal(view.book, 'stale');
    assert.deepEqual(view.bids, []);
    assert.deepEqual(view.asks, []);
    assert.match(depthLines(view, 80, 10).map(text)[0]!, /book broken or stale: resyncing/);
    const absent = buildDepthView(engine.market, engine.account, VENUE, 'BTC-27NOV26-95000-P', NOW);
    assert.equal(absent.book, 'waiting');
    assert.equal(absent.bookNote, 'asking for its book');
  });
});

describe('own orders in the chain', () => {
  it('marks the option we have an open order on, beside its strike', async () => {
    const { ReadModel } = await import('../../src/app/read-model.js');
    const { strikeText } = await import('../../src/ui/chain-columns.js');
    const engine = engineWithBook();
    const model = new ReadModel(engine, {
      venue: VENUE,
      mode: 'SIM',
      currencies: ['BTC'],
      logPath: null,
    });
    const frame = model.snapshot(
      { chain: null, expiry: NOV27, strike: null, top: 0, rows: 20, surface: false },
      NOW,
    );
    const row = frame.chain!.rows.find((candidate) => candidate.strike === 90_000)!;
    assert.equal(row.call.own, true);
    assert.notEqual(row.put.own, true);
    const other = frame.chain!.rows.find((candidate) => candidate.strike !== 90_000)!;
    assert.notEqual(other.call.own, true);
    assert.match(strikeText(90_000, null, { call: true, put: false }), /^\*\s*90000 $/);
    // The cursor's pointer takes the cell when the cursor is on that side.
    assert.match(strikeText(90_000, 'call', { call: true, put: false }), /^</);
  });
});
