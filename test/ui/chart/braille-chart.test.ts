import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  EMPTY,
  MARKER,
  autoRange,
  axisTicks,
  columnOf,
  placeLabels,
  plotBraille,
  rowOf,
  type ChartGrid,
  type ChartSeries,
} from '../../../src/view/braille-chart.js';

const BLANK_BRAILLE = 0x2800;
/** Dot bit per [column within cell][row within cell], as the Unicode braille block numbers them. */
const BITS = [
  [0x01, 0x02, 0x04, 0x40],
  [0x08, 0x10, 0x20, 0x80],
];

function text(grid: ChartGrid): string[] {
  return grid.lines.map((runs) => runs.map((run) => run.text).join(''));
}

/** Every set dot as "x,y" in dot coordinates (y down), read back from the characters. */
function dots(grid: ChartGrid): Set<string> {
  const set = new Set<string>();
  text(grid).forEach((line, row) => {
    [...line].forEach((char, column) => {
      if (char === ' ') return;
      const bits = char.codePointAt(0)! - BLANK_BRAILLE;
      for (let dx = 0; dx < 2; dx++) {
        for (let dy = 0; dy < 4; dy++) {
          if (bits & BITS[dx]![dy]!) set.add(`${column * 2 + dx},${row * 4 + dy}`);
        }
      }
    });
  });
  return set;
}

/** Whether `to` is reachable from `from` through 8-connected dots of the set. */
function connected(set: Set<string>, from: string, to: string): boolean {
  const seen = new Set([from]);
  const queue = [from];
  while (queue.length > 0) {
    const [x, y] = queue.shift()!.split(',').map(Number) as [number, number];
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        const key = `${x + dx},${y + dy}`;
        if (set.has(key) && !seen.has(key)) {
          seen.add(key);
          queue.push(key);
        }
      }
    }
  }
  return seen.has(to);
}

function ownerAt(grid: ChartGrid, row: number, column: number): number {
  let start = 0;
  for (const run of grid.lines[row]!) {
    const length = [...run.text].length;
    if (column < start + length) return run.series;
    start += length;
  }
  throw new Error(`no cell ${row},${column}`);
}

const unit = { xRange: [0, 1], yRange: [0, 1] } as const;
const dotsOnly = (points: { x: number; y: number }[]): ChartSeries => ({ points, join: false });
const line = (points: { x: number; y: number }[]): ChartSeries => ({ points, join: true });

describe('plotBraille', () => {
  it('maps each corner of a single cell to its own braille dot', () => {
    const corners: [number, number, string][] = [
      [0, 1, '\u2801'], // dot 1, top left
      [1, 1, '\u2808'], // dot 4, top right
      [0, 0, '\u2840'], // dot 7, bottom left
      [1, 0, '\u2880'], // dot 8, bottom right
    ];
    for (const [x, y, char] of corners) {
      const grid = plotBraille([dotsOnly([{ x, y }])], { width: 1, height: 1, ...unit });
      assert.deepEqual(text(grid), [char], `point ${x},${y}`);
    }
  });

  it('sets exactly one dot for a point in the bottom-right corner of a larger chart', () => {
    const grid = plotBraille([dotsOnly([{ x: 1, y: 0 }])], { width: 3, height: 2, ...unit });
    assert.deepEqual(text(grid), ['   ', '  \u2880']);
    assert.deepEqual(grid.lines[1], [
      { text: '  ', series: EMPTY },
      { text: '\u2880', series: 0 },
    ]);
  });

  it('fills the middle dot rows (dots 2, 3, 5, 6) at the right heights', () => {
    // Four dot rows: y = 1, 2/3, 1/3, 0 land on rows 0..3 of the cell.
    const grid = plotBraille(
      [
        dotsOnly([
          { x: 0, y: 2 / 3 },
          { x: 0, y: 1 / 3 },
          { x: 1, y: 2 / 3 },
          { x: 1, y: 1 / 3 },
        ]),
      ],
      { width: 1, height: 1, ...unit },
    );
    assert.deepEqual(text(grid), [String.fromCharCode(0x2800 + 0x02 + 0x04 + 0x10 + 0x20)]);
  });

  it('draws a joined diagonal as one dot per column from corner to corner', () => {
    const grid = plotBraille(
      [
        line([
          { x: 0, y: 0 },
          { x: 1, y: 1 },
        ]),
      ],
      {
        width: 4,
        height: 2,
        ...unit,
      },
    );
    const set = dots(grid);
    assert.deepEqual(
      [...set].sort(),
      ['0,7', '1,6', '2,5', '3,4', '4,3', '5,2', '6,1', '7,0'].sort(),
    );
  });

  it('draws a flat line across every dot column of its row', () => {
    const grid = plotBraille(
      [
        line([
          { x: 0, y: 1 },
          { x: 1, y: 1 },
        ]),
      ],
      {
        width: 5,
        height: 1,
        ...unit,
      },
    );
    assert.deepEqual(text(grid), ['\u2809'.repeat(5)]); // dots 1 and 4 in every cell
  });

  it('joins any two points with a contiguous path of the least dots', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 12 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (width, height, x0, y0, x1, y1) => {
          const grid = plotBraille(
            [
              line([
                { x: x0, y: y0 },
                { x: x1, y: y1 },
              ]),
            ],
            {
              width,
              height,
              ...unit,
            },
          );
          const at = (x: number, y: number): [number, number] => [
            Math.round(x * (width * 2 - 1)),
            Math.round((1 - y) * (height * 4 - 1)),
          ];
          const [a, b] = [at(x0, y0), at(x1, y1)];
          const set = dots(grid);
          assert.ok(set.has(a.join(',')) && set.has(b.join(',')), 'both ends drawn');
          assert.ok(connected(set, a.join(','), b.join(',')), 'no gap');
          assert.equal(set.size, Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1])) + 1);
        },
      ),
    );
  });

  it('pads automatic ranges around the data', () => {
    const grid = plotBraille(
      [
        dotsOnly([
          { x: 10, y: 0.4 },
          { x: 20, y: 0.6 },
        ]),
      ],
      {
        width: 10,
        height: 4,
      },
    );
    assert.ok(grid.xMin < 10 && grid.xMin > 9, `xMin ${grid.xMin}`);
    assert.ok(grid.xMax > 20 && grid.xMax < 21, `xMax ${grid.xMax}`);
    assert.ok(grid.yMin < 0.4 && grid.yMax > 0.6);
    assert.equal(dots(grid).size, 2);
  });

  it('never lets a flat or single-point series collapse its range', () => {
    const flat = plotBraille(
      [
        line([
          { x: 1, y: 0.5 },
          { x: 2, y: 0.5 },
          { x: 3, y: 0.5 },
        ]),
      ],
      {
        width: 10,
        height: 3,
      },
    );
    assert.ok(flat.yMin < 0.5 && flat.yMax > 0.5);
    assert.equal(rowOf(flat, 0.5), 1, 'drawn mid-height');
    const rows = new Set([...dots(flat)].map((dot) => dot.split(',')[1]));
    assert.equal(rows.size, 1, 'one dot row');
    assert.ok(dots(flat).size >= 16, 'nearly the full width (less the padding)');

    const single = plotBraille([dotsOnly([{ x: 0, y: 0 }])], { width: 5, height: 2 });
    assert.ok(single.xMax > single.xMin && single.yMax > single.yMin);
    assert.equal(dots(single).size, 1);
    assert.deepEqual(autoRange([]), [0, 1]);
  });

  it('keeps a fixed range as given, ordered, and leaves out points beyond it', () => {
    const grid = plotBraille(
      [
        dotsOnly([
          { x: 5, y: 5 },
          { x: 50, y: 5 },
          { x: 5, y: -3 },
        ]),
      ],
      { width: 4, height: 2, xRange: [10, 0], yRange: [0, 10] },
    );
    assert.deepEqual([grid.xMin, grid.xMax, grid.yMin, grid.yMax], [0, 10, 0, 10]);
    assert.equal(dots(grid).size, 1);
    assert.equal(columnOf(grid, 0), 0);
    assert.equal(columnOf(grid, 10), 3);
    assert.equal(rowOf(grid, 10), 0);
    assert.equal(rowOf(grid, 0), 1);
  });

  it('clips a segment that leaves the range at the chart edge', () => {
    const grid = plotBraille(
      [
        line([
          { x: 0, y: 0.5 },
          { x: 1e12, y: 0.5 },
        ]),
      ],
      {
        width: 3,
        height: 1,
        xRange: [0, 1],
        yRange: [0, 1],
      },
    );
    const set = dots(grid);
    assert.equal(set.size, 6, 'the whole row of dots, and no hang');
    assert.ok(set.has('5,2') || set.has('5,1'));
  });

  it('skips non-finite points, breaking a joined line there', () => {
    const grid = plotBraille(
      [
        line([
          { x: 0, y: 0 },
          { x: 0.5, y: NaN },
          { x: 1, y: 1 },
          { x: Infinity, y: 0 },
        ]),
      ],
      { width: 4, height: 2 },
    );
    assert.equal(dots(grid).size, 2, 'two lone dots, no segment between them');
    assert.ok(Number.isFinite(grid.xMax) && grid.xMax < 2, 'Infinity left out of the range');
  });

  it('gives a shared cell to the later series and keeps both dots', () => {
    const bid = dotsOnly([{ x: 0, y: 1 }]);
    const mark = dotsOnly([{ x: 1, y: 0 }]);
    const later = plotBraille([bid, mark], { width: 1, height: 1, ...unit });
    assert.deepEqual(later.lines[0], [{ text: '\u2881', series: 1 }]);
    const earlier = plotBraille([mark, bid], { width: 1, height: 1, ...unit });
    assert.equal(ownerAt(earlier, 0, 0), 1);
  });

  it('draws markers beneath the data, as their own owner', () => {
    const grid = plotBraille([dotsOnly([{ x: 1, y: 1 }])], {
      width: 2,
      height: 2,
      ...unit,
      xMarkers: [1, 99],
    });
    assert.equal(ownerAt(grid, 0, 1), 0, 'the data point owns its cell');
    assert.equal(text(grid)[0], ' \u2808', 'marker dots are not painted in the data colour');
    assert.deepEqual(grid.lines[1], [
      { text: ' ', series: EMPTY },
      { text: '\u2828', series: MARKER }, // every other dot down the right column
    ]);
  });

  it('always returns height lines of width cells in merged runs, whatever comes in', () => {
    const value = fc.oneof(
      fc.double(),
      fc.double({ min: -10, max: 10 }),
      fc.constantFrom(NaN, Infinity, -Infinity, 0),
    );
    const range = fc.option(fc.tuple(value, value), { nil: undefined });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 20 }),
        fc.array(
          fc.record({
            join: fc.boolean(),
            points: fc.array(fc.record({ x: value, y: value }), { maxLength: 12 }),
          }),
          { maxLength: 4 },
        ),
        range,
        range,
        fc.array(value, { maxLength: 2 }),
        (width, height, series, xRange, yRange, xMarkers) => {
          const grid = plotBraille(series, {
            width,
            height,
            xMarkers,
            ...(xRange === undefined ? {} : { xRange }),
            ...(yRange === undefined ? {} : { yRange }),
          });
          assert.equal(grid.lines.length, height);
          for (const runs of grid.lines) {
            assert.equal(
              runs.map((run) => [...run.text].length).reduce((a, b) => a + b, 0),
              width,
            );
            runs.forEach((run, i) => {
              assert.ok(run.text.length > 0);
              if (i > 0) assert.notEqual(run.series, runs[i - 1]!.series, 'runs are merged');
              assert.ok(run.series >= MARKER && run.series < series.length);
              for (const char of run.text) {
                const code = char.codePointAt(0)!;
                if (run.series === EMPTY) assert.equal(char, ' ');
                else assert.ok(code > 0x2800 && code <= 0x28ff, `braille, got ${code}`);
              }
            });
          }
        },
      ),
    );
  });
});

describe('axisTicks', () => {
  it('gives round values inside the range', () => {
    assert.deepEqual(axisTicks(0, 1, 6), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    assert.deepEqual(axisTicks(-0.47, 0.44, 4), [-0.25, 0, 0.25]);
    assert.deepEqual(axisTicks(37_000, 103_000, 4), [40_000, 60_000, 80_000, 100_000]);
    assert.deepEqual(axisTicks(37_000, 103_000, 3), [50_000, 75_000, 100_000]);
    assert.deepEqual(axisTicks(44.2, 61.7, 4), [45, 50, 55, 60]);
    assert.deepEqual(axisTicks(0.1, 0.3, 3), [0.1, 0.2, 0.3]);
  });

  it('handles a point range, a single tick and nonsense', () => {
    assert.deepEqual(axisTicks(5, 5, 3), [5]);
    assert.deepEqual(axisTicks(41, 59, 1), [50]);
    assert.deepEqual(axisTicks(10, 0, 3), [0, 5, 10]);
    assert.deepEqual(axisTicks(NaN, 1, 3), []);
    assert.deepEqual(axisTicks(0, Infinity, 3), []);
    assert.deepEqual(axisTicks(0, 1, 0), []);
  });

  it('returns at most count ascending, evenly stepped, round values within the range', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e9, noNaN: true }),
        fc.integer({ min: 1, max: 12 }),
        (lo, span, count) => {
          const hi = lo + span;
          const ticks = axisTicks(lo, hi, count);
          assert.ok(ticks.length >= 1 && ticks.length <= count, `${ticks.length} ticks`);
          const slack = span * 1e-6;
          for (const tick of ticks) assert.ok(tick >= lo - slack && tick <= hi + slack);
          if (ticks.length < 2) return;
          const step = ticks[1]! - ticks[0]!;
          const mantissa = step / 10 ** Math.floor(Math.log10(step));
          assert.ok(
            [1, 2, 2.5, 5, 10].some((nice) => Math.abs(mantissa - nice) < 1e-4),
            `step ${step}`,
          );
          for (let i = 1; i < ticks.length; i++) {
            assert.ok(
              Math.abs(ticks[i]! - ticks[i - 1]! - step) <=
                step * 1e-6 + Math.abs(ticks[i]!) * 1e-12,
            );
          }
        },
      ),
    );
  });
});

describe('placeLabels', () => {
  it('centres labels on their columns, keeps them inside and drops collisions', () => {
    assert.equal(placeLabels(11, [{ column: 5, text: 'abc' }]), '    abc    ');
    assert.equal(placeLabels(6, [{ column: 0, text: 'abc' }]), 'abc   ');
    assert.equal(placeLabels(6, [{ column: 5, text: 'abc' }]), '   abc');
    assert.equal(
      placeLabels(12, [
        { column: 2, text: 'one' },
        { column: 4, text: 'two' },
        { column: 9, text: 'six' },
      ]),
      ' one    six ',
    );
    assert.equal(placeLabels(4, [{ column: 1, text: 'toolong' }]), '    ');
    assert.equal(placeLabels(4, [{ column: 9, text: 'x' }]), '    ');
  });
});
