import type { IndexEvent } from '../../book/events.js';
import {
  isRecord,
  requireNumber,
  requireRecord,
  requireString,
  WireFormatError,
} from '../wire-fields.js';

const VENUE = 'deribit';
const CHANNEL_PREFIX = 'deribit_price_index.';
// Index names are `<base>_<quote>` in lower case: btc_usd, eth_usdc, sol_usdc.
const INDEX_NAME = /^([a-z0-9]+)_([a-z0-9]+)$/;

/**
 * Maps a `deribit_price_index.<index_name>` notification to an IndexEvent. Returns null for
 * every other message; throws when an index notification is malformed.
 */
export function deribitIndexFromMessage(message: unknown): IndexEvent | null {
  if (!isRecord(message) || message['method'] !== 'subscription') return null;
  const params = message['params'];
  if (!isRecord(params)) return null;
  const channel = params['channel'];
  if (typeof channel !== 'string' || !channel.startsWith(CHANNEL_PREFIX)) return null;

  const where = `Deribit ${channel}`;
  const data = requireRecord(params, 'data', where);
  const indexName = requireString(data, 'index_name', where);
  if (indexName !== channel.slice(CHANNEL_PREFIX.length)) {
    throw new WireFormatError(
      `${where}: "index_name" is ${JSON.stringify(indexName)}, not the channel's`,
    );
  }
  const parts = INDEX_NAME.exec(indexName);
  if (parts === null) {
    throw new WireFormatError(
      `${where}: "index_name" must be <base>_<quote>, got ${JSON.stringify(indexName)}`,
    );
  }
  return {
    kind: 'index',
    venue: VENUE,
    base: (parts[1] ?? '').toUpperCase(),
    quote: (parts[2] ?? '').toUpperCase(),
    ts: requireNumber(data, 'timestamp', where),
    price: requireNumber(data, 'price', where),
  };
}
