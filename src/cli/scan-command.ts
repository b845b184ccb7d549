// `ivtrade scan`: filter and sort every option's latest state in Redis; no venue connection.

import { InvalidArgumentError, Option, type Command } from 'commander';
import { readStoreRows } from '../app/store-rows.js';
import {
  formatRecords,
  OUTPUT_FORMATS,
  parseFormat,
  type OutputFormat,
} from '../view/record-format.js';
import { SCAN_COLUMNS, SCAN_TABLE_COLUMNS } from '../view/scan-columns.js';
import {
  parseSort,
  runScan,
  SORT_KEYS,
  type ScanFilter,
  type ScanSort,
} from '../view/scan-query.js';
import type { CliStreams } from './main.js';
import {
  addStoreOptions,
  messageOf,
  numberFlag,
  openStore,
  type StoreFlags,
} from './store-flags.js';
import { parseTimeFlag, TimeFlagError, type DateEdge } from './time-flags.js';

export interface ScanFlags extends StoreFlags {
  readonly expiryFrom?: number;
  readonly expiryTo?: number;
  readonly type?: 'call' | 'put';
  readonly minIv?: number;
  readonly maxIv?: number;
  readonly minDelta?: number;
  readonly maxDelta?: number;
  readonly minVolume?: number;
  readonly minOi?: number;
  readonly maxSpread?: number;
  readonly maxSpreadPct?: number;
  readonly sort?: ScanSort;
  readonly limit?: number;
  readonly format: OutputFormat;
}

function expiryFlag(edge: DateEdge) {
  return (text: string): number => {
    try {
      return parseTimeFlag(text, Date.now(), 'ahead', edge);
    } catch (error) {
      if (error instanceof TimeFlagError) throw new InvalidArgumentError(error.message);
      throw error;
    }
  };
}

function typeFlag(text: string): 'call' | 'put' {
  const lower = text.toLowerCase();
  if (lower === 'call' || lower === 'c') return 'call';
  if (lower === 'put' || lower === 'p') return 'put';
  throw new InvalidArgumentError('call or put');
}

function sortFlag(text: string): ScanSort {
  const sort = parseSort(text);
  if (sort === null) {
    throw new InvalidArgumentError(
      `one of ${SORT_KEYS.join(', ')}, optionally :asc or :desc (e.g. iv:desc)`,
    );
  }
  return sort;
}

export function formatFlag(text: string): OutputFormat {
  const format = parseFormat(text);
  if (format === null) throw new InvalidArgumentError(`one of ${OUTPUT_FORMATS.join(', ')}`);
  return format;
}

function limitFlag(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < 1)
    throw new InvalidArgumentError('a whole number of rows, at least 1');
  return value;
}

export function addScanOptions(command: Command): Command {
  return addStoreOptions(command, 'coins to scan (comma list); default every coin')
    .option(
      '--expiry-from <when>',
      'expiries from (a date, 25DEC26, or a span ahead such as 7d)',
      expiryFlag('start'),
    )
    .option(
      '--expiry-to <when>',
      'expiries up to (a date, inclusive, or a span ahead such as 30d)',
      expiryFlag('end'),
    )
    .option('--type <call|put>', 'calls or puts only', typeFlag)
    .option(
      '--min-iv <points>',
      'mark IV at least, in vol points (100 = 100 %)',
      numberFlag('vol points', 0),
    )
    .option('--max-iv <points>', 'mark IV at most, in vol points', numberFlag('vol points', 0))
    .option('--min-delta <abs>', '|delta| at least (0 to 1)', numberFlag('absolute delta', 0, 1))
    .option('--max-delta <abs>', '|delta| at most (0 to 1)', numberFlag('absolute delta', 0, 1))
    .option('--min-volume <contracts>', '24 h volume at least', numberFlag('contracts', 0))
    .option('--min-oi <contracts>', 'open interest at least', numberFlag('contracts', 0))
    .option(
      '--max-spread <points>',
      'ask IV − bid IV at most, in vol points',
      numberFlag('vol points', 0),
    )
    .option(
      '--max-spread-pct <percent>',
      '(ask − bid) / mid at most, in percent',
      numberFlag('percent', 0),
    )
    .option('--sort <column>', `${SORT_KEYS.join('|')}, optionally :asc or :desc`, sortFlag)
    .option('--limit <rows>', 'print at most this many rows', limitFlag)
    .addOption(
      new Option('--format <format>', 'table, jsonl (one JSON object per line) or csv')
        .default('table')
        .argParser(formatFlag),
    );
}

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
