/**
 * What `scan` keeps and in which order. IV bounds are in vol points as a trader says them
 * (`--min-iv 100` = 100 %); delta bounds are on the absolute delta, so `--max-delta 0.25`
 * finds the wings of both calls and puts. A row without the value a filter looks at fails
 * that filter: "IV at least 100" is not true of an option with no IV.
 */
import type { ScanRow } from './scan-rows.js';

export interface ScanFilter {
  /** Upper-case coins; empty = every coin. */
  readonly coins?: readonly string[];
  readonly venues?: readonly string[];
  /** Expiry bounds, ms, inclusive. */
  readonly expiryFrom?: number;
  readonly expiryTo?: number;
  readonly type?: 'call' | 'put';
  /** Mark IV bounds in vol points. */
  readonly minIv?: number;
  readonly maxIv?: number;
  /** Bounds on |delta|. */
  readonly minDelta?: number;
  readonly maxDelta?: number;
  readonly minVolume?: number;
  readonly minOpenInterest?: number;
  /** Widest ask IV − bid IV, in vol points. */
  readonly maxSpreadIv?: number;
  /** Widest (ask − bid) / mid, in percent. */
  readonly maxSpreadPct?: number;
}

export const SORT_KEYS = [
  'iv',
  'delta',
  'volume',
  'oi',
  'spread',
  'spread-pct',
  'expiry',
  'strike',
  'gamma',
  'vega',
  'theta',
  'mark',
  'instrument',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface ScanSort {
  readonly key: SortKey;
  readonly descending: boolean;
}

/**
 * Which way a column sorts unless told: the most of what a trader hunts (IV, delta, volume,
 * open interest, greeks) first; the tightest spread, nearest expiry, lowest strike first.
 */
export function defaultDescending(key: SortKey): boolean {
  return !['spread', 'spread-pct', 'expiry', 'strike', 'instrument'].includes(key);
}

/** `iv`, `iv:asc`, `iv:desc` → a sort; null if the key or direction is unknown. */
export function parseSort(text: string): ScanSort | null {
  const [name, direction, extra] = text.trim().toLowerCase().split(':');
  if (extra !== undefined) return null;
  const key = SORT_KEYS.find((candidate) => candidate === name);
  if (key === undefined) return null;
  if (direction === undefined) return { key, descending: defaultDescending(key) };
  if (direction === 'asc') return { key, descending: false };
  if (direction === 'desc') return { key, descending: true };
  return null;
}

function sortValue(row: ScanRow, key: SortKey): number | string | null {
  switch (key) {
    case 'iv':
      return row.markIv;
    case 'delta':
      return row.delta === null ? null : Math.abs(row.delta);
    case 'volume':
      return row.volume;
    case 'oi':
      return row.openInterest;
    case 'spread':
      return row.spreadIv;
    case 'spread-pct':
      return row.spreadPct;
    case 'expiry':
      return row.expiry;
    case 'strike':
      return row.strike;
    case 'gamma':
      return row.gamma;
    case 'vega':
      return row.vega;
    case 'theta':
      return row.theta;
    case 'mark':
      return row.mark;
    case 'instrument':
      return row.instrument;
  }
}

const POINTS = 100;

function within(value: number | null, min: number | undefined, max: number | undefined): boolean {
  if (min === undefined && max === undefined) return true;
  if (value === null) return false;
  return (min === undefined || value >= min) && (max === undefined || value <= max);
}

/** Compares IVs in points on a grid finer than any quote, so `--min-iv 60` keeps 0.6. */
function points(iv: number | null): number | null {
  return iv === null ? null : Math.round(iv * POINTS * 1e9) / 1e9;
}

export function matches(row: ScanRow, filter: ScanFilter): boolean {
  if (filter.coins !== undefined && filter.coins.length > 0 && !filter.coins.includes(row.coin)) {
    return false;
  }
  if (filter.venues !== undefined && filter.venues.length > 0) {
    if (!filter.venues.includes(row.venue)) return false;
  }
  if (!within(row.expiry, filter.expiryFrom, filter.expiryTo)) return false;
  if (filter.type !== undefined && row.type !== filter.type) return false;
  if (!within(points(row.markIv), filter.minIv, filter.maxIv)) return false;
  const absDelta = row.delta === null ? null : Math.abs(row.delta);
  if (!within(absDelta, filter.minDelta, filter.maxDelta)) return false;
  if (!within(row.volume, filter.minVolume, undefined)) return false;
  if (!within(row.openInterest, filter.minOpenInterest, undefined)) return false;
  if (!within(points(row.spreadIv), undefined, filter.maxSpreadIv)) return false;
  if (!within(row.spreadPct, undefined, filter.maxSpreadPct)) return false;
  return true;
}

/** Chain order: expiry, strike, call before put, then name (futures and perpetuals last). */
function chainOrder(a: ScanRow, b: ScanRow): number {
  return (
    compareNullable(a.expiry, b.expiry) ||
    compareNullable(a.strike, b.strike) ||
    compareNullable(a.type, b.type) ||
    compareNullable(a.instrument, b.instrument) ||
    compareNullable(a.venue, b.venue)
  );
}

/** Ascending, nulls last. */
function compareNullable<T extends number | string>(a: T | null, b: T | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** Filters, sorts (rows without the sort's value last, ties in chain order) and cuts. */
export function runScan(
  rows: readonly ScanRow[],
  filter: ScanFilter,
  sort: ScanSort | null,
  limit?: number,
): ScanRow[] {
  const kept = rows.filter((row) => matches(row, filter));
  kept.sort((a, b) => {
    if (sort !== null) {
      const x = sortValue(a, sort.key);
      const y = sortValue(b, sort.key);
      if (x === null || y === null) {
        if (x !== y) return x === null ? 1 : -1;
      } else if (x !== y) {
        const order = x < y ? -1 : 1;
        return sort.descending ? -order : order;
      }
    }
    return chainOrder(a, b);
  });
  return limit === undefined ? kept : kept.slice(0, Math.max(0, limit));
}
