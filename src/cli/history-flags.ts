// `ivtrade history`'s flags, apart from what it runs: main reads every command's flags, and
// loads a command's modules only when that command runs.

import { Option, type Command } from 'commander';
import type { OutputFormat } from '../view/record-format.js';
import { formatFlag } from './scan-flags.js';
import { addStoreOptions, type StoreFlags } from './store-flags.js';
import { timeFlag } from './time-flags.js';

export interface HistoryFlags extends StoreFlags {
  readonly from: number;
  readonly to: number;
  readonly format: OutputFormat;
  readonly surface?: boolean;
}

export function addHistoryOptions(command: Command): Command {
  // --currency is not asked for: the instrument's coin is found from the specs in Redis.
  return addStoreOptions(command, null)
    .argument(
      '<instrument>',
      "the venue's instrument name, e.g. BTC-27DEC26-100000-C (with --surface: a chain, BTC or BTC/USDT)",
    )
    .option(
      '--surface',
      "the fitted surface's minutes of a chain (read-outs by maturity, 30-day index) instead",
      false,
    )
    .option(
      '--from <when>',
      'from (a time, a date, or a span back such as 2h, 7d); default 24h ago',
      timeFlag('ago', 'start'),
    )
    .option(
      '--to <when>',
      'up to (a time, a date inclusive, or a span back); default now',
      timeFlag('ago', 'end'),
    )
    .addOption(
      new Option('--format <format>', 'table, jsonl or csv').default('table').argParser(formatFlag),
    );
}
