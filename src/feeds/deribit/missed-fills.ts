/**
 * Our fills since a venue time, read back from Deribit's trade history after a reconnect:
 * `private/get_user_trades_by_currency` per currency, oldest first from `start_timestamp`,
 * paged by moving the start to the last trade's time while `has_more` says more remain (the
 * trades of that millisecond come again and are dropped by the caller's FillTracker).
 */
import type { FillEvent } from '../../book/events.js';
import type { RpcCaller } from '../common/rpc-caller.js';
import { isRecord, requireArray, WireFormatError } from '../wire-fields.js';
import { deribitFillFromWire } from './account-records.js';

/** The venue's largest `count`. */
export const TRADE_HISTORY_PAGE = 1000;

export async function loadDeribitFillsSince(
  rpc: RpcCaller,
  currencies: readonly string[],
  since: number,
): Promise<FillEvent[]> {
  const fills: FillEvent[] = [];
  for (const currency of new Set(currencies.map((code) => code.toUpperCase()))) {
    let from = since;
    for (;;) {
      const where = `Deribit get_user_trades_by_currency ${currency}`;
      const reply = await rpc.call('private/get_user_trades_by_currency', {
        currency,
        start_timestamp: from,
        count: TRADE_HISTORY_PAGE,
        sorting: 'asc',
      });
      if (!isRecord(reply)) throw new WireFormatError(`${where}: must be an object`);
      const page = requireArray(reply, 'trades', where).map((trade, i) =>
        deribitFillFromWire(trade, `${where} trades[${i}]`),
      );
      fills.push(...page);
      const latest = Math.max(from, ...page.map((fill) => fill.ts));
      // A whole page within one millisecond cannot be paged past by time; stop rather than loop.
      if (reply['has_more'] !== true || latest === from) break;
      from = latest;
    }
  }
  return fills;
}
