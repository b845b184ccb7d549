/**
 * `i <query>`: finds the one instrument a few words name (`27dec 100k c`, `eth perp`,
 * `BTC-PERPETUAL`). Fuzzy in the words it accepts, never in the answer: several matches or none
 * is an error that lists what there is, not a guess.
 */
import type { InstrumentSpec } from '../instruments/types.js';
import { expiryCode } from '../instruments/option-symbol.js';
import { editDistance } from './suggest.js';
import { readTerm, TERM_ORDER, type ExpiryDate, type QueryTerm } from './query-terms.js';

export type InstrumentQueryResult =
  | { readonly ok: true; readonly spec: InstrumentSpec }
  | { readonly ok: false; readonly message: string; readonly candidates: readonly string[] };

/** Names listed when several match. */
export const MAX_CANDIDATES = 8;
/** Expiries listed when an expiry matched nothing. */
const MAX_EXPIRIES_LISTED = 12;

interface Word {
  readonly text: string;
  readonly term: QueryTerm;
}

export function findInstrument(
  query: string,
  specs: readonly InstrumentSpec[],
  now: number,
): InstrumentQueryResult {
  const wanted = query.trim();
  if (wanted === '') {
    return miss('name an instrument, e.g. i 25dec 100k c or i BTC-PERPETUAL');
  }
  if (specs.length === 0) return miss('no instruments are listed yet');
  const lower = wanted.toLowerCase();
  const exact = specs.find((spec) => spec.name.toLowerCase() === lower);
  if (exact !== undefined) return { ok: true, spec: exact };

  const coins = new Set(specs.map((spec) => spec.base.toLowerCase()));
  const words: Word[] = wanted
    .split(/\s+/)
    .map((text) => ({ text, term: readTerm(text, coins) }))
    .sort((a, b) => TERM_ORDER.indexOf(a.term.kind) - TERM_ORDER.indexOf(b.term.kind));

  const unknown = words.find((word) => word.term.kind === 'text');
  if (unknown !== undefined) return unknownWord(wanted, unknown.text, specs);

  let left: readonly InstrumentSpec[] = specs;
  for (const word of words) {
    const narrowed = narrow(word.term, left, now);
    if (narrowed.length === 0) {
      return miss(`nothing matches "${wanted}": "${word.text}" ${missDetail(word.term, left)}`);
    }
    left = narrowed;
  }
  if (left.length === 1 && left[0] !== undefined) return { ok: true, spec: left[0] };
  const names = sortForListing(left).map((spec) => spec.name);
  const shown = names.slice(0, MAX_CANDIDATES);
  const more = names.length > shown.length ? `, … (${names.length - shown.length} more)` : '';
  return {
    ok: false,
    message: `"${wanted}" matches ${names.length}: ${shown.join(', ')}${more}`,
    candidates: shown,
  };
}

/**
 * A word that is no coin, expiry, strike, c/p, perp or fut, and the query is no listed name:
 * refused, never matched as a piece of a name (`TC-PERPETUAL` is not `BTC-PERPETUAL`). The
 * nearest listed name is offered when it is a typo or two away.
 */
function unknownWord(
  wanted: string,
  word: string,
  specs: readonly InstrumentSpec[],
): InstrumentQueryResult {
  const lower = wanted.toLowerCase();
  // A short word is a typo of a name only at an edit or so; `bogus` is no `BTCUSDT`.
  let best = Math.min(NAME_TYPO_EDITS, Math.floor(wanted.length / 4)) + 1;
  let nearest: string[] = [];
  // Only a query of one word was meant as a name.
  for (const spec of word === wanted ? specs : []) {
    const distance = editDistance(lower, spec.name.toLowerCase());
    if (distance < best) {
      best = distance;
      nearest = [];
    }
    if (distance === best) nearest.push(spec.name);
  }
  const shown = sortForListing(specs.filter((spec) => nearest.includes(spec.name)))
    .slice(0, MAX_CANDIDATES)
    .map((spec) => spec.name);
  const known = 'a listed name, or coin, expiry, strike, c/p, perp, fut';
  const message =
    shown.length > 0
      ? `no instrument is named "${wanted}": did you mean ${shown.join(' or ')}?`
      : `"${word}" is not ${known} (e.g. i 25dec 100k c or i BTC-PERPETUAL)`;
  return { ok: false, message, candidates: shown };
}

/** Edits between a mistyped full name and the listed one still worth suggesting. */
const NAME_TYPO_EDITS = 3;

function miss(message: string): InstrumentQueryResult {
  return { ok: false, message, candidates: [] };
}

function narrow(
  term: QueryTerm,
  specs: readonly InstrumentSpec[],
  now: number,
): readonly InstrumentSpec[] {
  switch (term.kind) {
    case 'coin':
      return specs.filter((spec) => spec.base.toLowerCase() === term.base);
    case 'contract':
      return specs.filter((spec) => spec.kind === term.contract);
    case 'expiry':
      return onDate(specs, term.date, now);
    case 'strike':
      return specs.filter((spec) => spec.kind === 'option' && sameStrike(spec.strike, term.strike));
    case 'type':
      return specs.filter((spec) => spec.kind === 'option' && spec.type === term.type);
    case 'text':
      return specs.filter((spec) => spec.name.toLowerCase() === term.text);
  }
}

/** Without a year, the date means its next listed expiry at or after `now`. */
export function onDate(
  specs: readonly InstrumentSpec[],
  date: ExpiryDate,
  now: number,
): readonly InstrumentSpec[] {
  const sameDay = specs.filter((spec) => {
    if (spec.expiry === null) return false;
    const day = new Date(spec.expiry);
    return (
      day.getUTCMonth() === date.month &&
      day.getUTCDate() === date.day &&
      (date.year === null ? spec.expiry >= now : day.getUTCFullYear() === date.year)
    );
  });
  if (date.year !== null || sameDay.length === 0) return sameDay;
  const year = Math.min(...sameDay.map((spec) => new Date(spec.expiry ?? 0).getUTCFullYear()));
  return sameDay.filter((spec) => new Date(spec.expiry ?? 0).getUTCFullYear() === year);
}

export function sameStrike(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}

function missDetail(term: QueryTerm, left: readonly InstrumentSpec[]): string {
  switch (term.kind) {
    case 'coin':
      return `matches no ${term.base.toUpperCase()} instrument`;
    case 'contract':
      return `matches no ${term.contract}`;
    case 'expiry':
      return `matches no expiry; listed: ${listedExpiries(left)}`;
    case 'strike':
      return `matches no strike${expiryOf(left)}; nearest: ${nearestStrikes(term.strike, left)}`;
    case 'type':
      return `matches no ${term.type}`;
    case 'text':
      return 'matches no name';
  }
}

export function listedExpiries(specs: readonly InstrumentSpec[]): string {
  const expiries = [...new Set(specs.map((spec) => spec.expiry).filter((e) => e !== null))].sort(
    (a, b) => a - b,
  );
  if (expiries.length === 0) return 'none';
  const shown = expiries.slice(0, MAX_EXPIRIES_LISTED).map(expiryCode);
  return expiries.length > shown.length ? `${shown.join(', ')}, …` : shown.join(', ');
}

/** " on 27DEC26" when the options left share one expiry (the query named it). */
function expiryOf(specs: readonly InstrumentSpec[]): string {
  const expiries = new Set(specs.filter((spec) => spec.kind === 'option').map((s) => s.expiry));
  const [only] = expiries;
  return expiries.size === 1 && only !== undefined ? ` on ${expiryCode(only)}` : '';
}

/** The listed strikes either side of the one asked for. */
export function nearestStrikes(strike: number, specs: readonly InstrumentSpec[]): string {
  let below: number | null = null;
  let above: number | null = null;
  for (const spec of specs) {
    if (spec.kind !== 'option') continue;
    if (spec.strike < strike && (below === null || spec.strike > below)) below = spec.strike;
    if (spec.strike > strike && (above === null || spec.strike < above)) above = spec.strike;
  }
  const near = [below, above].filter((value) => value !== null).map(plainNumber);
  return near.length === 0 ? 'none' : near.join(', ');
}

function plainNumber(value: number): string {
  return Number.isInteger(value) ? value.toFixed(0) : String(value);
}

const KIND_ORDER: readonly InstrumentSpec['kind'][] = ['perpetual', 'future', 'option'];

/** Perpetuals, then futures, then options by expiry, strike, calls before puts. */
function sortForListing(specs: readonly InstrumentSpec[]): InstrumentSpec[] {
  const key = (spec: InstrumentSpec): [number, number, number, number] => [
    KIND_ORDER.indexOf(spec.kind),
    spec.expiry ?? 0,
    spec.kind === 'option' ? spec.strike : 0,
    spec.kind === 'option' && spec.type === 'put' ? 1 : 0,
  ];
  return [...specs].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i += 1) {
      const diff = (ka[i] ?? 0) - (kb[i] ?? 0);
      if (diff !== 0) return diff;
    }
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}
