// Flags shared by `ivtrade stream` and `ivtrade record`: which venue, coins, endpoints, books.

import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { VENUE_CHOICES, type VenueChoice } from '../app/venue-choice.js';
import type { FaultOptions } from '../sim/faults.js';
import { parseFaultFlag } from './sim-flags.js';

export interface FeedFlags {
  readonly venue: VenueChoice;
  readonly currency: readonly string[];
  readonly testnet: boolean;
  readonly url: readonly string[];
  readonly books: 'all' | 'none' | readonly string[] | undefined;
  readonly duration: number | undefined;
  readonly config: string | undefined;
  readonly seed: number | undefined;
  readonly speed: number | undefined;
  readonly faults: FaultOptions | undefined;
}

/** How a command states --currency: its help, and its default (none: the command decides). */
export interface CurrencyFlag {
  readonly description: string;
  readonly defaultValue?: readonly string[];
}

const FOLLOWED_COINS: CurrencyFlag = {
  description: 'coins to follow, comma separated',
  defaultValue: ['BTC', 'ETH'],
};

export function addFeedOptions(command: Command, currency = FOLLOWED_COINS): Command {
  const feed = command
    .requiredOption(
      '--venue <venue>',
      'deribit, bybit, or sim (the embedded exchange, both venues)',
      parseVenue,
    )
    .option('--currency <list>', currency.description, parseCoins, currency.defaultValue)
    .option('--testnet', "the venues' test endpoints instead of production", false)
    .option(
      '--url <name=url>',
      'endpoint override, repeatable: deribit=ws://host:port, bybit=ws://host:port, or one endpoint (deribit.ws, bybit.rest, …)',
      collect,
      [],
    )
    .option('--books <which>', 'L2 books to follow: all, none, or instrument names', parseBooks)
    .option(
      '--duration <time>',
      'stop after this long, e.g. 30s, 5m, 1h (default: Ctrl-C)',
      parseDuration,
    )
    .option('--config <file>', 'credentials file (must be mode 600)');
  return addSimTuningOptions(feed);
}

/** --seed, --speed and --faults, as every command that can run the sim offers them. */
export function addSimTuningOptions(command: Command): Command {
  return command
    .option('--seed <n>', 'sim only: market seed', parseSeed)
    .option('--speed <x>', 'sim only: sim seconds per wall second', parseSpeed)
    .option(
      '--faults <spec>',
      'sim only: inject faults, e.g. drop=1%,disconnect=30',
      parseFaultFlag,
    );
}

/** Sim tuning only makes sense with the sim; saying so beats ignoring it. */
export function simOnlyMisuse(
  flags: Pick<FeedFlags, 'venue' | 'seed' | 'speed' | 'faults'>,
): string | null {
  if (flags.venue === 'sim') return null;
  for (const name of ['seed', 'speed', 'faults'] as const) {
    if (flags[name] !== undefined) return `--${name} needs --venue sim`;
  }
  return null;
}

export function parseVenue(value: string): VenueChoice {
  for (const choice of VENUE_CHOICES) if (choice === value) return choice;
  throw new InvalidArgumentError(`supported: ${VENUE_CHOICES.join(', ')}`);
}

export function parseCoins(value: string): readonly string[] {
  const coins = value.split(',').map((c) => c.trim().toUpperCase());
  if (coins.some((c) => !/^[A-Z][A-Z0-9]{1,9}$/.test(c))) {
    throw new InvalidArgumentError('a comma-separated list of coins, e.g. BTC,ETH');
  }
  return [...new Set(coins)];
}

export function collect(value: string, previous: readonly string[]): readonly string[] {
  return [...previous, value];
}

function parseBooks(value: string): 'all' | 'none' | readonly string[] {
  if (value === 'all' || value === 'none') return value;
  const names = value.split(',').map((n) => n.trim());
  if (names.some((n) => !/^[A-Za-z0-9_.-]+$/.test(n))) {
    throw new InvalidArgumentError('all, none, or comma-separated instrument names');
  }
  return names;
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

export function parseDuration(value: string): number {
  const match = DURATION.exec(value.trim());
  const ms = match === null ? NaN : Number(match[1]) * UNIT_MS[match[2] ?? 's']!;
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new InvalidArgumentError('a duration such as 500ms, 30s, 5m or 1h');
  }
  return ms;
}

export function parseSeed(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 2 ** 31 - 1) {
    throw new InvalidArgumentError('an integer from 0 to 2147483647');
  }
  return n;
}

export function parseSpeed(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 1 || n > 100_000) {
    throw new InvalidArgumentError('a number from 1 to 100000');
  }
  return n;
}
