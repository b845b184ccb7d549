// `ivtrade` with no subcommand: the terminal UI, on the embedded exchange unless told otherwise.

import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { defaultHistoryPath } from '../app/command-history.js';
import { defaultLogPath, defaultSimOrderLogPath } from '../app/log-file.js';
import { runTui } from '../app/tui-session.js';
import type { FeedPlan, VenueChoice } from '../app/venue-feeds.js';
import { ConfigError } from '../config/endpoints.js';
import type { FaultOptions } from '../sim/faults.js';
import { parseColumns, type ColumnId } from '../ui/chain-columns.js';
import type { Mode } from '../view/types.js';
import { collect, parseCoins, parseSeed, parseSpeed, parseVenue } from './feed-flags.js';
import type { CliStreams } from './main.js';
import { addHedgeOptions, hedgeSettingsFrom, type HedgeFlags } from './hedge-flags.js';
import {
  addOrderOptions,
  cancelOnDisconnectMisuse,
  orderSettingsFrom,
  type OrderFlags,
} from './order-flags.js';
import { whatOutlives } from './goodbye.js';
import { parseFaultFlag } from './sim-command.js';

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
}

export function addTuiOptions(command: Command): Command {
  // Where and what first in --help; then the order gateway's and the hedger's settings.
  const screen = command
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
    .option('--log <file>', `log file (default ${defaultLogPath()})`)
    .option('--seed <n>', 'sim only: market seed', parseSeed)
    .option('--speed <x>', 'sim only: sim seconds per wall second', parseSpeed)
    .option(
      '--faults <spec>',
      'sim only: inject faults, e.g. drop=1%,disconnect=30',
      parseFaultFlag,
    )
    .option('--exec <line>', 'commands run once connected, e.g. "i BTC-PERPETUAL; m 10; as1"');
  return addHedgeOptions(addOrderOptions(screen)).option(
    '--hedge',
    'start with the delta hedger on (= or hon/hoff toggle it)',
    false,
  );
}

export async function runTuiCommand(flags: TuiFlags, streams: CliStreams): Promise<number> {
  if (flags.venue !== 'sim') {
    for (const name of ['seed', 'speed', 'faults'] as const) {
      if (flags[name] !== undefined) return usage(streams, `--${name} needs --venue sim`);
    }
  }
  if (flags.venue === 'sim' && flags.testnet) return usage(streams, '--testnet needs a real venue');
  const venue = flags.venue === 'sim' ? flags.simVenue : flags.venue;
  const misuse = cancelOnDisconnectMisuse(flags, venue);
  if (misuse !== null) return usage(streams, misuse);
  const stdout = process.stdout;
  if (!stdout.isTTY || !process.stdin.isTTY) {
    return usage(streams, "the screen needs a terminal; for a headless feed use 'ivtrade stream'");
  }
  const mode: Mode = flags.venue === 'sim' ? 'SIM' : flags.testnet ? 'TESTNET' : 'LIVE';
  const plan: FeedPlan = {
    venue: flags.venue,
    currencies: flags.currency,
    testnet: flags.testnet,
    urlOverrides: flags.url,
    books: [],
    private: true,
    cancelOnDisconnect: flags.cancelOnDisconnect === true,
    ...(flags.config === undefined ? {} : { configPath: flags.config }),
    ...(flags.venue === 'sim'
      ? {
          simVenues: [flags.simVenue],
          sim: {
            seed: flags.seed ?? 1,
            speed: flags.speed ?? 1,
            ...(flags.faults === undefined ? {} : { faults: flags.faults }),
            orderLogPath: defaultSimOrderLogPath(),
          },
        }
      : {}),
  };
  try {
    const result = await runTui({
      plan,
      venue,
      mode,
      logPath: flags.log ?? defaultLogPath(),
      historyPath: defaultHistoryPath(),
      ...orderSettingsFrom(flags),
      hedge: hedgeSettingsFrom(flags, flags.hedge, flags.currency),
      ...(flags.exec === undefined ? {} : { exec: flags.exec }),
      ...(flags.columns === undefined ? {} : { columns: flags.columns }),
    });
    if (result.failure !== null) {
      streams.err.write(`error: ${result.failure}\n`);
      return 2;
    }
    streams.out.write(`ivtrade: session closed; ${whatOutlives(result.ordersLeft, mode)}.\n`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      streams.err.write(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function usage(streams: CliStreams, message: string): number {
  streams.err.write(`error: ${message} (see 'ivtrade --help')\n`);
  return 2;
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
