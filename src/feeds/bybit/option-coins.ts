/**
 * Which coins Bybit lists options on. Bybit has no call that names them: instruments-info
 * answers one baseCoin at a time (BTC when none is given). So each candidate is asked for one
 * row, and the coins that have one are kept. The candidates are the coins Bybit has listed
 * options on; a coin outside them is ranked by naming it (`--currency`).
 */
import type { BybitGet } from './instrument-loader.js';
import { BybitApiError } from './rest.js';
import { isRecord, WireFormatError } from '../wire-fields.js';

export const BYBIT_OPTION_COIN_CANDIDATES: readonly string[] = [
  'BTC',
  'ETH',
  'SOL',
  'XRP',
  'DOGE',
  'MNT',
];

export async function loadBybitOptionCoins(
  get: BybitGet,
  candidates: readonly string[] = BYBIT_OPTION_COIN_CANDIDATES,
): Promise<string[]> {
  const listed: string[] = [];
  for (const baseCoin of candidates) {
    let result: unknown;
    try {
      result = await get('/v5/market/instruments-info', { category: 'option', baseCoin, limit: 1 });
    } catch (error) {
      // The venue refusing a coin (not a lost connection) means it lists none of it.
      if (error instanceof BybitApiError) continue;
      throw error;
    }
    const rows = isRecord(result) ? result['list'] : undefined;
    if (!Array.isArray(rows)) {
      throw new WireFormatError(`Bybit instruments-info option ${baseCoin}: "list" is missing`);
    }
    if (rows.length > 0) listed.push(baseCoin);
  }
  return listed;
}
