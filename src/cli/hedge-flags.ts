// The hedger's settings as flags: the screen takes them with `--hedge` to start it on, and
// `ivtrade hedge` (always on) takes the same.

import { InvalidArgumentError, type Command } from 'commander';
import { defaultHedgeLogPath } from '../hedge/hedge-log.js';
import { parseBand } from '../hedge/config.js';
import type { HedgeSettings } from '../app/hedge-session.js';
import type { Band, DeltaConvention, DeltaSource, HedgeConfig } from '../hedge/types.js';

export interface HedgeFlags {
  readonly hedgeCurrency?: string | undefined;
  readonly hedgeInstrument?: string | undefined;
  readonly hedgeBand?: Band | undefined;
  readonly hedgeDelta?: DeltaSource | undefined;
  readonly hedgeConvention?: DeltaConvention | undefined;
  readonly hedgeExecution?: HedgeConfig['execution'] | undefined;
  readonly hedgeLog?: string | undefined;
}

function oneOf<T extends string>(flag: string, choices: readonly T[]): (value: string) => T {
  return (value) => {
    const found = choices.find((choice) => choice === value);
    if (found === undefined) {
      throw new InvalidArgumentError(`${flag} is one of ${choices.join(', ')}`);
    }
    return found;
  };
}

function band(value: string): Band {
  try {
    return parseBand(value);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * The feeds follow a `--hedge-instrument` and every dated future of the coins as hedges (their
 * tickers and tops), beside each coin's perpetual: without a mark the gateway could check no
 * order in one, and `hinst` may move the hedging into any of them.
 */
export function hedgeFollowed(flags: { readonly hedgeInstrument?: string | undefined }): {
  hedgeInstruments?: readonly string[];
  hedgeFutures: boolean;
} {
  return {
    hedgeFutures: true,
    ...(flags.hedgeInstrument === undefined ? {} : { hedgeInstruments: [flags.hedgeInstrument] }),
  };
}

export function addHedgeOptions(command: Command): Command {
  return command
    .option('--hedge-currency <coin>', 'the coin whose option delta is hedged (default the first)')
    .option(
      '--hedge-instrument <name>',
      "the one future or perpetual the hedger trades (default the coin's perpetual)",
    )
    .option('--hedge-band <band>', 're-hedge outside ±band: 0.25% (default), 0.0025, $50', band)
    .option(
      '--hedge-delta <source>',
      "model (ivtrade's greeks at mark IV, default) or venue (the venue's delta)",
      oneOf<DeltaSource>('--hedge-delta', ['model', 'venue']),
    )
    .option(
      '--hedge-convention <c>',
      'forward (default) or premium-adjusted (inverse options)',
      oneOf<DeltaConvention>('--hedge-convention', ['forward', 'premium-adjusted']),
    )
    .option(
      '--hedge-execution <how>',
      'limit-ioc (touch plus 0.1 %, default) or market',
      oneOf<HedgeConfig['execution']>('--hedge-execution', ['limit-ioc', 'market']),
    )
    .option(
      '--hedge-log <file>',
      `hedge decisions as JSON lines (default ${defaultHedgeLogPath()})`,
    );
}

export function hedgeSettingsFrom(
  flags: HedgeFlags,
  on: boolean,
  currencies: readonly string[],
  onDecision?: HedgeSettings['onDecision'],
): HedgeSettings {
  return {
    on,
    currency: (flags.hedgeCurrency ?? currencies[0] ?? 'BTC').toUpperCase(),
    logPath: flags.hedgeLog ?? defaultHedgeLogPath(),
    ...(flags.hedgeInstrument === undefined ? {} : { instrument: flags.hedgeInstrument }),
    ...(flags.hedgeBand === undefined ? {} : { band: flags.hedgeBand }),
    ...(flags.hedgeDelta === undefined ? {} : { deltaSource: flags.hedgeDelta }),
    ...(flags.hedgeConvention === undefined ? {} : { convention: flags.hedgeConvention }),
    ...(flags.hedgeExecution === undefined ? {} : { execution: flags.hedgeExecution }),
    ...(onDecision === undefined ? {} : { onDecision }),
  };
}
