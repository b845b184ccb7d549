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
  /** Lines the positions and orders panels would draw with every row shown (titles too). */
  readonly demand?: PanelDemand;
}

export interface PanelDemand {
  readonly positions: number;
  /** The orders' column: orders, their last report, the hedger's lines. */
  readonly orders: number;
}

// A panel that cannot show every row gets at least its title, one row and its "+N more".
const PANEL_FLOOR = 3;

/**
 * The chain's share of the height it keeps however many positions and orders there are: the
 * panels grow into the rest (their rows are what the trader must not lose sight of).
 */
const CHAIN_SHARE = 0.4;

export function computeLayout(cols: number, rows: number, options: LayoutOptions): Layout {
  const columns = options.columns ?? chooseColumns(cols, options.usd);
  const chainWidth = Math.min(cols, tableWidth(columns, options.usd));
  const tall = rows >= 34;
  // Positions and orders: a few lines on a small terminal, about a third of a tall one, and
  // more while they hold more rows, down to the chain's share.
  const baseRows = tall ? Math.min(16, Math.floor(rows * 0.3)) : rows >= 24 ? 7 : 4;
  const free = rows - HEADER_ROWS - TABS_ROWS - FOOTER_ROWS;
  const maxRows = Math.max(baseRows, free - Math.max(6, Math.ceil(free * CHAIN_SHARE)));
  // Positions want every greek and orders their labels: side by side only when both fit.
  const sideBySide = cols >= 180;
  const demand = options.demand;
  const wanted =
    demand === undefined
      ? baseRows
      : sideBySide
        ? Math.max(demand.positions, demand.orders)
        : demand.positions + demand.orders;
  const bottomRows = Math.min(maxRows, Math.max(baseRows, wanted));
  const [positionsHeight, ordersHeight] = sideBySide
    ? [bottomRows, bottomRows]
    : splitStacked(bottomRows, demand);
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
 * Positions above orders in `height` rows: each gets what it asks for when both fit; else
 * each keeps at least PANEL_FLOOR (or what it asks, if less) and the rest goes by demand.
 */
function splitStacked(height: number, demand: PanelDemand | undefined): [number, number] {
  if (demand === undefined) {
    const positions = Math.ceil(height * 0.6);
    return [positions, height - positions];
  }
  const wantP = Math.max(1, demand.positions);
  const wantO = Math.max(1, demand.orders);
  if (wantP + wantO <= height) return [height - wantO, wantO];
  const floorP = Math.min(wantP, PANEL_FLOOR);
  const floorO = Math.min(wantO, PANEL_FLOOR);
  if (floorP + floorO > height) {
    const positions = Math.ceil(height / 2);
    return [positions, height - positions];
  }
  const byShare = Math.round((height * wantP) / (wantP + wantO));
  const positions = Math.min(height - floorO, Math.max(floorP, byShare));
  return [positions, height - positions];
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
