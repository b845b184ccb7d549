/**
 * Readers for fields of decoded venue JSON. They throw with the field's name and the
 * offending value, because a feed that silently turns garbage into NaN prices is worse
 * than one that stops and says where.
 */

export type WireRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is WireRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class WireFormatError extends Error {
  override readonly name = 'WireFormatError';
}

function describe(value: unknown): string {
  return value === undefined ? 'missing' : `got ${JSON.stringify(value)}`;
}

/** A JSON number that must be present. */
export function requireNumber(record: WireRecord, key: string, where: string): number {
  const value = record[key];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new WireFormatError(`${where}: "${key}" must be a number, ${describe(value)}`);
}

/** A JSON number or null that must be present. */
export function requireNullableNumber(
  record: WireRecord,
  key: string,
  where: string,
): number | null {
  if (record[key] === null) return null;
  return requireNumber(record, key, where);
}

/** A JSON number that may be absent or null. */
export function optionalNumber(record: WireRecord, key: string, where: string): number | null {
  const value = record[key];
  if (value === undefined || value === null) return null;
  return requireNumber(record, key, where);
}

export function requireString(record: WireRecord, key: string, where: string): string {
  const value = record[key];
  if (typeof value === 'string') return value;
  throw new WireFormatError(`${where}: "${key}" must be a string, ${describe(value)}`);
}

export function requireRecord(record: WireRecord, key: string, where: string): WireRecord {
  const value = record[key];
  if (isRecord(value)) return value;
  throw new WireFormatError(`${where}: "${key}" must be an object, ${describe(value)}`);
}

// Stricter than Number(): that would also take ' ', '0x1f' and 'Infinity'.
const DECIMAL = /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/;

/**
 * A decimal sent as a string (numbers are tolerated too). The empty string is null: some
 * venues blank a field rather than drop it.
 */
export function requireDecimalString(
  record: WireRecord,
  key: string,
  where: string,
): number | null {
  const value = record[key];
  if (value === '') return null;
  if (typeof value === 'string') {
    if (DECIMAL.test(value)) return Number(value);
  } else if (typeof value === 'number' && Number.isFinite(value)) {
    return value;
  }
  throw new WireFormatError(`${where}: "${key}" must be a decimal string, ${describe(value)}`);
}

/** Venues mark an empty book side or an unavailable IV with 0; 0 is never a real value. */
export function zeroAsNull(value: number | null): number | null {
  return value === 0 ? null : value;
}

export function isArray(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}

export function requireArray(record: WireRecord, key: string, where: string): readonly unknown[] {
  const value = record[key];
  if (isArray(value)) return value;
  throw new WireFormatError(`${where}: "${key}" must be an array, ${describe(value)}`);
}

export function requireBoolean(record: WireRecord, key: string, where: string): boolean {
  const value = record[key];
  if (typeof value === 'boolean') return value;
  throw new WireFormatError(`${where}: "${key}" must be a boolean, ${describe(value)}`);
}

/** A string from a closed set (a side, a message type), typed as that set. */
export function requireOneOf<const T extends string>(
  record: WireRecord,
  key: string,
  allowed: readonly T[],
  where: string,
): T {
  const value = record[key];
  for (const candidate of allowed) if (candidate === value) return candidate;
  throw new WireFormatError(
    `${where}: "${key}" must be ${allowed.join(' or ')}, ${describe(value)}`,
  );
}

/**
 * The same strict reading as requireDecimalString for a value that is not a keyed field
 * (a book level's price or size), with null for anything else, the empty string included:
 * the caller knows where the value sat and says so.
 */
export function parseDecimal(value: unknown): number | null {
  // '1e999' passes the pattern but is no finite number.
  const number = typeof value === 'string' && DECIMAL.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : null;
}

/** An error about element `index` of the array in field `key`, e.g. a bad book level. */
export function elementError(
  where: string,
  key: string,
  index: number,
  problem: string,
  value: unknown,
): WireFormatError {
  return new WireFormatError(`${where}: "${key}"[${index}] ${problem}, ${describe(value)}`);
}
