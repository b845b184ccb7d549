// The risk view's lines at the sizes a trader uses: 80×24 shows the centre and the ends of
// the grid, 200×60 the whole of it, and the line being typed sits beside the book.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compactUsd, riskLines } from '../../src/ui/risk-screen.js';
import type { PanelLine } from '../../src/ui/chart-frame.js';
import type { RiskMatrixView, RiskScreenView } from '../../src/view/types.js';

const SPOT_MOVES = Array.from({ length: 21 }, (_, k) => (k - 10) / 50);
const VOL_SHIFTS = Array.from({ length: 9 }, (_, k) => (k - 4) / 20);

function matrix(label: string, scale: number): RiskMatrixView {
  return {
    label,
    spotMoves: SPOT_MOVES,
    volShifts: VOL_SHIFTS,
    pnlUsd: VOL_SHIFTS.map((vol) => SPOT_MOVES.map((move) => scale * (move * 10_000 + vol * 500))),
  };
}

const BOOK: RiskScreenView = {
  coin: 'BTC',
  spot: 90_012.5,
  positions: 2,
  matrices: [matrix('now', 1), matrix('in 7 d', 1)],
  greeks: { delta: 0.5, gamma: 0.01, vega: 120 },
  whatIf: null,
  whatIfProblem: null,
  missing: [],
  stale: null,
};

const text = (line: PanelLine): string => line.map((segment) => segment.text).join('');

describe('the risk view', () => {
  it('at 80 columns shows the centre and ends of the grid, both horizons, within the width', () => {
    const lines = riskLines(BOOK, 80, 18).map(text);
    assert.ok(lines.length <= 18, `${lines.length} lines`);
    assert.match(
      lines[0]!,
      /^BTC scenario PnL, USD {2}spot 90,012\.5 {2}2 positions {2}Δ \+0\.500/,
    );
    const heads = lines.filter((line) => line.startsWith('vol '));
    assert.equal(heads.length, 2, 'now and in 7 d');
    for (const head of heads) {
      assert.ok(head.length <= 80, head);
      for (const move of ['-20%', '-10%', '0%', '+10%', '+20%'])
        assert.ok(head.includes(move), head);
    }
    assert.ok(lines.some((line) => line === 'book now'));
    assert.ok(lines.some((line) => line === 'book in 7 d'));
    // The unchanged-vol row is there, with a gain at +20 % of 2,000 shown as such.
    const flat = lines.find((line) => line.startsWith('0    '));
    assert.ok(flat !== undefined && /2,000$/.test(flat.trimEnd()), flat);
  });

  it('at 200×60 shows every spot move and vol shift', () => {
    const lines = riskLines(BOOK, 200, 45).map(text);
    const head = lines.find((line) => line.startsWith('vol '))!;
    assert.equal(head.trim().split(/\s+/).length, 1 + 21);
    const rows = lines.filter((line) => /^[+-]?\d+\s/.test(line));
    assert.equal(rows.length, 2 * 9);
  });

  it('puts the line being typed beside the book when wide, and in turn when narrow', () => {
    const withLine: RiskScreenView = {
      ...BOOK,
      whatIf: {
        line: 'aw1',
        added: '+0.1 BTC-25DEC26-90000-C',
        matrices: [matrix('now', 2), matrix('in 7 d', 2)],
        greeks: { delta: 0.55, gamma: 0.012, vega: 130 },
      },
    };
    const wide = riskLines(withLine, 200, 45).map(text);
    assert.match(wide[1]!, /^with aw1: \+0\.1 BTC-25DEC26-90000-C {2}Δ \+0\.550/);
    const titles = wide.find((line) => line.startsWith('book now'))!;
    assert.match(titles, /^book now\s+with the line now$/);
    const narrow = riskLines(withLine, 80, 30).map(text);
    assert.ok(narrow.includes('book now') && narrow.includes('with the line now'));
    assert.ok(
      narrow.every(
        (line) => line.length <= 80 || line.startsWith('BTC') || line.startsWith('with'),
      ),
    );
  });

  it('says what it cannot value, an old feed, and a line that does not plan', () => {
    const lines = riskLines(
      {
        ...BOOK,
        missing: ['BTC-1JAN27-100000-C'],
        stale: 'feed reconnecting: marks may not be current',
        whatIfProblem: 'no ask for BTC-1JAN27-100000-C',
      },
      80,
      24,
    ).map(text);
    assert.ok(lines.includes('feed reconnecting: marks may not be current'));
    assert.ok(lines.includes('not valued (no forward or mark IV): BTC-1JAN27-100000-C'));
    assert.ok(lines.includes('what-if: no ask for BTC-1JAN27-100000-C'));
  });

  it('writes USD figures in at most six characters', () => {
    assert.deepEqual([0.4, -1234.4, 12_345, -987_654, 12_345_678, NaN].map(compactUsd), [
      '0',
      '-1,234',
      '12.3k',
      '-988k',
      '12.35M',
      '-',
    ]);
  });
});
