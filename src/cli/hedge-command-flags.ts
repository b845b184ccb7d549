// `ivtrade hedge`'s flags, apart from what it runs: main reads every command's flags, and
// loads a command's modules only when that command runs.

import type { Command } from 'commander';
import { addFeedOptions, type FeedFlags } from './feed-flags.js';
import { addHedgeOptions, type HedgeFlags } from './hedge-flags.js';
import { addOrderOptions, type OrderFlags } from './order-flags.js';

export interface HedgeCommandFlags extends FeedFlags, OrderFlags, HedgeFlags {
  readonly exec?: string;
}

export function addHedgeCommandOptions(command: Command): Command {
  return addHedgeOptions(addOrderOptions(addFeedOptions(command))).option(
    '--exec <line>',
    'commands run once connected (e.g. "i BTC-25DEC26-100000-C; aw1" to open a position)',
  );
}
