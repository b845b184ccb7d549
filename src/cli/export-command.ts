// `ivtrade export`: every instrument's latest state in Redis, as CSV or JSON lines.

import { readStoreRows } from '../app/store-rows.js';
import { formatRecords } from '../view/record-format.js';
import { SCAN_COLUMNS } from '../view/scan-columns.js';
import { runScan } from '../view/scan-query.js';
import type { CliStreams } from './main.js';
import { nothingStored } from './scan-command.js';
import { messageOf, openStore } from './store-flags.js';
import type { ExportFlags } from './export-flags.js';

export async function runExport(flags: ExportFlags, streams: CliStreams): Promise<number> {
  const store = await openStore(flags, 'ivtrade export', streams);
  if ('exitCode' in store) return store.exitCode;
  try {
    const found = await readStoreRows(store.client, store.keys, {
      venues: flags.venue ?? [],
      coins: flags.currency ?? [],
    });
    const nothing = nothingStored('ivtrade export', store.where, store.keys.prefix, found, flags);
    if (nothing !== null) {
      streams.err.write(nothing);
      return 1;
    }
    // Chain order: no filter, no sort key.
    streams.out.write(formatRecords(runScan(found.rows, {}, null), SCAN_COLUMNS, flags.format));
    return 0;
  } catch (error) {
    streams.err.write(`ivtrade export: ${messageOf(error)}\n`);
    return 1;
  } finally {
    store.close();
  }
}
