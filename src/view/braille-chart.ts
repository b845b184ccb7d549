/**
 * A terminal chart on the braille dot grid: every cell holds 2×4 dots, so a 40×8 cell panel
 * plots at 80×32. Pure: series in, rows of text runs out; the UI only colours the runs.
 */

export interface ChartPoint {
  readonly x: number;
  readonly y: number;
}

export interface ChartSeries {
  readonly points: readonly ChartPoint[];
  /** Draw segments between consecutive finite points; otherwise each point is a lone dot. */
  readonly join: boolean;
}

export interface ChartOptions {
  /** In terminal cells. */
  readonly width: number;
  readonly height: number;
  /** Fixed axis ranges; automatic (padded, from the finite points) when absent. */
  readonly xRange?: readonly [number, number];
  readonly yRange?: readonly [number, number];
  /** x values marked by a dotted vertical rule drawn beneath every series (e.g. the forward). */
  readonly xMarkers?: readonly number[];
}

/** Consecutive cells owned by the same series, so a row is coloured a run at a time. */
export interface ChartRun {
  readonly text: string;
  /** Index into the series, `EMPTY` or `MARKER`. */
  readonly series: number;
}

export interface ChartGrid {
  readonly width: number;
  readonly height: number;
  /** `height` rows, each exactly `width` cells wide. */
  readonly lines: readonly (readonly ChartRun[])[];
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
}

/** Run owner of blank cells. */
export const EMPTY = -1;
/** Run owner of cells holding only marker dots. */
export const MARKER = -2;

const BRAILLE_BASE = 0x2800;
/** Dot bit by [column within the cell][row within the cell]. */
const DOT_BITS = [
  [0x01, 0x02, 0x04, 0x40],
  [0x08, 0x10, 0x20, 0x80],
] as const;

/** Share of the data's span added on each side of an automatic range. */
const AUTO_PAD = 0.05;

export function plotBraille(series: readonly ChartSeries[], options: ChartOptions): ChartGrid {
  const width = cellCount(options.width);
  const height = cellCount(options.height);
  const [xMin, xMax] = resolveRange(options.xRange, series, (p) => p.x);
  const [yMin, yMax] = resolveRange(options.yRange, series, (p) => p.y);
  const canvas = new Canvas(width, height, xMin, xMax, yMin, yMax);

  for (const x of options.xMarkers ?? []) canvas.marker(x);
  series.forEach((one, index) => canvas.series(one, index));

  return { width, height, lines: canvas.runs(), xMin, xMax, yMin, yMax };
}

/** The cell column an x value falls in (may lie outside `[0, width)`; NaN for non-finite). */
export function columnOf(grid: ChartGrid, x: number): number {
  return Math.floor(Math.round(dotX(x, grid.xMin, grid.xMax, grid.width * 2)) / 2);
}

/** The cell row a y value falls in, 0 at the top (may lie outside `[0, height)`). */
export function rowOf(grid: ChartGrid, y: number): number {
  return Math.floor(Math.round(dotY(y, grid.yMin, grid.yMax, grid.height * 4)) / 4);
}

/**
 * Round values for axis labels: as many multiples of 1, 2, 2.5 or 5 × 10^k inside [min, max]
 * as fit in `count` (ascending), using the finest such step that does.
 */
export function axisTicks(min: number, max: number, count: number): number[] {
  const wanted = Math.floor(count);
  if (!Number.isFinite(min) || !Number.isFinite(max) || !(wanted >= 1)) return [];
  const lo = Math.min(min, max);
  const hi = Math.max(min, max);
  const span = hi - lo;
  if (span === 0) return [lo];
  // Candidate steps start well below an even split and grow until the ticks fit.
  let magnitude = 10 ** Math.floor(Math.log10(span / wanted)) / 10;
  if (!(magnitude > 0) || !Number.isFinite(magnitude)) return [];
  let tooFine = magnitude;
  for (let decade = 0; decade < 6; decade++, magnitude *= 10) {
    for (const factor of NICE_FACTORS) {
      const step = factor * magnitude;
      if (!Number.isFinite(step)) return nearestMiddle(lo, hi, tooFine);
      // The slack keeps a tick lying exactly on an edge through the division's rounding.
      const first = Math.ceil(lo / step - 1e-9);
      const last = Math.floor(hi / step + 1e-9);
      const fits = last - first + 1;
      // Past 2^53 multiples cannot be counted one by one: a coarser step may still do.
      if (fits > wanted || !Number.isSafeInteger(first) || !Number.isSafeInteger(last)) {
        tooFine = step;
        continue;
      }
      if (fits >= 1) return multiples(first, last, step);
      // The step outgrew the gap between two multiples.
      return nearestMiddle(lo, hi, tooFine);
    }
  }
  return [];
}

/** The multiple of a step that fits the range nearest its middle. */
function nearestMiddle(lo: number, hi: number, step: number): number[] {
  const k = Math.round((lo / 2 + hi / 2) / step);
  return multiples(k, k, step);
}

const NICE_FACTORS = [1, 2, 2.5, 5] as const;

function multiples(first: number, last: number, step: number): number[] {
  // Rounded to the step's precision so 0.1 × 3 prints as 0.3.
  const decimals = Math.min(100, Math.max(0, 1 - Math.floor(Math.log10(step))));
  const ticks: number[] = [];
  for (let k = first; k <= last; k++) ticks.push(Number((k * step).toFixed(decimals)));
  return ticks;
}

/**
 * Lays labels on a line of `width` columns, each centred on its column and kept inside the
 * line. Earlier labels win: one that would touch an already placed label is left out.
 */
export function placeLabels(
  width: number,
  labels: readonly { readonly column: number; readonly text: string }[],
): string {
  const size = cellCount(width);
  const line: string[] = new Array<string>(size).fill(' ');
  const taken = new Uint8Array(size);
  for (const { column, text } of labels) {
    const chars = [...text];
    if (chars.length === 0 || chars.length > size || !Number.isFinite(column)) continue;
    if (column < 0 || column >= size) continue;
    const start = Math.min(
      Math.max(0, Math.round(column - (chars.length - 1) / 2)),
      size - chars.length,
    );
    const end = start + chars.length;
    // One blank column either side keeps neighbours readable.
    let free = true;
    for (let c = Math.max(0, start - 1); c < Math.min(size, end + 1) && free; c++) {
      if (taken[c] === 1) free = false;
    }
    if (!free) continue;
    chars.forEach((char, i) => {
      line[start + i] = char;
      taken[start + i] = 1;
    });
  }
  return line.join('');
}

function cellCount(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/**
 * The range an axis gets from its data: the finite values padded a little on each side, never
 * of zero width; [0, 1] when there are none.
 */
export function autoRange(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    if (value < lo) lo = value;
    if (value > hi) hi = value;
  }
  return lo > hi ? [0, 1] : widen(lo, hi, AUTO_PAD);
}

function resolveRange(
  fixed: readonly [number, number] | undefined,
  series: readonly ChartSeries[],
  pick: (point: ChartPoint) => number,
): [number, number] {
  if (fixed !== undefined && Number.isFinite(fixed[0]) && Number.isFinite(fixed[1])) {
    return widen(Math.min(fixed[0], fixed[1]), Math.max(fixed[0], fixed[1]), 0);
  }
  return autoRange(plottable(series, pick));
}

function* plottable(
  series: readonly ChartSeries[],
  pick: (point: ChartPoint) => number,
): Generator<number> {
  for (const one of series) {
    for (const point of one.points) {
      if (Number.isFinite(point.x) && Number.isFinite(point.y)) yield pick(point);
    }
  }
}

/** Pads a range and keeps it from collapsing, so a flat smile still draws mid-height. */
function widen(lo: number, hi: number, pad: number): [number, number] {
  let span = hi - lo;
  if (!Number.isFinite(span)) return [lo, hi];
  if (span === 0) {
    const half = Math.abs(lo) * AUTO_PAD || 1;
    return [lo - half, hi + half];
  }
  span *= pad;
  const padded: [number, number] = [lo - span, hi + span];
  return Number.isFinite(padded[1] - padded[0]) ? padded : [lo, hi];
}

/** Dot coordinates: x from 0 (xMin) to dots−1 (xMax), y from 0 (yMax, top) downwards. */
function dotX(x: number, xMin: number, xMax: number, dots: number): number {
  return ((x - xMin) / (xMax - xMin)) * (dots - 1);
}

function dotY(y: number, yMin: number, yMax: number, dots: number): number {
  return ((yMax - y) / (yMax - yMin)) * (dots - 1);
}

class Canvas {
  private readonly dotsWide: number;
  private readonly dotsHigh: number;
  private readonly bits: Uint8Array;
  private readonly markerBits: Uint8Array;
  private readonly owner: Int32Array;

  constructor(
    private readonly width: number,
    private readonly height: number,
    private readonly xMin: number,
    private readonly xMax: number,
    private readonly yMin: number,
    private readonly yMax: number,
  ) {
    this.dotsWide = width * 2;
    this.dotsHigh = height * 4;
    this.bits = new Uint8Array(width * height);
    this.markerBits = new Uint8Array(width * height);
    this.owner = new Int32Array(width * height).fill(EMPTY);
  }

  marker(x: number): void {
    const column = Math.round(dotX(x, this.xMin, this.xMax, this.dotsWide));
    if (!(column >= 0 && column < this.dotsWide)) return;
    // Every other dot: a rule that reads as a guide, not as data.
    for (let row = 0; row < this.dotsHigh; row += 2) {
      const cell = this.cellIndex(column, row);
      this.markerBits[cell]! |= this.dotBit(column, row);
    }
  }

  series(series: ChartSeries, index: number): void {
    let previous: readonly [number, number] | null = null;
    for (const point of series.points) {
      if (!Number.isFinite(point.x) || !Number.isFinite(point.y)) {
        previous = null;
        continue;
      }
      const here = [
        dotX(point.x, this.xMin, this.xMax, this.dotsWide),
        dotY(point.y, this.yMin, this.yMax, this.dotsHigh),
      ] as const;
      if (!Number.isFinite(here[0]) || !Number.isFinite(here[1])) {
        previous = null;
        continue;
      }
      if (series.join && previous !== null) this.segment(previous, here, index);
      else this.dot(Math.round(here[0]), Math.round(here[1]), index);
      previous = here;
    }
  }

  runs(): ChartRun[][] {
    const lines: ChartRun[][] = [];
    for (let row = 0; row < this.height; row++) {
      const line: ChartRun[] = [];
      let text = '';
      let owner = EMPTY;
      for (let column = 0; column < this.width; column++) {
        const cell = row * this.width + column;
        let cellOwner = this.owner[cell]!;
        let bits = this.bits[cell]!;
        if (cellOwner === EMPTY && this.markerBits[cell]! !== 0) {
          cellOwner = MARKER;
          bits = this.markerBits[cell]!;
        }
        const char = cellOwner === EMPTY ? ' ' : String.fromCharCode(BRAILLE_BASE + bits);
        if (column > 0 && cellOwner !== owner) {
          line.push({ text, series: owner });
          text = '';
        }
        owner = cellOwner;
        text += char;
      }
      if (this.width > 0) line.push({ text, series: owner });
      lines.push(line);
    }
    return lines;
  }

  /** Bresenham between two dot positions, after clipping to the grid so far-off points cost nothing. */
  private segment(
    from: readonly [number, number],
    to: readonly [number, number],
    index: number,
  ): void {
    const clipped = clip(from, to, this.dotsWide, this.dotsHigh);
    if (clipped === null || !clipped.every((value) => Number.isFinite(value))) return;
    let x0 = Math.round(clipped[0]);
    let y0 = Math.round(clipped[1]);
    const x1 = Math.round(clipped[2]);
    const y1 = Math.round(clipped[3]);
    const dx = Math.abs(x1 - x0);
    const dy = -Math.abs(y1 - y0);
    const sx = x0 < x1 ? 1 : -1;
    const sy = y0 < y1 ? 1 : -1;
    let error = dx + dy;
    for (;;) {
      this.dot(x0, y0, index);
      if (x0 === x1 && y0 === y1) return;
      const doubled = 2 * error;
      if (doubled >= dy) {
        error += dy;
        x0 += sx;
      }
      if (doubled <= dx) {
        error += dx;
        y0 += sy;
      }
    }
  }

  private dot(column: number, row: number, index: number): void {
    if (column < 0 || column >= this.dotsWide || row < 0 || row >= this.dotsHigh) return;
    const cell = this.cellIndex(column, row);
    this.bits[cell]! |= this.dotBit(column, row);
    // Series are drawn in order, so the latest one to touch a cell owns it.
    this.owner[cell] = index;
  }

  private cellIndex(column: number, row: number): number {
    return Math.floor(row / 4) * this.width + Math.floor(column / 2);
  }

  private dotBit(column: number, row: number): number {
    return DOT_BITS[column % 2 === 0 ? 0 : 1][(row % 4) as 0 | 1 | 2 | 3];
  }
}

/**
 * Liang–Barsky: the part of a segment inside the dot grid (half a dot of slack so edge dots
 * round inwards), or null when none of it is.
 */
function clip(
  from: readonly [number, number],
  to: readonly [number, number],
  dotsWide: number,
  dotsHigh: number,
): [number, number, number, number] | null {
  const [x0, y0] = from;
  const dx = to[0] - x0;
  const dy = to[1] - y0;
  let t0 = 0;
  let t1 = 1;
  const edges: readonly (readonly [number, number])[] = [
    [-dx, x0 + 0.5],
    [dx, dotsWide - 0.5 - x0 - 1e-9],
    [-dy, y0 + 0.5],
    [dy, dotsHigh - 0.5 - y0 - 1e-9],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return null;
      continue;
    }
    const t = q / p;
    if (p < 0) {
      if (t > t1) return null;
      if (t > t0) t0 = t;
    } else {
      if (t < t0) return null;
      if (t < t1) t1 = t;
    }
  }
  return [x0 + t0 * dx, y0 + t0 * dy, x0 + t1 * dx, y0 + t1 * dy];
}
