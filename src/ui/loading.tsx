import { Box, Text } from 'ink';
import { fmtDuration } from '../view/format.js';
import type { HeaderView, LoadingView } from '../view/types.js';
import { usePaint } from './palette.js';

const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

/** Instead of a blank screen: what is happening, how far along, and when the next try is. */
export function Loading({
  loading,
  header,
  width,
}: {
  readonly loading: LoadingView;
  readonly header: HeaderView;
  readonly width: number;
}) {
  const paint = usePaint();
  const frame = SPINNER[Math.floor(header.now / 100) % SPINNER.length];
  const { connection } = header;
  const retry =
    connection.retryAt === null
      ? ''
      : ` — next try in ${fmtDuration(Math.max(0, connection.retryAt - header.now))}`;
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        <Text {...paint('cyan')}>{frame}</Text>
        {` ${loading.phase}: ${loading.instruments} options listed, ${loading.quoted} quoted${retry}`}
      </Text>
      {connection.detail !== null && connection.state !== 'live' ? (
        <Text wrap="truncate-end" {...paint(connection.state === 'down' ? 'red' : 'yellow')}>
          {connection.detail}
        </Text>
      ) : null}
    </Box>
  );
}
