// Issue 20's cost of hedging, over the sim on either venue's protocol: a book hedged from 20
// minutes before 00:00 UTC to 20 minutes after. Before midnight the hedger's `today` counts
// the day's hedges; after it, only those sent since, and their fees and spread are the sim's
// own fills of those hedges priced by hand (Deribit: BTC fees at the fill's index, USD
// amounts; Bybit: USDT fees at par, coin amounts) against the mid each decision saw.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { todayText } from '../../src/hedge/hedge-cost.js';
import type { HedgeDay, HedgeLogEntry } from '../../src/hedge/types.js';
import type { SimFill, SimOrderRequest } from '../../src/sim/contract.js';
import { openRig, type VenueName } from './support/rig.js';
import { shapeLegs, type ShapeName } from './support/scenario.js';

const MIDNIGHT = Date.UTC(2026, 10, 21);
const WINDOW = 20 * 60_000;
const STEP_MS = 8_000;

type Sent = HedgeLogEntry & { readonly label: string };

/** Within the wire's rounding of fees and index (Deribit: 10 and 2 decimals). */
function near(actual: number | null | undefined, expected: number, what: string): void {
  assert.ok(
    actual !== null &&
      actual !== undefined &&
      Math.abs(actual - expected) <= expected * 1e-4 + 1e-6,
    `${what}: ${actual} vs ${expected} by hand`,
  );
}

async function acrossMidnight(
  venue: VenueName,
  shape: ShapeName,
  size: number,
  seed: number,
): Promise<void> {
  const rig = await openRig({ venue, seed, start: MIDNIGHT - WINDOW });
  const fills: SimFill[] = [];
  const unsubscribe = rig.exchange.subscribe((event) => {
    if (event.type === 'fill' && event.fill.label.startsWith('ivt-hedge-')) fills.push(event.fill);
  });
  const published: HedgeDay[] = [];
  rig.hedger.onState((state) => {
    // Through JSON, as serve publishes it to attached screens.
    const today = (JSON.parse(JSON.stringify(state)) as typeof state).today;
    if (today !== undefined) published.push(today);
  });
  try {
    await rig.trade(shapeLegs(shape, rig.exchange, rig.simNow(), size));
    assert.match(rig.hedger.activate(), /^hedger ON/);
    await rig.settle();
    const sent = (): Sent[] => rig.log.filter((entry): entry is Sent => entry.label !== undefined);
    let eve: { today: HedgeDay | undefined; sent: number } | null = null;
    while (rig.clock.now() < MIDNIGHT + WINDOW) {
      await rig.step(STEP_MS);
      if (rig.clock.now() < MIDNIGHT)
        eve = { today: rig.hedger.state().today, sent: sent().length };
    }

    assert.ok(eve !== null);
    assert.equal(eve.today?.since, MIDNIGHT - 86_400_000);
    assert.ok(eve.sent > 0, 'hedged before midnight');
    assert.equal(eve.today.hedges, eve.sent, 'before midnight: every hedge of the session');

    const today = rig.hedger.state().today;
    assert.ok(today !== undefined);
    const todays = sent().filter((entry) => entry.ts >= MIDNIGHT);
    assert.equal(today.since, MIDNIGHT);
    assert.ok(todays.length >= 2, `${todays.length} hedges after midnight`);
    assert.equal(today.hedges, todays.length, 'after midnight: only the hedges since');
    assert.ok(today.hedges < rig.hedger.state().hedges);
    const placed = new Set(
      rig.hedgeRequests().map((entry) => (entry.request as SimOrderRequest).label),
    );
    for (const entry of todays) assert.ok(placed.has(entry.label), `${entry.label} placed`);

    const mids = new Map(
      todays.map((entry) => {
        const { bid, ask } = entry.inputs.hedge;
        assert.ok(bid !== null && ask !== null && ask > bid, `${entry.label} quote`);
        return [entry.label, (bid + ask) / 2];
      }),
    );
    const theirs = fills.filter((fill) => mids.has(fill.label));
    assert.ok(theirs.length >= todays.length, 'every hedge since midnight filled');
    let fees = 0;
    let spread = 0;
    for (const fill of theirs) {
      const away = Math.abs(fill.price - mids.get(fill.label)!);
      if (venue === 'deribit') {
        assert.equal(fill.feeCurrency, 'BTC');
        fees += fill.fee * fill.indexPrice;
        spread += (fill.amount * away) / fill.price;
      } else {
        assert.equal(fill.feeCurrency, 'USDT');
        fees += fill.fee;
        spread += fill.amount * away;
      }
    }
    assert.ok(fees > 0 && spread > 0, `fees ${fees}, spread ${spread}`);
    near(today.feesUsd, fees, 'fees');
    near(today.spreadUsd, spread, 'spread');
    near(today.costUsd, fees + spread, 'cost');
    console.log(`${venue} ${shape} ${size}: since 00:00 UTC ${todayText(today)}`);

    assert.deepEqual(published.at(-1), today, 'published as plain data');
    assert.ok(rig.hedger.status().endsWith(` · ${todayText(today)}`), rig.hedger.status());
  } finally {
    unsubscribe();
    await rig.close();
  }
}

describe("the hedger's cost today over the sim", () => {
  it('Deribit, BTC-PERPETUAL in USD amounts: counted from 00:00 UTC, priced by hand', async () => {
    await acrossMidnight('deribit', 'long straddle', 1, 11);
  });

  it('Bybit, BTCUSDT in coins: counted from 00:00 UTC, priced by hand', async () => {
    await acrossMidnight('bybit', 'short strangle', 1, 21);
  });
});
