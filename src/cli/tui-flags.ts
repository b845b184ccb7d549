// The screen's flags (`ivtrade` with no command), apart from what it runs: main reads them,
// and loads the screen's modules only when the screen runs.

import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { defaultLogPath } from '../app/log-file.js';
import { DEFAULT_PREFIX } from '../store/keys.js';
import type { VenueChoice } from '../app/venue-choice.js';
import type { FaultOptions } from '../sim/faults.js';
import { parseColumns, type ColumnId } from '../ui/chain-columns.js';
import { addSimTuningOptions, collect, parseCoins, parseVenue } from './feed-flags.js';
import { addHedgeOptions, type HedgeFlags } from './hedge-flags.js';
import { addOrderOptions, type OrderFlags } from './order-flags.js';

const SIM_VENUES = ['deribit', 'bybit'] as const;
type SimVenue = (typeof SIM_VENUES)[number];

export interface TuiFlags extends OrderFlags, HedgeFlags {
  readonly hedge: boolean;
  readonly venue: VenueChoice;
  readonly simVenue: SimVenue;
  readonly currency: readonly string[];
  readonly testnet: boolean;
  readonly url: readonly string[];
  readonly config: string | undefined;
  readonly columns: readonly ColumnId[] | undefined;
  readonly log: string | undefined;
  readonly seed: number | undefined;
  readonly speed: number | undefined;
  readonly faults: FaultOptions | undefined;
  readonly exec: string | undefined;
  readonly redis: string | undefined;
  readonly redisPrefix: string | undefined;
}

/** Whether the user gave a flag (its property name) on the command line, not its default. */
export type GivenFlag = (name: keyof TuiFlags) => boolean;

export function addTuiOptions(command: Command): Command {
  // Where and what first in --help; then the order gateway's and the hedger's settings.
  const where = command
    .addOption(
      new Option('--venue <venue>', 'sim (the embedded exchange, no keys), deribit or bybit')
        .default('sim')
        .argParser(parseVenue),
    )
    .addOption(
      new Option('--sim-venue <venue>', 'with --venue sim: whose protocol the sim speaks to the UI')
        .default('deribit')
        .argParser(parseSimVenue),
    )
    .option('--currency <list>', 'coins, comma separated; the first one shows first', parseCoins, [
      'BTC',
      'ETH',
    ])
    .option('--testnet', "the venue's test endpoints instead of production", false)
    .option(
      '--url <name=url>',
      'endpoint override, repeatable (as for `ivtrade stream`)',
      collect,
      [],
    )
    .option('--config <file>', 'credentials file (must be mode 600); else the environment')
    .option(
      '--columns <list>',
      'chain columns per side, e.g. bid,ask,ivs,mark-iv,delta (see the README)',
      parseColumnsFlag,
    )
    .option('--log <file>', `log file (default ${defaultLogPath()})`);
  const screen = addSimTuningOptions(where)
    .option('--exec <line>', 'commands run once connected, e.g. "i BTC-PERPETUAL; m 10; as1"')
    .option(
      '--redis <url>',
      "attach to what 'ivtrade serve' publishes there (no venue connection), e.g. redis://10.0.0.5:6379",
    )
    .option('--redis-prefix <prefix>', `with --redis: the key prefix (default ${DEFAULT_PREFIX})`);
  return addHedgeOptions(addOrderOptions(screen)).option(
    '--hedge',
    'start with the delta hedger on (= or hon/hoff toggle it)',
    false,
  );
}

function parseSimVenue(value: string): SimVenue {
  for (const choice of SIM_VENUES) if (choice === value) return choice;
  throw new InvalidArgumentError(`supported: ${SIM_VENUES.join(', ')}`);
}

function parseColumnsFlag(value: string): readonly ColumnId[] {
  try {
    return parseColumns(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}
