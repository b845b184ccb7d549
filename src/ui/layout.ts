import { NARROW_COLUMNS, tableWidth, WIDE_COLUMNS, type ColumnId } from './chain-columns.js';

/** Where each part of the screen goes for a terminal size; recomputed on every resize. */
export interface Layout {
  readonly cols: number;
  readonly rows: number;
  readonly columns: readonly ColumnId[];
  readonly chainWidth: number;
  /** Chain data rows (below its column titles). */
  readonly chainRows: number;
  /** Smile and term charts: beside the chain (wide), in its place (narrow, toggled), or none. */
  readonly surface: 'beside' | 'instead' | 'none';
  readonly surfaceWidth: number;
  readonly smileHeight: number;
  readonly termHeight: number;
  /** Positions and orders next to each other (wide) or one above the other. */
  readonly bottom: 'side-by-side' | 'stacked';
  readonly positionsHeight: number;
  readonly ordersHeight: number;
  readonly positionsWidth: number;
  readonly ordersWidth: number;
}

export const HEADER_ROWS = 2;
const TABS_ROWS = 1;
const FOOTER_ROWS = 2; // status line + command line
const MIN_SURFACE_WIDTH = 38;

export interface LayoutOptions {
  /** `--columns`; else the set that fits the width. */
  readonly columns?: readonly ColumnId[];
  readonly usd: boolean;
  /** Narrow screens: the trader asked for the charts instead of the chain. */
  readonly surfaceInstead: boolean;
}

export function computeLayout(cols: number, rows: number, options: LayoutOptions): Layout {
  const columns = options.columns ?? chooseColumns(cols, options.usd);
  const chainWidth = Math.min(cols, tableWidth(columns, options.usd));
  const tall = rows >= 34;
  // Positions and orders: a few lines on a small terminal, about a third of a tall one.
  const bottomRows = tall ? Math.min(16, Math.floor(rows * 0.3)) : rows >= 24 ? 7 : 4;
  // Positions want every greek and orders their labels: side by side only when both fit.
  const sideBySide = cols >= 180;
  const positionsHeight = sideBySide ? bottomRows : Math.ceil(bottomRows * 0.6);
  const ordersHeight = sideBySide ? bottomRows : bottomRows - positionsHeight;
  const positionsWidth = sideBySide ? Math.floor(cols * 0.6) : cols;
  const ordersWidth = sideBySide ? cols - positionsWidth - 1 : cols;
  const middle = Math.max(3, rows - HEADER_ROWS - TABS_ROWS - FOOTER_ROWS - bottomRows);
  const besideWidth = cols - chainWidth - 1;
  const surface =
    besideWidth >= MIN_SURFACE_WIDTH ? 'beside' : options.surfaceInstead ? 'instead' : 'none';
  const surfaceWidth = surface === 'beside' ? besideWidth : surface === 'instead' ? cols : 0;
  const smileHeight = surface === 'none' ? 0 : Math.ceil(middle * 0.6);
  return {
    cols,
    rows,
    columns,
    chainWidth,
    chainRows: Math.max(1, middle - 1),
    surface,
    surfaceWidth,
    smileHeight,
    termHeight: surface === 'none' ? 0 : middle - smileHeight,
    bottom: sideBySide ? 'side-by-side' : 'stacked',
    positionsHeight,
    ordersHeight,
    positionsWidth,
    ordersWidth,
  };
}

/**
 * The richest chain that still leaves room for the charts beside it; without room for both,
 * the richest chain that fits (the charts are then a key away).
 */
function chooseColumns(cols: number, usd: boolean): readonly ColumnId[] {
  const beside = (columns: readonly ColumnId[]): boolean =>
    tableWidth(columns, usd) + 1 + MIN_SURFACE_WIDTH <= cols;
  if (beside(WIDE_COLUMNS)) return WIDE_COLUMNS;
  if (beside(NARROW_COLUMNS)) return NARROW_COLUMNS;
  if (tableWidth(WIDE_COLUMNS, usd) <= cols) return WIDE_COLUMNS;
  if (tableWidth(NARROW_COLUMNS, usd) <= cols) return NARROW_COLUMNS;
  // Dollar prices are wider: at 80 columns the mark IV gives way (bid/ask IVs stay).
  return NARROW_COLUMNS.filter((id) => id !== 'mark-iv');
}
