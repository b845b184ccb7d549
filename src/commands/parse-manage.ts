/**
 * Commands on one order or position: `c3` cancels order #3 (the number the orders panel
 * shows), `e3 0.013` / `e3 v61` moves its price, `e3 x2` its size (in multiples of the size
 * multiplier, as order sizes are), both at once `e3 0.013 x2`; `f` closes the current
 * instrument's position at market (capped), `f 0.013` / `f v60` at a limit. A `!` at the end
 * lets a price far through the mark go, as on an order line.
 */
import { positiveDecimalProblem } from './decimal-text.js';
import type { Token } from './line-tokens.js';
import { numberMessage, parsePriceLevel, takeForce } from './parse-order.js';
import { done, fail, quote, type Step } from './parse-step.js';
import type { Command, PriceLevel } from './types.js';

const CANCEL_EXAMPLE = 'c3';
const AMEND_EXAMPLES = { limit: 'e3 0.013', vol: 'e3 v61', size: 'e3 x2' } as const;
const FLATTEN_EXAMPLES = { limit: 'f 0.013', vol: 'f v60' } as const;
const WHOLE = /^\d+$/;
/** More orders than a session shows; a longer number is a typo. */
const MAX_NUMBER_DIGITS = 6;

/** `c<n>` or `e<n>` heads: the letter and a number glued on. */
export function isOrderNumberHead(word: string): boolean {
  return /^[ce]\d+$/.test(word);
}

export function parseCancelOrder(tokens: readonly Token[]): Step<Command> {
  const [head, extra] = tokens;
  if (head === undefined) return fail('expected c<number>', 0, CANCEL_EXAMPLE);
  const number = orderNumber(head, 'c', CANCEL_EXAMPLE);
  if (!number.ok) return number;
  if (extra !== undefined) {
    return fail(
      `"c${number.value}" takes nothing after it, found ${quote(extra.text)}`,
      extra.start,
      CANCEL_EXAMPLE,
    );
  }
  return done({ kind: 'cancel-order', number: number.value });
}

export function parseAmendOrder(tokens: readonly Token[]): Step<Command> {
  const forced = takeForce(tokens);
  const [head, ...rest] = forced.tokens;
  if (head === undefined) return fail('expected e<number>', 0, AMEND_EXAMPLES.limit);
  const number = orderNumber(head, 'e', AMEND_EXAMPLES.limit);
  if (!number.ok) return number;
  let price: PriceLevel | null = null;
  let size: string | null = null;
  for (const token of rest) {
    if (token.text.includes('!')) {
      return fail('"!" goes at the end of the line', token.start, `${AMEND_EXAMPLES.limit}!`);
    }
    if (token.text.toLowerCase().startsWith('x')) {
      if (size !== null) return fail('one new size, please', token.start, AMEND_EXAMPLES.size);
      const parsed = amendSize(token);
      if (!parsed.ok) return parsed;
      size = parsed.value;
      continue;
    }
    if (price !== null) return fail('one new price, please', token.start, AMEND_EXAMPLES.limit);
    const level = parsePriceLevel(token, AMEND_EXAMPLES);
    if (!level.ok) return level;
    price = level.value;
  }
  if (price === null && size === null) {
    return fail(
      `"e${number.value}" needs a new price (0.013 or v61) or size (x2)`,
      head.start + head.text.length,
      AMEND_EXAMPLES.limit,
    );
  }
  if (forced.force && price === null) {
    return fail('"!" lets a price through; this line changes only the size', head.start, 'e3 x2');
  }
  return done({ kind: 'amend-order', number: number.value, price, size, force: forced.force });
}

export function parseFlatten(tokens: readonly Token[]): Step<Command> {
  const forced = takeForce(tokens);
  const [, level, extra] = forced.tokens;
  if (extra !== undefined) {
    return fail(
      `"f" takes at most one price, found ${quote(extra.text)} after it`,
      extra.start,
      FLATTEN_EXAMPLES.limit,
    );
  }
  if (level === undefined) {
    return forced.force
      ? fail('"!" lets a price through; "f" alone is at market', 0, FLATTEN_EXAMPLES.limit)
      : done({ kind: 'flatten', price: null, force: false });
  }
  const price = parsePriceLevel(level, FLATTEN_EXAMPLES);
  if (!price.ok) return price;
  return done({ kind: 'flatten', price: price.value, force: forced.force });
}

function orderNumber(head: Token, letter: 'c' | 'e', example: string): Step<number> {
  const digits = head.text.slice(1);
  const at = head.start + 1;
  if (!WHOLE.test(digits) || digits.length > MAX_NUMBER_DIGITS) {
    return fail(
      `expected an order number after "${letter}" (the # the orders panel shows), found ${quote(digits)}`,
      at,
      example,
    );
  }
  const number = Number(digits);
  if (number === 0) return fail('order numbers start at 1', at, example);
  return done(number);
}

function amendSize(token: Token): Step<string> {
  const text = token.text.slice(1);
  const at = token.start + 1;
  const problem = positiveDecimalProblem(text);
  if (problem !== null) {
    return fail(numberMessage(problem, 'size', 'after "x"', text), at, AMEND_EXAMPLES.size);
  }
  if (!WHOLE.test(text)) {
    return fail(
      `a size counts whole multiples of the size multiplier, found ${quote(text)} (m sets the unit)`,
      at,
      AMEND_EXAMPLES.size,
    );
  }
  return done(text);
}
