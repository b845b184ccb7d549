import chalk from 'chalk';
import { Box, Text } from 'ink';
import { memo } from 'react';
import type { ChainRowView, ChainSideView, ChainView } from '../view/types.js';
import { usePaint } from './palette.js';
import { sideText, sideTitles, strikeText, STRIKE_WIDTH, type ColumnId } from './chain-columns.js';

interface RowProps {
  readonly row: ChainRowView;
  readonly columns: readonly ColumnId[];
  /** USD per quote unit, or null for raw prices. */
  readonly usd: number | null;
  /** Which side the cursor is on, when this is the cursor row. */
  readonly cursor: 'call' | 'put' | null;
}

const SIDE_FIELDS = [
  'bid',
  'bidSize',
  'ask',
  'askSize',
  'mark',
  'bidIv',
  'askIv',
  'markIv',
  'delta',
  'gamma',
  'vega',
  'theta',
] as const satisfies readonly (keyof ChainSideView)[];

function sameSide(a: ChainSideView, b: ChainSideView): boolean {
  if (a.stale !== b.stale || a.instrument !== b.instrument) return false;
  // Object.is: NaN equals NaN, so a row with no quotes stays memoized.
  return SIDE_FIELDS.every((field) => Object.is(a[field], b[field]));
}

/** Rows are rebuilt every frame; React re-renders only those whose cells changed. */
function sameRow(a: RowProps, b: RowProps): boolean {
  return (
    a.cursor === b.cursor &&
    a.usd === b.usd &&
    a.columns === b.columns &&
    a.row.strike === b.row.strike &&
    a.row.atm === b.row.atm &&
    a.row.call.own === b.row.call.own &&
    a.row.put.own === b.row.put.own &&
    sameSide(a.row.call, b.row.call) &&
    sameSide(a.row.put, b.row.put)
  );
}

/**
 * On a terminal without attributes (chalk level 0: not a TTY, a dumb terminal) dimming is
 * invisible, so a stale quote is marked with `~` in the spare cell beside the strike instead.
 * NO_COLOR keeps dim (see palette.ts).
 */
function staleMark(side: ChainSideView): boolean {
  return chalk.level === 0 && side.stale && side.instrument !== null;
}

const ChainRow = memo(function ChainRow({ row, columns, usd, cursor }: RowProps) {
  const paint = usePaint();
  const call = sideText(row.call, columns, usd, true);
  const put = sideText(row.put, columns, usd, false);
  return (
    <Text wrap="truncate-end">
      <Text dimColor={row.call.stale} inverse={cursor === 'call'}>
        {staleMark(row.call) ? `${call.slice(0, -1)}~` : call}
      </Text>
      <Text
        bold={row.atm || cursor !== null}
        {...(row.atm ? paint('yellow') : {})}
        underline={cursor !== null}
      >
        {strikeText(row.strike, cursor, {
          call: row.call.own === true,
          put: row.put.own === true,
        })}
      </Text>
      <Text dimColor={row.put.stale} inverse={cursor === 'put'}>
        {staleMark(row.put) ? `~${put.slice(1)}` : put}
      </Text>
    </Text>
  );
}, sameRow);

/** Calls | strike | puts for the visible strikes of one expiry. */
export const ChainTable = memo(function ChainTable({
  chain,
  columns,
  usd,
  side,
  width,
}: {
  readonly chain: ChainView;
  readonly columns: readonly ColumnId[];
  readonly usd: boolean;
  readonly side: 'call' | 'put';
  readonly width: number;
}) {
  // Coin premiums turn into dollars at the index; linear ones already are.
  const factor = usd && chain.settlement === 'inverse' && chain.index > 0 ? chain.index : null;
  const usdShown = usd && factor !== null;
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end" dimColor>
        {sideTitles(columns, usdShown, true)}
        <Text bold>{'strike'.padStart(STRIKE_WIDTH - 1).padEnd(STRIKE_WIDTH)}</Text>
        {sideTitles(columns, usdShown, false)}
      </Text>
      {chain.rows.map((row, i) => (
        <ChainRow
          key={row.strike}
          row={row}
          columns={columns}
          usd={factor}
          cursor={chain.top + i === chain.cursorIndex ? side : null}
        />
      ))}
    </Box>
  );
});
