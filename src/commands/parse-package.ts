/**
 * Package lines: an order head (`a1`, `d2`) then a structure word, then what the structure
 * needs and the line does not take from the cursor:
 *
 *   a1 st [expiry] [strike [price]]          straddle (the cursor's strike when none)
 *   a1 sg|rr|cs|ps [expiry] k1/k2 [price]     strangle, risk reversal, call or put spread
 *   a1 cf|pf [expiry] k1/k2/k3 [price]        call or put butterfly (1:-2:1)
 *   a1 ccal|pcal near/far [strike [price]]    calendar: sell the near, buy the far
 *
 * then `legs` (send the legs apart where the venue has no combos) and `!`. Strikes join with
 * `/` as traders write a 100/110 call spread, so a lone number after them is always the price.
 */
import { MAX_DIGITS } from './decimal-text.js';
import type { Token } from './line-tokens.js';
import { done, fail, quote, type Step } from './parse-step.js';
import { readTerm } from './query-terms.js';
import type { OrderSide, PackageCommand, PackageShape } from './types.js';

interface ShapeInfo {
  readonly name: string;
  /** How many strikes it takes; 0 among them means the cursor's strike may stand in. */
  readonly strikes: readonly number[];
  readonly calendar: boolean;
  readonly example: string;
}

export const PACKAGE_SHAPES: ReadonlyMap<PackageShape, ShapeInfo> = new Map<
  PackageShape,
  ShapeInfo
>([
  ['cs', { name: 'call spread', strikes: [2], calendar: false, example: 'a1 cs 100k/110k' }],
  ['ps', { name: 'put spread', strikes: [2], calendar: false, example: 'a1 ps 100k/90k' }],
  ['st', { name: 'straddle', strikes: [0, 1], calendar: false, example: 'a1 st 100k' }],
  ['sg', { name: 'strangle', strikes: [2], calendar: false, example: 'a1 sg 90k/110k' }],
  ['rr', { name: 'risk reversal', strikes: [2], calendar: false, example: 'a1 rr 90k/110k' }],
  ['cf', { name: 'call butterfly', strikes: [3], calendar: false, example: 'a1 cf 90k/100k/110k' }],
  ['pf', { name: 'put butterfly', strikes: [3], calendar: false, example: 'a1 pf 90k/100k/110k' }],
  [
    'ccal',
    { name: 'call calendar', strikes: [0, 1], calendar: true, example: 'a1 ccal 25dec/26mar' },
  ],
  [
    'pcal',
    { name: 'put calendar', strikes: [0, 1], calendar: true, example: 'a1 pcal 25dec/26mar' },
  ],
]);

export function isPackageShape(word: string): word is PackageShape {
  return PACKAGE_SHAPES.has(word.toLowerCase() as PackageShape);
}

export function shapeName(shape: PackageShape): string {
  return PACKAGE_SHAPES.get(shape)?.name ?? shape;
}

const STRIKE = /^(?:\d+(?:\.\d+)?|\.\d+)k?$/i;
const SIGNED = /^-?(?:\d+(?:\.\d+)?|\.\d+)$/;
const LEGS = 'legs';
const NO_COINS: ReadonlySet<string> = new Set();

/** `rest` is what follows the size: the structure word first. */
export function parsePackage(
  rest: readonly Token[],
  side: OrderSide,
  size: string,
  force: boolean,
): Step<PackageCommand> {
  const [shapeToken, ...words] = rest;
  const shape = shapeToken?.text.toLowerCase() as PackageShape;
  const info = PACKAGE_SHAPES.get(shape);
  if (shapeToken === undefined || info === undefined) {
    return fail('expected a structure such as st or cs', shapeToken?.start ?? 0, 'a1 st 100k');
  }
  const example = side === 'buy' ? info.example : info.example.replace(/^a/, 'd');
  let tokens = words;
  let legs = false;
  const last = tokens[tokens.length - 1];
  if (last !== undefined && last.text.toLowerCase() === LEGS) {
    legs = true;
    tokens = tokens.slice(0, -1);
  }
  const misplaced = tokens.find((token) => token.text.toLowerCase() === LEGS);
  if (misplaced !== undefined) {
    return fail(`"legs" goes last (before any "!")`, misplaced.start, `${example} legs`);
  }

  let expiry: string | null = null;
  let farExpiry: string | null = null;
  let at = 0;
  const first = tokens[0];
  if (info.calendar) {
    const pair = first === undefined ? null : expiryPair(first.text);
    if (first === undefined || pair === null) {
      return fail(
        `a ${info.name} needs its two expiries as near/far, found ${first === undefined ? 'nothing' : quote(first.text)}`,
        first?.start ?? tokenAfter(shapeToken),
        example,
      );
    }
    [expiry, farExpiry] = pair;
    at = 1;
  } else if (first !== undefined && isExpiryWord(first.text)) {
    expiry = first.text;
    at = 1;
  }

  const strikes: string[] = [];
  const strikeToken = tokens[at];
  const takesNone = info.strikes.includes(0);
  const count = Math.max(...info.strikes);
  if (strikeToken !== undefined) {
    const parts = strikeToken.text.split('/');
    const bad = parts.find((part) => !STRIKE.test(part) || Number(part.replace(/k$/i, '')) <= 0);
    if (bad !== undefined || parts.length !== count) {
      if (takesNone && parts.length === 1 && bad !== undefined) {
        return fail(
          `expected a strike or nothing after the ${info.name}, found ${quote(strikeToken.text)}`,
          strikeToken.start,
          example,
        );
      }
      return fail(
        count === 1
          ? `a ${info.name} takes one strike, found ${quote(strikeToken.text)}`
          : `a ${info.name} needs ${count} strikes joined by /, found ${quote(strikeToken.text)}`,
        strikeToken.start,
        example,
      );
    }
    strikes.push(...parts);
    at += 1;
  } else if (!takesNone) {
    return fail(
      `a ${info.name} needs ${count} strikes joined by /, found nothing`,
      tokenAfter(tokens[at - 1] ?? shapeToken),
      example,
    );
  }

  let price: string | null = null;
  const priceToken = tokens[at];
  if (priceToken !== undefined) {
    const text = priceToken.text;
    if (text.toLowerCase().startsWith('v')) {
      return fail(
        'a package is priced by its net premium (a credit is negative), not by a vol',
        priceToken.start,
        `${example} 0.01`,
      );
    }
    if (!SIGNED.test(text) || text.replace(/[-.]/g, '').length > MAX_DIGITS) {
      return fail(
        `expected the package's net price after its strikes, found ${quote(text)}`,
        priceToken.start,
        `${example} 0.01`,
      );
    }
    price = text;
    at += 1;
  }
  const extra = tokens[at];
  if (extra !== undefined) {
    return fail(
      `unexpected ${quote(extra.text)} after the ${info.name}'s price`,
      extra.start,
      `${example} 0.01`,
    );
  }
  return done({
    kind: 'package',
    side,
    size,
    shape,
    expiry,
    farExpiry,
    strikes,
    price,
    legs,
    force,
  });
}

function isExpiryWord(text: string): boolean {
  return readTerm(text, NO_COINS).kind === 'expiry';
}

function expiryPair(text: string): [string, string] | null {
  const parts = text.split('/');
  if (parts.length !== 2) return null;
  const [near, far] = parts as [string, string];
  return isExpiryWord(near) && isExpiryWord(far) ? [near, far] : null;
}

function tokenAfter(token: Token): number {
  return token.start + token.text.length;
}
