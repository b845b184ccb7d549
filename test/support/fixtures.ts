import { readFileSync } from 'node:fs';
import { fixturePath } from './paths.js';

/** Every non-blank line of a JSONL fixture, parsed, with its 1-based line number. */
export function readJsonLines(...segments: string[]): { line: number; value: unknown }[] {
  return readFileSync(fixturePath(...segments), 'utf8')
    .split('\n')
    .map((text, index) => ({ text, line: index + 1 }))
    .filter(({ text }) => text.trim() !== '')
    .map(({ text, line }) => ({ line, value: JSON.parse(text) as unknown }));
}

export function readJson(...segments: string[]): unknown {
  return JSON.parse(readFileSync(fixturePath(...segments), 'utf8')) as unknown;
}

/** Reaches into decoded JSON; undefined as soon as the path leaves the objects. */
export function field(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** The `message` of a recorded `{localTs, message}` (or `{what, message}`) line. */
export function recordedMessage(value: unknown): unknown {
  return field(value, 'message');
}
