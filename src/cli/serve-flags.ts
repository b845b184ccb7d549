// `ivtrade serve`'s flags, apart from what it runs: main reads every command's flags, and
// loads a command's modules only when that command runs.

import { InvalidArgumentError, type Command } from 'commander';
import { DEFAULT_PREFIX, DEFAULT_STREAM_MAXLEN } from '../store/keys.js';
import { addFeedOptions, type FeedFlags } from './feed-flags.js';
import { addHedgeOptions, type HedgeFlags } from './hedge-flags.js';
import { addOrderOptions, type OrderFlags } from './order-flags.js';

export interface ServeFlags extends FeedFlags, OrderFlags, HedgeFlags {
  readonly redis?: string;
  readonly redisPrefix: string;
  readonly streamMaxlen: number;
  readonly hedge: boolean;
  readonly intentMaxAge: number;
  readonly historyDays: number;
}

export const REDIS_EXAMPLE = 'e.g. --redis redis://127.0.0.1:6379';

export function addServeOptions(command: Command): Command {
  return addHedgeOptions(addOrderOptions(addFeedOptions(command)))
    .option(
      '--redis <url>',
      `where to publish (required): redis[s]://[user[:pass]@]host[:port][/db]`,
    )
    .option(
      '--redis-prefix <prefix>',
      'prefix of every key (letters, digits, . _ -)',
      DEFAULT_PREFIX,
    )
    .option(
      '--stream-maxlen <n>',
      `updates kept per stream, about (default ${DEFAULT_STREAM_MAXLEN})`,
      parseMaxlen,
      DEFAULT_STREAM_MAXLEN,
    )
    .option('--hedge', 'start the delta hedger on (default off; screens can switch it)', false)
    .option(
      '--intent-max-age <seconds>',
      "an attached screen's order older than this when serve reads it is refused (default 5)",
      (value: string) => positiveNumber('--intent-max-age', value, 'seconds, e.g. 5'),
      5,
    )
    .option(
      '--history-days <days>',
      'minute history kept in Redis, in days (default 30; 0 keeps none)',
      (value: string) => positiveNumber('--history-days', value, 'days, e.g. 30', true),
      30,
    );
}

function positiveNumber(flag: string, value: string, unit: string, zeroOk = false): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(n) || (n === 0 && !zeroOk)) {
    throw new InvalidArgumentError(`${flag} is a ${zeroOk ? '' : 'positive '}number of ${unit}`);
  }
  return n;
}

function parseMaxlen(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError('--stream-maxlen is a whole number of updates, e.g. 100000');
  }
  return n;
}
