import type { OptionType } from '../pricing/index.js';

/**
 * The grammar both venues share, `BASE[_QUOTE]-DMMMYY-STRIKE-C|P[-SETTLE]`. What the
 * optional parts mean (inverse or linear, which stablecoin) is venue policy, so this
 * module only reports them; src/feeds/<venue>/instrument-name.ts decides.
 */
export interface OptionSymbol {
  readonly name: string;
  readonly base: string;
  /** The `_QUOTE` part of the first segment, or null when absent. */
  readonly quote: string | null;
  /** ms since the epoch, 08:00 UTC on the named date. */
  readonly expiry: number;
  readonly strike: number;
  readonly type: OptionType;
  /** The trailing `-SETTLE` segment, or null when absent. */
  readonly settle: string | null;
}

export class InstrumentNameError extends Error {
  override readonly name = 'InstrumentNameError';

  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(`cannot parse instrument name ${JSON.stringify(input)}: ${reason}`);
  }
}

/** The venues' month codes, January first. */
export const MONTHS = [
  'JAN',
  'FEB',
  'MAR',
  'APR',
  'MAY',
  'JUN',
  'JUL',
  'AUG',
  'SEP',
  'OCT',
  'NOV',
  'DEC',
] as const;

/** An expiry (ms) as the venues spell it in names, in UTC: 27DEC26. */
export function expiryCode(expiry: number): string {
  const date = new Date(expiry);
  const year = String(date.getUTCFullYear() % 100).padStart(2, '0');
  return `${date.getUTCDate()}${MONTHS[date.getUTCMonth()] ?? ''}${year}`;
}
const EXPIRY_HOUR_UTC = 8;

const UNDERLYING = /^([A-Z0-9]+)(?:_([A-Z]+))?$/;
const EXPIRY = /^(\d{1,2})([A-Z]{3})(\d{2})$/;
// One venue writes the decimal point as `d`, because `.` separates its channel name parts.
const STRIKE = /^(\d+)(?:[.d](\d+))?$/;
const SETTLE = /^[A-Z]+$/;

export function parseOptionSymbol(name: string): OptionSymbol {
  const parts = name.split('-');
  if (parts.length !== 4 && parts.length !== 5) {
    throw new InstrumentNameError(
      name,
      `expected BASE[_QUOTE]-DMMMYY-STRIKE-C|P[-SETTLE], got ${parts.length} dash-separated part(s)`,
    );
  }
  const [underlyingText = '', expiryText = '', strikeText = '', typeText = ''] = parts;
  const settle = parts[4] ?? null;

  const underlying = UNDERLYING.exec(underlyingText);
  if (underlying === null) {
    throw new InstrumentNameError(
      name,
      `underlying ${JSON.stringify(underlyingText)} is not BASE or BASE_QUOTE in capitals`,
    );
  }
  if (settle !== null && !SETTLE.test(settle)) {
    throw new InstrumentNameError(
      name,
      `settlement suffix ${JSON.stringify(settle)} is not a currency code in capitals`,
    );
  }
  return {
    name,
    base: underlying[1] ?? '',
    quote: underlying[2] ?? null,
    expiry: parseExpiry(name, expiryText),
    strike: parseStrike(name, strikeText),
    type: parseType(name, typeText),
    settle,
  };
}

export function tryParseOptionSymbol(name: string): OptionSymbol | null {
  try {
    return parseOptionSymbol(name);
  } catch (error) {
    if (error instanceof InstrumentNameError) return null;
    throw error;
  }
}

function parseExpiry(name: string, text: string): number {
  const match = EXPIRY.exec(text);
  if (match === null) {
    throw new InstrumentNameError(name, `expiry ${JSON.stringify(text)} is not DMMMYY`);
  }
  const day = Number(match[1]);
  const monthText = match[2] ?? '';
  const month = (MONTHS as readonly string[]).indexOf(monthText);
  if (month < 0) {
    throw new InstrumentNameError(name, `unknown month ${JSON.stringify(monthText)}`);
  }
  const year = 2000 + Number(match[3]);
  const expiry = Date.UTC(year, month, day, EXPIRY_HOUR_UTC);
  // Date.UTC silently rolls 31FEB over into March; a round trip catches it.
  if (day < 1 || new Date(expiry).getUTCDate() !== day) {
    throw new InstrumentNameError(name, `${text} is not a calendar date`);
  }
  return expiry;
}

function parseStrike(name: string, text: string): number {
  const match = STRIKE.exec(text);
  if (match === null) {
    throw new InstrumentNameError(
      name,
      `strike ${JSON.stringify(text)} is not a number (write decimals as 0.4 or 0d4)`,
    );
  }
  const strike = Number(
    match[2] === undefined ? (match[1] ?? '') : `${match[1] ?? ''}.${match[2]}`,
  );
  if (!(strike > 0) || !Number.isFinite(strike)) {
    throw new InstrumentNameError(name, `strike ${JSON.stringify(text)} is not positive`);
  }
  return strike;
}

function parseType(name: string, text: string): OptionType {
  if (text === 'C') return 'call';
  if (text === 'P') return 'put';
  throw new InstrumentNameError(name, `option type ${JSON.stringify(text)} is neither C nor P`);
}
