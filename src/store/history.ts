/**
 * Minute history: per instrument a stream `…:hist:<instrument>` with one entry per minute,
 * id `<minute start ms>-0`, fields HISTORY_FIELDS as decimal text ('' where none).
 *
 * One script call writes one minute for many instruments of one coin (their keys share the
 * coin's slot). A minute written twice stays one entry: a stream id can only grow, so an id
 * not above the stream's last is skipped, which also keeps a replay or a second recorder from
 * interleaving older minutes. Every write trims by time and by count and re-arms the key's
 * expiry, so an instrument that stops being written (delisted, expired) vanishes with its
 * retention instead of lingering forever.
 */
import type { RedisClient } from './connect.js';
import type { CoinKeys } from './keys.js';
import { decimalText, significantText } from './codec.js';

export const HISTORY_FIELDS = [
  'bid',
  'ask',
  'mark',
  'bid_iv',
  'ask_iv',
  'mark_iv',
  'delta',
  'gamma',
  'vega',
  'theta',
  'forward',
  'index',
] as const;

export type HistoryField = (typeof HISTORY_FIELDS)[number];

/**
 * Significant digits kept of what ivtrade computed (IVs, greeks, the forward and the index it
 * read them at): a month of minutes of every option is the bulk of Redis's memory, and six
 * digits of an IV resolve a thousandth of a vol point. The venue's own prices are kept whole.
 */
const COMPUTED_DIGITS: Partial<Record<HistoryField, number>> = {
  bid_iv: 6,
  ask_iv: 6,
  mark_iv: 6,
  delta: 6,
  gamma: 6,
  vega: 6,
  theta: 6,
  forward: 10,
  index: 10,
};

/** A history value as stored: decimal text, '' for none, computed values rounded as above. */
export function historyText(field: HistoryField, value: number | null | undefined): string {
  const digits = COMPUTED_DIGITS[field];
  if (digits === undefined || value === null || value === undefined || !Number.isFinite(value)) {
    return decimalText(value);
  }
  return significantText(value, digits);
}

/** One minute of one instrument; null where there was no value. */
export type HistoryValues = Readonly<Record<HistoryField, number | null>>;

export interface HistoryEntry {
  /** The minute's start (ms since the epoch). */
  readonly ts: number;
  readonly values: HistoryValues;
}

export const MINUTE_MS = 60_000;
export const DEFAULT_RETENTION_MS = 30 * 24 * 60 * MINUTE_MS;
/** A month of minutes and a little over; the time trim is the one that normally bites. */
export const DEFAULT_MAX_ENTRIES = 50_000;

const COMMAND = 'ivtHistoryMinute';

// KEYS: the instruments' history streams. ARGV: minute ms, oldest ms kept, max entries, TTL ms,
// then the field values of each key in HISTORY_FIELDS order. Returns the entries added.
const LUA = `
local names = {${HISTORY_FIELDS.map((name) => `'${name}'`).join(',')}}
local width = #names
local id = ARGV[1] .. '-0'
local written = 0
for i, key in ipairs(KEYS) do
  local entry = {}
  local at = 4 + (i - 1) * width
  for f = 1, width do
    entry[2 * f - 1] = names[f]
    entry[2 * f] = ARGV[at + f]
  end
  local added = redis.pcall('XADD', key, 'MAXLEN', '~', ARGV[3], id, unpack(entry))
  if type(added) == 'table' and added.err then
    -- The minute is already there (or an older one came late): the entry stands as written.
    if not string.find(added.err, 'equal or smaller', 1, true) then return added end
  else
    written = written + 1
  end
  redis.call('XTRIM', key, 'MINID', '~', ARGV[2])
  redis.call('PEXPIRE', key, ARGV[4])
end
return written
`;

type HistoryCommand = (...args: (string | number)[]) => Promise<number>;

const defined = new WeakSet<RedisClient>();

function historyCommand(client: RedisClient): HistoryCommand {
  if (!defined.has(client)) {
    client.defineCommand(COMMAND, { lua: LUA });
    defined.add(client);
  }
  const command = (client as unknown as Record<string, HistoryCommand>)[COMMAND]!;
  return command.bind(client);
}

export interface HistoryLimits {
  /** How long a minute is kept (ms); also the key's expiry after its last write. */
  readonly retentionMs: number;
  /** At most about this many minutes per instrument (trimmed approximately, as MAXLEN ~). */
  readonly maxEntries: number;
}

export interface HistoryRow {
  readonly instrument: string;
  readonly values: HistoryValues;
}

/**
 * Writes minute `minuteMs` (a multiple of a minute) for instruments of the one coin whose keys
 * are `coin`. `now` is what the time trim measures the retention back from. Resolves to the
 * entries added (minutes already written are not counted).
 */
export async function writeHistoryMinute(
  client: RedisClient,
  coin: CoinKeys,
  minuteMs: number,
  rows: readonly HistoryRow[],
  limits: HistoryLimits,
  now: number = minuteMs,
): Promise<number> {
  if (rows.length === 0) return 0;
  if (!Number.isInteger(minuteMs / MINUTE_MS)) {
    throw new Error(`a history minute starts on the minute, not at ${minuteMs}`);
  }
  const keys = rows.map((row) => coin.history(row.instrument));
  const args: string[] = [
    String(minuteMs),
    String(Math.max(0, Math.floor(now - limits.retentionMs))),
    String(Math.max(1, Math.floor(limits.maxEntries))),
    String(Math.max(1, Math.ceil(limits.retentionMs))),
  ];
  for (const row of rows)
    for (const name of HISTORY_FIELDS) args.push(historyText(name, row.values[name]));
  return historyCommand(client)(keys.length, ...keys, ...args);
}

/** The entries of one instrument from `fromMs` to `toMs` (both inclusive), oldest first. */
export async function readHistory(
  client: RedisClient,
  coin: CoinKeys,
  instrument: string,
  fromMs: number,
  toMs: number,
): Promise<HistoryEntry[]> {
  const raw = await client.xrange(
    coin.history(instrument),
    String(Math.max(0, Math.floor(fromMs))),
    String(Math.max(0, Math.floor(toMs))),
  );
  return raw.map(([id, flat]) => ({ ts: Number(id.split('-')[0]), values: valuesOf(flat) }));
}

function valuesOf(flat: readonly string[]): HistoryValues {
  const values = Object.fromEntries(HISTORY_FIELDS.map((name) => [name, null])) as Record<
    HistoryField,
    number | null
  >;
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const name = flat[i] as HistoryField;
    if (name in values) values[name] = numberOf(flat[i + 1]);
  }
  return values;
}

function numberOf(text: string | undefined): number | null {
  if (text === undefined || text === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}
