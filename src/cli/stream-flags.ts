// `ivtrade stream`'s flags, apart from what it runs: main reads every command's flags, and
// loads a command's modules only when that command runs.

import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { STREAM_EMITS, type StreamEmit } from '../app/stream-lines.js';
import { addFeedOptions, type FeedFlags } from './feed-flags.js';
import { addHedgeOptions, type HedgeFlags } from './hedge-flags.js';
import { addOrderOptions, type OrderFlags } from './order-flags.js';

export interface StreamFlags extends FeedFlags, OrderFlags, HedgeFlags {
  readonly emit: readonly StreamEmit[];
  readonly exec?: string;
}

const DEFAULT_EMIT: readonly StreamEmit[] = ['tops', 'greeks', 'status'];

export function addStreamOptions(command: Command): Command {
  return addHedgeOptions(addOrderOptions(addFeedOptions(command)))
    .option(
      '--emit <list>',
      `what to print, comma separated: ${STREAM_EMITS.join(', ')}`,
      parseEmits,
      DEFAULT_EMIT,
    )
    .option(
      '--exec <line>',
      'commands run once connected (with --venue sim: on its Deribit side); answers print as JSON lines',
    );
}

function parseEmits(value: string): readonly StreamEmit[] {
  const chosen: StreamEmit[] = [];
  for (const part of value.split(',').map((p) => p.trim())) {
    const emit = STREAM_EMITS.find((e) => e === part);
    if (emit === undefined) {
      throw new InvalidArgumentError(`"${part}" is not one of ${STREAM_EMITS.join(', ')}`);
    }
    if (!chosen.includes(emit)) chosen.push(emit);
  }
  return chosen;
}
