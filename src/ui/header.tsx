import { Box, Text } from 'ink';
import { memo, useContext } from 'react';
import { fmtClock, fmtDuration, fmtIv, fmtUsd } from '../view/format.js';
import type { HeaderVolView } from '../view/surface-view.js';
import type { ConnectionView, HeaderView, Mode } from '../view/types.js';
import { ColorContext, usePaint, type Paint } from './palette.js';

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
  const paint = usePaint();
  const colour = useContext(ColorContext);
  const badge = BADGE[header.mode];
  const { connection } = header;
  const next = header.nextExpiry === null ? '-' : fmtDuration(header.nextExpiry - header.now);
  const chain = header.base === null ? '' : `${header.base}  `;
  const state = connectionText(connection, header.now);
  // Line 1 gives way from the right but keeps the front ATM IV: the perpetual goes first.
  const via = header.via === undefined ? '' : `via ${header.via} `;
  const lead = ` ${header.mode}  ${header.venue.toUpperCase()} ${via}${state}`;
  const tail = `  ATM ${fmtIv(header.frontAtmIv)}`;
  const index =
    `  ${chain}idx ${fmtUsd(header.index)}` +
    (header.indexStale && header.index !== null ? ' stale' : '');
  const perpText =
    header.perpetual === null ? '' : `  ${header.perpetual.name} ${fmtUsd(header.perpetual.price)}`;
  const perp = (lead + index + perpText + tail).length < width ? perpText : '';
  // Line 2 keeps the clock and the help key: a long hedger state is cut to the room left.
  const clock = `${fmtClock(header.now)} UTC`;
  // The vol figures give way before the hedger's word, the clock and the help key: the
  // longest form that leaves the hedger at least "OFF" is shown.
  const fixed = `expiry in ${next}  hedger OFF  ${clock}  ? help`.length;
  const vol =
    header.vol === undefined
      ? ''
      : (volForms(header.vol).find((form) => fixed + form.length <= width - 1) ?? '');
  const hedgerRoom = width - 1 - `expiry in ${next}${vol}  hedger   ${clock}  ? help`.length;
  const hedger = cut(header.hedger, Math.max(4, hedgerRoom));
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        {/* Without colour the badge is inverse video: it must still read as a badge. */}
        <Text
          {...(colour ? { color: badge.color, backgroundColor: badge.background } : {})}
          inverse={!colour}
          bold
        >
          {` ${header.mode} `}
        </Text>
        <Text bold>{` ${header.venue.toUpperCase()} `}</Text>
        {via === '' ? null : <Text dimColor>{via}</Text>}
        <Text {...paint(CONNECTION_COLOR[connection.state])}>{state}</Text>
        <Text dimColor={header.indexStale}>{index}</Text>
        <Text>{`${perp}${tail}`}</Text>
      </Text>
      <Text wrap="truncate-end">
        <Text dimColor>{'expiry in '}</Text>
        <Text>{next}</Text>
        {vol === '' ? null : (
          <Text {...(header.vol?.stale === true ? paint('yellow') : {})}>{vol}</Text>
        )}
        <Text dimColor>{'  hedger '}</Text>
        <Text {...hedgerStyle(header.hedgerMode, paint)}>{hedger}</Text>
        <Text dimColor>{'  '}</Text>
        <Text>{clock}</Text>
        {connection.state !== 'live' && connection.detail !== null ? (
          <Text {...paint('yellow')}>{`  ${connection.detail}`}</Text>
        ) : null}
        <Text dimColor>{'  ? help'}</Text>
      </Text>
    </Box>
  );
});

/**
 * The coin's 30-day vol: ivtrade's own index, the venue's (DVOL) where it publishes one, and
 * IV rank/percentile over a year of it; "-" for what is not known, "stale" when the chain
 * behind the index is not current.
 */
export function volText(vol: HeaderVolView): string {
  return volForms(vol)[0]!;
}

/** The figures longest first: all three, without IV rank, ivtrade's index alone. */
function volForms(vol: HeaderVolView): string[] {
  const venue =
    vol.venueIndexName === null ? '' : `  ${vol.venueIndexName} ${fmtIv(vol.venueIndex)}`;
  const rank =
    vol.ivRank === null
      ? '-'
      : `${Math.round(vol.ivRank)}/${vol.ivPercentile === null ? '-' : Math.round(vol.ivPercentile)}`;
  const own = `  30d ${fmtIv(vol.index30)}${vol.stale ? ' stale' : ''}`;
  return [`${own}${venue}  IVR/P ${rank}`, `${own}${venue}`, own];
}

/** `text` in at most `room` characters, cut with an ellipsis. */
function cut(text: string, room: number): string {
  return text.length <= room ? text : `${text.slice(0, room - 1)}…`;
}

/** ON is green, PAUSED yellow and bold (the trader must notice), OFF plain. */
function hedgerStyle(
  mode: 'off' | 'on' | 'paused' | undefined,
  paint: Paint,
): { color?: string; bold?: boolean } {
  if (mode === 'on') return { ...paint('green'), bold: true };
  if (mode === 'paused') return { ...paint('yellow'), bold: true };
  return {};
}
