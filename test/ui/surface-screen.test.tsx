// The surface view and the smile's fit on screen: sizes kept, flags and staleness shown in
// their tones, the heat grid coloured, the smile's fitted curve, outside quotes and delta axis.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { smileLines } from '../../src/ui/smile-panel.js';
import { SurfaceScreen, surfaceScreenLines } from '../../src/ui/surface-screen.js';
import type { PanelLine } from '../../src/ui/chart-frame.js';
import {
  fitSurface,
  surfaceGrid,
  sviTotalVariance,
  volIndex,
  type ArbitrageFlag,
} from '../../src/surface/index.js';
import {
  buildSurfaceScreen,
  type SmileFitView,
  type SurfaceInput,
} from '../../src/view/surface-view.js';
import type { SmileView } from '../../src/view/types.js';
import { quoteSmile, ssviSlice } from '../surface/synthetic.js';
import { assertFits, frame } from './support/panel-frame.js';

function surface(flag: Partial<ArbitrageFlag> | null = null): SurfaceInput {
  const inputs = [10, 40, 100].map(
    (d, i) => quoteSmile(ssviSlice(0.36 * (d / 365), -0.4, 1, 0.45), d, { seed: 3 + i }).chain,
  );
  const fit = fitSurface(inputs);
  const expiries =
    flag === null
      ? fit.expiries
      : fit.expiries.map((e, i) =>
          i !== 1
            ? e
            : {
                ...e,
                arbitrage: [
                  {
                    check: 'calendar' as const,
                    expiryMs: e.expiryMs,
                    kFrom: 0,
                    kTo: 0.1,
                    worst: -1e-3,
                    repaired: false,
                    ...flag,
                  },
                ],
              },
        );
  return {
    venue: 'deribit',
    coin: 'BTC',
    quote: 'BTC',
    deltaConvention: 'forward',
    fit: { ...fit, expiries },
    grid: surfaceGrid(fit.expiries),
    index: volIndex(inputs),
    health: { stale: 0, withoutForward: 0 },
  };
}

const text = (line: PanelLine | undefined): string => (line ?? []).map((s) => s.text).join('');

describe('SurfaceScreen', () => {
  for (const [width, height] of [
    [140, 30],
    [80, 40],
    [60, 12],
  ] as const) {
    it(`fits ${width}×${height} with its grid, skew and fits`, () => {
      const view = buildSurfaceScreen(surface(), null, 'delta', null);
      const { lines } = frame(<SurfaceScreen view={view} width={width} height={height} />);
      assertFits(lines, width, height);
      const all = lines.join('\n');
      assert.match(all, /BTC surface \(deribit\)/);
      assert.match(all, /IV grid by forward delta/);
      assert.match(all, /10ΔP\s+25ΔP\s+ATM\s+25ΔC\s+10ΔC/);
      if (height >= 30) {
        assert.match(all, /Skew term structure/);
        assert.match(all, /Fit per expiry/);
        assert.match(all, /ATM IV against RV/);
      }
    });
  }

  it('colours the grid by heat level and shows a flag left standing in the alarm tone', () => {
    const view = buildSurfaceScreen(surface({}), null, 'delta', null)!;
    const lines = surfaceScreenLines(view, 140, 30);
    const month = lines.find((l) => text(l).startsWith('30d'))!;
    const heat = month.filter((s) => s.tone.startsWith('heat'));
    assert.equal(heat.length, 5, 'five coloured cells in the 30-day row');
    const flagged = lines.flatMap((l) => l).find((s) => s.text.includes('calendar FLAGGED'));
    assert.equal(flagged?.tone, 'bad');
    const repaired = surfaceScreenLines(
      buildSurfaceScreen(surface({ repaired: true }), null, 'delta', null),
      140,
      30,
    )
      .flatMap((l) => l)
      .find((s) => s.text.includes('calendar repaired'));
    assert.equal(repaired?.tone, 'warn');
  });

  it('says STALE on its title when the chain is not current, and "-" for no value', () => {
    const view = buildSurfaceScreen(surface(), null, 'delta', 'feed reconnecting')!;
    const lines = surfaceScreenLines(view, 140, 30);
    const stale = lines[0]!.find((s) => s.text.includes('STALE'));
    assert.equal(stale?.tone, 'bad');
    assert.match(stale.text, /feed reconnecting/);
    const last = lines.find((l) => text(l).startsWith('180d'))!;
    assert.match(text(last), /^180d\s+-\s+-\s+-\s+-\s+-/);
    const none = surfaceScreenLines(null, 80, 10);
    assert.match(text(none[1]), /no fitted surface yet/);
  });
});

describe('SmilePanel with a fit', () => {
  const years = 30 / 365;
  const forward = 90_000;
  const params = ssviSlice(0.36 * years, -0.4, 1, 0.45);
  const iv = (k: number): number => Math.sqrt(sviTotalVariance(params, k) / years);
  const points = [70_000, 80_000, 85_000, 90_000, 95_000, 100_000, 115_000].map((strike) => {
    const k = Math.log(strike / forward);
    const lift = strike === 80_000 ? 0.15 : 0;
    return {
      strike,
      logMoneyness: k,
      bidIv: iv(k) - 0.01 + lift,
      askIv: iv(k) + 0.01 + lift,
      markIv: iv(k) + lift,
    };
  });
  const smile: SmileView = { expiry: 1, label: '5JAN27', forward, points };
  const fit: SmileFitView = {
    expiry: 1,
    years,
    forward,
    params,
    outside: [80_000],
    flagged: false,
  };

  it('draws the fitted curve and marks the quote it leaves outside', () => {
    const lines = smileLines(smile, 70, 16, 'strike', fit);
    const tones = new Set(lines.flatMap((l) => l.map((s) => s.tone)));
    assert.ok(tones.has('fit'), 'the curve');
    assert.ok(tones.has('bad'), 'the outside quote');
    assert.match(text(lines.at(-1)), /─ fit.*• outside/);
    const without = smileLines(smile, 70, 16, 'strike', null);
    assert.ok(!without.flatMap((l) => l).some((s) => s.tone === 'fit'));
  });

  it('against delta labels the desk deltas, and needs a fit', () => {
    const lines = smileLines(smile, 70, 16, 'delta', fit);
    assert.match(text(lines[0]), /put Δ/);
    const labels = text(lines.at(-2));
    for (const label of ['10P', '25P', '50', '25C', '10C'])
      assert.ok(labels.includes(label), labels);
    const none = smileLines(smile, 70, 16, 'delta', null);
    assert.match(text(none[1]), /no fitted smile/);
  });

  it('says FLAGGED on its title when the fit failed a check left standing', () => {
    const lines = smileLines(smile, 70, 16, 'moneyness', { ...fit, flagged: true });
    assert.ok(lines[0]!.some((s) => s.tone === 'bad' && s.text.includes('FLAGGED')));
  });
});
