/**
 * Three ways to print records for a terminal or a script: an aligned table (screen units,
 * "-" where there is no value), JSON lines (one object per record, null where none) and CSV
 * (a header row, then an empty cell where none). Tables use the screen's number formats;
 * JSON and CSV carry the values as stored (IVs as decimals), so a script reads what Redis has.
 */
import { NONE } from './format.js';

export const OUTPUT_FORMATS = ['table', 'jsonl', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface Column<T> {
  /** The JSON key and CSV header. */
  readonly key: string;
  /** The table's header. */
  readonly title: string;
  /** The value for JSON and CSV (an object is JSON text in a CSV cell). */
  readonly value: (record: T) => number | string | null | object;
  /** The table cell; "-" for none. */
  readonly cell: (record: T) => string;
  /** Text columns are left-aligned in a table; numbers right. */
  readonly text?: boolean;
}

/** The records as lines of the format, each ending in a newline. */
export function formatRecords<T>(
  records: readonly T[],
  columns: readonly Column<T>[],
  format: OutputFormat,
): string {
  switch (format) {
    case 'jsonl':
      return records
        .map(
          (record) =>
            `${JSON.stringify(Object.fromEntries(columns.map((c) => [c.key, c.value(record)])))}\n`,
        )
        .join('');
    case 'csv':
      return [
        columns.map((column) => csvCell(column.key)).join(','),
        ...records.map((record) =>
          columns.map((column) => csvCell(column.value(record))).join(','),
        ),
      ]
        .map((line) => `${line}\n`)
        .join('');
    case 'table':
      return table(records, columns);
  }
}

function table<T>(records: readonly T[], columns: readonly Column<T>[]): string {
  const cells = records.map((record) => columns.map((column) => cellText(column.cell(record))));
  const widths = columns.map((column, i) =>
    Math.max(column.title.length, ...cells.map((row) => row[i]!.length)),
  );
  const line = (row: readonly string[]): string =>
    row
      .map((text, i) =>
        columns[i]!.text === true ? text.padEnd(widths[i]!) : text.padStart(widths[i]!),
      )
      .join('  ')
      .trimEnd();
  return [columns.map((column) => column.title), ...cells].map((row) => `${line(row)}\n`).join('');
}

function cellText(text: string): string {
  return text === '' ? NONE : text;
}

/** RFC 4180: quoted when it holds a comma, a quote or a line break; a number as its text. */
function csvCell(value: number | string | null | object): string {
  if (value === null) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function parseFormat(text: string): OutputFormat | null {
  return OUTPUT_FORMATS.find((format) => format === text) ?? null;
}
