import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import { fmtPrice, fmtSigned, fmtSize, fmtUsd, NONE } from '../view/format.js';
import type { PositionRowView, PositionsView, PositionTotals } from '../view/types.js';
import type { ListLine } from './list-overlay.js';
import {
  ALL_ROWS_KEY,
  cellsOf,
  fitColumns,
  fitRows,
  Line,
  moreText,
  titleCells,
  upDown,
  widthOfNames,
  type Cell,
  type Column,
  RowLine,
} from './table.js';

// ——— Positions ———

const MAX_NAME = 25;

function signedPrice(value: number): string {
  const text = fmtPrice(value);
  return value > 0 ? `+${text}` : text;
}

function signedUsd(value: number): string {
  const text = fmtUsd(value);
  return value > 0 ? `+${text}` : text;
}

/** Kept longest: instrument, size, mark, PnL $, Δ; dropped first: θ, Γ, average price. */
function positionColumns(nameWidth: number): Column<PositionRowView>[] {
  return [
    { title: 'Instrument', width: nameWidth, align: 'left', keep: 0, text: (r) => r.instrument },
    { title: 'Size', width: 8, align: 'right', keep: 1, text: (r) => fmtSize(r.size) },
    { title: 'Avg', width: 9, align: 'right', keep: 7, text: (r) => fmtPrice(r.averagePrice) },
    { title: 'Mark', width: 9, align: 'right', keep: 2, text: (r) => fmtPrice(r.mark) },
    {
      title: 'PnL',
      width: 13,
      align: 'right',
      keep: 5,
      text: (r) =>
        Number.isFinite(r.pnl) ? `${signedPrice(r.pnl)} ${r.pnlCurrency}`.trim() : NONE,
      color: (r) => upDown(r.pnl),
    },
    {
      title: 'PnL $',
      width: 11,
      align: 'right',
      keep: 3,
      text: (r) => signedUsd(r.pnlUsd),
      color: (r) => upDown(r.pnlUsd),
    },
    { title: 'Δ', width: 8, align: 'right', keep: 4, text: (r) => fmtSigned(r.delta, 3) },
    { title: 'Γ', width: 10, align: 'right', keep: 8, text: (r) => fmtSigned(r.gamma, 6) },
    { title: 'Vega', width: 9, align: 'right', keep: 6, text: (r) => fmtSigned(r.vega, 2) },
    { title: 'θ', width: 9, align: 'right', keep: 9, text: (r) => fmtSigned(r.theta, 2) },
  ];
}

type Total = PositionTotals & { readonly base: string };
type TotalField = keyof PositionTotals;

const ANY_KIND: readonly PositionRowView['kind'][] = ['option', 'future', 'perpetual', 'unknown'];

/**
 * Per total, the rows whose unknown figure leaves it short: an unknown instrument may be of
 * either kind, and the hedge instruments' gamma, vega and theta are known zeros.
 */
const SOURCES: Record<
  TotalField,
  {
    readonly kinds: readonly PositionRowView['kind'][];
    readonly of: (row: PositionRowView) => number;
  }
> = {
  pnlUsd: { kinds: ANY_KIND, of: (row) => row.pnlUsd },
  optionDelta: { kinds: ['option', 'unknown'], of: (row) => row.delta },
  hedgeDelta: { kinds: ['future', 'perpetual', 'unknown'], of: (row) => row.delta },
  netDelta: { kinds: ANY_KIND, of: (row) => row.delta },
  gamma: { kinds: ['option', 'unknown'], of: (row) => row.gamma },
  vega: { kinds: ['option', 'unknown'], of: (row) => row.vega },
  theta: { kinds: ['option', 'unknown'], of: (row) => row.theta },
};

interface TotalPart {
  readonly label: string;
  readonly field: TotalField;
  readonly keep: number;
  readonly format: (value: number) => string;
  readonly colored?: boolean;
}

/** In display order; `keep` says what survives a narrow screen (net delta first). */
const TOTAL_PARTS: readonly TotalPart[] = [
  { label: 'Δ opt', field: 'optionDelta', keep: 2, format: (v) => fmtSigned(v, 3) },
  { label: 'hedge', field: 'hedgeDelta', keep: 3, format: (v) => fmtSigned(v, 3) },
  { label: 'net', field: 'netDelta', keep: 1, format: (v) => fmtSigned(v, 3) },
  { label: 'Γ', field: 'gamma', keep: 7, format: (v) => fmtSigned(v, 6) },
  { label: 'vega', field: 'vega', keep: 5, format: (v) => fmtSigned(v, 2) },
  { label: 'θ', field: 'theta', keep: 6, format: (v) => fmtSigned(v, 2) },
  { label: 'PnL $', field: 'pnlUsd', keep: 4, format: signedUsd, colored: true },
];

/** Marks a total that left out a figure some position could not provide. */
const PARTIAL = '?';

/**
 * The totals lines, their parts padded to one width across lines so they line up, and only
 * the parts that fit. Totals carry no base per row, so a hole anywhere marks that total on
 * every coin's line: a false alarm with several coins is better than a silent understatement.
 */
function totalsLines(view: PositionsView, width: number): Cell[][] {
  if (view.totals.length === 0) return [];
  const partial = new Set<TotalField>();
  for (const field of Object.keys(SOURCES) as TotalField[]) {
    const { kinds, of } = SOURCES[field];
    if (view.rows.some((row) => kinds.includes(row.kind) && !Number.isFinite(of(row)))) {
      partial.add(field);
    }
  }
  const texts = (part: TotalPart, total: Total): string =>
    `${part.label} ${part.format(total[part.field])}${partial.has(part.field) ? PARTIAL : ''}`;
  const baseWidth = Math.max(...view.totals.map((total) => total.base.length));
  const parts = TOTAL_PARTS.map((part) => ({
    part,
    width: Math.max(...view.totals.map((total) => texts(part, total).length)),
  }));
  const kept = fitColumns(
    [
      {
        title: '',
        width: baseWidth + 1,
        align: 'left' as const,
        keep: 0,
        text: (t: Total) => t.base,
      },
      ...parts.map(({ part, width: partWidth }) => ({
        title: '',
        width: partWidth + 1,
        align: 'left' as const,
        keep: part.keep,
        text: (t: Total) => texts(part, t),
        ...(part.colored === true ? { color: (t: Total) => upDown(t[part.field]) } : {}),
      })),
    ],
    width,
  );
  return view.totals.map((total) => cellsOf(total, kept));
}

export interface PositionsPanelProps {
  readonly view: PositionsView;
  readonly width: number;
  readonly height: number;
}

/**
 * Positions with their marks, PnL and greeks, then a totals line per coin (net delta includes
 * the hedge). Never wider than `width` nor taller than `height`; rows that do not fit are
 * counted in a "+N more" line.
 */
export const PositionsPanel = memo(function PositionsPanel({
  view,
  width,
  height,
}: PositionsPanelProps) {
  const nameWidth = widthOfNames(
    view.rows.map((row) => row.instrument),
    'Instrument',
    MAX_NAME,
  );
  // The same array for the same layout, so unchanged rows skip re-rendering.
  const columns = useMemo(() => fitColumns(positionColumns(nameWidth), width), [nameWidth, width]);
  if (height <= 0 || width <= 0) return null;
  if (view.rows.length === 0) {
    return (
      <Box width={width} flexShrink={0}>
        <Text dimColor wrap="truncate-end">
          no positions
        </Text>
      </Box>
    );
  }
  const totals = totalsLines(view, width);
  // Too low for a title and a row: the totals that fit, with the count of positions and the key.
  if (height < 3 && view.rows.length > height - 1) {
    const count = `${view.rows.length} position${view.rows.length === 1 ? '' : 's'} (${ALL_ROWS_KEY} lists all)`;
    return (
      <Box flexDirection="column" width={width} flexShrink={0}>
        {totals.slice(0, height - 1).map((cells, i) => (
          <Line key={view.totals[i]?.base ?? i} cells={cells} />
        ))}
        <Text wrap="truncate-end" bold>
          {count}
        </Text>
      </Box>
    );
  }
  // Totals give way to at least one row and its "+N more" (or two rows).
  const totalsShown = totals.slice(0, Math.max(0, height - 1 - Math.min(2, view.rows.length)));
  const { shown, more } = fitRows(height, 1 + totalsShown.length, view.rows.length);
  return (
    <Box flexDirection="column" width={width} flexShrink={0}>
      <Line cells={titleCells(columns)} bold />
      {view.rows.slice(0, shown).map((row) => (
        <RowLine key={row.instrument} row={row} columns={columns} />
      ))}
      {more > 0 ? (
        <Text dimColor wrap="truncate-end">
          {moreText(more)}
        </Text>
      ) : null}
      {totalsShown.map((cells, i) => (
        <Line key={view.totals[i]?.base ?? i} cells={cells} />
      ))}
    </Box>
  );
});

/** Every position and the totals as the panel draws them, for the all-rows list. */
export function positionListLines(view: PositionsView, width: number): ListLine[] {
  if (view.rows.length === 0) return [{ cells: [{ text: 'no positions' }], dim: true }];
  const nameWidth = widthOfNames(
    view.rows.map((row) => row.instrument),
    'Instrument',
    MAX_NAME,
  );
  const columns = fitColumns(positionColumns(nameWidth), width);
  return [
    { cells: titleCells(columns), bold: true },
    ...view.rows.map((row) => ({ cells: cellsOf(row, columns) })),
    ...totalsLines(view, width).map((cells) => ({ cells })),
  ];
}
