// The barest atomic write the issue's words allow, for `redis-instructions --floor`: the yardstick
// the Publisher's script is measured against. One script call per Publisher call, with the same
// tickers, values and left-out groups (read back from the Publisher's own encoded calls):
// - per ticker, the stale check against the quote hash's own `ts` (an HGET: the hash is where
//   the ts is kept) and one HSET of the values the Publisher's row carries, plus `ts` and `seq`;
// - per call, the sequence (kept in a hash) and ONE stream entry of the written events.
// No snapshot for late joiners, no removal marks, no coin floor, no reading a left-out group
// back when another writer wrote last: what the Publisher's script costs over this is those.

import { ALL_QUOTE_GROUPS, QUOTE_ROW_ALWAYS, QUOTE_ROW_GROUPS } from '../src/store/codec.js';
import type { Redis } from 'ioredis';
import type { CoinKeys } from '../src/store/keys.js';
import { QUOTE_VALUE_FIELDS } from '../src/store/keys.js';
import { readRows, type MarketRow } from '../src/store/market-call.js';

/** A Publisher call's keys and arguments (market-call's `callArguments`). */
export interface RecordedCall {
  readonly keys: readonly string[];
  readonly args: readonly (string | Buffer)[];
}

/** The fields a row with `groups` carries, in its order (QUOTE_ROW_ALWAYS, then each group's). */
function carriedFields(groups: number): string[] {
  const fields: string[] = [...QUOTE_ROW_ALWAYS];
  QUOTE_ROW_GROUPS.forEach((group, index) => {
    if ((groups & (1 << index)) !== 0) for (const [field] of group) fields.push(field);
  });
  return fields;
}

/**
 * What a floor row writes: the barest atomic write, the same without its stale check (every
 * ticker written: the difference is what the check costs), or the quote hashes' HSETs alone.
 */
export type FloorWrite = 'atomic' | 'no stale check' | 'hset only';

/**
 * The script. KEYS: the stream, the hash holding the sequence, then one quote hash per ticker.
 * ARGV: the rows (per ticker its ts as a double, its groups byte, its ts text, then the values
 * it carries; texts zero-ended), each ticker's event JSON, then the stream's MAXLEN. For
 * 'hset only', ARGV is the rows alone and `seq` is written as 0.
 */
export function barestLua(write: FloorWrite): string {
  const hsetOnly = write === 'hset only';
  const branches: string[] = [];
  for (let groups = ALL_QUOTE_GROUPS; groups >= 0; groups -= 1) {
    const fields = carriedFields(groups);
    const names = fields.map((_, at) => `v${at}`);
    const pairs = [
      ...fields.map((field, at) => `'${field}', ${names[at]}`),
      "'ts', tsText",
      "'seq', seqText",
    ];
    branches.push(
      `${groups === ALL_QUOTE_GROUPS ? 'if' : 'elseif'} groups == ${groups} then`,
      `    local ${names.join(', ')}, next = unpackBytes('${'s'.repeat(fields.length)}', rows, at)`,
      '    pos = next',
      `    if fresh then call('HSET', keys[k], ${pairs.join(', ')}) end`,
    );
  }
  // Globals as locals, as the market script has them: a global is a table lookup at every use.
  return `local call, unpackBytes, toNumber = redis.call, struct.unpack, tonumber
local keys, argv = KEYS, ARGV
local rows, pos = argv[1], 1
local seqText = ${hsetOnly ? "'0'" : "string.format('%d', toNumber(call('HGET', keys[2], '~seq') or '0') + 1)"}
local entry, n = {'s', seqText}, 2
for k = 3, #keys do
  local ts, groups, tsText, at = unpackBytes('>dBs', rows, pos)
  local last = ${write === 'atomic' ? "call('HGET', keys[k], 'ts')" : 'nil'}
  local fresh = not last or toNumber(last) <= ts
  ${branches.join('\n  ')}
  else
    return redis.error_reply('barest: groups ' .. groups)
  end
  if fresh then
    ${hsetOnly ? '' : "entry[n + 1], entry[n + 2] = 'e', argv[k - 1]"}
    n = n + 2
  end
end
${
  hsetOnly
    ? ''
    : `call('XADD', keys[1], 'MAXLEN', '~', argv[#argv], '*', unpack(entry))
call('HSET', keys[2], '~seq', seqText)`
}
return n / 2 - 1`;
}

/**
 * The barest calls for the Publisher's calls: the same quote hashes, values and events, each
 * ts moved by `tsShift` ms (a replay later than what the hashes hold, so the stale check passes
 * as it does for a live feed). A call's rows must all be tickers.
 */
export function barestCalls(
  recorded: readonly RecordedCall[],
  coin: CoinKeys,
  tsShift: number,
  write: FloorWrite,
): { keyCount: number; args: (string | Buffer)[] }[] {
  return recorded.map(({ keys, args }) => {
    // The market script's ARGV: maxlen, rows, then the events.
    const [maxlen, rows, ...events] = args;
    const callKeys = [`${coin.updates}:barest`, `${coin.snapshot}:barest`];
    const out: Buffer[] = [];
    for (const row of readRows(rows as Buffer)) {
      if (row.op !== 'T') throw new Error(`barest: a ${row.op} row in a ticker call`);
      callKeys.push(keys[row.quoteKey - 1]!);
      const ts = Number(row.ts) + tsShift;
      const head = Buffer.alloc(9);
      head.writeDoubleBE(ts);
      head[8] = row.groups!;
      const texts = [String(ts), ...carriedFields(row.groups!).map((field) => valueOf(row, field))];
      out.push(head, Buffer.from(texts.map((text) => `${text}\0`).join('')));
    }
    // MAXLEN counts entries; the Publisher's option counts updates (its script's cap).
    const cap = String(Math.ceil(Number(maxlen) / events.length));
    const scriptArgs =
      write === 'hset only' ? [Buffer.concat(out)] : [Buffer.concat(out), ...events, cap];
    return { keyCount: callKeys.length, args: [...callKeys, ...scriptArgs] };
  });
}

function valueOf(row: MarketRow, field: string): string {
  const value = row.values[QUOTE_VALUE_FIELDS.indexOf(field as never)];
  if (value === undefined) throw new Error(`barest: ${row.field} carries no ${field}`);
  return value;
}

/** The quote hashes' writes of the Publisher's calls, as HSET arguments (key, field, value…). */
export function plainHsets(recorded: readonly RecordedCall[]): string[][][] {
  return recorded.map(({ keys, args }) =>
    readRows(args[1] as Buffer).map((row) => [
      keys[row.quoteKey - 1]!,
      ...carriedFields(row.groups!).flatMap((field) => [field, valueOf(row, field)]),
      'ts',
      row.ts,
      'seq',
      '0',
    ]),
  );
}

/**
 * Throws unless the quote hashes hold what the last of `recorded` carried (`ts` moved by `tsShift`):
 * a floor row that writes less than the Publisher's would count less, so each is checked.
 */
export async function checkFloorWrite(
  client: Redis,
  recorded: readonly RecordedCall[],
  tsShift: number,
): Promise<void> {
  // What each hash holds once the call's rows are written in order (an instrument may be in
  // a call twice, the second row leaving out a group the first carried).
  const expected = new Map<string, Map<string, string>>();
  for (const [key, ...pairs] of plainHsets(recorded.slice(-1))[0]!) {
    const fields = expected.get(key!) ?? new Map<string, string>();
    for (let at = 0; at < pairs.length; at += 2) fields.set(pairs[at]!, pairs[at + 1]!);
    expected.set(key!, fields);
  }
  for (const [key, fields] of expected) {
    fields.delete('seq');
    fields.set('ts', String(Number(fields.get('ts')) + tsShift));
    const names = [...fields.keys()];
    const held = await client.hmget(key, ...names);
    names.forEach((name, at) => {
      const want = fields.get(name);
      if (held[at] !== want) throw new Error(`floor: ${key} ${name} is ${held[at]}, not ${want}`);
    });
  }
}
