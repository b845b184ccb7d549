import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import { fmtDuration, fmtIv, fmtPrice, fmtSize } from '../view/format.js';
import type { OrderRowView, OrdersView } from '../view/types.js';
import type { ListLine } from './list-overlay.js';
import {
  ALL_ROWS_KEY,
  cellsOf,
  fitColumns,
  fitRows,
  Line,
  moreText,
  titleCells,
  widthOfNames,
  type Column,
  RowLine,
} from './table.js';

const MAX_NAME = 25;

/**
 * Kept longest: the number (what c3 and e3 name), instrument, side, size, price, trigger, age;
 * dropped first: label, filled, IV.
 */
function orderColumns(nameWidth: number): Column<OrderRowView>[] {
  return [
    {
      title: '#',
      width: 4,
      align: 'right',
      keep: -1,
      text: (r) => (r.number === null ? '' : `#${r.number}`),
    },
    { title: 'Instrument', width: nameWidth, align: 'left', keep: 0, text: (r) => r.instrument },
    {
      title: 'Side',
      width: 4,
      align: 'left',
      keep: 1,
      text: (r) => r.side,
      color: (r) => (r.side === 'buy' ? 'green' : 'red'),
    },
    { title: 'Size', width: 8, align: 'right', keep: 2, text: (r) => fmtSize(r.amount) },
    {
      title: 'Price',
      width: 9,
      align: 'right',
      keep: 3,
      text: (r) => (r.price === null ? 'market' : fmtPrice(r.price)),
    },
    // Where a working stop fires; blank for orders without a trigger.
    {
      title: 'Trigger',
      width: 9,
      align: 'right',
      keep: 3.5,
      text: (r) => (r.triggerPrice === null ? '' : fmtPrice(r.triggerPrice)),
    },
    // Only orders entered at a vol have one; the others leave the cell blank.
    {
      title: 'IV',
      width: 5,
      align: 'right',
      keep: 5,
      text: (r) => (r.iv === null ? '' : fmtIv(r.iv)),
    },
    { title: 'Filled', width: 8, align: 'right', keep: 6, text: (r) => fmtSize(r.filled) },
    { title: 'Label', width: 12, align: 'left', keep: 7, text: (r) => r.label ?? '' },
    { title: 'Age', width: 6, align: 'right', keep: 4, text: (r) => fmtDuration(r.ageMs) },
  ];
}

export interface OrdersPanelProps {
  readonly view: OrdersView;
  readonly width: number;
  readonly height: number;
}

/**
 * Working orders, newest first. Never wider than `width` nor taller than `height`; orders
 * that do not fit are counted in a "+N more" line.
 */
export const OrdersPanel = memo(function OrdersPanel({ view, width, height }: OrdersPanelProps) {
  const nameWidth = widthOfNames(
    view.rows.map((row) => row.instrument),
    'Instrument',
    MAX_NAME,
  );
  // The same array for the same layout, so unchanged rows skip re-rendering.
  const columns = useMemo(() => fitColumns(orderColumns(nameWidth), width), [nameWidth, width]);
  if (height <= 0 || width <= 0) return null;
  const report = view.lastReport ?? null;
  // The last report takes the panel's bottom row only when every order fits above it: the
  // orders come first (the status line says the same report).
  const spare = height >= view.rows.length + 2;
  const footer =
    report === null || !spare ? null : (
      <Text
        wrap="truncate-end"
        {...(report.level === 'error' ? { color: 'red' } : { dimColor: true })}
      >
        {`last: ${report.text}`}
      </Text>
    );
  const tableHeight = footer === null ? height : height - 1;
  // Too low for its title and one row: a count and the key, never a title over nothing.
  if (view.rows.length > 0 && tableHeight - 1 < Math.min(2, view.rows.length)) {
    return (
      <Box flexDirection="column" width={width} flexShrink={0}>
        <Text wrap="truncate-end" bold>
          {`${view.rows.length} open order${view.rows.length === 1 ? '' : 's'} (${ALL_ROWS_KEY} lists all)`}
        </Text>
        {footer}
      </Box>
    );
  }
  if (view.rows.length === 0) {
    return (
      <Box flexDirection="column" width={width} flexShrink={0}>
        <Text dimColor wrap="truncate-end">
          no open orders
        </Text>
        {footer}
      </Box>
    );
  }
  const { shown, more } = fitRows(tableHeight, 1, view.rows.length);
  return (
    <Box flexDirection="column" width={width} flexShrink={0}>
      <Line cells={titleCells(columns)} bold />
      {view.rows.slice(0, shown).map((row) => (
        <RowLine key={row.orderId} row={row} columns={columns} />
      ))}
      {more > 0 ? (
        <Text dimColor wrap="truncate-end">
          {moreText(more)}
        </Text>
      ) : null}
      {footer}
    </Box>
  );
});

/** Every order as the panel draws its rows, for the all-rows list. */
export function orderListLines(view: OrdersView, width: number): ListLine[] {
  if (view.rows.length === 0) return [{ cells: [{ text: 'no open orders' }], dim: true }];
  const nameWidth = widthOfNames(
    view.rows.map((row) => row.instrument),
    'Instrument',
    MAX_NAME,
  );
  const columns = fitColumns(orderColumns(nameWidth), width);
  return [
    { cells: titleCells(columns), bold: true },
    ...view.rows.map((row) => ({ cells: cellsOf(row, columns) })),
  ];
}
