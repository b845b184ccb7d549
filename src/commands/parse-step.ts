import type { ParseError } from './types.js';

/** One parsing step's outcome: a value, or the error that stops the whole line. */
export type Step<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ParseError };

export function done<T>(value: T): Step<T> {
  return { ok: true, value };
}

/** `index` is 0-based in the whole line; the error's column is 1-based. */
export function fail<T>(message: string, index: number, example: string): Step<T> {
  return { ok: false, error: { message, column: index + 1, example } };
}

const QUOTED_MAX = 24;

/** Text the trader typed, quoted for a message; long runs are cut so the message stays one line. */
export function quote(text: string): string {
  const shown = text.length > QUOTED_MAX ? `${text.slice(0, QUOTED_MAX - 1)}…` : text;
  return `"${shown}"`;
}
