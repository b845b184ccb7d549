// `ivtrade rank`'s flags, apart from what it runs: main reads every command's flags, and
// loads a command's modules only when that command runs.

import type { Command } from 'commander';
import { Option } from 'commander';
import { RANK_KEYS, type RankKey } from '../analytics/index.js';
import { DEFAULT_PREFIX } from '../store/keys.js';
import { addFeedOptions, type FeedFlags } from './feed-flags.js';

/** What the embedded exchange lists when rank is asked for every coin. */
export const SIM_RANK_COINS: readonly string[] = ['BTC', 'ETH', 'SOL'];

export interface RankFlags extends Omit<FeedFlags, 'currency'> {
  /** Absent: every coin the venue lists options on. */
  readonly currency?: readonly string[];
  readonly sort: RankKey;
  readonly asc: boolean;
  readonly json: boolean;
  readonly redis?: string;
  readonly redisPrefix: string;
}

export function addRankOptions(command: Command): Command {
  // Unlike the other feed commands, rank's default is the venue's whole option list.
  return addFeedOptions(command, {
    description: `coins to rank, comma separated (default: every coin the venue lists options on; the embedded exchange lists ${SIM_RANK_COINS.join(', ')})`,
  })
    .addOption(
      new Option('--sort <key>', 'order by: rv, iv (30-day ATM), vrp, iv-rank')
        .choices([...RANK_KEYS])
        .default('iv-rank'),
    )
    .option('--asc', 'lowest first (default: highest first)', false)
    .option(
      '--redis <url>',
      "where serve keeps its minute history: IV rank from ivtrade's own 30-day index where the venue publishes no implied index",
    )
    .option('--redis-prefix <prefix>', 'key prefix of that history', DEFAULT_PREFIX)
    .option('--json', 'one JSON line per coin instead of a table', false);
}
