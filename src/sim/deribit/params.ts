// Reading a method's params. Over HTTP GET every value arrives as a string, so numbers and
// booleans are accepted in their string spelling too; anything else is Deribit's
// -32602 "Invalid params" naming the param and the reason.

import { invalidParams } from './errors.js';

export type Params = Readonly<Record<string, unknown>>;

export function optionalString(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParams(name, 'must be a string');
  return value;
}

export function requireString(params: Params, name: string): string {
  const value = optionalString(params, name);
  if (value === undefined || value === '') throw invalidParams(name, 'must be present');
  return value;
}

export function optionalNumber(params: Params, name: string): number | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) {
    throw invalidParams(name, 'must be a number');
  }
  return number;
}

export function requireNumber(params: Params, name: string): number {
  const value = optionalNumber(params, name);
  if (value === undefined) throw invalidParams(name, 'must be present');
  return value;
}

export function optionalBoolean(params: Params, name: string): boolean | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw invalidParams(name, 'must be a boolean');
}

export function optionalEnum<T extends string>(
  params: Params,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const value = optionalString(params, name);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalidParams(name, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function requireEnum<T extends string>(
  params: Params,
  name: string,
  allowed: readonly T[],
): T {
  const value = optionalEnum(params, name, allowed);
  if (value === undefined) throw invalidParams(name, 'must be present');
  return value;
}

export function requireStringArray(params: Params, name: string): string[] {
  let value = params[name];
  // HTTP clients send a single channel as a plain string or the array as JSON text.
  if (typeof value === 'string') {
    value = value.startsWith('[') ? parseJsonArray(value, name) : [value];
  }
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
    throw invalidParams(name, 'must be an array of strings');
  }
  return value;
}

function parseJsonArray(text: string, name: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidParams(name, 'must be an array of strings');
  }
}
