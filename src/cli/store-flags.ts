/**
 * Flags shared by the commands that only read Redis (`scan`, `export`, `history`): where
 * Redis is, under which prefix, and which venues and coins; plus opening it with a message
 * that never shows the password.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { RedisClient } from '../store/connect.js';
import { DEFAULT_PREFIX, keySchema, type KeySchema } from '../store/keys.js';
import type { CliStreams } from './main.js';

export interface StoreFlags {
  readonly redis: string;
  readonly redisPrefix: string;
  readonly venue?: readonly string[];
  readonly currency?: readonly string[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function nameList(what: string, upper: boolean) {
  return (text: string): string[] => {
    const names = text
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '')
      .map((name) => (upper ? name.toUpperCase() : name.toLowerCase()));
    const bad = names.find((name) => !NAME.test(name));
    if (names.length === 0 || bad !== undefined) {
      throw new InvalidArgumentError(
        `a comma list of ${what}, e.g. ${upper ? 'BTC,ETH' : 'deribit'}`,
      );
    }
    return names;
  };
}

function prefixName(text: string): string {
  if (!NAME.test(text))
    throw new InvalidArgumentError('letters, digits, ".", "_" or "-", e.g. ivt');
  return text;
}

export function addStoreOptions(command: Command, currencyHelp: string | null): Command {
  const withStore = command
    .requiredOption(
      '--redis <url>',
      'the Redis `serve` publishes to: redis://[user[:password]@]host[:port] or rediss://',
    )
    .option('--redis-prefix <prefix>', 'key prefix the data is under', prefixName, DEFAULT_PREFIX)
    .option(
      '--venue <names>',
      'venues to read (comma list); default every venue served',
      nameList('venues', false),
    );
  return currencyHelp === null
    ? withStore
    : withStore.option('--currency <coins>', currencyHelp, nameList('coins', true));
}

export interface OpenedStore {
  readonly client: RedisClient;
  readonly keys: KeySchema;
  readonly where: string;
  close(): void;
}

/** Opens Redis; null (having said why on stderr) when the URL is bad (2) or Redis is away (1). */
export async function openStore(
  flags: StoreFlags,
  command: string,
  streams: CliStreams,
): Promise<OpenedStore | { exitCode: number }> {
  // The Redis client loads here, not with the flags: --help and a refused flag go without it.
  const { describeTarget, openRedis, parseRedisUrl } = await import('../store/connect.js');
  let target;
  try {
    target = parseRedisUrl(flags.redis);
  } catch (error) {
    streams.err.write(`error: ${messageOf(error)} (see '${command} --help')\n`);
    return { exitCode: 2 };
  }
  const where = describeTarget(target);
  try {
    const client = await openRedis(target, {
      failFastOffline: true,
      clientName: command.replace(' ', '-'),
      connectTimeoutMs: 3_000,
    });
    return { client, keys: keySchema(flags.redisPrefix), where, close: () => client.disconnect() };
  } catch (error) {
    streams.err.write(`${command}: ${messageOf(error)}\n`);
    return { exitCode: 1 };
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A number flag's parser: finite, within bounds, with a hint naming the unit. */
export function numberFlag(unit: string, min = -Infinity, max = Infinity) {
  return (text: string): number => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
      const range =
        min === -Infinity && max === Infinity
          ? ''
          : max === Infinity
            ? ` at least ${min}`
            : ` from ${min} to ${max}`;
      throw new InvalidArgumentError(`a number${range} (${unit})`);
    }
    return value;
  };
}
