import { fmtFixed, fmtIv, fmtPrice, fmtSize, fmtStrike, fmtUsd } from '../view/format.js';
import type { ChainSideView } from '../view/types.js';

/** The columns a chain side can show; `--columns` picks from these names. */
export const COLUMN_IDS = [
  'bid-size',
  'bid',
  'ask',
  'ask-size',
  'ivs',
  'bid-iv',
  'ask-iv',
  'mark-iv',
  'mark',
  'delta',
  'gamma',
  'vega',
  'theta',
] as const;
export type ColumnId = (typeof COLUMN_IDS)[number];

export interface ColumnDef {
  readonly id: ColumnId;
  readonly title: string;
  /** Cell width in the quote unit, and when prices are shown in USD. */
  readonly width: number;
  readonly usdWidth: number;
  cell(side: ChainSideView, usd: number | null): string;
}

/** `usd` is the quote unit's USD value (the index for coin premiums), null to show raw. */
/** Book sizes with one decimal, so the points line up down the column. */
function size(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude < 999.95) return fmtFixed(value, 1);
  if (magnitude < 99_950) return `${(value / 1e3).toFixed(1)}k`;
  return fmtSize(value);
}

/** IVs from 100% up lose their decimal, so bid/ask IVs always fit their 9-wide cell. */
function iv(value: number): string {
  return Number.isFinite(value) && value >= 0.9995 ? (value * 100).toFixed(0) : fmtIv(value);
}

function price(value: number, usd: number | null): string {
  return usd === null ? fmtPrice(value) : fmtUsd(value * usd);
}

export const COLUMNS: Readonly<Record<ColumnId, ColumnDef>> = {
  'bid-size': { id: 'bid-size', title: 'bsz', width: 5, usdWidth: 5, cell: (s) => size(s.bidSize) },
  bid: { id: 'bid', title: 'bid', width: 6, usdWidth: 9, cell: (s, u) => price(s.bid, u) },
  ask: { id: 'ask', title: 'ask', width: 6, usdWidth: 9, cell: (s, u) => price(s.ask, u) },
  'ask-size': { id: 'ask-size', title: 'asz', width: 5, usdWidth: 5, cell: (s) => size(s.askSize) },
  ivs: {
    id: 'ivs',
    title: 'bIV/aIV',
    width: 9,
    usdWidth: 9,
    cell: (s) => `${iv(s.bidIv)}/${iv(s.askIv)}`,
  },
  'bid-iv': { id: 'bid-iv', title: 'bIV', width: 5, usdWidth: 5, cell: (s) => fmtIv(s.bidIv) },
  'ask-iv': { id: 'ask-iv', title: 'aIV', width: 5, usdWidth: 5, cell: (s) => fmtIv(s.askIv) },
  'mark-iv': { id: 'mark-iv', title: 'mIV', width: 5, usdWidth: 5, cell: (s) => fmtIv(s.markIv) },
  mark: { id: 'mark', title: 'mark', width: 6, usdWidth: 9, cell: (s, u) => price(s.mark, u) },
  delta: { id: 'delta', title: 'Δ', width: 5, usdWidth: 5, cell: (s) => fmtFixed(s.delta, 2) },
  gamma: {
    id: 'gamma',
    title: 'Γ',
    width: 8,
    usdWidth: 8,
    cell: (s) => (Number.isFinite(s.gamma) ? s.gamma.toExponential(1) : '-'),
  },
  vega: { id: 'vega', title: 'vega', width: 6, usdWidth: 6, cell: (s) => fmtFixed(s.vega, 1) },
  theta: { id: 'theta', title: 'θ', width: 7, usdWidth: 7, cell: (s) => fmtFixed(s.theta, 1) },
};

/** Fits 80 columns exactly. */
export const NARROW_COLUMNS: readonly ColumnId[] = ['bid', 'ask', 'ivs', 'mark-iv', 'delta'];
export const WIDE_COLUMNS: readonly ColumnId[] = [
  'bid-size',
  'bid',
  'ask',
  'ask-size',
  'ivs',
  'mark-iv',
  'delta',
];

export const STRIKE_WIDTH = 8;

/** Parses `--columns bid,ask,…`: every name must be known; throws a sentence naming the bad one. */
export function parseColumns(text: string): ColumnId[] {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) throw new Error(`no columns given; choose from ${COLUMN_IDS.join(', ')}`);
  return names.map((name) => {
    const id = COLUMN_IDS.find((candidate) => candidate === name);
    if (id === undefined) {
      throw new Error(`unknown column '${name}'; choose from ${COLUMN_IDS.join(', ')}`);
    }
    return id;
  });
}

function widthOf(def: ColumnDef, usd: boolean): number {
  return usd ? def.usdWidth : def.width;
}

/** Characters one side takes: cells plus one space between them. */
export function sideWidth(columns: readonly ColumnId[], usd: boolean): number {
  return columns.reduce((sum, id) => sum + widthOf(COLUMNS[id], usd) + 1, 0);
}

/** The whole table: calls, strike, puts. */
export function tableWidth(columns: readonly ColumnId[], usd: boolean): number {
  return 2 * sideWidth(columns, usd) + STRIKE_WIDTH;
}

/**
 * One side's cells as a fixed-width string. Calls read right-to-left towards the strike
 * (their bid/ask sit next to it, as on the venues' own boards), puts left-to-right.
 */
export function sideText(
  side: ChainSideView,
  columns: readonly ColumnId[],
  usd: number | null,
  mirrored: boolean,
): string {
  const cells = columns.map((id) => {
    const def = COLUMNS[id];
    return fit(def.cell(side, usd), widthOf(def, usd !== null));
  });
  if (mirrored) cells.reverse();
  return mirrored ? `${cells.join(' ')} ` : ` ${cells.join(' ')}`;
}

export function sideTitles(columns: readonly ColumnId[], usd: boolean, mirrored: boolean): string {
  const cells = columns.map((id) => fit(COLUMNS[id].title, widthOf(COLUMNS[id], usd)));
  if (mirrored) cells.reverse();
  return mirrored ? `${cells.join(' ')} ` : ` ${cells.join(' ')}`;
}

/**
 * Right-aligned between two marker cells, so 95000 and 100000 line up digit for digit. On the
 * cursor row a `<` or `>` points at the selected side: the cursor stays visible without colour.
 * Elsewhere a `*` says we have an open order on that side's option.
 */
export function strikeText(
  strike: number,
  cursor: 'call' | 'put' | null = null,
  own: { readonly call: boolean; readonly put: boolean } = { call: false, put: false },
): string {
  const left = cursor === 'call' ? '<' : own.call ? '*' : ' ';
  const right = cursor === 'put' ? '>' : own.put ? '*' : ' ';
  return `${left}${fit(fmtStrike(strike), STRIKE_WIDTH - 2)}${right}`;
}

/** Right-aligned in exactly `width` characters (a cell never pushes its neighbours). */
export function fit(text: string, width: number): string {
  if (text.length > width) return text.slice(0, width - 1) + '…';
  return text.padStart(width);
}
