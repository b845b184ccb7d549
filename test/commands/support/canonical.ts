/**
 * Prints a parsed order back as the shortest line that says the same thing, for the fuzz test's
 * round trip. Written from the grammar, not from the parser, so a parser that drops or mangles
 * part of a line is caught when the reprint parses to something else.
 */
import type { OrderCommand, PriceLevel } from '../../../src/commands/types.js';

export function canonicalOrder(command: OrderCommand): string {
  const verb = command.side === 'buy' ? 'a' : 'd';
  const bang = command.force ? '!' : '';
  const { pricing } = command;
  switch (pricing.kind) {
    case 'market':
      return `${verb}${command.size}${bang}`;
    case 'touch':
      return `${verb}${pricing.at === 'bid' ? 's' : 'w'}${command.size}${bang}`;
    case 'limit':
      return `${verb}${command.size} ${level(pricing.level)}${bang}`;
    case 'stop':
      return `${verb}${command.size} ${pricing.trigger}s${bang}`;
    case 'ladder':
      return `${verb}${command.size} ${level(pricing.from)} ${level(pricing.to)} ${pricing.count}${bang}`;
  }
}

function level(value: PriceLevel): string {
  return value.kind === 'price' ? value.value : `v${value.percent}`;
}
