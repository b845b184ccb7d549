// `ivtrade record`'s flags, apart from what it runs: main reads every command's flags, and
// loads a command's modules only when that command runs.

import type { Command } from 'commander';
import { addFeedOptions, type FeedFlags } from './feed-flags.js';

export interface RecordFlags extends FeedFlags {
  readonly out: string;
}

export function addRecordOptions(command: Command): Command {
  return addFeedOptions(command).requiredOption(
    '--out <file>',
    'JSONL file to write ({"localTs","message"} per line)',
  );
}
