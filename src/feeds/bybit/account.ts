/**
 * The private socket's topics (`order`, `execution`, `position`, `wallet`, each also as
 * `.option`, `.linear` and the other category forms) as normalized account events. Envelope:
 * `{id, topic, creationTime, data: [rows]}`.
 */
import type { AccountEvent } from '../../book/events.js';
import { isRecord, requireArray, requireNumber, WireFormatError } from '../wire-fields.js';
import {
  bybitBalancesFromWallet,
  bybitFillFromRow,
  bybitOrderFromRow,
  bybitPositionFromRow,
} from './account-rows.js';

type RowsMapper = (rows: readonly unknown[], creationTime: number, where: string) => AccountEvent[];

const MAPPERS: Readonly<Record<string, RowsMapper>> = {
  order: (rows, _ts, where) => rows.map((row, i) => bybitOrderFromRow(row, `${where} data[${i}]`)),
  execution: (rows, _ts, where) =>
    rows.flatMap((row, i) => bybitFillFromRow(row, `${where} data[${i}]`) ?? []),
  position: (rows, ts, where) =>
    rows.map((row, i) => bybitPositionFromRow(row, ts, `${where} data[${i}]`)),
  wallet: (rows, ts, where) =>
    rows.flatMap((row, i) => bybitBalancesFromWallet(row, ts, `${where} data[${i}]`)),
};

// Private topics ivtrade may subscribe to that carry nothing it normalizes (account greeks
// are recomputed from positions; `execution.fast` lacks the fee).
const UNMAPPED_PRIVATE: ReadonlySet<string> = new Set(['greeks', 'dcp']);

/**
 * The account events in one private-socket message; null for anything that is not a private
 * topic message (op replies, pongs, public topics). Throws WireFormatError when a private
 * message is malformed: the caller counts it and skips the whole message.
 */
export function bybitAccountEventsFromMessage(message: unknown): AccountEvent[] | null {
  if (!isRecord(message)) return null;
  const topic = message['topic'];
  if (typeof topic !== 'string') return null;
  const [stream, scope] = topic.split('.', 2);
  if (stream === undefined) return null;
  const mapper = MAPPERS[stream];
  if (mapper === undefined || scope === 'fast') {
    return UNMAPPED_PRIVATE.has(stream) || (mapper !== undefined && scope === 'fast') ? [] : null;
  }
  const where = `Bybit ${topic}`;
  const creationTime = requireNumber(message, 'creationTime', where);
  if (!Number.isSafeInteger(creationTime) || creationTime <= 0) {
    throw new WireFormatError(`${where}: "creationTime" must be a positive ms timestamp`);
  }
  return mapper(requireArray(message, 'data', where), creationTime, where);
}
