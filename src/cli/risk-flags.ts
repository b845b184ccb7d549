// `ivtrade risk`'s flags, apart from what it runs: main reads every command's flags, and
// loads a command's modules only when that command runs.

import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { addFeedOptions, collect, type FeedFlags } from './feed-flags.js';

export interface RiskFlags extends FeedFlags {
  readonly horizon: number;
  readonly spotRange: number;
  readonly spotStep: number;
  readonly volRange: number;
  readonly volStep: number;
  readonly smile: string;
  readonly volShape: string;
  readonly add: readonly string[];
  readonly json: boolean;
}

export function addRiskOptions(command: Command): Command {
  return addFeedOptions(command)
    .option('--horizon <days>', 'the later horizon, in days from now (0: now only)', parseDays, 7)
    .option('--spot-range <pct>', 'spot moves from −pct to +pct', parsePositive, 20)
    .option('--spot-step <pct>', 'between spot moves', parsePositive, 2)
    .option('--vol-range <points>', 'vol shifts from −points to +points', parsePositive, 20)
    .option('--vol-step <points>', 'between vol shifts', parsePositive, 5)
    .option(
      '--smile <dynamics>',
      'how IVs follow spot: sticky-strike (each keeps its IV) or sticky-moneyness (along the fitted smile)',
      'sticky-strike',
    )
    .option(
      '--vol-shape <shape>',
      'how a vol shift spreads over expiries: parallel, or term (× √(30 d / T), at most 3×)',
      'parallel',
    )
    .option(
      '--add <instrument=size>',
      'a hypothetical position, repeatable: signed size in the amount unit (e.g. BTC-PERPETUAL=-10000)',
      collect,
      [],
    )
    .option('--json', 'one JSON line per coin and horizon, and one of greeks by expiry', false);
}

function parseDays(value: string): number {
  const days = Number(value);
  if (!Number.isFinite(days) || days < 0 || days > 3650) {
    throw new InvalidArgumentError('days from now, 0 to 3650');
  }
  return days;
}

function parsePositive(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new InvalidArgumentError('a positive number');
  return number;
}
