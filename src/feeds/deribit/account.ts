/**
 * Deribit's private notifications as normalized account events, and the private channels
 * that carry them.
 */
import type { AccountEvent } from '../../book/events.js';
import { isRecord, requireArray, requireRecord, type WireRecord } from '../wire-fields.js';
import {
  deribitBalanceFromSummary,
  deribitFillFromWire,
  deribitOrderFromWire,
  deribitPositionFromWire,
} from './account-records.js';

export {
  deribitBalanceFromSummary,
  deribitFillFromWire,
  deribitOrderFromWire,
  deribitPositionFromWire,
} from './account-records.js';

type PrivateStream = 'changes' | 'orders' | 'trades' | 'portfolio';
const STREAMS: readonly PrivateStream[] = ['changes', 'orders', 'trades', 'portfolio'];

/**
 * For a `subscription` notification on user.changes.*, user.orders.*, user.trades.* or
 * user.portfolio.*: the events it carries; null for any other message. Throws
 * WireFormatError when a private message lacks a field ivtrade relies on.
 *
 * Positions and portfolio summaries carry no timestamp. A position is stamped with the
 * latest order or trade time of its own notification; a summary (and a position that came
 * alone) with `receivedTs`, which the caller should set to the latest venue time it has
 * seen (defaults to the local clock).
 */
export function deribitAccountEventsFromMessage(
  message: unknown,
  receivedTs?: number,
): AccountEvent[] | null {
  const channel = privateChannel(message);
  if (channel === null) return null;
  const where = `Deribit ${channel.name}`;
  const data = channel.params['data'];
  const fallbackTs = (): number => receivedTs ?? Date.now();
  switch (channel.stream) {
    case 'orders':
      // A raw channel sends one order per message; an aggregated one sends a list.
      return Array.isArray(data)
        ? rows(channel.params, where).map((row, i) => deribitOrderFromWire(row, `${where} [${i}]`))
        : [deribitOrderFromWire(data, where)];
    case 'trades':
      return rows(channel.params, where).map((row, i) =>
        deribitFillFromWire(row, `${where} [${i}]`),
      );
    case 'portfolio':
      return [deribitBalanceFromSummary(data, fallbackTs(), where)];
    case 'changes':
      return changeEvents(requireRecord(channel.params, 'data', where), where, fallbackTs);
  }
}

/**
 * The private channels to subscribe for these currencies: none on an unauthenticated
 * connection (the venue refuses them there).
 *
 * `user.changes.any.{CUR}.raw` carries orders, trades and positions of every kind together,
 * so user.orders and user.trades would only duplicate it. Raw rather than 100ms: our own
 * orders and fills are few, and the order path and the hedger must see each one as it
 * happens rather than up to 100 ms late. `user.portfolio.{cur}` brings balances and margins.
 */
export function deribitPrivateChannels(
  currencies: readonly string[],
  authenticated: boolean,
): string[] {
  if (!authenticated) return [];
  const unique = [...new Set(currencies.map((currency) => currency.toUpperCase()))];
  return unique.flatMap((currency) => [
    `user.changes.any.${currency}.raw`,
    `user.portfolio.${currency.toLowerCase()}`,
  ]);
}

interface PrivateChannel {
  readonly name: string;
  readonly stream: PrivateStream;
  readonly params: WireRecord;
}

function privateChannel(message: unknown): PrivateChannel | null {
  if (!isRecord(message) || message['method'] !== 'subscription') return null;
  const params = message['params'];
  if (!isRecord(params)) return null;
  const name = params['channel'];
  if (typeof name !== 'string' || !name.startsWith('user.')) return null;
  const end = name.indexOf('.', 'user.'.length);
  if (end < 0) return null;
  const segment = name.slice('user.'.length, end);
  const stream = STREAMS.find((candidate) => candidate === segment);
  return stream === undefined ? null : { name, stream, params };
}

function rows(params: WireRecord, where: string): readonly unknown[] {
  return requireArray(params, 'data', where);
}

/** `{instrument_name, orders, trades, positions}`: one instrument's changes together. */
function changeEvents(data: WireRecord, where: string, fallbackTs: () => number): AccountEvent[] {
  const orders = requireArray(data, 'orders', where).map((row, i) =>
    deribitOrderFromWire(row, `${where} orders[${i}]`),
  );
  const fills = requireArray(data, 'trades', where).map((row, i) =>
    deribitFillFromWire(row, `${where} trades[${i}]`),
  );
  const positionRows = requireArray(data, 'positions', where);
  let ts = -Infinity;
  for (const event of [...orders, ...fills]) ts = Math.max(ts, event.ts);
  const positions = positionRows.map((row, i) =>
    deribitPositionFromWire(
      row,
      Number.isFinite(ts) ? ts : fallbackTs(),
      `${where} positions[${i}]`,
    ),
  );
  // Cause before effect: the trades, then the order states they left, then the positions.
  return [...fills, ...orders, ...positions];
}
