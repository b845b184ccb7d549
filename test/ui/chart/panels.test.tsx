import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import type { ReactElement } from 'react';
import { render } from 'ink-testing-library';
import { SmilePanel, smileLines, type SmileAxis } from '../../../src/ui/smile-panel.js';
import { TermPanel } from '../../../src/ui/term-panel.js';
import type { SmilePoint, SmileView, TermView } from '../../../src/view/types.js';

const FORWARD = 64_210;

function smileAt(level: number, forward = FORWARD): SmileView {
  const points: SmilePoint[] = [];
  for (let strike = 40_000; strike <= 100_000; strike += 5_000) {
    const m = Math.log(strike / forward);
    const markIv = level + 0.4 * m * m - 0.05 * m;
    points.push({ strike, logMoneyness: m, bidIv: markIv - 0.02, askIv: markIv + 0.02, markIv });
  }
  return { expiry: Date.UTC(2024, 11, 27, 8), label: '27DEC24', forward, points };
}

const TERM: TermView = {
  points: ['21NOV26', '22NOV26', '27NOV26', '25DEC26', '26MAR27', '24SEP27'].map((label, i) => ({
    expiry: Date.UTC(2026, 10, 21 + i, 8),
    label,
    years: (i + 1) / 12,
    atmIv: 0.45 + 0.02 * Math.sqrt(i),
  })),
};

/** The frame as plain lines, the Ink instance closed again. */
function frame(element: ReactElement): string[] {
  const instance = render(element);
  try {
    return stripVTControlCharacters(instance.lastFrame() ?? '').split('\n');
  } finally {
    instance.unmount();
  }
}

function assertFits(lines: string[], width: number, height: number, what: string): void {
  assert.equal(lines.length, height, `${what}: ${lines.length} lines for height ${height}`);
  lines.forEach((line, i) => {
    // Every glyph the panels print is one column wide, so code points are columns.
    assert.ok([...line].length <= width, `${what}: line ${i} is ${[...line].length} wide`);
  });
}

const SIZES: [number, number][] = [
  [40, 10],
  [100, 20],
];
const AXES: SmileAxis[] = ['strike', 'moneyness'];

describe('SmilePanel', () => {
  for (const [width, height] of SIZES) {
    for (const axis of AXES) {
      it(`fills exactly ${width}×${height} against ${axis}, with title, legend and labels`, () => {
        const lines = frame(
          <SmilePanel smile={smileAt(0.5)} width={width} height={height} axis={axis} />,
        );
        assertFits(lines, width, height, `${axis} ${width}x${height}`);
        assert.match(lines[0]!, /^Smile 27DEC24 {2}F 64,210\.00 {2}\(m: /);
        const legend = lines[height - 1]!;
        for (const name of ['bid', 'ask', 'mark']) assert.ok(legend.includes(name), legend);
        const chart = lines.slice(1, height - 2).join('\n');
        assert.match(chart, /[\u2801-\u28ff]/, 'braille dots drawn');
        assert.match(chart, /\b5\d\.\d┤/, 'an IV label in vol points');
      });
    }
  }

  it('labels the x axis with strikes or with log-moneyness', () => {
    const xLabels = (axis: SmileAxis): string =>
      frame(<SmilePanel smile={smileAt(0.5)} width={60} height={12} axis={axis} />)[10]!;
    const strikes = xLabels('strike');
    const moneyness = xLabels('moneyness');
    assert.match(strikes, /\b60000\b/);
    assert.doesNotMatch(strikes, /\d\.\d\d/);
    assert.match(moneyness, /-0\.\d\d/);
    assert.match(moneyness, /\b0\.00\b/);
    assert.doesNotMatch(moneyness, /60000/);
  });

  it('says "no IVs yet" and keeps its size without a smile or without IVs', () => {
    const noIvs: SmileView = {
      ...smileAt(0.5),
      points: smileAt(0.5).points.map((p) => ({ ...p, bidIv: NaN, askIv: NaN, markIv: NaN })),
    };
    for (const smile of [null, { ...smileAt(0.5), points: [] }, noIvs]) {
      const lines = frame(<SmilePanel smile={smile} width={40} height={10} axis="strike" />);
      assertFits(lines, 40, 10, 'empty');
      assert.equal(lines.filter((line) => line.includes('no IVs yet')).length, 1);
      assert.doesNotMatch(lines.join(''), /[\u2801-\u28ff]/);
    }
  });

  it('follows the smile as it moves', () => {
    const instance = render(
      <SmilePanel smile={smileAt(0.5)} width={40} height={10} axis="strike" />,
    );
    try {
      const before = stripVTControlCharacters(instance.lastFrame() ?? '');
      instance.rerender(<SmilePanel smile={smileAt(0.8)} width={40} height={10} axis="strike" />);
      const after = stripVTControlCharacters(instance.lastFrame() ?? '');
      assert.notEqual(after, before);
      assert.match(after, /\b8\d\.\d┤/, 'the IV labels moved up with the level');
      assert.doesNotMatch(after, /\b5\d\.\d┤/);
    } finally {
      instance.unmount();
    }
  });

  it('never wraps or overflows at any small size', () => {
    for (let width = 1; width <= 30; width += 7) {
      for (let height = 1; height <= 6; height++) {
        for (const smile of [smileAt(0.5), null]) {
          const lines = frame(
            <SmilePanel smile={smile} width={width} height={height} axis="moneyness" />,
          );
          assertFits(lines, width, height, `${width}x${height}`);
        }
      }
    }
  });

  it('colours bid, ask and mark runs apart and marks the forward', () => {
    const tones = new Set(
      smileLines(smileAt(0.5), 60, 12, 'strike')
        .slice(1, 10)
        .flatMap((line) => line.map((segment) => segment.tone)),
    );
    for (const tone of ['bid', 'ask', 'mark', 'marker'] as const) assert.ok(tones.has(tone), tone);
  });

  it('keeps a far-wing quote from flattening the smile', () => {
    const smile = smileAt(0.5);
    const wild: SmileView = {
      ...smile,
      points: smile.points.map((p, i) => (i === 0 ? { ...p, askIv: 3 } : p)),
    };
    const labels = frame(<SmilePanel smile={wild} width={60} height={12} axis="strike" />)
      .join('\n')
      .match(/\d+\.\d(?=┤)/g)
      ?.map(Number);
    assert.ok(labels !== undefined && labels.length >= 2);
    assert.ok(Math.max(...labels) < 100, `labels ${labels.join(' ')}`);
  });
});

describe('TermPanel', () => {
  for (const [width, height] of SIZES) {
    it(`fills exactly ${width}×${height} with its title and expiry labels`, () => {
      const lines = frame(<TermPanel term={TERM} width={width} height={height} />);
      assertFits(lines, width, height, `term ${width}x${height}`);
      assert.equal(lines[0]!.trimEnd(), 'ATM term structure');
      const xLabels = lines[height - 1]!;
      assert.ok(xLabels.includes('21NOV26') && xLabels.includes('24SEP27'), xLabels);
      assert.match(lines.slice(1, -1).join('\n'), /[\u2801-\u28ff]/);
    });
  }

  it('puts the front expiry left of the back one and every label on a wide screen', () => {
    const xLabels = frame(<TermPanel term={TERM} width={100} height={12} />)[11]!;
    const columns = TERM.points.map((p) => xLabels.indexOf(p.label));
    assert.ok(
      columns.every((column) => column >= 0),
      xLabels,
    );
    assert.deepEqual(
      columns,
      [...columns].sort((a, b) => a - b),
    );
  });

  it('says "no IVs yet" without a term structure', () => {
    const flat: TermView = { points: TERM.points.map((p) => ({ ...p, atmIv: NaN })) };
    for (const term of [null, { points: [] }, flat]) {
      const lines = frame(<TermPanel term={term} width={40} height={10} />);
      assertFits(lines, 40, 10, 'empty term');
      assert.ok(lines.some((line) => line.includes('no IVs yet')));
    }
  });

  it('draws a single expiry', () => {
    const one: TermView = { points: TERM.points.slice(0, 1) };
    const lines = frame(<TermPanel term={one} width={40} height={8} />);
    assertFits(lines, 40, 8, 'single');
    assert.ok(lines[7]!.includes('21NOV26'));
    assert.match(lines.join('\n'), /[\u2801-\u28ff]/);
  });
});
