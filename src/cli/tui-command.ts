// `ivtrade` with no subcommand: the terminal UI, on the embedded exchange unless told otherwise.

import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { defaultHistoryPath } from '../app/command-history.js';
import { defaultLogPath, defaultSimOrderLogPath } from '../app/log-file.js';
import { AttachError, planAttach, type AttachPlan } from '../app/bus-feeds.js';
import { DEFAULT_PREFIX } from '../store/keys.js';
import type { FeedPlan, VenueChoice } from '../app/venue-feeds.js';
import { ConfigError } from '../config/endpoints.js';
import type { FaultOptions } from '../sim/faults.js';
import { parseColumns, type ColumnId } from '../ui/chain-columns.js';
import type { Mode } from '../view/types.js';
import { collect, parseCoins, parseSeed, parseSpeed, parseVenue } from './feed-flags.js';
import type { CliStreams } from './main.js';
import {
  addHedgeOptions,
  hedgeFollowed,
  hedgeSettingsFrom,
  type HedgeFlags,
} from './hedge-flags.js';
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
  readonly redis: string | undefined;
  readonly redisPrefix: string | undefined;
}

/** Whether the user gave a flag (its property name) on the command line, not its default. */
export type GivenFlag = (name: keyof TuiFlags) => boolean;

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

export async function runTuiCommand(
  flags: TuiFlags,
  streams: CliStreams,
  given: GivenFlag = (name) => flags[name] !== undefined,
): Promise<number> {
  if (flags.redis !== undefined) return runAttached(flags, streams, given);
  if (flags.redisPrefix !== undefined) return usage(streams, '--redis-prefix needs --redis <url>');
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
    ...hedgeFollowed(flags),
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
    // Ink and React take half a second to load and only the screen draws with them: imported
    // here, --help, a bad flag and the headless commands start without them.
    const { runTui } = await import('../app/tui-session.js');
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

/**
 * Flags that mean nothing to an attached screen: the venue connection, its keys, the sim, the
 * gateway's limits and the hedger all live in `serve`. Said rather than ignored.
 */
const NOT_WHEN_ATTACHED: readonly [keyof TuiFlags, string][] = [
  ['simVenue', 'the sim runs in serve (ivtrade serve --venue sim)'],
  ['seed', 'the sim runs in serve (ivtrade serve --venue sim)'],
  ['speed', 'the sim runs in serve (ivtrade serve --venue sim)'],
  ['faults', 'the sim runs in serve (ivtrade serve --venue sim)'],
  ['testnet', 'serve holds the venue connection; its meta says the mode'],
  ['url', 'serve holds the venue connection'],
  ['cancelOnDisconnect', 'serve holds the venue session'],
  ['maxNotional', "the order gateway is serve's: set its limits there"],
  ['maxOrdersPerSecond', "the order gateway is serve's: set its limits there"],
  ['optionDistance', "the order gateway is serve's: set its limits there"],
  ['futureDistance', "the order gateway is serve's: set its limits there"],
  ['optionDistanceTicks', "the order gateway is serve's: set its limits there"],
  ['hedge', 'the hedger runs in serve (ivtrade serve --hedge)'],
  ['hedgeCurrency', 'the hedger runs in serve'],
  ['hedgeInstrument', 'the hedger runs in serve'],
  ['hedgeBand', 'the hedger runs in serve'],
  ['hedgeDelta', 'the hedger runs in serve'],
  ['hedgeConvention', 'the hedger runs in serve'],
  ['hedgeExecution', 'the hedger runs in serve'],
  ['hedgeLog', 'the hedger runs in serve'],
];

function flagName(name: string): string {
  return `--${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/** `ivtrade --redis <url>`: the screen over what serve publishes. */
async function runAttached(
  flags: TuiFlags,
  streams: CliStreams,
  given: GivenFlag,
): Promise<number> {
  for (const [name, why] of NOT_WHEN_ATTACHED) {
    if (given(name)) return usage(streams, `${flagName(name)} does not go with --redis: ${why}`);
  }
  let plan: AttachPlan;
  try {
    plan = await planAttach({
      url: flags.redis!,
      // The Redis password may come from the environment or the 0600 file (its `redis` part).
      ...(flags.config === undefined ? {} : { configPath: flags.config }),
      ...(flags.redisPrefix === undefined ? {} : { prefix: flags.redisPrefix }),
      ...(given('venue') ? { venue: flags.venue } : {}),
    });
  } catch (error) {
    if (error instanceof AttachError) return usage(streams, error.message);
    throw error;
  }
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    return usage(streams, "the screen needs a terminal; for a headless feed use 'ivtrade stream'");
  }
  const { runTui } = await import('../app/tui-session.js');
  const result = await runTui({
    plan,
    venue: plan.venue,
    mode: plan.mode,
    logPath: flags.log ?? defaultLogPath(),
    historyPath: defaultHistoryPath(),
    ...(flags.capTicks === undefined ? {} : { marketCap: orderSettingsFrom(flags).marketCap }),
    ...(flags.exec === undefined ? {} : { exec: flags.exec }),
    ...(flags.columns === undefined ? {} : { columns: flags.columns }),
  });
  if (result.failure !== null) {
    streams.err.write(`error: ${result.failure}\n`);
    return 2;
  }
  streams.out.write(`ivtrade: detached from ${plan.via}; serve keeps running.\n`);
  return 0;
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
