import { memo, useMemo } from 'react';
import type { SmilePoint, SmileView } from '../view/types.js';
import { fittedIv, putDeltaAt, type SmileFitView } from '../view/surface-view.js';
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

export type SmileAxis = 'strike' | 'moneyness' | 'delta';

export interface SmilePanelProps {
  readonly smile: SmileView | null;
  readonly width: number;
  readonly height: number;
  readonly axis: SmileAxis;
  /** The expiry's fitted smile: drawn as a curve, with the quotes it leaves outside marked. */
  readonly fit?: SmileFitView | null;
}

/** How a piece of a panel line is painted. */
const SMILE_TONES: readonly Tone[] = ['bid', 'ask', 'mark'];
/** With a fit: its curve, then the quotes it leaves outside their spread. */
const FIT_TONES: readonly Tone[] = [...SMILE_TONES, 'fit', 'bad'];
/** Samples of the fitted curve across the chart. */
const FIT_SAMPLES = 160;

/** A legend line: the entries with `gap` between them. */
function legend(entries: readonly [string, Tone][], gap: string): PanelLine {
  return entries.flatMap(([text, tone], at) => [
    ...(at === 0 ? [] : [{ text: gap, tone: 'plain' as Tone }]),
    { text, tone },
  ]);
}

const LEGEND: PanelLine = legend(
  [
    ['• bid', 'bid'],
    ['• ask', 'ask'],
    ['─ mark', 'mark'],
    ['┊ fwd', 'marker'],
  ],
  '  ',
);

/** Vol points the bid/ask may reach past the marks before the view stops following them. */
const MIN_QUOTE_REACH = 5;

// Narrower gaps: two more entries share the line.
const FIT_LEGEND: PanelLine = legend(
  [
    ['• bid', 'bid'],
    ['• ask', 'ask'],
    ['─ mark', 'mark'],
    ['─ fit', 'fit'],
    ['• outside', 'bad'],
  ],
  ' ',
);

/**
 * The selected expiry's smile: bid and ask IV as dots, mark IV as a line, in vol points; with
 * a fit, its curve and the quotes it leaves outside their spread. Against delta the x axis is
 * the forward put delta N(−d₁) on the fitted smile (0.25 = the 25Δ put, 0.75 = the 25Δ call).
 */
export function smileLines(
  smile: SmileView | null,
  width: number,
  height: number,
  axis: SmileAxis,
  fit: SmileFitView | null = null,
): PanelLine[] {
  const axisName = axis === 'strike' ? 'strike' : axis === 'moneyness' ? 'ln K/F' : 'put Δ';
  const ownFit = fit !== null && smile !== null && fit.expiry === smile.expiry ? fit : null;
  const flagged = ownFit?.flagged === true ? '  fit FLAGGED' : '';
  const titleText =
    smile === null ? 'Smile' : `Smile ${smile.label}  F ${fmtUsd(smile.forward)}  (m: ${axisName})`;
  const title: PanelLine = [
    { text: titleText, tone: 'title' },
    ...(flagged === '' ? [] : [{ text: flagged, tone: 'bad' as const }]),
  ];
  if (axis === 'delta' && ownFit === null) {
    return height >= 2
      ? [title, [{ text: 'no fitted smile: delta needs one', tone: 'dim' }]]
      : [title];
  }

  const xAtK = (k: number): number =>
    axis === 'strike'
      ? (ownFit?.forward ?? smile?.forward ?? NaN) * Math.exp(k)
      : axis === 'moneyness'
        ? k
        : (putDeltaAt(ownFit!, k) ?? NaN);
  const xOf = (point: SmilePoint): number =>
    axis === 'strike'
      ? point.strike
      : axis === 'moneyness'
        ? point.logMoneyness
        : ownFit === null
          ? NaN
          : xAtK(Math.log(point.strike / ownFit.forward));
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
  if (ownFit !== null) {
    const ks = points.map((p) => Math.log(p.strike / ownFit.forward));
    const lo = Math.min(...ks);
    const hi = Math.max(...ks);
    const curve = [];
    for (let i = 0; i <= FIT_SAMPLES; i++) {
      const k = lo + ((hi - lo) * i) / FIT_SAMPLES;
      const iv = fittedIv(ownFit, k);
      curve.push({ x: xAtK(k), y: iv === null ? NaN : 100 * iv });
    }
    const outside = new Set(ownFit.outside);
    series.push(
      { join: true, points: curve },
      {
        join: false,
        points: points
          .filter((p) => outside.has(p.strike))
          .map((p) => ({ x: xOf(p), y: 50 * (p.bidIv + p.askIv) })),
      },
    );
  }
  const forwardX = axis === 'strike' ? smile.forward : axis === 'moneyness' ? 0 : NaN;
  const { chart, xLabelLine } = framedChart(series, ownFit === null ? SMILE_TONES : FIT_TONES, {
    width,
    rows: layout.chartRows,
    xRange: axis === 'delta' ? [0, 1] : autoRange(points.map(xOf)),
    yRange: smileYRange(points),
    xMarkers: Number.isFinite(forwardX) && smile.forward > 0 ? [forwardX] : [],
    xLabels: (grid) =>
      (axis === 'delta'
        ? DELTA_TICKS
        : axisTicks(grid.xMin, grid.xMax, Math.max(2, Math.floor(grid.width / 8)))
      ).map((tick) => ({
        column: columnOf(grid, tick),
        text:
          axis === 'strike'
            ? fmtStrike(tick)
            : axis === 'delta'
              ? deltaLabel(tick)
              : fmtFixed(tick, 2),
      })),
  });
  return [
    title,
    ...chart,
    ...(layout.xLabels ? [xLabelLine] : []),
    ...(layout.legend ? [ownFit === null ? LEGEND : FIT_LEGEND] : []),
  ];
}

/** The deltas a desk quotes: 10Δ and 25Δ puts, 50, 25Δ and 10Δ calls (as put delta). */
const DELTA_TICKS: readonly number[] = [0.1, 0.25, 0.5, 0.75, 0.9];

/** A put-delta tick as a desk names it: 0.25 → 25P, 0.75 → 25C, 0.5 → 50. */
function deltaLabel(putDelta: number): string {
  const d = Math.round(putDelta * 100);
  if (d === 50) return '50';
  return d < 50 ? `${d}P` : `${100 - d}C`;
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

function SmilePanelView({ smile, width, height, axis, fit = null }: SmilePanelProps) {
  const lines = useMemo(
    () => smileLines(smile, width, height, axis, fit),
    [smile, width, height, axis, fit],
  );
  return <PanelFrame lines={lines} width={width} height={height} />;
}

export const SmilePanel = memo(SmilePanelView);
