import { memo, useMemo } from 'react';
import type { TermView } from '../view/types.js';
import { autoRange, columnOf, type ChartSeries } from '../view/braille-chart.js';
import {
  PanelFrame,
  chartLayout,
  emptyPanel,
  framedChart,
  type PanelLine,
  type Tone,
} from './chart-frame.js';

export interface TermPanelProps {
  readonly term: TermView | null;
  readonly width: number;
  readonly height: number;
}

const TITLE: PanelLine = [{ text: 'ATM term structure', tone: 'title' }];
/** The line under, the expiries' own dots over it. */
const TERM_TONES: readonly Tone[] = ['line', 'mark'];

/**
 * ATM IV per expiry, in vol points. Expiries sit at even steps (their index), not at their
 * years: a venue lists dailies, weeklies and quarterlies, so on a time axis the first month
 * — where the term structure moves most — would crowd into a few columns and its labels
 * collide, while the last quarterlies spread over half the chart. Even steps keep every
 * expiry readable and labelled by its own code.
 */
export function termLines(term: TermView | null, width: number, height: number): PanelLine[] {
  const points = term?.points ?? [];
  if (!points.some((p) => Number.isFinite(p.atmIv))) return emptyPanel(TITLE, height);

  const layout = chartLayout(height, false);
  if (layout.chartRows === 0) return [TITLE];

  const ivs = points.map((p, i) => ({ x: i, y: 100 * p.atmIv }));
  const series: ChartSeries[] = [
    { join: true, points: ivs },
    { join: false, points: ivs },
  ];
  const { chart, xLabelLine } = framedChart(series, TERM_TONES, {
    width,
    rows: layout.chartRows,
    // Half a step of margin each side keeps the end expiries off the edges.
    xRange: [-0.5, points.length - 0.5],
    yRange: autoRange(ivs.map((p) => p.y)),
    xMarkers: [],
    xLabels: (grid) =>
      labelOrder(points.length).map((i) => ({
        column: columnOf(grid, i),
        text: points[i]?.label ?? '',
      })),
  });
  return [TITLE, ...chart, ...(layout.xLabels ? [xLabelLine] : [])];
}

/** Front and back first, then ever finer midpoints, so what fits is spread evenly. */
function labelOrder(count: number): number[] {
  if (count <= 0) return [];
  const order = count === 1 ? [0] : [0, count - 1];
  const spans: [number, number][] = [[0, count - 1]];
  while (spans.length > 0) {
    const [lo, hi] = spans.shift()!;
    if (hi - lo < 2) continue;
    const middle = Math.floor((lo + hi) / 2);
    order.push(middle);
    spans.push([lo, middle], [middle, hi]);
  }
  return order;
}

function TermPanelView({ term, width, height }: TermPanelProps) {
  const lines = useMemo(() => termLines(term, width, height), [term, width, height]);
  return <PanelFrame lines={lines} width={width} height={height} />;
}

export const TermPanel = memo(TermPanelView);
