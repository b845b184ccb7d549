// The cost–risk frontier bench (issue 20) on a short run: its cost model against hand
// arithmetic, the frontier tests on points placed by hand, and a day over two seeds where
// each policy's figures are what its rule implies. No timing here.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FRONTIER_BOOKS,
  fixedCostAtRisk,
  frontierOfBook,
  frontierTable,
  hedgeCostUsd,
  onOrBelowFrontier,
  runHedgeFrontier,
  type PolicyPoint,
} from '../../bench/hedge-frontier.js';
import { indexPath } from '../../bench/hedge-policy.js';

const point = (
  policy: string,
  family: PolicyPoint['family'],
  costUsd: number,
  errorStdUsd: number,
): PolicyPoint => ({
  policy,
  family,
  hedgeTo: 'zero',
  costUsd,
  errorStdUsd,
  pnlStdUsd: errorStdUsd,
  hedges: 1,
  frontier: false,
});

describe('hedge frontier bench', () => {
  it('charges the fee, half the spread and the levels walked', () => {
    // $10,000 at $90,000: fee 5 bp = $5; half of a $1 spread = 10,000 × 0.5 / 90,000.
    const small = hedgeCostUsd(10_000, 90_000);
    assert.ok(Math.abs(small - (5 + (10_000 * 0.5) / 90_000)) < 1e-9, String(small));
    // $500,000 fills $200,000 at the touch, $200,000 a tick worse and $100,000 two ticks
    // worse: 200,000 + 200,000 = 400,000 USD-ticks of $0.50 at $90,000 on top.
    const big = hedgeCostUsd(500_000, 90_000);
    const expected = 250 + (500_000 * 0.5) / 90_000 + (400_000 * 0.5) / 90_000;
    assert.ok(Math.abs(big - expected) < 1e-9, `${big} vs ${expected}`);
  });

  it('reads on or below the fixed frontier off the curve between the fixed points', () => {
    const fixed = [
      point('fixed wide', 'fixed', 100, 40),
      point('fixed mid', 'fixed', 200, 20),
      point('fixed narrow', 'fixed', 400, 10),
    ];
    // Between 100 and 200 the curve is a power law: at cost 141.4 the fixed risk is 28.28.
    assert.equal(onOrBelowFrontier(point('g', 'gamma', 141.42, 28), fixed), true);
    assert.equal(onOrBelowFrontier(point('g', 'gamma', 141.42, 29), fixed), false);
    // Dominated: a fixed point both cheaper and less risky.
    assert.equal(onOrBelowFrontier(point('g', 'gamma', 210, 21), fixed), false);
    // Cheaper than every fixed point and not dominated: on the frontier.
    assert.equal(onOrBelowFrontier(point('g', 'gamma', 90, 45), fixed), true);
    // What the fixed bands pay for a risk of 28.28: about 141.4.
    const cost = fixedCostAtRisk(point('g', 'gamma', 0, 28.284), fixed)!;
    assert.ok(Math.abs(cost - 141.42) < 0.1, String(cost));
    assert.equal(fixedCostAtRisk(point('g', 'gamma', 0, 80), fixed), null);
  });

  it('runs every policy on a book: naive trades every step, wide bands trade least', () => {
    const stepMs = 30_000;
    const paths = [indexPath(3, 2_880, stepMs), indexPath(4, 2_880, stepMs)];
    const frontier = frontierOfBook(FRONTIER_BOOKS[2]!, paths, stepMs);
    const by = (name: string): PolicyPoint => {
      const found = frontier.points.find((candidate) => candidate.policy === name);
      assert.ok(found, `${name} in ${frontier.points.map((p) => p.policy).join(', ')}`);
      return found;
    };
    assert.equal(frontier.points.length, 17);
    const naive = by('naive: every step');
    // A 10 BTC straddle's delta moves more than a lot at nearly every 30 s step.
    assert.ok(naive.hedges > 0.9 * 2_880, String(naive.hedges));
    assert.ok(naive.errorStdUsd < 1, String(naive.errorStdUsd));
    const hourly = by('time: every 60 min');
    assert.ok(hourly.hedges <= 25 && hourly.hedges >= 23, String(hourly.hedges));
    const [wide, , narrow] = frontier.matchedWidthsUsd;
    assert.ok(wide! > narrow!, `${wide} ${narrow}`);
    const wideBand = by(`fixed ±$${Math.round(wide!).toLocaleString('en-US')}`);
    const narrowBand = by(`fixed ±$${Math.round(narrow!).toLocaleString('en-US')}`);
    assert.ok(wideBand.hedges < narrowBand.hedges);
    assert.ok(wideBand.costUsd < narrowBand.costUsd);
    assert.ok(wideBand.errorStdUsd > narrowBand.errorStdUsd);
    // Trading to the edge trades less than trading to zero under the same band.
    const edge = by('gamma γ 1e-3/$ · to edge');
    const zero = by('gamma γ 1e-3/$');
    assert.ok(edge.costUsd < zero.costUsd, `${edge.costUsd} vs ${zero.costUsd}`);
    // Naive is the costliest and the least risky: always on the frontier.
    assert.equal(naive.frontier, true);
    assert.ok(frontier.points.every((p) => p === naive || p.costUsd < naive.costUsd));
    const table = frontierTable(frontier);
    assert.equal(table.length, 2 + 17);
    assert.match(table[2]!, /^\| /);
  });

  it('prints a row per book and way of trading, with the goal on the gamma points', () => {
    const result = runHedgeFrontier({ seeds: [3], days: 0.5, stepMs: 60_000 });
    assert.equal(result.books.length, FRONTIER_BOOKS.length);
    const goals = result.rows.filter((row) => row.target !== undefined);
    assert.equal(goals.length, FRONTIER_BOOKS.length * 2);
    for (const row of goals) {
      assert.equal(row.peerValue, 3);
      assert.ok(row.ivtrade >= 0 && row.ivtrade <= 3);
    }
    assert.match(result.notes[0]!, /0\.5 days on each of 1 seeded paths .* 17 policies each/);
  });
});
