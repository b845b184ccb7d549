/**
 * Order lines: `a`/`d` (buy/sell), an optional `s`/`w` (at the bid/ask), the size glued on,
 * then nothing (market or touch), one level (limit, or `<price>s` for a stop), or a ladder
 * `<from> <to> <count>`. A `!` at the very end forces the order past the mark check.
 */
import { Decimal } from 'decimal.js';
import { MAX_DIGITS, positiveDecimalProblem, type DecimalProblem } from './decimal-text.js';
import { tokenEnd, type Token } from './line-tokens.js';
import { done, fail, quote, type Step } from './parse-step.js';
import { isPackageShape, parsePackage } from './parse-package.js';
import type { OrderCommand, OrderPricing, OrderSide, PackageCommand, PriceLevel } from './types.js';

export const LADDER_MAX_ORDERS = 50;
/** IVs are typed in percent; beyond this it is a typo, not a price. */
export const MAX_IV_PERCENT = 1000;

const TOUCH_FORMS = 'as, aw, ds, dw';
const FORCE = '!';

interface Examples {
  readonly size: string;
  readonly limit: string;
  readonly vol: string;
  readonly stop: string;
  readonly ladder: string;
}

function examplesFor(side: OrderSide, head: string): Examples {
  const verb = side === 'buy' ? 'a' : 'd';
  return {
    size: `${head}1`,
    limit: `${verb}1 0.0125`,
    vol: `${verb}1 v62.5`,
    stop: side === 'buy' ? 'a1 95000s' : 'd1 85000s',
    ladder: side === 'buy' ? 'a1 0.01 0.02 5' : 'd1 0.02 0.03 5',
  };
}

/** `tokens[0]` starts with `a` or `d` (the caller checked). */
export function parseOrder(tokens: readonly Token[]): Step<OrderCommand | PackageCommand> {
  const forced = takeForce(tokens);
  const head = forced.tokens[0];
  if (head === undefined) return fail('expected an order such as a1', 0, 'a1');
  const lower = head.text.toLowerCase();
  const side: OrderSide = lower.startsWith('a') ? 'buy' : 'sell';
  const touch = lower[1] === 's' ? 'bid' : lower[1] === 'w' ? 'ask' : null;
  const prefix = lower.slice(0, touch === null ? 1 : 2);
  const examples = examplesFor(side, prefix);
  for (const token of forced.tokens) {
    const bang = token.text.indexOf(FORCE);
    if (bang >= 0) {
      const where = token.text === FORCE ? 'before the end' : `inside ${quote(token.text)}`;
      return fail(
        `"!" goes at the end of the order, found it ${where}`,
        token.start + bang,
        `${examples.limit}!`,
      );
    }
  }

  const size = parseSize(head, prefix, forced.tokens[1], examples.size);
  if (!size.ok) return size;
  const rest = forced.tokens.slice(1);
  if (touch === null && rest[0] !== undefined && isPackageShape(rest[0].text)) {
    return parsePackage(rest, side, size.value, forced.force);
  }
  let pricing: Step<OrderPricing>;
  if (touch !== null) {
    const extra = rest[0];
    pricing =
      extra === undefined
        ? done({ kind: 'touch', at: touch })
        : fail(
            `the touch forms (${TOUCH_FORMS}) take no price, found ${quote(extra.text)}`,
            extra.start,
            examples.size,
          );
  } else {
    pricing = parsePricing(rest, examples);
  }
  if (!pricing.ok) return pricing;
  return done({
    kind: 'order',
    side,
    size: size.value,
    pricing: pricing.value,
    force: forced.force,
  });
}

export function takeForce(tokens: readonly Token[]): { tokens: readonly Token[]; force: boolean } {
  const last = tokens[tokens.length - 1];
  if (last === undefined || !last.text.endsWith(FORCE)) return { tokens, force: false };
  const kept = tokens.slice(0, -1);
  const stripped = last.text.slice(0, -FORCE.length);
  if (stripped !== '') kept.push({ text: stripped, start: last.start });
  return { tokens: kept, force: true };
}

function parseSize(
  head: Token,
  prefix: string,
  next: Token | undefined,
  example: string,
): Step<string> {
  const text = head.text.slice(prefix.length);
  const at = head.start + prefix.length;
  if (text === '') {
    return next === undefined
      ? fail(`expected a size after "${prefix}", found nothing`, at, example)
      : fail(`expected a size right after "${prefix}" (no space), found a space`, at, example);
  }
  const problem = positiveDecimalProblem(text);
  if (problem !== null) {
    return fail(numberMessage(problem, 'size', `after "${prefix}"`, text), at, example);
  }
  if (WHOLE.test(text)) return done(text);
  // `a10.05` is `a1 0.05` without its space: read as a size it would be a market order for
  // 10.05, so a size is a whole count of the multiplier and a fraction is refused.
  const split = prefix.length === 1 ? GLUED_PRICE.exec(text) : null;
  const [, count, price] = split ?? [];
  const fix =
    count !== undefined && price !== undefined && positiveDecimalProblem(price) === null
      ? `${prefix}${count} ${price}`
      : null;
  const hint = fix === null ? ' (m sets the unit)' : `; for a price, put a space: "${fix}"`;
  return fail(
    `a size counts whole multiples of the size multiplier, found ${quote(text)}${hint}`,
    at,
    fix ?? example,
  );
}

/** A count of one digit with a price glued on (`10.05`, `2.5`, `1.05`). */
const GLUED_PRICE = /^([1-9])(\d*\.\d+)$/;

export function numberMessage(
  problem: DecimalProblem,
  what: string,
  where: string,
  text: string,
): string {
  switch (problem) {
    case 'format':
      return `expected a ${what} ${where}, found ${quote(text)}`;
    case 'zero':
      return `a ${what} must be above 0, found ${quote(text)}`;
    case 'digits':
      return `a ${what} has at most ${MAX_DIGITS} digits, found ${quote(text)}`;
  }
}

function parsePricing(rest: readonly Token[], examples: Examples): Step<OrderPricing> {
  const [first, second, third, fourth] = rest;
  if (first === undefined) return done({ kind: 'market' });
  if (second === undefined) return parseLimitOrStop(first, examples);
  if (second.text.toLowerCase() === 's') {
    return fail(
      `a stop's "s" goes right after its price, found a space before it`,
      second.start,
      examples.stop,
    );
  }
  const from = parseLevel(first, examples);
  if (!from.ok) return from;
  const to = parseLevel(second, examples);
  if (!to.ok) return to;
  const ends = checkLadderEnds(from.value, to.value, second, examples.ladder);
  if (!ends.ok) return ends;
  if (third === undefined) {
    return fail(
      'a ladder needs the number of orders after its two ends, found nothing',
      tokenEnd(second),
      examples.ladder,
    );
  }
  const count = parseLadderCount(third, examples.ladder);
  if (!count.ok) return count;
  if (fourth !== undefined) {
    return fail(
      `unexpected ${quote(fourth.text)} after the ladder's number of orders`,
      fourth.start,
      examples.ladder,
    );
  }
  return done({ kind: 'ladder', from: from.value, to: to.value, count: count.value });
}

function parseLimitOrStop(token: Token, examples: Examples): Step<OrderPricing> {
  const lower = token.text.toLowerCase();
  if (lower.length > 1 && lower.endsWith('s')) {
    const trigger = token.text.slice(0, -1);
    if (lower.startsWith('v')) {
      return fail('a stop triggers on a price, not on a vol', token.start, examples.stop);
    }
    const problem = positiveDecimalProblem(trigger);
    if (problem !== null) {
      return fail(
        numberMessage(problem, 'trigger price', 'before "s"', trigger),
        token.start,
        examples.stop,
      );
    }
    return done({ kind: 'stop', trigger });
  }
  const level = parseLevel(token, examples);
  return level.ok ? done({ kind: 'limit', level: level.value }) : level;
}

/** A price or `v<iv>` level; `limit` and `vol` are the examples its errors offer. */
export function parsePriceLevel(
  token: Token,
  examples: Pick<Examples, 'limit' | 'vol'>,
): Step<PriceLevel> {
  return parseLevel(token, examples);
}

function parseLevel(token: Token, examples: Pick<Examples, 'limit' | 'vol'>): Step<PriceLevel> {
  if (token.text.toLowerCase().startsWith('v')) {
    const percent = token.text.slice(1);
    const at = token.start + 1;
    if (percent === '') {
      return fail('expected an IV in percent after "v", found nothing', at, examples.vol);
    }
    const problem = positiveDecimalProblem(percent);
    if (problem === 'format') {
      return fail(`expected an IV in percent after "v", found ${quote(percent)}`, at, examples.vol);
    }
    if (problem === 'digits') {
      return fail(numberMessage(problem, 'vol', 'after "v"', percent), at, examples.vol);
    }
    if (problem === 'zero' || new Decimal(percent).gt(MAX_IV_PERCENT)) {
      return fail(
        `an IV must be above 0 and at most ${MAX_IV_PERCENT} (percent), found ${quote(percent)}`,
        at,
        examples.vol,
      );
    }
    return done({ kind: 'vol', percent });
  }
  const problem = positiveDecimalProblem(token.text);
  if (problem === null) return done({ kind: 'price', value: token.text });
  const message =
    problem === 'format'
      ? `expected a price or v<iv> after the size, found ${quote(token.text)}`
      : numberMessage(problem, 'price', '', token.text);
  return fail(message, token.start, examples.limit);
}

function levelText(level: PriceLevel): string {
  return level.kind === 'price' ? level.value : `v${level.percent}`;
}

function checkLadderEnds(from: PriceLevel, to: PriceLevel, at: Token, example: string): Step<null> {
  if (from.kind !== to.kind) {
    const kinds = (level: PriceLevel): string => (level.kind === 'price' ? 'a price' : 'a vol');
    return fail(
      `a ladder's ends must both be prices or both vols, found ${kinds(from)} then ${kinds(to)}`,
      at.start,
      example,
    );
  }
  const a = from.kind === 'price' ? from.value : from.percent;
  const b = to.kind === 'price' ? to.value : to.percent;
  if (new Decimal(a).eq(b)) {
    return fail(
      `a ladder needs two different ends, found ${quote(levelText(from))} twice`,
      at.start,
      example,
    );
  }
  return done(null);
}

const WHOLE = /^\d+$/;

function parseLadderCount(token: Token, example: string): Step<number> {
  if (!WHOLE.test(token.text)) {
    return fail(
      `expected the number of orders after the ladder's ends, found ${quote(token.text)}`,
      token.start,
      example,
    );
  }
  const digits = token.text.replace(/^0+(?=\d)/, '');
  const count = digits.length > 3 ? Infinity : Number(digits);
  if (count < 2) {
    return fail(`a ladder needs at least 2 orders, got ${digits}`, token.start, example);
  }
  if (count > LADDER_MAX_ORDERS) {
    return fail(
      `a ladder has at most ${LADDER_MAX_ORDERS} orders, got ${count === Infinity ? 'more than 999' : digits}`,
      token.start,
      example,
    );
  }
  return done(count);
}
