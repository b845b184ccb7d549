// The surface view's pure model: the heat grid, skew rows, fit rows with their arbitrage
// flags, RV against the ATM term structure, the header's figures, the smile's fit marks.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RvRow } from '../../src/analytics/index.js';
import {
  expiryReadouts,
  fitSurface,
  surfaceGrid,
  volIndex,
  type ArbitrageFlag,
  type ExpiryChain,
  type SurfaceFit,
} from '../../src/surface/index.js';
import { fmtIv, fmtSigned } from '../../src/view/format.js';
import {
  buildHeaderVol,
  buildSmileFit,
  buildSurfaceScreen,
  fittedIv,
  HEAT_LEVELS,
  putDeltaAt,
  type SurfaceInput,
  type VolInput,
} from '../../src/view/surface-view.js';
import { quoteSmile, ssviSlice } from '../surface/synthetic.js';

const DAYS = [10, 40, 100];

function synthetic(): SurfaceInput & { inputs: ExpiryChain[] } {
  const inputs = DAYS.map(
    (d, i) => quoteSmile(ssviSlice(0.36 * (d / 365), -0.4, 1, 0.45), d, { seed: 7 + i }).chain,
  );
  const fit = fitSurface(inputs);
  return {
    venue: 'deribit',
    coin: 'BTC',
    quote: 'BTC',
    deltaConvention: 'forward',
    fit,
    grid: surfaceGrid(fit.expiries),
    index: volIndex(inputs),
    health: { stale: 0, withoutForward: 0 },
    inputs,
  };
}

function withFlag(surface: SurfaceInput, at: number, flag: Partial<ArbitrageFlag>): SurfaceInput {
  const expiries = surface.fit.expiries.map((e, i) =>
    i !== at
      ? e
      : {
          ...e,
          arbitrage: [
            {
              check: 'calendar' as const,
              expiryMs: e.expiryMs,
              kFrom: -0.1,
              kTo: 0.1,
              worst: -0.001,
              repaired: false,
              ...flag,
            },
          ],
        },
  );
  const fit: SurfaceFit = { ...surface.fit, expiries };
  return { ...surface, fit };
}

function rvRow(periodMs: number, days: number, vol: number | null): RvRow {
  const result =
    vol === null
      ? { vol: null, estimator: 'yang-zhang' as const, bars: 0, expectedBars: 10, reason: 'few' }
      : { vol, estimator: 'yang-zhang' as const, bars: 10, expectedBars: 10 };
  return {
    periodMs,
    days,
    results: {
      'close-to-close': result,
      parkinson: result,
      'garman-klass': result,
      'rogers-satchell': result,
      'yang-zhang': result,
    },
  };
}

const VOL: VolInput = {
  status: 'ready',
  error: null,
  minuteRv: [rvRow(60_000, 1, 0.41), rvRow(60_000, 7, 0.5)],
  hourRv: [
    rvRow(3_600_000, 1, 0.4),
    rvRow(3_600_000, 7, 0.45),
    rvRow(3_600_000, 30, null),
    rvRow(3_600_000, 90, 0.52),
  ],
  vrp: [{ days: 30, vrp: 0.0712 }],
  ivRank: { rank: null, percentile: null, count: 0, reason: 'none' },
  venueIndex: { name: 'DVOL btc_usd', kind: 'implied', value: 0.55 },
};

describe('buildSurfaceScreen', () => {
  it('shows the grid by delta as heat cells: the lowest vol level 0, the highest the top level', () => {
    const surface = synthetic();
    const view = buildSurfaceScreen(surface, null, 'delta', null)!;
    assert.deepEqual(view.columns, ['10ΔP', '25ΔP', 'ATM', '25ΔC', '10ΔC']);
    assert.deepEqual(
      view.grid.map((r) => r.label),
      ['1d', '7d', '14d', '30d', '60d', '90d', '180d'],
    );
    const values = surface.grid.rows.flatMap((r) => r.byDelta);
    const cells = view.grid.flatMap((r) => r.cells);
    assert.deepEqual(
      cells.map((c) => c.text),
      values.map((v) => fmtIv(v)),
    );
    const finite = values.filter((v): v is number => v !== null);
    const lo = finite.indexOf(Math.min(...finite));
    const hi = finite.indexOf(Math.max(...finite));
    const shown = cells.filter((c) => c.level !== null);
    assert.equal(shown[lo]!.level, 0);
    assert.equal(shown[hi]!.level, HEAT_LEVELS - 1);
    // After the last expiry (100 days) the surface has no answer: "-", no colour.
    assert.ok(view.grid[6]!.cells.every((c) => c.text === '-' && c.level === null));
    assert.equal(view.deltaConvention, 'forward');
    assert.equal(view.stale, null);
  });

  it('by log-moneyness, one column per k of the grid', () => {
    const view = buildSurfaceScreen(synthetic(), null, 'moneyness', null)!;
    assert.equal(view.columns.length, 11);
    assert.deepEqual(
      [view.columns[0], view.columns[5], view.columns[10]],
      ['k-0.5', 'k 0', 'k+0.5'],
    );
    assert.equal(view.grid[3]!.cells.length, 11);
  });

  it('gives RR and BF per constant maturity in signed vol points', () => {
    const surface = synthetic();
    const view = buildSurfaceScreen(surface, null, 'delta', null)!;
    const month = surface.grid.rows[3]!.readouts;
    const row = view.skew[3]!;
    assert.equal(row.label, '30d');
    assert.equal(row.atm, fmtIv(month.atmIv));
    assert.equal(row.rr25, fmtSigned(100 * month.rr25!, 1));
    assert.equal(row.bf10, fmtSigned(100 * month.bf10!, 1));
    assert.ok(month.rr25! < 0, 'the synthetic skew is put-side');
    assert.equal(view.skew[6]!.rr25, '-');
  });

  it('never shows a flagged fit as clean: which check, repaired or FLAGGED', () => {
    const clean = buildSurfaceScreen(synthetic(), null, 'delta', null)!;
    assert.deepEqual(
      clean.fits.map((f) => [f.arbitrage, f.flagged, f.repaired]),
      DAYS.map(() => ['clean', false, false]),
    );
    const standing = buildSurfaceScreen(withFlag(synthetic(), 1, {}), null, 'delta', null)!;
    assert.deepEqual(
      [standing.fits[1]!.arbitrage, standing.fits[1]!.flagged],
      ['calendar FLAGGED', true],
    );
    const fixed = buildSurfaceScreen(
      withFlag(synthetic(), 2, { check: 'butterfly', repaired: true }),
      null,
      'delta',
      null,
    )!;
    assert.deepEqual(
      [fixed.fits[2]!.arbitrage, fixed.fits[2]!.flagged, fixed.fits[2]!.repaired],
      ['butterfly repaired', false, true],
    );
    assert.match(clean.fits[0]!.inside, /^\d+\/\d+$/);
  });

  it('says why the numbers may not be current', () => {
    const surface = { ...synthetic(), health: { stale: 3, withoutForward: 1 } };
    const view = buildSurfaceScreen(surface, null, 'delta', 'feed reconnecting')!;
    assert.match(view.stale!, /feed reconnecting/);
    assert.match(view.stale!, /3 stale quotes left out/);
    assert.match(view.skipped!, /1 without a forward/);
    assert.equal(buildSurfaceScreen(null, VOL, 'delta', null), null);
  });

  it('puts RV (1 day from minutes, longer from hours) against the ATM term structure, skipping nulls', () => {
    const surface = synthetic();
    const view = buildSurfaceScreen(surface, VOL, 'delta', null)!;
    assert.deepEqual(view.rvTerm, [
      { x: 1, y: 41 },
      { x: 7, y: 45 },
      { x: 90, y: 52 },
    ]);
    assert.deepEqual(
      view.atmTerm.map((p) => p.x),
      [1, 7, 14, 30, 60, 90],
    );
    assert.equal(view.vrp30, '+7.1');
    const loading = buildSurfaceScreen(surface, { ...VOL, status: 'loading' }, 'delta', null)!;
    assert.match(loading.rvNote, /loading/);
    assert.equal(buildSurfaceScreen(surface, null, 'delta', null)!.vrp30, '-');
  });
});

describe('buildHeaderVol', () => {
  it("shows the venue's implied index and IV rank, never a realised series as an index", () => {
    const surface = synthetic();
    const ranked: VolInput = {
      ...VOL,
      ivRank: {
        current: 0.55,
        rank: 40,
        percentile: 62,
        min: 0.4,
        max: 0.8,
        count: 366,
        from: 0,
        to: 1,
      },
    };
    const head = buildHeaderVol(surface, ranked, false);
    assert.equal(head.index30, surface.index.value);
    assert.deepEqual(
      [head.venueIndexName, head.venueIndex, head.ivRank, head.ivPercentile],
      ['DVOL', 0.55, 40, 62],
    );
    const bybit: VolInput = {
      ...VOL,
      venueIndex: { name: 'Bybit historical volatility 30d', kind: 'realized', value: 0.4 },
    };
    const plain = buildHeaderVol(surface, bybit, true);
    assert.deepEqual([plain.venueIndexName, plain.venueIndex, plain.ivRank], [null, null, null]);
    assert.equal(plain.stale, true);
    assert.equal(buildHeaderVol(null, null, false).index30, null);
  });
});

describe('buildSmileFit', () => {
  it('marks the strikes whose quote the fitted smile leaves outside the spread', () => {
    const surface = synthetic();
    const chain = surface.inputs[1]!;
    const none = buildSmileFit(surface, chain.expiryMs)!;
    assert.equal(none.years, chain.years);
    const inside = surface.fit.expiries[1]!.quality;
    assert.equal(none.outside.length, inside.twoSided - inside.insideSpread);
    // One quote moved 20 vol points up: the fit (made before) passes far below it.
    const moved = chain.quotes[10]!;
    const off = {
      ...moved,
      bidIv: moved.bidIv! + 0.2,
      askIv: moved.askIv! + 0.2,
    };
    const inputs = surface.inputs.map((c, i) =>
      i !== 1 ? c : { ...c, quotes: c.quotes.map((q, j) => (j === 10 ? off : q)) },
    );
    const marked = buildSmileFit({ ...surface, inputs }, chain.expiryMs)!;
    assert.ok(marked.outside.includes(moved.strike));
    assert.equal(buildSmileFit(surface, 123), null, 'an expiry not fitted has no curve');
  });

  it('reads the fitted vol and the put delta N(−d₁) along k', () => {
    const surface = synthetic();
    const fit = buildSmileFit(surface, surface.inputs[1]!.expiryMs)!;
    const w0 = surface.fit.expiries[1]!;
    assert.ok(Math.abs(fittedIv(fit, 0)! - expiryReadouts(w0).atmIv!) < 1e-12);
    const deltas = [-0.4, -0.2, 0, 0.2, 0.4].map((k) => putDeltaAt(fit, k)!);
    for (let i = 1; i < deltas.length; i++) assert.ok(deltas[i]! > deltas[i - 1]!);
    assert.ok(Math.abs(deltas[2]! - 0.5) < 0.1, 'near 0.5 at the money');
    assert.equal(w0.expiryMs, fit.expiry);
  });
});
