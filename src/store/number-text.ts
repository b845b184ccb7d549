/**
 * Numbers as Redis holds them: plain decimal text a shell user reads with HMGET or XRANGE and
 * a script parses with any decimal reader. Never exponent form (a gamma of 1.2e-7 is
 * `0.00000012`), always the shortest text that reads back as the same double, and `''` for
 * none, as the wire format says.
 */

export function numberText(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  const text = String(value);
  const e = text.indexOf('e');
  return e === -1
    ? text === '-0'
      ? '0'
      : text
    : expand(text.slice(0, e), Number(text.slice(e + 1)));
}

/** `mantissa × 10^exponent` written out in full. */
function expand(mantissa: string, exponent: number): string {
  const negative = mantissa.startsWith('-');
  const unsigned = negative ? mantissa.slice(1) : mantissa;
  const point = unsigned.indexOf('.');
  const digits = unsigned.replace('.', '');
  const whole = (point === -1 ? unsigned.length : point) + exponent;
  let text: string;
  if (whole <= 0) text = `0.${'0'.repeat(-whole)}${digits}`;
  else if (whole >= digits.length) text = digits + '0'.repeat(whole - digits.length);
  else text = `${digits.slice(0, whole)}.${digits.slice(whole)}`;
  return negative ? `-${text}` : text;
}

/** Text from Redis back to a number; null for '' or anything that is not a number. */
export function textNumber(text: string | null | undefined): number | null {
  if (text === null || text === undefined || text === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}
