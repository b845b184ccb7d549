import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import chalk from 'chalk';
import { cleanup } from 'ink-testing-library';
import { PositionsPanel } from '../../src/ui/positions-panel.js';
import type { PositionRowView, PositionsView, PositionTotals } from '../../src/view/types.js';

import { assertFits, cellsOf, frame, styled } from './support/panel-frame.js';

after(cleanup);

function option(instrument: string, size: number, fields: Partial<PositionRowView> = {}) {
  return {
    instrument,
    kind: 'option',
    size,
    averagePrice: 0.0185,
    mark: 0.021,
    pnl: (0.021 - 0.0185) * size,
    pnlCurrency: 'BTC',
    pnlUsd: (0.021 - 0.0185) * size * 91000,
    delta: 0.42 * size,
    gamma: 0.000021 * size,
    vega: 61.5 * size,
    theta: -48.2 * size,
    ...fields,
  } satisfies PositionRowView;
}

const PERPETUAL: PositionRowView = {
  instrument: 'BTC-PERPETUAL',
  kind: 'perpetual',
  size: -20000,
  averagePrice: 88000,
  mark: 92000,
  pnl: -20000 * (1 / 88000 - 1 / 92000),
  pnlCurrency: 'BTC',
  pnlUsd: -20000 * (1 / 88000 - 1 / 92000) * 91000,
  delta: -20000 / 92000,
  gamma: 0,
  vega: 0,
  theta: 0,
};

function totalsOf(
  base: string,
  rows: readonly PositionRowView[],
): PositionTotals & { base: string } {
  const sum = (pick: (row: PositionRowView) => number) =>
    rows.reduce((total, row) => total + (Number.isFinite(pick(row)) ? pick(row) : 0), 0);
  const optionDelta = sum((row) => (row.kind === 'option' ? row.delta : 0));
  const hedgeDelta = sum((row) => (row.kind === 'option' ? 0 : row.delta));
  return {
    base,
    pnlUsd: sum((row) => row.pnlUsd),
    optionDelta,
    hedgeDelta,
    netDelta: optionDelta + hedgeDelta,
    gamma: sum((row) => row.gamma),
    vega: sum((row) => row.vega),
    theta: sum((row) => row.theta),
  };
}

function viewOf(rows: readonly PositionRowView[]): PositionsView {
  return { rows, totals: rows.length === 0 ? [] : [totalsOf('BTC', rows)] };
}

const BOOK = viewOf([
  option('BTC-27NOV26-90000-C', 2.5),
  option('BTC-27NOV26-90000-P', -1.2, { pnl: -0.0042, pnlUsd: -382.2, delta: 0.5 }),
  PERPETUAL,
]);

/** The frame as plain lines, the instance unmounted. */
describe('PositionsPanel', () => {
  it('at 160 columns shows every column, each position and the totals line', () => {
    const { lines } = frame(<PositionsPanel view={BOOK} width={160} height={20} />);
    assertFits(lines, 160, 20);
    assert.deepEqual(cellsOf(lines[0]!), [
      'Instrument',
      'Size',
      'Avg',
      'Mark',
      'PnL',
      'PnL',
      '$',
      'Δ',
      'Γ',
      'Vega',
      'θ',
    ]);
    assert.equal(lines.length, 5);
    assert.deepEqual(cellsOf(lines[1]!), [
      'BTC-27NOV26-90000-C',
      '2.5',
      '0.0185',
      '0.0210',
      '+0.0063',
      'BTC',
      '+568.75',
      '+1.050',
      '+0.000052',
      '+153.75',
      '-120.50',
    ]);
    assert.deepEqual(cellsOf(lines[3]!).slice(0, 7), [
      'BTC-PERPETUAL',
      '-20.0k',
      '88000',
      '92000',
      '-0.0099',
      'BTC',
      '-899.21',
    ]);
    const totals = lines[4]!;
    assert.match(totals, /^BTC +Δ opt \+1\.550 +hedge -0\.217 +net \+1\.333 +Γ \+0\.000027 /);
    assert.match(totals, /vega \+79\.95 +θ -62\.66 +PnL \$ -712\.66/);
  });

  it('at 80 columns keeps instrument, size, mark, PnL $ and Δ, dropping avg, Γ and θ', () => {
    const { lines } = frame(<PositionsPanel view={BOOK} width={80} height={24} />);
    assertFits(lines, 80, 24);
    const titles = cellsOf(lines[0]!);
    for (const kept of ['Instrument', 'Size', 'Mark', '$', 'Δ'])
      assert.ok(titles.includes(kept), kept);
    for (const dropped of ['Avg', 'Γ', 'θ']) assert.ok(!titles.includes(dropped), dropped);
    const totals = lines.at(-1)!;
    assert.match(totals, /^BTC .*net \+1\.333/);
    assert.match(totals, /PnL \$ -712\.66/);
  });

  it('never exceeds a narrow width, keeping the instrument and the net delta', () => {
    for (const width of [30, 45, 60]) {
      const { lines } = frame(<PositionsPanel view={BOOK} width={width} height={10} />);
      assertFits(lines, width, 10);
      assert.ok(lines[1]!.startsWith('BTC-27NOV26-90000-C'));
      assert.match(lines.at(-1)!, /^BTC .*net \+1\.333/);
    }
  });

  it('shows "+N more" for the positions that do not fit, and still the totals', () => {
    const rows = Array.from({ length: 30 }, (_, k) =>
      option(`BTC-27NOV26-${60000 + k * 1000}-C`, 1),
    );
    const { lines } = frame(<PositionsPanel view={viewOf(rows)} width={100} height={10} />);
    assertFits(lines, 100, 10);
    assert.equal(lines.length, 10);
    // Header, seven positions, the count of the other 23, the totals.
    assert.equal(lines[7]!.trim().split(/\s+/)[0], 'BTC-27NOV26-66000-C');
    assert.equal(lines[8]!.trim(), '+23 more (Ctrl-O lists all)');
    assert.match(lines[9]!, /^BTC +Δ opt \+12\.600/);
  });

  it('one totals line per base coin', () => {
    const eth = option('ETH-27NOV26-3500-C', 10, { pnlCurrency: 'ETH' });
    const view: PositionsView = {
      rows: [...BOOK.rows, eth],
      totals: [totalsOf('BTC', BOOK.rows), totalsOf('ETH', [eth])],
    };
    const { lines } = frame(<PositionsPanel view={view} width={120} height={12} />);
    assertFits(lines, 120, 12);
    assert.match(lines.at(-2)!, /^BTC +Δ opt \+1\.550/);
    assert.match(lines.at(-1)!, /^ETH +Δ opt \+4\.200 +hedge \+0\.000 +net \+4\.200/);
  });

  it('marks totals that left out an unknown figure', () => {
    const unpriced = option('BTC-25DEC26-80000-C', 1, {
      mark: NaN,
      delta: NaN,
      gamma: NaN,
      vega: NaN,
      theta: NaN,
    });
    const rows = [...BOOK.rows, unpriced];
    const { lines } = frame(<PositionsPanel view={viewOf(rows)} width={160} height={12} />);
    assertFits(lines, 160, 12);
    assert.match(lines[4]!, /^BTC-25DEC26-80000-C +1 +0\.0185 +- /);
    const totals = lines.at(-1)!;
    assert.match(totals, /Δ opt \+1\.550\? +hedge -0\.217 +net \+1\.333\?/);
    assert.match(totals, /vega \+79\.95\? /);
    assert.match(totals, /PnL \$ -485\.16\s*$/);
  });

  it('a position in an unlisted instrument shows without a totals line', () => {
    const gone: PositionRowView = {
      ...option('BTC-30OCT26-70000-C', 1),
      kind: 'unknown',
      pnlCurrency: '',
      pnlUsd: NaN,
      delta: NaN,
      gamma: NaN,
      vega: NaN,
      theta: NaN,
    };
    const { lines } = frame(
      <PositionsPanel view={{ rows: [gone], totals: [] }} width={80} height={5} />,
    );
    assertFits(lines, 80, 5);
    assert.equal(lines.length, 2);
    assert.match(lines[1]!, /^BTC-30OCT26-70000-C +1 +0\.0210 +\+0\.0025 +- +-$/);
  });

  it('colours PnL: gains green, losses red', () => {
    const level = chalk.level;
    chalk.level = 1;
    try {
      const { raw } = frame(<PositionsPanel view={BOOK} width={160} height={10} />);
      const green = styled(raw, chalk.green);
      const red = styled(raw, chalk.red);
      assert.ok(
        green.some((text) => text.includes('+568.75')),
        'a gain',
      );
      assert.ok(
        red.some((text) => text.includes('-382.20')),
        'a loss',
      );
      assert.ok(
        red.some((text) => text.startsWith('PnL $ -712.66')),
        'the total',
      );
      for (const text of [...green, ...red]) assert.doesNotMatch(text, /Δ|hedge|net|\+1\.050/);
    } finally {
      chalk.level = level;
    }
  });

  it('says "no positions" when flat, dimmed', () => {
    const level = chalk.level;
    chalk.level = 1;
    try {
      const { lines, raw } = frame(<PositionsPanel view={viewOf([])} width={80} height={5} />);
      assert.deepEqual(lines, ['no positions']);
      assert.deepEqual(styled(raw, chalk.dim), ['no positions']);
    } finally {
      chalk.level = level;
    }
  });
});
