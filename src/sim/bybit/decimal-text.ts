// Bybit sends every number as a decimal string ("0.3285", "22915", "0"): never exponent form,
// never binary noise such as 0.30000000000000004.

/** `value` rounded to at most `maxDecimals` places, trailing zeros dropped. */
export function decimalText(value: number, maxDecimals = 8): string {
  if (!Number.isFinite(value)) return '0';
  const text = value.toFixed(maxDecimals);
  const trimmed = text.includes('.') ? text.replace(/\.?0+$/, '') : text;
  return trimmed === '-0' ? '0' : trimmed;
}

/** `value` at exactly `decimals` places, trailing zeros kept: how the linear tickers print
 * their index ("83876.10" in the recorded perpetual ticker, fixtures v5-option-shapes-2026-09). */
export function fixedText(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return '0';
  const text = value.toFixed(decimals);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** Decimal places of a tick or lot (0.01 → 2, 5 → 0), so prices print on their grid. */
export function decimalsOf(step: number): number {
  if (!(step > 0) || Number.isInteger(step)) return 0;
  const text = decimalText(step, 12);
  const point = text.indexOf('.');
  return point < 0 ? 0 : text.length - point - 1;
}

/** A price or size snapped to its grid (a BTC option's 5-dollar tick, a lot of 0.01), "0" for
 * an absent value as Bybit prints it. */
export function gridText(value: number | null, step: number): string {
  if (value === null) return '0';
  const snapped = step > 0 ? Math.round(value / step) * step : value;
  return decimalText(snapped, decimalsOf(step));
}

/** Parses a decimal string or number from a request; undefined when absent or not a number. */
export function parseDecimal(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  if (!/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(raw.trim())) return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}
