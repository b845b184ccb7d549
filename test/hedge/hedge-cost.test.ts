// What the hedger's trades cost today, against figures worked by hand: fees priced in USD
// (a coin fee at the fill's index, a stablecoin at par, anything else unknown), what each fill
// paid away from the mid in either amount unit, the day's sums, and the reset at 00:00 UTC.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FillEvent } from '../../src/book/events.js';
import {
  emptyDay,
  feeUsd,
  HedgeCosts,
  midOf,
  rollDay,
  spreadUsd,
  todayText,
  utcDayStart,
} from '../../src/hedge/hedge-cost.js';

const NOON = Date.UTC(2026, 10, 20, 12, 0);
const MIDNIGHT = Date.UTC(2026, 10, 21);

function fill(overrides: Partial<FillEvent>): FillEvent {
  return {
    kind: 'fill',
    venue: 'deribit',
    ts: NOON,
    tradeId: 't1',
    orderId: 'o1',
    label: 'ivt-hedge-s1-1',
    instrument: 'BTC-PERPETUAL',
    side: 'sell',
    price: 90_000,
    size: 1_000,
    liquidity: 'taker',
    fee: 0.0000055,
    feeCurrency: 'BTC',
    iv: null,
    indexPrice: 89_990,
    ...overrides,
  };
}

function close(actual: number | null | undefined, expected: number): void {
  assert.ok(
    actual !== null && actual !== undefined && Math.abs(actual - expected) < 1e-9,
    `${actual} vs ${expected}`,
  );
}

describe('hedge cost: one fill', () => {
  it('a coin fee at the given USD price, a stablecoin at par, anything else unknown', () => {
    close(feeUsd(0.0000055, 'BTC', 'BTC', 89_990), 0.494945);
    close(feeUsd(0.495, 'USDT', 'BTC', null), 0.495);
    close(feeUsd(0.5, 'USDC', 'BTC', null), 0.5);
    assert.equal(feeUsd(0.0000055, 'BTC', 'BTC', null), null, 'no index: unknown, not $0');
    assert.equal(feeUsd(0.0001, 'ETH', 'BTC', 89_990), null, 'no USD price for ETH here');
    assert.equal(feeUsd(0.1, '', 'BTC', 89_990), null);
    assert.equal(feeUsd(0, 'ETH', 'BTC', null), 0, 'no fee needs no price');
  });

  it("inverse: USD amounts, each dollar's share of |price − mid|", () => {
    // $1,000 sold at 90,000 against a mid of 90,002.5: 1,000 × 2.5 / 90,000 = $0.027778.
    close(spreadUsd('usd', 1_000, 90_000, 90_002.5), 1_000 * (2.5 / 90_000));
    close(spreadUsd('usd', 10_000, 90_010, 90_000), 10_000 * (10 / 90_010));
  });

  it('linear: coins, each |price − mid| away', () => {
    // 0.012 BTC bought at 90,001.0 against a mid of 89,999.5: 0.012 × 1.5 = $0.018.
    close(spreadUsd('base', 0.012, 90_001, 89_999.5), 0.018);
    close(spreadUsd('base', 0.5, 89_990, 90_000), 5);
  });

  it('no mid, no figure', () => {
    assert.equal(spreadUsd('base', 0.5, 89_990, null), null);
    assert.equal(midOf({ bid: 89_999, ask: 90_001 }), 90_000);
    assert.equal(midOf({ bid: null, ask: 90_001 }), null);
    assert.equal(midOf({ bid: 90_001, ask: 90_001 }), null, 'a locked book has no spread');
    assert.equal(midOf({ bid: 90_002, ask: 90_001 }), null, 'nor a crossed one');
  });
});

describe('hedge cost: the day', () => {
  it('starts at 00:00 UTC and rolls over at the next', () => {
    assert.equal(utcDayStart(NOON), Date.UTC(2026, 10, 20));
    assert.equal(utcDayStart(MIDNIGHT), MIDNIGHT);
    assert.equal(utcDayStart(MIDNIGHT - 1), Date.UTC(2026, 10, 20));
    const day = { ...emptyDay(NOON), hedges: 3, feesUsd: 1, spreadUsd: 2, costUsd: 3 };
    assert.equal(rollDay(day, MIDNIGHT - 1), day);
    assert.deepEqual(rollDay(day, MIDNIGHT), {
      since: MIDNIGHT,
      hedges: 0,
      feesUsd: 0,
      spreadUsd: 0,
      costUsd: 0,
    });
  });

  it("sums a Deribit day's hedges: BTC fees at the fill's index, USD amounts", () => {
    const costs = new HedgeCosts('BTC', NOON);
    costs.sent({
      label: 'ivt-hedge-s1-1',
      orderId: null,
      sentAt: NOON,
      mid: 90_002.5,
      sizeUnit: 'usd',
    });
    // Two trades of the one IOC: $600 at 90,000 and $400 at 89,997.5.
    assert.ok(costs.fill(fill({ tradeId: 't1', size: 600, fee: 0.0000033 }), NOON + 50));
    assert.ok(
      costs.fill(
        fill({ tradeId: 't2', size: 400, price: 89_997.5, fee: 0.0000022, indexPrice: 89_980 }),
        NOON + 60,
      ),
    );
    assert.ok(!costs.fill(fill({ tradeId: 't2', size: 400, fee: 0.0000022 }), NOON + 70), 'once');
    // The second hedge's trade carries no label; its order id came in a report.
    costs.sent({
      label: 'ivt-hedge-s1-2',
      orderId: null,
      sentAt: NOON + 60_000,
      mid: 89_950,
      sizeUnit: 'usd',
    });
    costs.identify('ivt-hedge-s1-2', 'o2');
    assert.ok(
      costs.fill(
        fill({
          tradeId: 't3',
          orderId: 'o2',
          label: null,
          side: 'buy',
          price: 89_955,
          size: 2_000,
          fee: 0.0000111,
          indexPrice: 89_960,
        }),
        NOON + 60_050,
      ),
    );
    // Not ours: the trader's own trade in the perpetual.
    assert.ok(!costs.fill(fill({ tradeId: 't4', orderId: 'o9', label: null }), NOON + 70_000));

    const fees = 0.0000033 * 89_990 + 0.0000022 * 89_980 + 0.0000111 * 89_960;
    const spread = (600 * 2.5) / 90_000 + (400 * 5) / 89_997.5 + (2_000 * 5) / 89_955;
    const day = costs.today(NOON + 120_000);
    assert.equal(day.since, Date.UTC(2026, 10, 20));
    assert.equal(day.hedges, 2);
    close(day.feesUsd, fees); // 0.296967 + 0.197956 + 0.998556 = 1.493479
    close(day.spreadUsd, spread); // 0.016667 + 0.022223 + 0.111166 = 0.150056
    close(day.costUsd, fees + spread);
    assert.equal(todayText(day), 'today 2 hedges · cost $1.64 (fees $1.49, spread $0.15)');
  });

  it('sums a Bybit day: USDT fees at par, coin amounts', () => {
    const costs = new HedgeCosts('BTC', NOON);
    costs.sent({ label: 'h1', orderId: 'b1', sentAt: NOON, mid: 90_000.05, sizeUnit: 'base' });
    costs.fill(
      fill({
        venue: 'bybit',
        instrument: 'BTCUSDT',
        label: 'h1',
        orderId: 'b1',
        side: 'buy',
        price: 90_000.1,
        size: 0.011,
        fee: 0.5445006,
        feeCurrency: 'USDT',
      }),
      NOON + 10,
    );
    const day = costs.today(NOON + 20);
    close(day.feesUsd, 0.5445006);
    close(day.spreadUsd, 0.011 * 0.05);
    close(day.costUsd, 0.5445006 + 0.00055);
    assert.equal(todayText(day), 'today 1 hedge · cost $0.55 (fees $0.54, spread $0.00)');
  });

  it('a fee that cannot be priced makes the fees and the cost unknown until midnight', () => {
    const costs = new HedgeCosts('BTC', NOON);
    costs.sent({ label: 'h1', orderId: null, sentAt: NOON, mid: 90_002.5, sizeUnit: 'usd' });
    costs.fill(fill({ label: 'h1', feeCurrency: 'ETH' }), NOON + 10);
    costs.sent({ label: 'h2', orderId: null, sentAt: NOON + 1, mid: 90_002.5, sizeUnit: 'usd' });
    costs.fill(fill({ label: 'h2', tradeId: 't2' }), NOON + 20);
    const day = costs.today(NOON + 30);
    assert.equal(day.feesUsd, null);
    assert.equal(day.costUsd, null);
    close(day.spreadUsd, (2 * 1_000 * 2.5) / 90_000);
    assert.equal(todayText(day), 'today 2 hedges · cost - (fees -, spread $0.06)');
    assert.deepEqual(costs.today(MIDNIGHT), emptyDay(MIDNIGHT));
  });

  it('resets at 00:00 UTC; a fill after midnight of a hedge sent before counts on neither day', () => {
    const costs = new HedgeCosts('BTC', NOON);
    const late = MIDNIGHT - 2_000;
    costs.sent({ label: 'h1', orderId: null, sentAt: late, mid: 90_002.5, sizeUnit: 'usd' });
    costs.fill(fill({ label: 'h1', tradeId: 't1' }), late + 500);
    costs.sent({
      label: 'h2',
      orderId: null,
      sentAt: MIDNIGHT - 1,
      mid: 90_002.5,
      sizeUnit: 'usd',
    });
    assert.equal(costs.today(MIDNIGHT - 1).hedges, 2);
    assert.ok(!costs.fill(fill({ label: 'h2', tradeId: 't2' }), MIDNIGHT + 40));

    const after = costs.today(MIDNIGHT + 50);
    assert.deepEqual(after, emptyDay(MIDNIGHT));
    assert.equal(todayText(after), 'today 0 hedges · cost $0.00');
    costs.sent({
      label: 'h3',
      orderId: null,
      sentAt: MIDNIGHT + 60,
      mid: 90_002.5,
      sizeUnit: 'usd',
    });
    costs.fill(fill({ label: 'h3', tradeId: 't3', fee: 0 }), MIDNIGHT + 70);
    const next = costs.today(MIDNIGHT + 80);
    assert.equal(next.since, MIDNIGHT);
    assert.equal(next.hedges, 1);
    close(next.costUsd, (1_000 * 2.5) / 90_000);
  });

  it("a coin fee with no index on its fill is priced at the fill's own price", () => {
    const costs = new HedgeCosts('BTC', NOON);
    costs.sent({ label: 'h1', orderId: null, sentAt: NOON, mid: 90_000, sizeUnit: 'usd' });
    costs.fill(fill({ label: 'h1', indexPrice: null, price: 90_000, fee: 0.00001 }), NOON + 10);
    const day = costs.today(NOON + 20);
    close(day.feesUsd, 0.9);
    close(day.spreadUsd, 0);
    assert.equal(todayText(day), 'today 1 hedge · cost $0.90 (fees $0.90, spread $0.00)');
  });

  it('the cost reads in the hedger figures: whole dollars from $100', () => {
    const day = { since: 0, hedges: 41, feesUsd: 1_234.4, spreadUsd: 56.78, costUsd: 1_291.18 };
    assert.equal(todayText(day), 'today 41 hedges · cost $1,291 (fees $1,234, spread $56.78)');
  });
});
