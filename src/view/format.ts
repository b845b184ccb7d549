/**
 * Cell formatting for the screen: fixed, predictable widths so columns line up and a number
 * never shifts its neighbours as it ticks. A missing value prints as a dash.
 */

export const NONE = '-';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

function missing(value: number | null | undefined): value is null | undefined {
  return value === null || value === undefined || !Number.isFinite(value);
}

/** Fixed decimals, or a dash. */
export function fmtFixed(value: number | null | undefined, decimals: number): string {
  return missing(value) ? NONE : value.toFixed(decimals);
}

/**
 * A premium or price. Coin premiums (inverse options, below 1) keep 4 decimals, the venues'
 * finest tick; dollar prices get fewer as they grow.
 */
export function fmtPrice(value: number | null | undefined): string {
  if (missing(value)) return NONE;
  const size = Math.abs(value);
  if (size < 1) return value.toFixed(4);
  if (size < 100) return value.toFixed(2);
  if (size < 10_000) return value.toFixed(1);
  return value.toFixed(0);
}

/** An implied vol given as a decimal, shown in vol points with one decimal: 0.5234 → 52.3. */
export function fmtIv(value: number | null | undefined): string {
  return missing(value) ? NONE : (value * 100).toFixed(1);
}

/** Signed with a fixed number of decimals: +0.52, -1.20. */
export function fmtSigned(value: number | null | undefined, decimals: number): string {
  if (missing(value)) return NONE;
  const text = value.toFixed(decimals);
  return value >= 0 && !text.startsWith('-') ? `+${text}` : text;
}

/** A size or amount: up to 4 significant decimals, thousands as k and millions as M. */
export function fmtSize(value: number | null | undefined): string {
  if (missing(value)) return NONE;
  const size = Math.abs(value);
  if (size >= 1e6) return `${(value / 1e6).toFixed(size >= 1e7 ? 0 : 1)}M`;
  if (size >= 1e4) return `${(value / 1e3).toFixed(size >= 1e5 ? 0 : 1)}k`;
  if (Number.isInteger(value)) return value.toFixed(0);
  return trimZeros(value.toFixed(size >= 100 ? 1 : size >= 1 ? 2 : 4));
}

/** Dollars, grouped: 1,234.56 below 10k, whole dollars above. */
export function fmtUsd(value: number | null | undefined): string {
  if (missing(value)) return NONE;
  const decimals = Math.abs(value) < 10_000 ? 2 : 0;
  return value.toLocaleString('en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
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
export function fmtExpiry(expiry: number): string {
  const date = new Date(expiry);
  return `${date.getUTCDate()}${MONTHS[date.getUTCMonth()]}${String(date.getUTCFullYear() % 100).padStart(2, '0')}`;
}

/** Wall-clock time in UTC, HH:MM:SS. */
export function fmtClock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** A strike without trailing zeros: 65000, 0.85. */
export function fmtStrike(strike: number): string {
  return Number.isInteger(strike) ? strike.toFixed(0) : trimZeros(strike.toFixed(4));
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}
