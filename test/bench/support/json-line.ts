import assert from 'node:assert/strict';
import { ratioOf, type Row } from '../../../bench/common.js';

/** The keys of a `--json` line, in order. */
export const JSON_LINE_KEYS = ['bench', 'metric', 'ivtrade', 'peer', 'peerValue', 'ratio'];

/** The line run.ts writes for `--json` from this row: these keys, and numbers that survive JSON. */
export function assertJsonLine(row: Row): void {
  const line = JSON.parse(
    JSON.stringify({
      bench: row.bench,
      metric: row.metric,
      ivtrade: row.ivtrade,
      peer: row.peer,
      peerValue: row.peerValue,
      ratio: ratioOf(row),
    }),
  ) as Record<string, unknown>;
  assert.deepEqual(Object.keys(line), JSON_LINE_KEYS);
  for (const key of ['ivtrade', 'peerValue', 'ratio']) {
    const value = line[key];
    assert.ok(
      typeof value === 'number' && Number.isFinite(value) && value > 0,
      `${row.metric} ${key}: ${String(value)}`,
    );
  }
}
