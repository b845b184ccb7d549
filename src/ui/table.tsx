import { Text } from 'ink';
import { memo, type ReactElement, type ReactNode } from 'react';
import { usePaint } from './palette.js';

/** Panel tables: columns that drop by priority to fit, and lines that never wrap. */
// ——— Table machinery, shared with the orders panel ———

/** A column of a panel's table: what it shows, how wide, and how long it survives. */
export interface Column<Row> {
  readonly title: string;
  readonly width: number;
  readonly align: 'left' | 'right';
  /** Columns are kept in ascending order of this while they fit; the rest are dropped. */
  readonly keep: number;
  readonly text: (row: Row) => string;
  readonly color?: (row: Row) => string | undefined;
}

export interface Cell {
  readonly text: string;
  readonly color?: string | undefined;
}

/**
 * The columns that fit in `width` (one space between neighbours), in table order. Keeping
 * stops at the first column that does not fit, so a column never shows while a more
 * important one is missing.
 */
export function fitColumns<Row>(columns: readonly Column<Row>[], width: number): Column<Row>[] {
  const kept = new Set<Column<Row>>();
  let used = -1;
  for (const column of [...columns].sort((a, b) => a.keep - b.keep)) {
    if (used + 1 + column.width > width) break;
    used += 1 + column.width;
    kept.add(column);
  }
  return columns.filter((column) => kept.has(column));
}

/** Exactly `width` characters: padded, or cut with an ellipsis. */
export function padCell(text: string, width: number, align: 'left' | 'right'): string {
  if (text.length > width)
    return width <= 1 ? text.slice(0, width) : `${text.slice(0, width - 1)}…`;
  return align === 'left' ? text.padEnd(width) : text.padStart(width);
}

export function cellsOf<Row>(row: Row, columns: readonly Column<Row>[]): Cell[] {
  return columns.map((column) => ({
    text: padCell(column.text(row), column.width, column.align),
    color: column.color?.(row),
  }));
}

export function titleCells<Row>(columns: readonly Column<Row>[]): Cell[] {
  return columns.map((column) => ({ text: padCell(column.title, column.width, column.align) }));
}

/** One screen line that never wraps: cells one space apart, plain runs merged into one text. */
export function Line({
  cells,
  bold = false,
  dim = false,
}: {
  readonly cells: readonly Cell[];
  readonly bold?: boolean;
  readonly dim?: boolean;
}) {
  const paint = usePaint();
  const parts: ReactNode[] = [];
  let plain = '';
  cells.forEach((cell, i) => {
    if (i > 0) plain += ' ';
    if (cell.color === undefined) {
      plain += cell.text;
      return;
    }
    if (plain !== '') parts.push(plain);
    plain = '';
    parts.push(
      <Text key={i} {...paint(cell.color)}>
        {cell.text}
      </Text>,
    );
  });
  if (plain !== '') parts.push(plain);
  return (
    <Text wrap="truncate-end" bold={bold} dimColor={dim}>
      {parts.length === 0 ? ' ' : parts}
    </Text>
  );
}

/**
 * How many of `rows` fit below `fixed` lines (header, totals) in `height`, the last visible
 * line becoming "+N more" when some do not.
 */
export function fitRows(
  height: number,
  fixed: number,
  rows: number,
): { shown: number; more: number } {
  const room = Math.max(0, height - fixed);
  if (rows <= room) return { shown: rows, more: 0 };
  const shown = Math.max(0, room - 1);
  return { shown, more: room === 0 ? 0 : rows - shown };
}

/** The key that lists every row of the panels, named where rows are left out. */
export const ALL_ROWS_KEY = 'Ctrl-O';

/** The line that stands for rows left out of a panel. */
export function moreText(more: number): string {
  return `+${more} more (${ALL_ROWS_KEY} lists all)`;
}

/** Flat records of primitives: equal field by field (NaN equals NaN). */
export function sameFields<T extends object>(a: T, b: T): boolean {
  if (a === b) return true;
  const keys = Object.keys(a) as (keyof T)[];
  return keys.length === Object.keys(b).length && keys.every((key) => Object.is(a[key], b[key]));
}

export function widthOfNames(names: readonly string[], title: string, max: number): number {
  return Math.min(max, Math.max(title.length, ...names.map((name) => name.length)));
}

export function upDown(value: number): string | undefined {
  return value > 0 ? 'green' : value < 0 ? 'red' : undefined;
}

interface RowLineProps<Row extends object> {
  readonly row: Row;
  readonly columns: readonly Column<Row>[];
}

/** One table row as a line; redrawn only when a field of its row or the columns changed. */
export const RowLine = memo(
  function RowLine<Row extends object>({ row, columns }: RowLineProps<Row>) {
    return <Line cells={cellsOf(row, columns)} />;
  },
  (a, b) => a.columns === b.columns && sameFields(a.row, b.row),
) as <Row extends object>(props: RowLineProps<Row>) => ReactElement;
