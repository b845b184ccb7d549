// `ivtrade surface`'s flags, apart from what it runs: main reads every command's flags, and
// loads a command's modules only when that command runs.

import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import type { DeltaConvention } from '../surface/index.js';
import { addFeedOptions, parseDuration, type FeedFlags } from './feed-flags.js';

export interface SurfaceFlags extends FeedFlags {
  readonly json: boolean;
  readonly every: number;
  readonly count: number | undefined;
  readonly delta: DeltaConvention;
}

export function addSurfaceOptions(command: Command): Command {
  return addFeedOptions(command)
    .option('--json', 'one JSON line per chain per round (default: a table)', false)
    .addOption(
      new Option('--every <time>', 'time between rounds, e.g. 10s, 1m')
        .argParser(parseDuration)
        .default(60_000, '1m'),
    )
    .option('--count <n>', 'stop after this many rounds', parseCount)
    .addOption(
      new Option('--delta <convention>', 'delta of the grid and read-outs')
        .choices(['forward', 'premium-adjusted'])
        .default('forward'),
    );
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number ≥ 1');
  return n;
}
