/**
 * Cell formatting for the screen: fixed, predictable widths so columns line up and a number
 * never shifts its neighbours as it ticks. A missing value prints as a dash.
 *
 * One rule per kind of quantity:
 * - money in USD (PnL $, values) and prices of the underlying (index, perpetual, forward):
 *   `fmtUsd`, grouped with two decimals, whatever the size (90,008.12; 5,070.35; -27.27);
 * - premiums and order prices in the instrument's unit: `fmtPrice`, decimals by size so a
 *   chain cell keeps its width (0.0215; 42.50; 1234.6; 65433);
 * - sizes: `fmtSize`; vols: `fmtIv` (vol points, one decimal); greeks: `fmtSigned`/`fmtFixed`.
 * Zero has one sign: a value that rounds to zero never prints as -0.00.
 */

import { expiryCode } from '../instruments/option-symbol.js';

export const NONE = '-';

function missing(value: number | null | undefined): value is null | undefined {
  return value === null || value === undefined || !Number.isFinite(value);
}

/** Fixed decimals, or a dash. */
export function fmtFixed(value: number | null | undefined, decimals: number): string {
  return missing(value) ? NONE : unsignedZero(value.toFixed(decimals));
}

/** "-0.00" → "0.00": a value that rounds to zero has no sign. */
function unsignedZero(text: string): string {
  return text.startsWith('-') && Number(text) === 0 ? text.slice(1) : text;
}

/**
 * A premium or price. Coin premiums (inverse options, below 1) keep 4 decimals, the venues'
 * finest tick; dollar prices get fewer as they grow.
 */
export function fmtPrice(value: number | null | undefined): string {
  if (missing(value)) return NONE;
  // The band is chosen on the rounded value: 9999.96 prints as 10000, never as 10000.0.
  for (const [below, decimals] of PRICE_BANDS) {
    const text = value.toFixed(decimals);
    if (Math.abs(Number(text)) < below) return unsignedZero(text);
  }
  return unsignedZero(value.toFixed(0));
}

const PRICE_BANDS: readonly (readonly [number, number])[] = [
  [1, 4],
  [100, 2],
  [10_000, 1],
];

/** An implied vol given as a decimal, shown in vol points with one decimal: 0.5234 → 52.3. */
export function fmtIv(value: number | null | undefined): string {
  return missing(value) ? NONE : (value * 100).toFixed(1);
}

/** Signed with a fixed number of decimals: +0.52, -1.20. */
export function fmtSigned(value: number | null | undefined, decimals: number): string {
  if (missing(value)) return NONE;
  const text = value.toFixed(decimals);
  // One way to write zero: a flat figure must not flicker between +0.00 and -0.00.
  if (Number(text) === 0) return `+${text.replace('-', '')}`;
  return value > 0 ? `+${text}` : text;
}

/** A size or amount: up to 4 significant decimals, thousands as k and millions as M. */
export function fmtSize(value: number | null | undefined): string {
  if (missing(value)) return NONE;
  const size = Math.abs(value);
  // Thresholds sit where rounding would carry into the next unit (999,999 is 1.0M, not 1000k).
  if (size >= 999_500) return `${(value / 1e6).toFixed(size >= 9_950_000 ? 0 : 1)}M`;
  if (size >= 1e4) return `${(value / 1e3).toFixed(size >= 99_950 ? 0 : 1)}k`;
  if (Number.isInteger(value)) return unsignedZero(value.toFixed(0));
  return unsignedZero(trimZeros(value.toFixed(size >= 100 ? 1 : size >= 1 ? 2 : 4)));
}

/** Dollars, grouped, with cents at every size: 1,234.56; 10,086.00; 1,234,567.89. */
export function fmtUsd(value: number | null | undefined): string {
  if (missing(value)) return NONE;
  const decimals = 2;
  // Grouped by hand: toLocaleString is slow enough to show in a frame's profile.
  const [whole, fraction] = Math.abs(value).toFixed(decimals).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = value < 0 && Number(value.toFixed(decimals)) !== 0 ? '-' : '';
  return `${sign}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** A span of time in its two largest units: 3d04h, 4h12m, 12m30s, 45s. */
export function fmtDuration(ms: number | null | undefined): string {
  if (missing(ms)) return NONE;
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (n: number): string => n.toString().padStart(2, '0');
  if (days > 0) return `${days}d${two(hours)}h`;
  if (hours > 0) return `${hours}h${two(minutes)}m`;
  if (minutes > 0) return `${minutes}m${two(seconds)}s`;
  return `${seconds}s`;
}

/** Venue-style expiry code in UTC: 27DEC24. */
export function fmtExpiry(expiry: number | null | undefined): string {
  if (missing(expiry)) return NONE;
  return expiryCode(expiry);
}

/** Wall-clock time in UTC, HH:MM:SS. */
export function fmtClock(ms: number | null | undefined): string {
  if (missing(ms)) return NONE;
  return new Date(ms).toISOString().slice(11, 19);
}

/** A strike without trailing zeros: 65000, 0.85. */
export function fmtStrike(strike: number | null | undefined): string {
  if (missing(strike)) return NONE;
  return Number.isInteger(strike) ? strike.toFixed(0) : trimZeros(strike.toFixed(4));
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}
