import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMAND_TABLE, commandHelpLines } from '../../src/commands/command-table.js';
import { parseLine } from '../../src/commands/parse.js';
import type { Command } from '../../src/commands/types.js';

/** A name for each distinct thing a command can ask for. */
function form(command: Command): string {
  switch (command.kind) {
    case 'order': {
      const { pricing } = command;
      const how = pricing.kind === 'touch' ? `touch-${pricing.at}` : pricing.kind;
      const level = pricing.kind === 'limit' ? `-${pricing.level.kind}` : '';
      return `${command.side}-${how}${level}${command.force ? '-forced' : ''}`;
    }
    case 'instrument':
      return command.query === null ? 'instrument-show' : 'instrument-set';
    case 'multiplier':
      return command.value === null ? 'multiplier-show' : 'multiplier-set';
    case 'hedge':
      return `hedge-${command.action}`;
    case 'info':
      return `info-${command.topic}`;
    case 'amend-order':
      return `amend-${command.price === null ? 'size' : 'price'}`;
    case 'flatten':
      return `flatten-${command.price === null ? 'market' : 'limit'}`;
    default:
      return command.kind;
  }
}

describe('COMMAND_TABLE', () => {
  it('every example parses; the abort row aborts', () => {
    for (const row of COMMAND_TABLE) {
      const parsed = parseLine(row.example);
      assert.ok(parsed.ok, `${row.syntax}: ${row.example}`);
      assert.equal(parsed.aborted, row.syntax === '<line>c', row.example);
      if (!parsed.aborted) assert.ok(parsed.commands.length > 0, row.example);
    }
  });

  it('covers every command the parser knows', () => {
    const shown = new Set(
      COMMAND_TABLE.flatMap((row) => {
        const parsed = parseLine(row.example);
        return parsed.ok ? parsed.commands.map(form) : [];
      }),
    );
    const expected = [
      'buy-market',
      'buy-touch-bid',
      'buy-touch-ask',
      'sell-touch-bid',
      'sell-touch-ask',
      'buy-limit-price',
      'buy-limit-vol',
      'sell-stop',
      'buy-ladder',
      'buy-limit-price-forced',
      'instrument-set',
      'instrument-show',
      'multiplier-set',
      'multiplier-show',
      'cancel-all',
      'cancel-last',
      'cancel-order',
      'amend-price',
      'amend-size',
      'flatten-market',
      'flatten-limit',
      'pnl',
      'hedge-on',
      'hedge-off',
      'hedge-status',
      'info-funds',
      'info-orders',
      'info-positions',
      'info-connection',
      'info-help',
      'quit',
    ];
    for (const name of expected) assert.ok(shown.has(name), name);
  });

  it('keeps meanings short and rows unique', () => {
    for (const row of COMMAND_TABLE) {
      assert.ok(row.meaning.length <= 60, row.meaning);
      assert.ok(row.syntax.length > 0 && row.example.length > 0);
    }
    assert.equal(new Set(COMMAND_TABLE.map((row) => row.syntax)).size, COMMAND_TABLE.length);
  });
});

describe('commandHelpLines', () => {
  it('fits every line in the width, whatever the width', () => {
    for (let width = 1; width <= 160; width += 1) {
      const lines = commandHelpLines(width);
      assert.ok(lines.length >= COMMAND_TABLE.length, `width ${width}`);
      for (const line of lines) assert.ok(line.length <= width, `width ${width}: ${line}`);
    }
    assert.deepEqual(commandHelpLines(0), []);
    assert.deepEqual(commandHelpLines(Number.NaN), []);
  });

  it('shows one aligned row per command when wide', () => {
    const lines = commandHelpLines(120);
    assert.equal(lines.length, COMMAND_TABLE.length);
    const meaningAt = lines[0]?.indexOf(COMMAND_TABLE[0]?.meaning ?? '') ?? -1;
    const exampleAt = lines[0]?.lastIndexOf(COMMAND_TABLE[0]?.example ?? '') ?? -1;
    assert.ok(meaningAt > 0 && exampleAt > meaningAt);
    COMMAND_TABLE.forEach((row, index) => {
      const line = lines[index] ?? '';
      assert.ok(line.startsWith(row.syntax), line);
      assert.equal(line.indexOf(row.meaning, row.syntax.length), meaningAt, line);
      assert.equal(line.slice(exampleAt), row.example, line);
    });
  });

  it('wraps the meaning under itself at 80 columns, examples kept', () => {
    const lines = commandHelpLines(80);
    assert.ok(lines.length > COMMAND_TABLE.length);
    const text = lines.join('\n');
    for (const row of COMMAND_TABLE) assert.ok(text.includes(row.example), row.example);
    const meaningAt = lines[0]?.indexOf('buy / sell') ?? -1;
    const continued = lines.filter((line) => line.startsWith(' '));
    assert.ok(continued.length > 0);
    for (const line of continued) assert.equal(line.search(/\S/), meaningAt, line);
    const words = (s: string): string[] => s.split(/\s+/).filter((w) => w !== '');
    const meaningWords = COMMAND_TABLE.flatMap((row) => words(row.meaning));
    for (const word of meaningWords) assert.ok(text.includes(word), word);
  });

  it('drops the examples, then cuts meanings short, as the width shrinks', () => {
    const narrow = commandHelpLines(40).join('\n');
    assert.ok(!narrow.includes('i BTC-PERPETUAL; as1'));
    assert.ok(narrow.includes('cancel the last'));
    const tiny = commandHelpLines(26);
    assert.equal(tiny.length, COMMAND_TABLE.length);
    assert.ok(tiny.some((line) => line.endsWith('…')));
    assert.ok(tiny.every((line, index) => line.startsWith(COMMAND_TABLE[index]?.syntax ?? '?')));
  });
});
