// `ivtrade scan`: filter and sort every option's latest state in Redis; no venue connection.

import { readStoreRows } from '../app/store-rows.js';
import { formatRecords } from '../view/record-format.js';
import { SCAN_COLUMNS, SCAN_TABLE_COLUMNS } from '../view/scan-columns.js';
import { runScan, type ScanFilter } from '../view/scan-query.js';
import type { CliStreams } from './main.js';
import { messageOf, openStore, type StoreFlags } from './store-flags.js';
import type { ScanFlags } from './scan-flags.js';

export function scanFilter(flags: ScanFlags): ScanFilter | string {
  const pairs: [string, number | undefined, number | undefined][] = [
    ['--min-iv/--max-iv', flags.minIv, flags.maxIv],
    ['--min-delta/--max-delta', flags.minDelta, flags.maxDelta],
    ['--expiry-from/--expiry-to', flags.expiryFrom, flags.expiryTo],
  ];
  for (const [names, min, max] of pairs) {
    if (min !== undefined && max !== undefined && min > max)
      return `${names}: the lower bound is above the upper`;
  }
  return {
    ...(flags.expiryFrom === undefined ? {} : { expiryFrom: flags.expiryFrom }),
    ...(flags.expiryTo === undefined ? {} : { expiryTo: flags.expiryTo }),
    ...(flags.type === undefined ? {} : { type: flags.type }),
    ...(flags.minIv === undefined ? {} : { minIv: flags.minIv }),
    ...(flags.maxIv === undefined ? {} : { maxIv: flags.maxIv }),
    ...(flags.minDelta === undefined ? {} : { minDelta: flags.minDelta }),
    ...(flags.maxDelta === undefined ? {} : { maxDelta: flags.maxDelta }),
    ...(flags.minVolume === undefined ? {} : { minVolume: flags.minVolume }),
    ...(flags.minOi === undefined ? {} : { minOpenInterest: flags.minOi }),
    ...(flags.maxSpread === undefined ? {} : { maxSpreadIv: flags.maxSpread }),
    ...(flags.maxSpreadPct === undefined ? {} : { maxSpreadPct: flags.maxSpreadPct }),
  };
}

export async function runScanCommand(flags: ScanFlags, streams: CliStreams): Promise<number> {
  const filter = scanFilter(flags);
  if (typeof filter === 'string') {
    streams.err.write(`error: ${filter} (see 'ivtrade scan --help')\n`);
    return 2;
  }
  const store = await openStore(flags, 'ivtrade scan', streams);
  if ('exitCode' in store) return store.exitCode;
  try {
    const found = await readStoreRows(store.client, store.keys, {
      venues: flags.venue ?? [],
      coins: flags.currency ?? [],
    });
    const nothing = nothingStored('ivtrade scan', store.where, store.keys.prefix, found, flags);
    if (nothing !== null) {
      streams.err.write(nothing);
      return 1;
    }
    const options = found.rows.filter((row) => row.kind === 'option');
    const rows = runScan(options, filter, flags.sort ?? null, flags.limit);
    const columns = flags.format === 'table' ? SCAN_TABLE_COLUMNS : SCAN_COLUMNS;
    streams.out.write(formatRecords(rows, columns, flags.format));
    if (flags.format === 'table')
      streams.err.write(`${rows.length} of ${options.length} options\n`);
    return 0;
  } catch (error) {
    streams.err.write(`ivtrade scan: ${messageOf(error)}\n`);
    return 1;
  } finally {
    store.close();
  }
}

/** Why there is nothing to read, or null when some coin was found. */
export function nothingStored(
  command: string,
  where: string,
  prefix: string,
  found: { venues: readonly string[]; coinsFound: readonly string[] },
  flags: StoreFlags,
): string | null {
  if (found.coinsFound.length > 0) return null;
  if (found.venues.length === 0) {
    return `${command}: no venue is served under prefix "${prefix}" at ${where}: is \`ivtrade serve\` publishing there? (--venue names one, --redis-prefix another prefix)\n`;
  }
  const coins = flags.currency === undefined ? '' : ` for ${flags.currency.join(',')}`;
  return `${command}: nothing stored${coins} under prefix "${prefix}" for ${found.venues.join(', ')} at ${where}\n`;
}
