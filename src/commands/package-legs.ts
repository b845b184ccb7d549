/**
 * Which listed options a package line names: the structure's legs and their ratios, with the
 * cursor's (or `i`'s) instrument filling in the coin, the expiry and, for a straddle or a
 * calendar, the strike. Never a guess: a strike or expiry that is not listed is refused with
 * what is.
 */
import { expiryCode } from '../instruments/option-symbol.js';
import type { InstrumentSpec, OptionSpec } from '../instruments/types.js';
import { listedExpiries, nearestStrikes, onDate, sameStrike } from './instrument-query.js';
import { shapeName } from './parse-package.js';
import { readTerm } from './query-terms.js';
import type { PackageCommand, PackageShape } from './types.js';

/** One leg: the option and how many of it one package holds (negative: sold when bought). */
export interface PackageLeg {
  readonly spec: OptionSpec;
  readonly ratio: number;
}

export interface PackageLegs {
  readonly shape: PackageShape;
  readonly legs: readonly PackageLeg[];
  /**
   * A Deribit-style name for what the legs make (`BTC-STRD-25DEC26-100000`), for messages;
   * the venue's own combo id may differ.
   */
  readonly name: string;
  /** "straddle 25DEC26 100000", for summaries. */
  readonly title: string;
}

export type LegsResult =
  ({ readonly ok: true } & PackageLegs) | { readonly ok: false; readonly message: string };

const TAGS: Record<PackageShape, string> = {
  cs: 'CS',
  ps: 'PS',
  st: 'STRD',
  sg: 'STRG',
  rr: 'RR',
  cf: 'CBUT',
  pf: 'PBUT',
  ccal: 'CCAL',
  pcal: 'PCAL',
};

const NO_COINS: ReadonlySet<string> = new Set();

export function packageLegs(
  command: PackageCommand,
  specs: readonly InstrumentSpec[],
  current: InstrumentSpec | undefined,
  now: number,
): LegsResult {
  const what = shapeName(command.shape);
  if (current === undefined) {
    return refuse(`no instrument: put the cursor on an option of the coin for the ${what}`);
  }
  const options = optionsLike(current, specs, now);
  if (options.length === 0) return refuse(`no ${current.base} options are listed`);

  const near = expiryOf(command.expiry, current, options, now, what);
  if (!near.ok) return near;
  const far =
    command.farExpiry === null ? null : expiryOf(command.farExpiry, current, options, now, what);
  if (far !== null && !far.ok) return far;
  if (far !== null && far.expiry <= near.expiry) {
    return refuse(
      `a ${what} sells the near expiry and buys the far one: ${expiryCode(near.expiry)} is not before ${expiryCode(far.expiry)}`,
    );
  }

  const strikes = command.strikes.map(strikeOf);
  if (strikes.length === 0) {
    if (current.kind !== 'option') {
      return refuse(`name the ${what}'s strike, or put the cursor on an option`);
    }
    strikes.push(current.strike);
  }
  const nearOptions = options.filter((spec) => spec.expiry === near.expiry);
  const find = (
    strike: number,
    type: 'call' | 'put',
    pool: readonly OptionSpec[],
  ): OptionSpec | string => {
    const found = pool.find((spec) => spec.type === type && sameStrike(spec.strike, strike));
    if (found !== undefined) return found;
    const code = expiryCode(pool[0]?.expiry ?? near.expiry);
    return `no ${plain(strike)} ${type} on ${code}; nearest: ${nearestStrikes(strike, pool)}`;
  };
  const shaped = shapeLegs(command.shape, strikes, what);
  if (typeof shaped === 'string') return refuse(shaped);
  const legs: PackageLeg[] = [];
  for (const leg of shaped) {
    const pool =
      leg.far && far !== null ? options.filter((spec) => spec.expiry === far.expiry) : nearOptions;
    const spec = find(leg.strike, leg.type, pool);
    if (typeof spec === 'string') return refuse(spec);
    legs.push({ spec, ratio: leg.ratio });
  }
  const prefix = legs[0]!.spec.name.split('-')[0] ?? current.base;
  const dates =
    far === null ? expiryCode(near.expiry) : `${expiryCode(near.expiry)}_${expiryCode(far.expiry)}`;
  const strikeText = [...new Set(shaped.map((leg) => plain(leg.strike)))].join('_');
  const titleStrikes = [...new Set(shaped.map((leg) => plain(leg.strike)))].join('/');
  return {
    ok: true,
    shape: command.shape,
    legs,
    name: `${prefix}-${TAGS[command.shape]}-${dates}-${strikeText}`,
    title: `${what} ${dates.replace('_', '/')} ${titleStrikes}`,
  };
}

interface ShapedLeg {
  readonly strike: number;
  readonly type: 'call' | 'put';
  readonly ratio: number;
  readonly far: boolean;
}

/** The legs a structure holds, bought when the package is bought (ratio > 0) or sold. */
function shapeLegs(
  shape: PackageShape,
  strikes: readonly number[],
  what: string,
): ShapedLeg[] | string {
  const leg = (strike: number, type: 'call' | 'put', ratio: number, far = false): ShapedLeg => ({
    strike,
    type,
    ratio,
    far,
  });
  const [a = NaN, b = NaN, c = NaN] = strikes;
  const low = Math.min(a, b);
  const high = Math.max(a, b);
  switch (shape) {
    case 'st':
      return [leg(a, 'call', 1), leg(a, 'put', 1)];
    case 'cs':
    case 'ps': {
      if (a === b) return `a ${what} needs two different strikes`;
      const type = shape === 'cs' ? 'call' : 'put';
      return [leg(a, type, 1), leg(b, type, -1)];
    }
    case 'sg':
      if (a === b) return `a strangle needs two different strikes (one strike is a straddle: st)`;
      return [leg(low, 'put', 1), leg(high, 'call', 1)];
    case 'rr':
      if (a === b) return `a risk reversal needs two different strikes, put below call`;
      return [leg(high, 'call', 1), leg(low, 'put', -1)];
    case 'cf':
    case 'pf': {
      if (!(a < b && b < c)) return `a ${what}'s strikes go up: low/middle/high`;
      const type = shape === 'cf' ? 'call' : 'put';
      return [leg(a, type, 1), leg(b, type, -2), leg(c, type, 1)];
    }
    case 'ccal':
    case 'pcal': {
      const type = shape === 'ccal' ? 'call' : 'put';
      return [leg(a, type, -1), leg(a, type, 1, true)];
    }
  }
}

/**
 * Options of the current instrument's coin and settlement: a BTC inverse option's chain, not
 * BTC_USDC's; for a future or perpetual, the options filed under the same name prefix where
 * there are any, else any of its coin.
 */
function optionsLike(
  current: InstrumentSpec,
  specs: readonly InstrumentSpec[],
  now: number,
): OptionSpec[] {
  const live = specs.filter(
    (spec): spec is OptionSpec =>
      spec.kind === 'option' && spec.base === current.base && spec.expiry > now,
  );
  if (current.kind === 'option') {
    return live.filter((spec) => spec.settleCurrency === current.settleCurrency);
  }
  const prefix = current.name.split('-')[0];
  const same = live.filter((spec) => spec.name.split('-')[0] === prefix);
  return same.length > 0 ? same : live;
}

type ExpiryResult = { ok: true; expiry: number } | { ok: false; message: string };

function expiryOf(
  word: string | null,
  current: InstrumentSpec,
  options: readonly OptionSpec[],
  now: number,
  what: string,
): ExpiryResult {
  if (word === null) {
    if (current.kind === 'option') return { ok: true, expiry: current.expiry };
    return refuse(`name the ${what}'s expiry (e.g. 25dec), or put the cursor on an option`);
  }
  const term = readTerm(word, NO_COINS);
  if (term.kind !== 'expiry') return refuse(`"${word}" is not an expiry (e.g. 25dec)`);
  const matched = onDate(options, term.date, now);
  const expiry = matched[0]?.expiry;
  if (expiry === undefined || expiry === null) {
    return refuse(
      `no ${current.base} options expire on ${word}; listed: ${listedExpiries(options)}`,
    );
  }
  return { ok: true, expiry };
}

function strikeOf(word: string): number {
  const k = /k$/i.test(word);
  return Number(k ? word.slice(0, -1) : word) * (k ? 1000 : 1);
}

function plain(value: number): string {
  return Number.isInteger(value) ? value.toFixed(0) : String(value);
}

function refuse(message: string): { ok: false; message: string } {
  return { ok: false, message };
}
