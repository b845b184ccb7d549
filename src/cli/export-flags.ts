// `ivtrade export`'s flags, apart from what it runs: main reads every command's flags, and
// loads a command's modules only when that command runs.

import { Option, type Command } from 'commander';
import type { OutputFormat } from '../view/record-format.js';
import { formatFlag } from './scan-flags.js';
import { addStoreOptions, type StoreFlags } from './store-flags.js';

export interface ExportFlags extends StoreFlags {
  readonly format: OutputFormat;
}

export function addExportOptions(command: Command): Command {
  return addStoreOptions(command, 'coins to export (comma list); default every coin').addOption(
    new Option('--format <format>', 'csv (a header row), jsonl or table')
      .default('csv')
      .argParser(formatFlag),
  );
}
