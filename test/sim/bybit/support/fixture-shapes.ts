// The recorded Bybit messages the sim's shapes are held against.

import { readJsonLines, recordedMessage } from '../../../support/fixtures.js';
import type { Json } from './bybit-client.js';

const SHAPES = readJsonLines('bybit', 'v5-option-shapes-2026-09.jsonl').map((line) => line.value);

/** The recorded message whose `what` starts with `prefix`. */
export function recorded(prefix: string): Json {
  const line = SHAPES.find((value) => {
    const what = (value as { what?: unknown }).what;
    return typeof what === 'string' && what.startsWith(prefix);
  });
  if (line === undefined) throw new Error(`no fixture line "${prefix}…"`);
  return recordedMessage(line) as Json;
}

export function keysOf(value: unknown): string[] {
  return Object.keys(value as object).sort();
}
