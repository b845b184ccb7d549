// The makers' books: as deep as the venues' feeds (25 levels a side on options, 200 on
// perpetuals and futures), shaped like the recorded books (depth-shapes.ts), and resting
// between quotes so a step changes the front and a few deep levels, not every one.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelQuote } from '../../../src/sim/contract.js';
import { MINUTE, START, MarketView, isOption, model, tickFor } from './helpers.js';

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function levels(flat: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}

/** Side levels that differ between two quotes of one instrument: new, resized or gone. */
function changed(before: readonly number[], after: readonly number[]): number {
  const old = new Map(levels(before));
  const now = new Map(levels(after));
  let count = 0;
  for (const [price, size] of now) if (old.get(price) !== size) count++;
  for (const price of old.keys()) if (!now.has(price)) count++;
  return count;
}

describe('market-maker depth', () => {
  const m = model(41);
  const view = new MarketView();
  view.apply(m.step(START + 2 * MINUTE));
  const deribit = view.venue('deribit');
  const specs = new Map([...deribit.instruments].map(([name, i]) => [name, i.spec]));

  it('shows 25 option levels a side where prices allow and 200 on perpetuals and futures', () => {
    let fullBids = 0;
    for (const venue of ['deribit', 'bybit'] as const) {
      for (const [name, instrument] of view.venue(venue).instruments) {
        const quote = view.venue(venue).quotes.get(name)!;
        const spec = instrument.spec;
        const asks = quote.asks.length / 2;
        const bids = quote.bids.length / 2;
        if (!isOption(spec)) {
          assert.ok(asks >= 200 && bids >= 200, `${name}: ${bids} bids, ${asks} asks`);
          continue;
        }
        assert.ok(asks >= 25, `${name}: ${asks} asks`);
        if (bids === 0) continue;
        // Below the best bid the grid has room for this many levels at most.
        let room = 0;
        for (let p = quote.bids[0]!; p > 1e-12 && room < 25; room++) p -= tickFor(spec, p - 1e-12);
        assert.ok(bids >= Math.min(25, room), `${name}: ${bids} bids with room for ${room}`);
        if (bids >= 25) fullBids++;
      }
    }
    assert.ok(fullBids > 500, `${fullBids} option bid sides at full depth`);
  });

  it('shapes option books like the recording: a close front, the top the largest, a sparse tail', () => {
    const frontGaps: number[] = [];
    const tailGaps: number[] = [];
    const bySize: number[][] = [[], [], [], [], []];
    let round = 0;
    let tail = 0;
    for (const [name, quote] of deribit.quotes) {
      const spec = specs.get(name)!;
      if (!isOption(spec) || quote.bids.length === 0) continue;
      for (const side of [quote.bids, quote.asks]) {
        const ladder = levels(side);
        const top = ladder[0]![1];
        ladder.forEach(([price, size], i) => {
          if (i < bySize.length) bySize[i]!.push(size / top);
          if (i >= 8) {
            tail++;
            if (Number.isInteger(Math.round(size * 1e9) / 1e9 / (spec.base === 'BTC' ? 1 : 5)))
              round++;
          }
          if (i === 0) return;
          const gap =
            Math.abs(price - ladder[i - 1]![0]) /
            tickFor(spec, Math.max(price, ladder[i - 1]![0]) - 1e-12);
          (i <= 3 ? frontGaps : tailGaps).push(Math.round(gap));
        });
      }
    }
    // Recording: front gaps median 1-1.5 ticks, beyond level 6 median 17.5.
    assert.ok(median(frontGaps) <= 2, `front gap median ${median(frontGaps)}`);
    assert.ok(median(tailGaps) >= 4, `tail gap median ${median(tailGaps)}`);
    // Recording: size against the top by level, medians 1, 0.82, 0.47, 0.24, 0.10.
    const ratios = bySize.map(median);
    assert.ok(ratios[1]! < 1 && ratios[2]! < 0.75 && ratios[4]! < 0.35, ratios.join(' '));
    assert.ok(ratios[1]! > ratios[3]!, ratios.join(' '));
    // Recording: a third of the deeper sizes whole coins (BTC) or multiples of 5 (ETH).
    const share = round / tail;
    assert.ok(share > 0.2 && share < 0.8, `round share ${share}`);
  });

  it('fills perpetual books tick by tick at the touch, bigger and lumpier further out', () => {
    const quote = deribit.quotes.get('BTC-PERPETUAL')!;
    const tick = specs.get('BTC-PERPETUAL')!.tickSize;
    for (const side of [quote.bids, quote.asks]) {
      const ladder = levels(side);
      const gaps = ladder.slice(1, 20).map(([p], i) => Math.abs(p - ladder[i]![0]) / tick);
      assert.ok(gaps.filter((g) => g < 1.5).length >= 14, `near gaps ${gaps.join(',')}`);
      const near = ladder.slice(0, 20).map(([, s]) => s);
      const far = ladder.slice(150, 200).map(([, s]) => s);
      assert.ok(median(far) > 1.5 * median(near), `${median(near)} near, ${median(far)} far`);
      const mean = far.reduce((a, b) => a + b, 0) / far.length;
      assert.ok(Math.max(...far) > 3 * mean, 'a wall stands out somewhere deep');
    }
  });

  it('requotes the front each step and leaves most deep levels resting', () => {
    const m2 = model(42);
    let previous: ModelQuote | undefined;
    let deep = 0;
    let deepChanged = 0;
    m2.step(START);
    for (let i = 1; i <= 40; i++) {
      const quote = m2
        .step(START + i * 250)
        .get('bybit')!
        .quotes.get('BTCUSDT')!;
      if (previous !== undefined) {
        for (const [before, after] of [
          [previous.bids, quote.bids],
          [previous.asks, quote.asks],
        ] as const) {
          // Levels 100-180 of the last quote: still there at the same size, mostly.
          const now = new Map(levels(after));
          for (const [price, size] of levels(before).slice(100, 180)) {
            deep++;
            if (now.get(price) !== size) deepChanged++;
          }
          // Beyond the front, a side changes by what the move crossed or uncovered (a tick
          // a level near the touch) and what the far end lost or gained in return.
          const moved = Math.abs(after[0]! - before[0]!) / 0.1;
          const count = changed(before, after);
          assert.ok(count <= 2 * moved + 20, `${count} levels changed on a ${moved}-tick move`);
        }
      }
      previous = quote;
    }
    const share = deepChanged / deep;
    // Resized or pulled at a mean rest of 8 s × (1 + level / 10) (about 100 s at level 120).
    assert.ok(share > 0 && share < 0.02, `${(100 * share).toFixed(2)} % of deep levels changed`);
  });

  it('is the same for the same seed', () => {
    const a = model(43).step(START).get('deribit')!.quotes;
    const b = model(43).step(START).get('deribit')!.quotes;
    assert.deepEqual([...a], [...b]);
  });
});
