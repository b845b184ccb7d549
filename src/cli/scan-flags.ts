// `ivtrade scan`'s flags, apart from what it runs: main reads every command's flags, and
// loads a command's modules only when that command runs.

import { InvalidArgumentError, Option, type Command } from 'commander';
import { OUTPUT_FORMATS, parseFormat, type OutputFormat } from '../view/record-format.js';
import { parseSort, SORT_KEYS, type ScanFilter, type ScanSort } from '../view/scan-query.js';
import { addStoreOptions, numberFlag, type StoreFlags } from './store-flags.js';
import { timeFlag } from './time-flags.js';

/** The filter's bounds under the filter's own names, and two under shorter flag names. */
type FilterFlags = Pick<
  ScanFilter,
  | 'expiryFrom'
  | 'expiryTo'
  | 'type'
  | 'minIv'
  | 'maxIv'
  | 'minDelta'
  | 'maxDelta'
  | 'minVolume'
  | 'maxSpreadPct'
>;

export interface ScanFlags extends StoreFlags, FilterFlags {
  readonly minOi?: number;
  readonly maxSpread?: number;
  readonly sort?: ScanSort;
  readonly limit?: number;
  readonly format: OutputFormat;
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
      timeFlag('ahead', 'start'),
    )
    .option(
      '--expiry-to <when>',
      'expiries up to (a date, inclusive, or a span ahead such as 30d)',
      timeFlag('ahead', 'end'),
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
