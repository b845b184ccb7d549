import { Box, Text, type TextProps } from 'ink';
import {
  EMPTY,
  MARKER,
  axisTicks,
  placeLabels,
  plotBraille,
  rowOf,
  type ChartGrid,
  type ChartSeries,
} from '../view/braille-chart.js';
import { useContext } from 'react';
import { fmtFixed } from '../view/format.js';
import { ColorContext } from './palette.js';

/** The frame every chart panel shares: toned segments, a title, axes and a legend. */
export type Tone =
  | 'plain'
  | 'title'
  | 'dim'
  | 'bid'
  | 'ask'
  | 'mark'
  | 'line'
  | 'marker'
  | 'fit'
  | 'warn'
  | 'bad'
  | 'heat0'
  | 'heat1'
  | 'heat2'
  | 'heat3'
  | 'heat4';

export interface Segment {
  readonly text: string;
  readonly tone: Tone;
}

export type PanelLine = readonly Segment[];

// Without colour the curves keep their shapes (dots and a line) and the markers go dim.
const MONOCHROME: Readonly<Record<Tone, TextProps>> = {
  plain: {},
  title: { bold: true },
  dim: { dimColor: true },
  bid: {},
  ask: {},
  mark: {},
  line: {},
  marker: { dimColor: true },
  fit: {},
  warn: { bold: true },
  bad: { bold: true, inverse: true },
  // Without colour the heat table still reads: low vols dim, high ones bold.
  heat0: { dimColor: true },
  heat1: { dimColor: true },
  heat2: {},
  heat3: { bold: true },
  heat4: { bold: true },
};

const TONES: Readonly<Record<Tone, TextProps>> = {
  plain: {},
  title: { bold: true },
  dim: { dimColor: true },
  bid: { color: 'green' },
  ask: { color: 'red' },
  mark: { color: 'yellow' },
  line: { color: 'cyan' },
  marker: { color: 'gray' },
  fit: { color: 'magenta' },
  warn: { color: 'yellow' },
  bad: { color: 'red', bold: true },
  heat0: { color: 'blue' },
  heat1: { color: 'cyan' },
  heat2: { color: 'green' },
  heat3: { color: 'yellow' },
  heat4: { color: 'red' },
};

/** Exactly `height` lines, each cut or padded to exactly `width` columns: nothing wraps. */
export function PanelFrame({
  lines,
  width,
  height,
}: {
  readonly lines: readonly PanelLine[];
  readonly width: number;
  readonly height: number;
}) {
  const tones = useContext(ColorContext) ? TONES : MONOCHROME;
  const rows: PanelLine[] = [];
  for (let i = 0; i < height; i++) rows.push(fitLine(lines[i] ?? [], width));
  return (
    <Box flexDirection="column" width={width} height={height}>
      {rows.map((line, i) => (
        <Text key={i} wrap="truncate">
          {line.map((segment, j) => (
            <Text key={j} {...tones[segment.tone]}>
              {segment.text}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}

/** Every character the panels print is one column wide (ASCII, braille, box drawing). */
export function fitLine(line: PanelLine, width: number): PanelLine {
  const out: Segment[] = [];
  let room = Math.max(0, Math.floor(width));
  for (const segment of line) {
    if (room === 0) break;
    const chars = [...segment.text];
    const text = chars.length > room ? chars.slice(0, room).join('') : segment.text;
    room -= Math.min(chars.length, room);
    if (text.length > 0) out.push({ text, tone: segment.tone });
  }
  // A blank line still needs one character to take its row; trailing padding would only
  // cost the renderer a styled cell per column (the fixed-width Box keeps the layout).
  if (out.length === 0) out.push({ text: ' ', tone: 'plain' });
  return out;
}

export interface ChartLayout {
  /** Rows the chart itself gets. */
  readonly chartRows: number;
  readonly xLabels: boolean;
  readonly legend: boolean;
}

/** Title first; then chart rows; x labels and a legend only once the chart keeps two rows. */
export function chartLayout(height: number, wantsLegend: boolean): ChartLayout {
  const rows = Math.max(0, Math.floor(height));
  const xLabels = rows >= 4;
  const legend = wantsLegend && rows >= 5;
  const chartRows = Math.max(0, rows - 1 - (xLabels ? 1 : 0) - (legend ? 1 : 0));
  return { chartRows, xLabels, legend };
}

const MIN_PLOT_WIDTH = 8;

/**
 * The chart rows with y-axis labels on the left, plus the x-label line under them. Ranges come
 * in fixed so the label gutter can be sized before the plot is drawn.
 */
export function framedChart(
  series: readonly ChartSeries[],
  tones: readonly Tone[],
  options: {
    readonly width: number;
    readonly rows: number;
    readonly xRange: readonly [number, number];
    readonly yRange: readonly [number, number];
    readonly xMarkers: readonly number[];
    /** x labels in priority order, as values on the x axis. */
    readonly xLabels: (grid: ChartGrid) => readonly { column: number; text: string }[];
  },
): { readonly chart: PanelLine[]; readonly xLabelLine: PanelLine } {
  const { width, rows, xRange, yRange } = options;
  const ticks = axisTicks(yRange[0], yRange[1], Math.max(2, Math.ceil(rows / 2)));
  const tickTexts = ticks.map((tick) => fmtFixed(tick, 1));
  const labelWidth = Math.max(0, ...tickTexts.map((text) => text.length)) + 1;
  const gutter = width - labelWidth >= MIN_PLOT_WIDTH ? labelWidth : 0;
  const grid = plotBraille(series, {
    width: width - gutter,
    height: rows,
    xRange,
    yRange,
    xMarkers: options.xMarkers,
  });

  const labelAt = new Map<number, string>();
  ticks.forEach((tick, i) => {
    const row = rowOf(grid, tick);
    if (!labelAt.has(row)) labelAt.set(row, tickTexts[i] ?? '');
  });

  const chart = grid.lines.map((runs, row): PanelLine => {
    const label = labelAt.get(row);
    const axis: Segment[] =
      gutter === 0
        ? []
        : [
            {
              text: label === undefined ? ' '.repeat(gutter - 1) : label.padStart(gutter - 1),
              tone: 'dim',
            },
            { text: label === undefined ? '│' : '┤', tone: 'dim' },
          ];
    return [
      ...axis,
      ...runs.map((run): Segment => ({
        text: run.text,
        tone:
          run.series === EMPTY
            ? 'plain'
            : run.series === MARKER
              ? 'marker'
              : (tones[run.series] ?? 'plain'),
      })),
    ];
  });

  const xLabelLine: PanelLine = [
    { text: ' '.repeat(gutter), tone: 'plain' },
    { text: placeLabels(grid.width, options.xLabels(grid)), tone: 'dim' },
  ];
  return { chart, xLabelLine };
}

const NO_IVS = 'no IVs yet';

/** The title over a dim "no IVs yet"; just the message when there is a single row. */
export function emptyPanel(title: PanelLine, height: number): PanelLine[] {
  const message: PanelLine = [{ text: NO_IVS, tone: 'dim' }];
  return height >= 2 ? [title, message] : [message];
}
