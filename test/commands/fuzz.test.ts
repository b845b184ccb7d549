import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMAND_TABLE } from '../../src/commands/command-table.js';
import { parseLine } from '../../src/commands/parse.js';
import type { Command, OrderCommand, ParsedLine, PriceLevel } from '../../src/commands/types.js';
import { canonicalOrder } from './support/canonical.js';

/** mulberry32: small, seeded, good enough to spread inputs. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const next = random(20261120);
const int = (n: number): number => Math.floor(next() * n);
const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;

const NUMBERS = ['1', '0.5', '.5', '10', '0.0125', '91000', '2.25', '007', '0', '1.', '-1', '1e3'];
const ALPHABET = [
  ...'adswcimvkpe!;. 0123456789',
  ...'ADSWCIMV',
  '\t',
  '\n',
  '\u0000',
  '\u0007',
  '\u007f',
  '\u009b',
  'ä',
  '€',
  '🙂',
  '\ud800',
  '\u00a0',
  '\u2028',
];

function number(): string {
  return int(4) === 0 ? pick(NUMBERS) : `${int(100)}${int(2) === 0 ? '' : `.${int(1000)}`}`;
}

function validOrder(): string {
  const verb = pick(['a', 'd', 'A', 'D']);
  const size = pick(['1', '2', '007', '10', '3', '25']);
  const bang = int(4) === 0 ? pick(['!', ' !']) : '';
  const level = (): string =>
    int(3) === 0 ? `v${pick(['62.5', '40', '100'])}` : pick(['0.01', '0.02', '91000', '.5']);
  switch (int(5)) {
    case 0:
      return `${verb}${size}${bang}`;
    case 1:
      return `${verb}${pick(['s', 'w', 'S', 'W'])}${size}${bang}`;
    case 2:
      return `${verb}${size} ${level()}${bang}`;
    case 3:
      return `${verb}${size} ${pick(['25000', '0.5', '95000.5'])}${pick(['s', 'S'])}${bang}`;
    default:
      return `${verb}${size} ${pick(['0.01', 'v50'])} ${pick(['0.03', 'v60'])} ${2 + int(49)}${bang}`;
  }
}

const FIXED_LINES = [
  ...COMMAND_TABLE.map((row) => row.example),
  'i 27dec 100k c',
  'i BTC-PERPETUAL; m 10; as1',
  'activate delta hedging',
  'delta hedging status',
  'connection status',
  'cc',
  'm 0.1',
];

function validLine(): string {
  const parts = Array.from({ length: 1 + int(3) }, () =>
    int(3) === 0 ? pick(FIXED_LINES) : validOrder(),
  );
  return parts.join(pick([';', '; ', ' ; ']));
}

function mutate(line: string): string {
  const at = int(line.length + 1);
  switch (int(7)) {
    case 0:
      return line.slice(0, at) + pick(ALPHABET) + line.slice(at);
    case 1:
      return line.slice(0, at) + line.slice(at + 1);
    case 2:
      return line.slice(0, at) + pick(ALPHABET) + line.slice(at + 1);
    case 3:
      return line.slice(0, at) + line.slice(at, at + 1) + line.slice(at);
    case 4: {
      const other = validLine();
      return line.slice(0, at) + other.slice(int(other.length + 1));
    }
    case 5:
      return `${line}${pick(['c', 'C', ' c'])}`;
    default:
      return line.slice(0, at) + number() + line.slice(at);
  }
}

function randomLine(): string {
  const length = int(4) === 0 ? int(700) : int(20);
  let line = '';
  for (let i = 0; i < length; i += 1) line += pick(ALPHABET);
  return line;
}

function fuzzLine(): string {
  const kind = int(10);
  if (kind < 3) return randomLine();
  let line = validLine();
  const mutations = kind < 5 ? 0 : 1 + int(3);
  for (let i = 0; i < mutations; i += 1) line = mutate(line);
  return line;
}

/** The abort rule as the brief words it, written apart from the parser. */
function endsInAbortingC(line: string): boolean {
  const trimmed = line.trim();
  if (!/c$/i.test(trimmed)) return false;
  const commands = trimmed
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const last = commands[commands.length - 1] ?? '';
  return last.toLowerCase() !== 'cc' && !/^i(\s|$)/i.test(last);
}

const DECIMAL = /^(?:\d+(?:\.\d+)?|\.\d+)$/;

function checkLevel(level: PriceLevel, line: string): void {
  if (level.kind === 'price') assert.match(level.value, DECIMAL, line);
  else assert.match(level.percent, DECIMAL, line);
}

function checkCommand(command: Command, line: string): void {
  switch (command.kind) {
    case 'order':
      assert.ok(command.side === 'buy' || command.side === 'sell', line);
      assert.match(command.size, /^\d+$/, line);
      assert.match(command.size, /[1-9]/, line);
      assert.equal(typeof command.force, 'boolean', line);
      if (command.pricing.kind === 'limit') checkLevel(command.pricing.level, line);
      if (command.pricing.kind === 'stop') assert.match(command.pricing.trigger, DECIMAL, line);
      if (command.pricing.kind === 'ladder') {
        checkLevel(command.pricing.from, line);
        checkLevel(command.pricing.to, line);
        assert.equal(command.pricing.from.kind, command.pricing.to.kind, line);
        assert.ok(Number.isInteger(command.pricing.count), line);
        assert.ok(command.pricing.count >= 2 && command.pricing.count <= 50, line);
      }
      return;
    case 'package':
      assert.ok(command.side === 'buy' || command.side === 'sell', line);
      assert.match(command.size, /^\d*[1-9]\d*$/, line);
      assert.ok(command.strikes.length <= 3, line);
      for (const strike of command.strikes) assert.match(strike, /^(\d+(\.\d+)?|\.\d+)k?$/i, line);
      if (command.price !== null) assert.match(command.price, /^-?(\d+(\.\d+)?|\.\d+)$/, line);
      assert.equal(command.farExpiry === null, !command.shape.endsWith('cal'), line);
      assert.equal(typeof command.legs, 'boolean', line);
      return;
    case 'instrument':
      assert.ok(
        command.query === null || (command.query !== '' && command.query.trim() === command.query),
        line,
      );
      return;
    case 'multiplier':
      if (command.value !== null) assert.match(command.value, DECIMAL, line);
      return;
    case 'cancel-all':
    case 'cancel-last':
    case 'quit':
      return;
    case 'cancel-order':
      assert.ok(Number.isInteger(command.number) && command.number >= 1, line);
      return;
    case 'amend-order':
      assert.ok(Number.isInteger(command.number) && command.number >= 1, line);
      assert.ok(command.price !== null || command.size !== null, line);
      if (command.price !== null) checkLevel(command.price, line);
      if (command.size !== null) assert.match(command.size, /^\d*[1-9]\d*$/, line);
      assert.ok(!command.force || command.price !== null, line);
      return;
    case 'pnl':
      if (command.since !== null && command.since.kind === 'ago')
        assert.ok(command.since.ms > 0, line);
      if (command.since !== null && command.since.kind === 'clock') {
        assert.ok(command.since.minuteOfDay >= 0 && command.since.minuteOfDay < 1440, line);
      }
      return;
    case 'flatten':
      if (command.price !== null) checkLevel(command.price, line);
      assert.ok(!command.force || command.price !== null, line);
      return;
    case 'hedge':
      assert.ok(['on', 'off', 'status'].includes(command.action), line);
      return;
    case 'hedge-set':
      assert.ok(
        ['band', 'policy', 'target', 'to', 'ratio', 'inst'].includes(command.setting),
        line,
      );
      assert.ok(command.value === null || command.value.trim() === command.value, line);
      return;
    case 'info':
      assert.ok(
        ['funds', 'orders', 'positions', 'connection', 'help'].includes(command.topic),
        line,
      );
      return;
    default:
      assert.fail(`unknown command kind for ${line}`);
  }
}

const examplesSeen = new Map<string, boolean>();

function checkShape(parsed: ParsedLine, line: string): void {
  if (!parsed.ok) {
    const { message, column, example } = parsed.error;
    assert.ok(typeof message === 'string' && message.length > 0, line);
    assert.ok(
      Number.isInteger(column) && column >= 1 && column <= line.length + 1,
      `${line}: ${column}`,
    );
    let works = examplesSeen.get(example);
    if (works === undefined) {
      const again = parseLine(example);
      works = again.ok && !again.aborted && again.commands.length > 0;
      examplesSeen.set(example, works);
    }
    assert.ok(works, `example ${example} for ${line}`);
    return;
  }
  assert.ok(Array.isArray(parsed.commands), line);
  if (parsed.aborted) assert.equal(parsed.commands.length, 0, line);
  const list: readonly Command[] = parsed.commands;
  for (const command of list) checkCommand(command, line);
}

const LINES = 100_000;

describe('fuzzed lines', () => {
  it(`${LINES} random and mutated lines keep every promise`, () => {
    const counts = { ok: 0, aborted: 0, failed: 0, orders: 0 };
    for (let n = 0; n < LINES; n += 1) {
      const line = fuzzLine();
      let parsed: ParsedLine;
      try {
        parsed = parseLine(line);
      } catch (thrown) {
        assert.fail(`threw on ${JSON.stringify(line)}: ${String(thrown)}`);
      }
      checkShape(parsed, line);
      if (!parsed.ok) {
        counts.failed += 1;
        continue;
      }
      if (parsed.aborted) counts.aborted += 1;
      else counts.ok += 1;
      const list: readonly Command[] = parsed.commands;
      const orders = list.filter((command): command is OrderCommand => command.kind === 'order');
      if (endsInAbortingC(line)) assert.equal(orders.length, 0, JSON.stringify(line));
      for (const order of orders) {
        counts.orders += 1;
        const printed = canonicalOrder(order);
        const again = parseLine(printed);
        assert.ok(again.ok && !again.aborted, printed);
        assert.deepEqual(again.commands, [order], `${JSON.stringify(line)} -> ${printed}`);
      }
    }
    // The generator must reach every outcome, or the properties above prove little.
    assert.ok(counts.ok > LINES / 10, JSON.stringify(counts));
    assert.ok(counts.aborted > LINES / 50, JSON.stringify(counts));
    assert.ok(counts.failed > LINES / 10, JSON.stringify(counts));
    assert.ok(counts.orders > LINES / 10, JSON.stringify(counts));
  });
});
