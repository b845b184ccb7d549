/**
 * Numbers as the hedger's reasons print them: short, grouped, signed where a sign means
 * something. The reasons are log and panel lines, read by a trader, never parsed.
 */

/** Thousands separators in the integer part of decimal text: 89910.09 → 89,910.09. */
export function grouped(text: string): string {
  return text.replace(/^-?\d+/, (whole) => whole.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
}

/** Signed coins to 4 places: +0.0312. */
export function signedCoins(value: number): string {
  return `${value < 0 ? '-' : '+'}${Math.abs(value).toFixed(4)}`;
}

/** Dollars, whole from $100 up (cents below, where a band of $0.50 must not read as $1). */
export function dollars(value: number): string {
  const size = Math.abs(value);
  const digits = size >= 100 ? 0 : 2;
  return `${value < 0 ? '-' : ''}$${grouped(size.toFixed(digits))}`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A price or amount as it came, grouped. */
export function plainNumber(value: number): string {
  return grouped(String(value));
}
