// `ivtrade` with no subcommand: the terminal UI, on the embedded exchange unless told otherwise.

import { defaultHistoryPath } from '../app/command-history.js';
import { defaultLogPath, defaultSimOrderLogPath } from '../app/log-file.js';
import { AttachError, planAttach, type AttachPlan } from '../app/bus-feeds.js';
import type { FeedPlan } from '../app/venue-feeds.js';
import { ConfigError } from '../config/endpoints.js';
import type { Mode } from '../view/types.js';
import type { CliStreams } from './main.js';
import { hedgeFollowed, hedgeSettingsFrom } from './hedge-flags.js';
import { cancelOnDisconnectMisuse, orderSettingsFrom } from './order-flags.js';
import { whatOutlives } from './goodbye.js';
import type { TuiFlags, GivenFlag } from './tui-flags.js';

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
    // Ink and React take half a second to load: a flag refused above exits without them.
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
