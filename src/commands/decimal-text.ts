/**
 * The only number shape the command line takes: plain positive decimals as a trader types them
 * (`1`, `0.5`, `.5`, `10`). No sign, no exponent, no trailing dot, so what reaches the order
 * path is exactly what was on the screen.
 */

const DECIMAL = /^(?:\d+(?:\.\d+)?|\.\d+)$/;
const NON_ZERO_DIGIT = /[1-9]/;

/** More digits than anyone types; keeps every product on the order path exact. */
export const MAX_DIGITS = 20;

export type DecimalProblem = 'format' | 'zero' | 'digits';

/** Null when `text` is a usable positive decimal; otherwise what is wrong with it. */
export function positiveDecimalProblem(text: string): DecimalProblem | null {
  if (!DECIMAL.test(text)) return 'format';
  if (!NON_ZERO_DIGIT.test(text)) return 'zero';
  if (text.replace('.', '').length > MAX_DIGITS) return 'digits';
  return null;
}

export function isPositiveDecimal(text: string): boolean {
  return positiveDecimalProblem(text) === null;
}
