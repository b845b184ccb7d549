/**
 * What `scan` and `export` read: every instrument's spec and latest state under the chosen
 * venues and coins, straight from Redis (no venue connection), as scan rows.
 */
import type { RedisClient } from '../store/connect.js';
import type { KeySchema } from '../store/keys.js';
import { readCoin, servedVenues, storedCoins } from '../store/latest-read.js';
import { scanRow, type ScanRow } from '../view/scan-rows.js';

export interface StoreSelection {
  /** Venues to read; empty = every venue `serve` registered under the prefix. */
  readonly venues: readonly string[];
  /** Upper-case coins; empty = every coin stored for each venue. */
  readonly coins: readonly string[];
}

export interface StoreRows {
  readonly rows: ScanRow[];
  /** The venues looked at (empty: none registered and none named). */
  readonly venues: readonly string[];
  /** `venue:COIN` pairs that had a snapshot. */
  readonly coinsFound: readonly string[];
}

export async function readStoreRows(
  client: RedisClient,
  keys: KeySchema,
  selection: StoreSelection,
): Promise<StoreRows> {
  const venues =
    selection.venues.length > 0 ? [...selection.venues] : await servedVenues(client, keys);
  const rows: ScanRow[] = [];
  const coinsFound: string[] = [];
  for (const venue of venues) {
    const stored = await storedCoins(client, keys, venue);
    const coins =
      selection.coins.length > 0 ? stored.filter((coin) => selection.coins.includes(coin)) : stored;
    for (const coin of coins) {
      coinsFound.push(`${venue}:${coin}`);
      for (const instrument of await readCoin(client, keys, venue, coin)) {
        rows.push(scanRow(instrument));
      }
    }
  }
  return { rows, venues, coinsFound };
}
