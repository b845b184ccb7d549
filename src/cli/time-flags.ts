/**
 * Times on the command line: a date (`2026-12-25`, a whole UTC day), an instant
 * (`2026-12-25T08:00Z`; no zone = UTC), `now`, or a span from now (`90m`, `12h`, `7d`, `2w`).
 * Which way a span points depends on the flag: forward for expiries (`--expiry-to 7d` = within
 * a week), back for history (`--from 2h` = two hours ago).
 */
import { InvalidArgumentError } from 'commander';
import { MONTHS } from '../instruments/option-symbol.js';

const UNIT_MS: Readonly<Record<string, number>> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};
const SPAN = /^(\d+(?:\.\d+)?)([mhdw])$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const EXPIRY_CODE = /^(\d{1,2})([A-Z]{3})(\d{2})$/;
const DAY_MS = 86_400_000;

export type SpanDirection = 'ahead' | 'ago';
/** A date as a lower bound is its first millisecond; as an upper bound, its last. */
export type DateEdge = 'start' | 'end';

export class TimeFlagError extends Error {}

export const TIME_HINT =
  'a date (2026-12-25), a time (2026-12-25T08:00Z), an expiry (25DEC26), now, or a span such as 30m, 12h, 7d, 2w';

export function parseTimeFlag(
  text: string,
  now: number,
  direction: SpanDirection,
  edge: DateEdge,
): number {
  const trimmed = text.trim();
  if (trimmed === 'now') return now;
  const span = SPAN.exec(trimmed);
  if (span !== null) {
    const ms = Number(span[1]) * UNIT_MS[span[2]!]!;
    return direction === 'ahead' ? now + ms : now - ms;
  }
  const day = dayOf(trimmed);
  if (day !== null) return edge === 'start' ? day : day + DAY_MS - 1;
  if (/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) {
    const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(trimmed) ? trimmed : `${trimmed}Z`;
    const ms = Date.parse(zoned);
    if (Number.isFinite(ms)) return ms;
  }
  throw new TimeFlagError(`"${text}" is not a time: use ${TIME_HINT}`);
}

/** Midnight UTC of a `YYYY-MM-DD` or `25DEC26` day, checked to exist; null for other text. */
function dayOf(text: string): number | null {
  let year: number;
  let month: number;
  let date: number;
  const iso = DATE.exec(text);
  const code = EXPIRY_CODE.exec(text.toUpperCase());
  if (iso !== null) {
    [year, month, date] = [Number(iso[1]), Number(iso[2]) - 1, Number(iso[3])];
  } else if (code !== null) {
    const index = (MONTHS as readonly string[]).indexOf(code[2]!);
    if (index === -1) return null;
    [year, month, date] = [2000 + Number(code[3]), index, Number(code[1])];
  } else {
    return null;
  }
  const ms = Date.UTC(year, month, date);
  const back = new Date(ms);
  // Date.UTC rolls 2026-02-30 into March; a day that does not exist is a typo.
  if (
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== month ||
    back.getUTCDate() !== date
  ) {
    throw new TimeFlagError(`"${text}" is not a day of the calendar`);
  }
  return ms;
}

/** A time flag's parser for commander: a span counts `direction` from now; a bad time is a usage error. */
export function timeFlag(direction: SpanDirection, edge: DateEdge) {
  return (text: string): number => {
    try {
      return parseTimeFlag(text, Date.now(), direction, edge);
    } catch (error) {
      if (error instanceof TimeFlagError) throw new InvalidArgumentError(error.message);
      throw error;
    }
  };
}
