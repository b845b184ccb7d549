import { memo, useMemo } from 'react';
import type { SmilePoint, SmileView } from '../view/types.js';
import { fmtFixed, fmtStrike, fmtUsd } from '../view/format.js';
import { autoRange, axisTicks, columnOf, type ChartSeries } from '../view/braille-chart.js';

import {
  PanelFrame,
  chartLayout,
  emptyPanel,
  framedChart,
  type PanelLine,
  type Tone,
} from './chart-frame.js';

export type SmileAxis = 'strike' | 'moneyness';

export interface SmilePanelProps {
  readonly smile: SmileView | null;
  readonly width: number;
  readonly height: number;
  readonly axis: SmileAxis;
}

/** How a piece of a panel line is painted. */
const SMILE_TONES: readonly Tone[] = ['bid', 'ask', 'mark'];

const LEGEND: PanelLine = [
  { text: '• bid', tone: 'bid' },
  { text: '  ', tone: 'plain' },
  { text: '• ask', tone: 'ask' },
  { text: '  ', tone: 'plain' },
  { text: '─ mark', tone: 'mark' },
  { text: '  ', tone: 'plain' },
  { text: '┊ fwd', tone: 'marker' },
];

/** Vol points the bid/ask may reach past the marks before the view stops following them. */
const MIN_QUOTE_REACH = 5;

/** The selected expiry's smile: bid and ask IV as dots, mark IV as a line, in vol points. */
export function smileLines(
  smile: SmileView | null,
  width: number,
  height: number,
  axis: SmileAxis,
): PanelLine[] {
  const axisName = axis === 'strike' ? 'strike' : 'ln K/F';
  const titleText =
    smile === null ? 'Smile' : `Smile ${smile.label}  F ${fmtUsd(smile.forward)}  (m: ${axisName})`;
  const title: PanelLine = [{ text: titleText, tone: 'title' }];

  const xOf = (point: SmilePoint): number =>
    axis === 'strike' ? point.strike : point.logMoneyness;
  const points = (smile?.points ?? []).filter(
    (p) =>
      Number.isFinite(xOf(p)) &&
      (Number.isFinite(p.bidIv) || Number.isFinite(p.askIv) || Number.isFinite(p.markIv)),
  );
  if (smile === null || points.length === 0) return emptyPanel(title, height);

  const layout = chartLayout(height, true);
  if (layout.chartRows === 0) return [title];

  const series = SMILE_TONES.map((tone): ChartSeries => ({
    join: tone === 'mark',
    points: points.map((p) => ({
      x: xOf(p),
      y: 100 * (tone === 'bid' ? p.bidIv : tone === 'ask' ? p.askIv : p.markIv),
    })),
  }));
  const forwardX = axis === 'strike' ? smile.forward : 0;
  const { chart, xLabelLine } = framedChart(series, SMILE_TONES, {
    width,
    rows: layout.chartRows,
    xRange: autoRange(points.map(xOf)),
    yRange: smileYRange(points),
    xMarkers: Number.isFinite(forwardX) && smile.forward > 0 ? [forwardX] : [],
    xLabels: (grid) =>
      axisTicks(grid.xMin, grid.xMax, Math.max(2, Math.floor(grid.width / 8))).map((tick) => ({
        column: columnOf(grid, tick),
        text: axis === 'strike' ? fmtStrike(tick) : fmtFixed(tick, 2),
      })),
  });
  return [
    title,
    ...chart,
    ...(layout.xLabels ? [xLabelLine] : []),
    ...(layout.legend ? [LEGEND] : []),
  ];
}

/**
 * Follows the marks, and the quotes only a little past them: a far-wing ask at 300% would
 * otherwise flatten the smile the trader is looking at. Quotes beyond fall off the chart.
 */
function smileYRange(points: readonly SmilePoint[]): [number, number] {
  const marks = autoRange(points.map((p) => 100 * p.markIv));
  const anyMark = points.some((p) => Number.isFinite(p.markIv));
  if (!anyMark) return autoRange(points.flatMap((p) => [100 * p.bidIv, 100 * p.askIv]));
  const reach = Math.max(MIN_QUOTE_REACH, marks[1] - marks[0]);
  const quotes = points
    .flatMap((p) => [100 * p.bidIv, 100 * p.askIv, 100 * p.markIv])
    .filter((iv) => iv >= marks[0] - reach && iv <= marks[1] + reach);
  return autoRange(quotes);
}

function SmilePanelView({ smile, width, height, axis }: SmilePanelProps) {
  const lines = useMemo(() => smileLines(smile, width, height, axis), [smile, width, height, axis]);
  return <PanelFrame lines={lines} width={width} height={height} />;
}

export const SmilePanel = memo(SmilePanelView);
