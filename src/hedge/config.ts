/**
 * The hedger's defaults and the band as the trader types it. The defaults are the ones
 * src/hedge/types.ts documents; the band's default, 0.25 % of one coin's value, is the
 * design the hedger keeps from the tool it grew from ($50 at $20,000).
 */
import type { Band, HedgeConfig } from './types.js';

export function DEFAULT_HEDGE_CONFIG(
  venue: string,
  currency: string,
  instrument: string,
): HedgeConfig {
  return {
    venue,
    currency,
    instrument,
    band: { kind: 'fraction', value: 0.0025 },
    deltaSource: 'model',
    convention: 'forward',
    debounceMs: 250,
    periodicMs: 5_000,
    execution: 'limit-ioc',
    capPercent: 0.1,
    maxOrderUsd: 100_000,
    maxHedgesPerMinute: 6,
    orderTimeoutMs: 5_000,
    reconcileAfterMs: 30_000,
    staleAfterMs: 10_000,
    maxConsecutiveRejects: 3,
  };
}

const FORMS = "0.25% (of one coin's value), 0.0025 (a fraction of it), $50 or 50usd";

// Plain decimals only: decimal.js or Number would also take hex, exponents and Infinity.
const NUMBER = String.raw`(\d+(?:\.\d*)?|\.\d+)`;
const PERCENT = new RegExp(`^${NUMBER}\\s*%$`);
const DOLLARS_BEFORE = new RegExp(`^\\$\\s*${NUMBER}$`);
const DOLLARS_AFTER = new RegExp(`^${NUMBER}\\s*usd$`, 'i');
const FRACTION = new RegExp(`^${NUMBER}$`);

/** Reads a band as typed: `0.25%`, `0.0025`, `$50` or `50usd`. Throws RangeError otherwise. */
export function parseBand(text: string): Band {
  const trimmed = text.trim();
  const percent = PERCENT.exec(trimmed);
  if (percent !== null) {
    const value = positive(percent[1]!, trimmed);
    if (value >= 100) throw bandError(trimmed, 'a percentage must be below 100%');
    return { kind: 'fraction', value: value / 100 };
  }
  const dollars = DOLLARS_BEFORE.exec(trimmed) ?? DOLLARS_AFTER.exec(trimmed);
  if (dollars !== null) return { kind: 'usd', value: positive(dollars[1]!, trimmed) };
  const fraction = FRACTION.exec(trimmed);
  if (fraction !== null) {
    const value = positive(fraction[1]!, trimmed);
    // A bare 50 is far more likely meant as dollars than as 5,000 % of a coin: ask.
    if (value >= 1) {
      throw bandError(
        trimmed,
        `a bare number is a fraction below 1; for dollars write $${trimmed}`,
      );
    }
    return { kind: 'fraction', value };
  }
  throw bandError(trimmed, `expected ${FORMS}`);
}

/** The band in USD at this index; null when a fractional band meets an unknown index. */
export function bandUsd(band: Band, indexUsd: number | null): number | null {
  if (band.kind === 'usd') return band.value;
  if (indexUsd === null || !(indexUsd > 0) || !Number.isFinite(indexUsd)) return null;
  return band.value * indexUsd;
}

function positive(digits: string, text: string): number {
  const value = Number(digits);
  if (!(value > 0)) throw bandError(text, 'the band must be above 0');
  return value;
}

function bandError(text: string, detail: string): RangeError {
  return new RangeError(`band ${JSON.stringify(text)}: ${detail}`);
}

/** A policy as typed (`hmode`): `fixed`, `gamma [aversion per USD]`, `time [minutes]`. */
export interface PolicyChoice {
  readonly policy: 'fixed' | 'gamma' | 'time';
  readonly aversion?: number;
  readonly everyMs?: number;
}

const POLICY_FORMS = 'fixed, gamma [aversion, e.g. 1e-3 per USD] or time [minutes, e.g. 15]';

/** Reads `fixed`, `gamma 1e-3`, `time 15`. Throws RangeError otherwise. */
export function parsePolicy(text: string): PolicyChoice {
  const [word, value, extra] = text.trim().toLowerCase().split(/\s+/);
  if (extra !== undefined) throw new RangeError(`"${text.trim()}": expected ${POLICY_FORMS}`);
  if (word === 'fixed' && value === undefined) return { policy: 'fixed' };
  if (word === 'gamma') {
    if (value === undefined) return { policy: 'gamma' };
    const aversion = Number(value);
    if (!/^(\d+(\.\d*)?|\.\d+)(e-?\d+)?$/.test(value) || !(aversion > 0) || aversion >= 1) {
      throw new RangeError(
        `gamma's aversion is per USD, above 0 and below 1 (e.g. 1e-3), got "${value}"`,
      );
    }
    return { policy: 'gamma', aversion };
  }
  if (word === 'time') {
    if (value === undefined) return { policy: 'time' };
    const minutes = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value) || !(minutes >= 1) || minutes > 1440) {
      throw new RangeError(`time's interval is in minutes, 1 to 1440, got "${value}"`);
    }
    return { policy: 'time', everyMs: minutes * 60_000 };
  }
  throw new RangeError(`"${text.trim()}": expected ${POLICY_FORMS}`);
}

/** Reads where a hedge trades to (`hto edge`, `hto zero`); throws RangeError otherwise. */
export function parseHedgeTo(text: string): 'zero' | 'edge' {
  const word = text.trim().toLowerCase();
  if (word === 'zero' || word === 'edge') return word;
  throw new RangeError(
    `"${text.trim()}": expected zero (trade to the target) or edge (back inside the band)`,
  );
}

/**
 * Reads a hedge ratio (`hratio 0.8`, `hratio 80%`): the share of the distance to the target
 * a hedge trades, above 0 and at most 1. Throws RangeError otherwise.
 */
export function parseRatio(text: string): number {
  const trimmed = text.trim();
  const match = /^(\d+(?:\.\d+)?|\.\d+)(%?)$/.exec(trimmed);
  const value = match === null ? NaN : Number(match[1]) / (match[2] === '%' ? 100 : 1);
  if (!(value > 0) || value > 1) {
    throw new RangeError(`a hedge ratio is above 0 and at most 1 (0.8 or 80%), got "${trimmed}"`);
  }
  return value;
}

/** `hinst` as typed: count every future of the coin, only the hedge's, or trade another one. */
export type InstrumentChoice =
  { readonly futures: 'net' | 'only' | 'expiry' } | { readonly instrument: string };

/** Reads `hinst net`, `hinst only`, `hinst expiry`, `hinst BTC-27MAR26`; throws RangeError otherwise. */
export function parseHedgeInstrument(text: string): InstrumentChoice {
  const trimmed = text.trim();
  const word = trimmed.toLowerCase();
  if (word === 'net' || word === 'only' || word === 'expiry') return { futures: word };
  if (/^[A-Za-z0-9][A-Za-z0-9_-]{1,40}$/.test(trimmed) && !/\s/.test(trimmed)) {
    return { instrument: trimmed.toUpperCase() };
  }
  throw new RangeError(
    `"${trimmed}": expected net (count every future of the coin), only (the hedge's own), ` +
      `expiry (each expiry in its own future) or a future's name`,
  );
}

/** A hedge ratio as the panel and answers say it: 80%. */
export function ratioText(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(6))}%`;
}

/** Reads a target delta in coins (`htarget -0.5`); throws RangeError otherwise. */
export function parseTarget(text: string): number {
  const trimmed = text.trim();
  if (!/^[+-]?(\d+(\.\d+)?|\.\d+)$/.test(trimmed)) {
    throw new RangeError(`a target is a signed number of coins (e.g. 0, -0.5), got "${trimmed}"`);
  }
  return Number(trimmed);
}
