/**
 * What each word of an instrument query means: a coin, a contract kind, an expiry, a strike,
 * call or put, or else a piece of the name. Reading a word never depends on its neighbours,
 * so the words can come in any order.
 */
import { MONTHS } from '../instruments/option-symbol.js';

export type QueryTerm =
  | { readonly kind: 'coin'; readonly base: string }
  | { readonly kind: 'contract'; readonly contract: 'perpetual' | 'future' }
  | { readonly kind: 'expiry'; readonly date: ExpiryDate }
  | { readonly kind: 'strike'; readonly strike: number }
  | { readonly kind: 'type'; readonly type: 'call' | 'put' }
  | { readonly kind: 'text'; readonly text: string };

/** A calendar date in UTC; `year` null when the trader left it to mean the next one. */
export interface ExpiryDate {
  readonly year: number | null;
  /** 0-based, as Date's. */
  readonly month: number;
  readonly day: number;
}

const KEYWORDS: ReadonlyMap<string, QueryTerm> = new Map<string, QueryTerm>([
  ['c', { kind: 'type', type: 'call' }],
  ['call', { kind: 'type', type: 'call' }],
  ['p', { kind: 'type', type: 'put' }],
  ['put', { kind: 'type', type: 'put' }],
  ['perp', { kind: 'contract', contract: 'perpetual' }],
  ['perpetual', { kind: 'contract', contract: 'perpetual' }],
  ['fut', { kind: 'contract', contract: 'future' }],
  ['future', { kind: 'contract', contract: 'future' }],
]);

const VENUE_DATE = /^(\d{1,2})([a-z]{3})(\d{2})?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const STRIKE = /^(\d+(?:\.\d+)?|\.\d+)(k?)$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `coins` are the bases listed, lower case: a word naming one of them picks that coin. */
export function readTerm(word: string, coins: ReadonlySet<string>): QueryTerm {
  const lower = word.toLowerCase();
  if (coins.has(lower)) return { kind: 'coin', base: lower };
  const keyword = KEYWORDS.get(lower);
  if (keyword !== undefined) return keyword;
  const date = readDate(lower);
  if (date !== null) return { kind: 'expiry', date };
  const strike = STRIKE.exec(lower);
  if (strike !== null) {
    const value = Number(strike[1]) * (strike[2] === 'k' ? 1000 : 1);
    if (value > 0 && Number.isFinite(value)) return { kind: 'strike', strike: value };
  }
  return { kind: 'text', text: lower };
}

function readDate(lower: string): ExpiryDate | null {
  const venue = VENUE_DATE.exec(lower);
  if (venue !== null) {
    const month = MONTHS.indexOf((venue[2] ?? '').toUpperCase() as (typeof MONTHS)[number]);
    const year = venue[3] === undefined ? null : 2000 + Number(venue[3]);
    return validDate(year, month, Number(venue[1]));
  }
  const iso = ISO_DATE.exec(lower);
  if (iso !== null) return validDate(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3]));
  return null;
}

function validDate(year: number | null, month: number, day: number): ExpiryDate | null {
  const days = DAYS_IN_MONTH[month];
  if (days === undefined || day < 1 || day > days) return null;
  return { year, month, day };
}

/** The order terms narrow in, so that a miss is reported against the right set. */
export const TERM_ORDER: readonly QueryTerm['kind'][] = [
  'coin',
  'contract',
  'expiry',
  'strike',
  'type',
  'text',
];
