// Both venues write an expiry as D MMM YY with no leading zero: 6AUG21, 27DEC24.

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

export function expiryCode(expiry: number): string {
  const date = new Date(expiry);
  const year = String(date.getUTCFullYear() % 100).padStart(2, '0');
  return `${date.getUTCDate()}${MONTHS[date.getUTCMonth()] ?? '???'}${year}`;
}

/** A strike as the venues print it: integers plain, fractions with the given point. */
export function strikeCode(strike: number, point: '.' | 'd'): string {
  const text = Number.isInteger(strike) ? String(strike) : String(Number(strike.toPrecision(12)));
  return point === '.' ? text : text.replace('.', 'd');
}
