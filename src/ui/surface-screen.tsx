import { memo, useMemo } from 'react';
import { columnOf, autoRange, type ChartSeries } from '../view/braille-chart.js';
import type { SurfaceScreenView } from '../view/surface-view.js';
import {
  PanelFrame,
  chartLayout,
  framedChart,
  fitLine,
  type PanelLine,
  type Segment,
  type Tone,
} from './chart-frame.js';

export interface SurfaceScreenProps {
  readonly view: SurfaceScreenView | null;
  readonly width: number;
  readonly height: number;
}

const CELL = 7;
const LABEL = 5;
const HEAT_TONES: readonly Tone[] = ['heat0', 'heat1', 'heat2', 'heat3', 'heat4'];
/** Two columns side by side from this width on. */
const TWO_COLUMNS = 100;
const RV_TONES: readonly Tone[] = ['mark', 'mark', 'line', 'line'];
const RV_DAYS_LABELS = [1, 7, 14, 30, 60, 90, 180];

function pad(text: string, width: number): string {
  return text.length >= width ? text.slice(0, width) : text.padStart(width);
}

function gridLines(view: SurfaceScreenView): PanelLine[] {
  const head: PanelLine = [
    {
      text: `${'T'.padEnd(LABEL)}${view.columns.map((c) => pad(c, CELL)).join('')}`,
      tone: 'dim',
    },
  ];
  const rows = view.grid.map((row): PanelLine => [
    { text: row.label.padEnd(LABEL), tone: 'dim' },
    ...row.cells.map((cell): Segment => ({
      text: pad(cell.text, CELL),
      tone: cell.level === null ? 'dim' : HEAT_TONES[cell.level]!,
    })),
  ]);
  const axis = view.axis === 'delta' ? `by ${view.deltaConvention} delta` : 'by ln K/F';
  return [[{ text: `IV grid ${axis}  (^ switches)`, tone: 'title' }], head, ...rows];
}

function skewLines(view: SurfaceScreenView): PanelLine[] {
  const cols = ['ATM', 'RR25', 'BF25', 'RR10', 'BF10', 'dσ/dk'];
  return [
    [{ text: 'Skew term structure (vol points)', tone: 'title' }],
    [{ text: `${'T'.padEnd(LABEL)}${cols.map((c) => pad(c, CELL)).join('')}`, tone: 'dim' }],
    ...view.skew.map((r): PanelLine => [
      { text: r.label.padEnd(LABEL), tone: 'dim' },
      {
        text: [r.atm, r.rr25, r.bf25, r.rr10, r.bf10, r.skew].map((t) => pad(t, CELL)).join(''),
        tone: 'plain',
      },
    ]),
  ];
}

function fitLines(view: SurfaceScreenView): PanelLine[] {
  const lines: PanelLine[] = [
    [{ text: 'Fit per expiry', tone: 'title' }],
    [{ text: 'expiry   fit          in  rms  arbitrage', tone: 'dim' }],
    ...view.fits.map((f): PanelLine => [
      {
        text: `${f.expiry.padEnd(8)} ${f.kind.padEnd(11)} ${pad(f.inside, 5)} ${pad(f.rms, 4)}  `,
        tone: 'plain',
      },
      { text: f.arbitrage, tone: f.flagged ? 'bad' : f.repaired ? 'warn' : 'dim' },
    ]),
  ];
  if (view.skipped !== null) lines.push([{ text: `not fitted: ${view.skipped}`, tone: 'warn' }]);
  return lines;
}

function rvLines(view: SurfaceScreenView, width: number, height: number): PanelLine[] {
  const title: PanelLine = [
    { text: 'ATM IV ', tone: 'mark' },
    { text: 'against ', tone: 'title' },
    { text: 'RV', tone: 'line' },
    { text: ` (vol points)  VRP 30d ${view.vrp30}`, tone: 'title' },
  ];
  const layout = chartLayout(height, true);
  if (layout.chartRows === 0) return [title];
  const ln = (p: { x: number; y: number }): { x: number; y: number } => ({
    x: Math.log(p.x),
    y: p.y,
  });
  const atm = view.atmTerm.map(ln);
  const rv = view.rvTerm.map(ln);
  if (atm.length + rv.length === 0) return [title, [{ text: view.rvNote, tone: 'dim' }]];
  const series: ChartSeries[] = [
    { join: true, points: atm },
    { join: false, points: atm },
    { join: true, points: rv },
    { join: false, points: rv },
  ];
  const { chart, xLabelLine } = framedChart(series, RV_TONES, {
    width,
    rows: layout.chartRows,
    xRange: [Math.log(0.8), Math.log(220)],
    yRange: autoRange([...atm, ...rv].map((p) => p.y)),
    xMarkers: [],
    xLabels: (grid) =>
      RV_DAYS_LABELS.map((d) => ({ column: columnOf(grid, Math.log(d)), text: `${d}d` })),
  });
  return [
    title,
    ...chart,
    ...(layout.xLabels ? [xLabelLine] : []),
    ...(layout.legend ? [[{ text: view.rvNote, tone: 'dim' } as Segment]] : []),
  ];
}

/**
 * The surface view's lines: a title (with the stale warning), then the grid and the skew
 * table on the left and the fits and the RV chart on the right; one column when narrow.
 */
export function surfaceScreenLines(
  view: SurfaceScreenView | null,
  width: number,
  height: number,
): PanelLine[] {
  if (view === null) {
    return [
      [{ text: 'Volatility surface', tone: 'title' }],
      [{ text: 'no fitted surface yet (the chain has no forward or no quotes)', tone: 'dim' }],
    ];
  }
  const title: PanelLine = [
    { text: view.title, tone: 'title' },
    ...(view.stale === null ? [] : [{ text: `  STALE: ${view.stale}`, tone: 'bad' as const }]),
  ];
  const left = [...gridLines(view), [] as PanelLine, ...skewLines(view)];
  const rest = height - 1;
  if (width < TWO_COLUMNS) {
    const fits = fitLines(view);
    const used = left.length + 1 + fits.length + 1;
    const chart = rest - used >= 6 ? rvLines(view, width, rest - used) : [];
    return [title, ...left, [], ...fits, [], ...chart].slice(0, height);
  }
  const leftWidth = Math.max(LABEL + CELL * view.columns.length, LABEL + CELL * 6) + 2;
  const rightWidth = width - leftWidth;
  const fits = fitLines(view);
  const chartHeight = Math.max(0, rest - fits.length - 1);
  const right = [...fits, [] as PanelLine, ...rvLines(view, rightWidth, chartHeight)];
  const lines: PanelLine[] = [title];
  for (let i = 0; i < rest; i++) {
    const l = fitLine(left[i] ?? [], leftWidth);
    const used = l.reduce((n, s) => n + [...s.text].length, 0);
    lines.push([
      ...l,
      { text: ' '.repeat(Math.max(0, leftWidth - used)), tone: 'plain' },
      ...(right[i] ?? []),
    ]);
  }
  return lines;
}

function SurfaceScreenPanel({ view, width, height }: SurfaceScreenProps) {
  const lines = useMemo(() => surfaceScreenLines(view, width, height), [view, width, height]);
  return <PanelFrame lines={lines} width={width} height={height} />;
}

export const SurfaceScreen = memo(SurfaceScreenPanel);
