import { Box, Text } from 'ink';
import { memo } from 'react';
import { fmtClock, fmtDuration, fmtIv, fmtPrice } from '../view/format.js';
import type { ConnectionView, HeaderView, Mode } from '../view/types.js';

const BADGE: Record<Mode, { readonly color: string; readonly background: string }> = {
  SIM: { color: 'black', background: 'cyan' },
  TESTNET: { color: 'black', background: 'yellow' },
  LIVE: { color: 'white', background: 'red' },
};

export function connectionText(connection: ConnectionView, now: number): string {
  const wait =
    connection.retryAt === null ? '' : ` in ${fmtDuration(Math.max(0, connection.retryAt - now))}`;
  const attempt = connection.attempt === null ? '' : ` (#${connection.attempt})`;
  switch (connection.state) {
    case 'live':
      return connection.rttMs === null ? 'live' : `live ${Math.round(connection.rttMs)}ms`;
    case 'stale':
      return `stale ${fmtDuration(Math.max(0, now - (connection.quietSince ?? now)))}`;
    case 'connecting':
      return `connecting${attempt}`;
    case 'reconnecting':
      return `reconnecting${wait}${attempt}`;
    case 'down':
      return `unreachable, retry${wait}${attempt}`;
    case 'closed':
      return 'closed';
  }
}

const CONNECTION_COLOR: Record<ConnectionView['state'], string> = {
  live: 'green',
  stale: 'yellow',
  connecting: 'yellow',
  reconnecting: 'yellow',
  down: 'red',
  closed: 'red',
};

/** Two lines: where we are connected and how well, then the market's vital signs. */
export const Header = memo(function Header({
  header,
  width,
}: {
  readonly header: HeaderView;
  readonly width: number;
}) {
  const badge = BADGE[header.mode];
  const { connection } = header;
  const perp =
    header.perpetual === null
      ? ''
      : `  ${header.perpetual.name} ${fmtPrice(header.perpetual.price)}`;
  const next = header.nextExpiry === null ? '-' : fmtDuration(header.nextExpiry - header.now);
  const chain = header.base === null ? '' : `${header.base}  `;
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        <Text color={badge.color} backgroundColor={badge.background} bold>
          {` ${header.mode} `}
        </Text>
        <Text bold>{` ${header.venue.toUpperCase()} `}</Text>
        <Text color={CONNECTION_COLOR[connection.state]}>
          {connectionText(connection, header.now)}
        </Text>
        <Text>{`  ${chain}idx `}</Text>
        <Text dimColor={header.indexStale}>
          {`${fmtPrice(header.index)}${header.indexStale && header.index !== null ? ' stale' : ''}`}
        </Text>
        <Text>{`${perp}  ATM ${fmtIv(header.frontAtmIv)}`}</Text>
      </Text>
      <Text wrap="truncate-end">
        <Text dimColor>{'expiry in '}</Text>
        <Text>{next}</Text>
        <Text dimColor>{'  hedger '}</Text>
        <Text {...hedgerStyle(header.hedgerMode)}>{header.hedger}</Text>
        <Text dimColor>{'  '}</Text>
        <Text>{`${fmtClock(header.now)} UTC`}</Text>
        {connection.state !== 'live' && connection.detail !== null ? (
          <Text color="yellow">{`  ${connection.detail}`}</Text>
        ) : null}
        <Text dimColor>{'  ? help'}</Text>
      </Text>
    </Box>
  );
});

/** ON is green, PAUSED yellow and bold (the trader must notice), OFF plain. */
function hedgerStyle(mode: 'off' | 'on' | 'paused' | undefined): {
  color?: string;
  bold?: boolean;
} {
  if (mode === 'on') return { color: 'green', bold: true };
  if (mode === 'paused') return { color: 'yellow', bold: true };
  return {};
}
