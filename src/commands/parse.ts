/**
 * The command line's parser: text in, commands or one error out. A line parses as a whole or
 * not at all, and a line the trader ends with `c` is dropped before anything else is looked at,
 * so a half-typed order can always be thrown away, whatever state it is in.
 */
import { positiveDecimalProblem } from './decimal-text.js';
import { splitSegments, type Segment, type Token } from './line-tokens.js';
import { parseOrder } from './parse-order.js';
import {
  isOrderNumberHead,
  parseAmendOrder,
  parseCancelOrder,
  parseFlatten,
} from './parse-manage.js';
import { done, fail, quote, type Step } from './parse-step.js';
import { closestWord } from './suggest.js';
import {
  parseBand,
  parseHedgeInstrument,
  parseHedgeTo,
  parsePolicy,
  parseRatio,
  parseTarget,
} from '../hedge/config.js';
import type { Command, HedgeSetting, ParsedLine } from './types.js';

export const MAX_LINE_LENGTH = 500;

const EMPTY: ParsedLine = { ok: true, aborted: false, commands: [] };
const ABORTED: ParsedLine = { ok: true, aborted: true, commands: [] };

/** Commands that are one word and take nothing after it. */
const WORDS: ReadonlyMap<string, Command> = new Map<string, Command>([
  ['ca', { kind: 'cancel-all' }],
  ['cc', { kind: 'cancel-last' }],
  ['hs', { kind: 'hedge', action: 'status' }],
  ['hon', { kind: 'hedge', action: 'on' }],
  ['hoff', { kind: 'hedge', action: 'off' }],
  ['funds', { kind: 'info', topic: 'funds' }],
  ['orders', { kind: 'info', topic: 'orders' }],
  ['positions', { kind: 'info', topic: 'positions' }],
  ['conn', { kind: 'info', topic: 'connection' }],
  ['help', { kind: 'info', topic: 'help' }],
  ['quit', { kind: 'quit' }],
  ['q', { kind: 'quit' }],
]);

/** Commands of several words; spacing between (and inside) the words does not matter. */
const PHRASES: readonly { readonly words: string; readonly command: Command }[] = [
  { words: 'activate delta hedging', command: { kind: 'hedge', action: 'on' } },
  { words: 'deactivate delta hedging', command: { kind: 'hedge', action: 'off' } },
  { words: 'delta hedging status', command: { kind: 'hedge', action: 'status' } },
  { words: 'connection status', command: { kind: 'info', topic: 'connection' } },
];

const compact = (text: string): string => text.replace(/\s+/g, '').toLowerCase();
const PHRASE_BY_COMPACT = new Map(PHRASES.map((phrase) => [compact(phrase.words), phrase]));
const PHRASE_BY_FIRST_WORD = new Map(
  PHRASES.map((phrase) => [phrase.words.split(' ')[0] ?? '', phrase.words]),
);

const ORDER_HEADS = new Set(['a', 'd', 'as', 'aw', 'ds', 'dw']);
/** The hedger settings' words (`HEDGE_SETTINGS` below says what each one reads). */
const HEDGE_SETTING_WORDS = ['hb', 'hmode', 'htarget', 'hto', 'hratio', 'hinst'] as const;
/** Words a trailing `c` can be glued to and still abort the line (`hsc`, `ordersc`). */
const ABORTABLE_WORDS = new Set([
  ...WORDS.keys(),
  ...ORDER_HEADS,
  'm',
  'f',
  'pnl',
  ...HEDGE_SETTING_WORDS,
  ...PHRASES.map((phrase) => phrase.words.split(' ').pop() ?? ''),
]);
const SUGGESTED_WORDS = [
  ...WORDS.keys(),
  'i',
  'm',
  'f',
  'pnl',
  ...HEDGE_SETTING_WORDS,
  ...PHRASE_BY_FIRST_WORD.keys(),
];
const SUGGESTED_PHRASES = [...PHRASE_BY_COMPACT.keys()];
/** Phrase words an order head could be a typo of (`dleta`, `activte`). */
const ORDER_LOOKALIKES = [...PHRASE_BY_FIRST_WORD.keys()].filter((word) => /^[ad]/.test(word));

const EXAMPLE_MULTIPLIER = 'm 0.1';
const EXAMPLE_ANY = 'a1 0.0125';

export function parseLine(line: string): ParsedLine {
  const trimmed = line.trim();
  if (trimmed === '') return EMPTY;
  if (isAborted(trimmed)) return ABORTED;
  if (line.length > MAX_LINE_LENGTH) {
    return failed(
      `the line is too long: ${line.length} characters, at most ${MAX_LINE_LENGTH}`,
      MAX_LINE_LENGTH,
      EXAMPLE_ANY,
    );
  }
  const hidden = hiddenCharacterAt(line);
  if (hidden >= 0) return failed(hiddenCharacterMessage(line, hidden), hidden, EXAMPLE_ANY);
  const commands: Command[] = [];
  for (const segment of splitSegments(line)) {
    if (segment.tokens.length === 0) continue;
    const command = parseCommand(segment);
    if (!command.ok) return { ok: false, error: command.error };
    commands.push(command.value);
  }
  return { ok: true, aborted: false, commands };
}

/**
 * A final `c` aborts, except where `c` is part of the command: `cc` (cancel the last order),
 * `i … c` (a call), and a word of letters that is not a command (`a1 abc` is a price that is
 * not one, an error; `hsc` and `a1 0.05c` abort). Decided on the raw text, so a line that
 * would not parse still aborts.
 */
function isAborted(trimmed: string): boolean {
  if (!trimmed.toLowerCase().endsWith('c')) return false;
  const last = trimmed
    .split(';')
    .map((command) => command.trim())
    .filter((command) => command !== '')
    .pop();
  if (last === undefined) return false;
  const lower = last.toLowerCase();
  if (lower === 'cc' || lower.split(/\s+/)[0] === 'i') return false;
  // A hedger setting takes free text (`hinst` a name): its trailing c is always the abort.
  if (HEDGE_SETTINGS.has(lower.split(/\s+/)[0] ?? '')) return true;
  const word = (lower.split(/\s+/).pop() ?? '').slice(0, -1);
  return !/^[a-z]+$/.test(word) || ABORTABLE_WORDS.has(word);
}

function failed(message: string, index: number, example: string): ParsedLine {
  return { ok: false, error: { message, column: index + 1, example } };
}

/**
 * Only the space and the tab separate words. Anything else that shows as blank or not at all
 * (controls, no-break and other Unicode spaces, line separators, zero-width and bidi marks,
 * the byte-order mark) would make the line run differently from how it reads.
 */
const HIDDEN = /[^\P{C}\t]|[^\P{Z} ]|[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]/u;

function hiddenCharacterAt(line: string): number {
  const match = HIDDEN.exec(line);
  return match === null ? -1 : match.index;
}

const CHARACTER_NAMES: ReadonlyMap<number, string> = new Map([
  [0x0a, 'line feed'],
  [0x0b, 'vertical tab'],
  [0x0c, 'form feed'],
  [0x0d, 'carriage return'],
  [0xa0, 'no-break space'],
  [0x2028, 'line separator'],
  [0x2029, 'paragraph separator'],
  [0x200b, 'zero-width space'],
  [0xfeff, 'byte-order mark'],
]);

function hiddenCharacterMessage(line: string, index: number): string {
  const code = line.codePointAt(index) ?? 0;
  const name = CHARACTER_NAMES.get(code);
  const hex = code.toString(16).toUpperCase().padStart(4, '0');
  const what = name === undefined ? `U+${hex}` : `U+${hex} (${name})`;
  return `unexpected ${what}: only plain spaces separate words`;
}

function parseCommand(segment: Segment): Step<Command> {
  const [head, ...rest] = segment.tokens;
  if (head === undefined) return fail('expected a command', segment.start, EXAMPLE_ANY);
  const word = head.text.toLowerCase();
  const phrase = PHRASE_BY_COMPACT.get(compact(segment.text));
  if (phrase !== undefined) return done({ ...phrase.command });
  const plain = WORDS.get(word);
  if (plain !== undefined) return nothingAfter(word, rest, { ...plain });
  if (word === 'i') return done({ kind: 'instrument', query: instrumentQuery(segment, head) });
  if (word === 'm') return parseMultiplier(rest);
  if (word === 'f') return parseFlatten(segment.tokens);
  if (word === 'pnl') return parsePnl(rest);
  const setting = HEDGE_SETTINGS.get(word);
  if (setting !== undefined) return parseHedgeSetting(segment, head, setting);
  if (isOrderNumberHead(word)) {
    return word.startsWith('c')
      ? parseCancelOrder(segment.tokens)
      : parseAmendOrder(segment.tokens);
  }
  const started = PHRASE_BY_FIRST_WORD.get(word);
  if (started !== undefined) {
    return fail(`expected "${started}", found ${quote(segment.text.trim())}`, head.start, started);
  }
  if (/^m[\d.]/.test(word)) {
    return fail(
      `expected a space between "m" and the multiplier, found ${quote(head.text)}`,
      head.start + 1,
      EXAMPLE_MULTIPLIER,
    );
  }
  if (/^[ad]/.test(word) && !looksLikePhraseTypo(word)) return parseOrder(segment.tokens);
  return unknownCommand(segment, head);
}

/** The hedger settings' words, what reads each one's value, and a line that works. */
const HEDGE_SETTINGS: ReadonlyMap<
  string,
  { setting: HedgeSetting; read: (text: string) => unknown; example: string }
> = new Map([
  ['hb', { setting: 'band', read: parseBand, example: 'hb 0.5%' }],
  ['hmode', { setting: 'policy', read: parsePolicy, example: 'hmode gamma 1e-3' }],
  ['htarget', { setting: 'target', read: parseTarget, example: 'htarget -0.5' }],
  ['hto', { setting: 'to', read: parseHedgeTo, example: 'hto edge' }],
  ['hratio', { setting: 'ratio', read: parseRatio, example: 'hratio 0.8' }],
  ['hinst', { setting: 'inst', read: parseHedgeInstrument, example: 'hinst net' }],
] as const);

/** `hb`, `hmode`, `htarget`, `hto`, `hratio`, `hinst` alone show the setting; with a value they set it. */
function parseHedgeSetting(
  segment: Segment,
  head: Token,
  {
    setting,
    read,
    example,
  }: { setting: HedgeSetting; read: (text: string) => unknown; example: string },
): Step<Command> {
  const after = head.start - segment.start + head.text.length;
  const text = segment.text.slice(after).trim();
  if (text === '') return done({ kind: 'hedge-set', setting, value: null });
  try {
    read(text);
  } catch (error) {
    const at = segment.text.indexOf(text, after);
    return fail(
      error instanceof Error ? error.message : String(error),
      segment.start + Math.max(0, at),
      example,
    );
  }
  return done({ kind: 'hedge-set', setting, value: text });
}

function looksLikePhraseTypo(word: string): boolean {
  return (
    !ORDER_HEADS.has(word) && /^[a-z]+$/.test(word) && closestWord(word, ORDER_LOOKALIKES) !== null
  );
}

function nothingAfter(word: string, rest: readonly Token[], command: Command): Step<Command> {
  const extra = rest[0];
  if (extra === undefined) return done(command);
  return fail(`"${word}" takes nothing after it, found ${quote(extra.text)}`, extra.start, word);
}

/** The rest of the command as typed (names are case-sensitive on some venues). */
function instrumentQuery(segment: Segment, head: Token): string | null {
  const query = segment.text.slice(head.start - segment.start + head.text.length).trim();
  return query === '' ? null : query;
}

function parseMultiplier(rest: readonly Token[]): Step<Command> {
  const [value, extra] = rest;
  if (value === undefined) return done({ kind: 'multiplier', value: null });
  const problem = positiveDecimalProblem(value.text);
  if (problem === 'format') {
    return fail(
      `expected a positive number after "m", found ${quote(value.text)}`,
      value.start,
      EXAMPLE_MULTIPLIER,
    );
  }
  if (problem === 'zero') {
    return fail(
      `the multiplier must be above 0, found ${quote(value.text)}`,
      value.start,
      EXAMPLE_MULTIPLIER,
    );
  }
  if (problem === 'digits') {
    return fail(
      `the multiplier has too many digits: ${quote(value.text)}`,
      value.start,
      EXAMPLE_MULTIPLIER,
    );
  }
  if (extra !== undefined) {
    return fail(
      `"m" takes one number, found ${quote(extra.text)} after it`,
      extra.start,
      EXAMPLE_MULTIPLIER,
    );
  }
  return done({ kind: 'multiplier', value: value.text });
}

const EXAMPLE_PNL = 'pnl 2h';
const AGO_UNITS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `pnl`, `pnl 90m` / `pnl 2h` / `pnl 1d` (ago), `pnl 08:00` (UTC today, or yesterday). */
function parsePnl(rest: readonly Token[]): Step<Command> {
  const [value, extra] = rest;
  if (value === undefined) return done({ kind: 'pnl', since: null });
  if (extra !== undefined) {
    return fail(
      `"pnl" takes one time, found ${quote(extra.text)} after it`,
      extra.start,
      EXAMPLE_PNL,
    );
  }
  const ago = /^(\d{1,4})([mhd])$/i.exec(value.text);
  if (ago !== null) {
    const ms = Number(ago[1]) * AGO_UNITS[ago[2]!.toLowerCase()]!;
    if (ms === 0) return fail('a time ago must be above 0', value.start, EXAMPLE_PNL);
    return done({ kind: 'pnl', since: { kind: 'ago', ms } });
  }
  const clock = /^(\d{1,2}):(\d{2})$/.exec(value.text);
  if (clock !== null && Number(clock[1]) < 24 && Number(clock[2]) < 60) {
    return done({
      kind: 'pnl',
      since: { kind: 'clock', minuteOfDay: Number(clock[1]) * 60 + Number(clock[2]) },
    });
  }
  return fail(
    `expected a time after "pnl": so long ago (90m, 2h, 1d) or a UTC time (08:00), found ${quote(value.text)}`,
    value.start,
    EXAMPLE_PNL,
  );
}

function unknownCommand(segment: Segment, head: Token): Step<Command> {
  const word = head.text.toLowerCase();
  const byPhrase =
    segment.tokens.length > 1 ? closestWord(compact(segment.text), SUGGESTED_PHRASES) : null;
  const byWord = closestWord(word, SUGGESTED_WORDS);
  const suggestion =
    byPhrase !== null
      ? PHRASE_BY_COMPACT.get(byPhrase)?.words
      : byWord !== null
        ? (PHRASE_BY_FIRST_WORD.get(byWord) ?? byWord)
        : undefined;
  const message =
    suggestion === undefined
      ? `unknown command ${quote(head.text)} (help lists the commands)`
      : `unknown command ${quote(head.text)}, did you mean "${suggestion}"?`;
  return fail(message, head.start, suggestion ?? 'help');
}
