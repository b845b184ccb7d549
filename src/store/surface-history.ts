/**
 * Minute history of each option chain's fitted surface: per chain a stream `…:surf:<quote>`
 * with one entry per minute, id `<minute start ms>-0`, as the instruments' minute history is
 * kept (a minute written twice is one entry; trimmed by time and by count; the key expires
 * with its retention). Fields a shell user reads with XRANGE:
 * - per constant maturity d of SURFACE_MATURITY_DAYS: `atm_<d>d`, `rr25_<d>d`, `bf25_<d>d`,
 *   `rr10_<d>d`, `bf10_<d>d`, `skew_<d>d` (decimal vols, '' where the surface has none);
 * - `index_30d` (ivtrade's 30-day index), `arbitrage` (`clean`, `repaired` or `flagged`),
 *   `delta` (the delta convention of the read-outs), and `grid`: the whole grid as JSON.
 */
import type { RedisClient } from './connect.js';
import type { CoinKeys } from './keys.js';
import { significantText } from './codec.js';
import { MINUTE_MS, type HistoryLimits } from './history.js';

export const SURFACE_MATURITY_DAYS = [1, 7, 14, 30, 60, 90, 180] as const;
const READOUTS = ['atm', 'rr25', 'bf25', 'rr10', 'bf10', 'skew'] as const;
export type SurfaceReadout = (typeof READOUTS)[number];

/** One minute of one chain, as the app hands it over (vols decimal, null where none). */
export interface SurfaceMinute {
  readonly quote: string;
  /** Per maturity in SURFACE_MATURITY_DAYS order. */
  readonly readouts: readonly Readonly<Record<SurfaceReadout, number | null>>[];
  readonly index30d: number | null;
  readonly arbitrage: 'clean' | 'repaired' | 'flagged';
  readonly delta: string;
  /** The grid, already as JSON text. */
  readonly grid: string;
}

export interface SurfaceHistoryEntry {
  readonly ts: number;
  /** `atm_30d` → 0.55, … (null where none). */
  readonly values: Readonly<Record<string, number | null>>;
  readonly index30d: number | null;
  readonly arbitrage: string;
  readonly delta: string;
  readonly grid: unknown;
}

export const SURFACE_FIELDS: readonly string[] = SURFACE_MATURITY_DAYS.flatMap((days) =>
  READOUTS.map((name) => `${name}_${days}d`),
);

const COMMAND = 'ivtSurfaceMinute';

// KEYS[1]: the chain's stream. ARGV: minute ms, oldest ms kept, max entries, TTL ms, then the
// entry's field/value pairs. Returns 1 when the minute was added, 0 when it was there already.
const LUA = `
local entry = {}
for i = 5, #ARGV do entry[#entry + 1] = ARGV[i] end
local added = redis.pcall('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], ARGV[1] .. '-0', unpack(entry))
local written = 1
if type(added) == 'table' and added.err then
  if not string.find(added.err, 'equal or smaller', 1, true) then return added end
  written = 0
end
redis.call('XTRIM', KEYS[1], 'MINID', '~', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return written
`;

type SurfaceCommand = (...args: (string | number)[]) => Promise<number>;
const defined = new WeakSet<RedisClient>();

function surfaceCommand(client: RedisClient): SurfaceCommand {
  if (!defined.has(client)) {
    client.defineCommand(COMMAND, { lua: LUA });
    defined.add(client);
  }
  return (client as unknown as Record<string, SurfaceCommand>)[COMMAND]!.bind(client);
}

/** Writes one chain's minute; resolves to 1 when added, 0 when the minute was there. */
export async function writeSurfaceMinute(
  client: RedisClient,
  coin: CoinKeys,
  minuteMs: number,
  minute: SurfaceMinute,
  limits: HistoryLimits,
  now: number = minuteMs,
): Promise<number> {
  if (!Number.isInteger(minuteMs / MINUTE_MS)) {
    throw new Error(`a history minute starts on the minute, not at ${minuteMs}`);
  }
  if (minute.readouts.length !== SURFACE_MATURITY_DAYS.length) {
    throw new Error(`a surface minute has ${SURFACE_MATURITY_DAYS.length} maturities`);
  }
  const pairs: string[] = [];
  SURFACE_MATURITY_DAYS.forEach((days, at) => {
    for (const name of READOUTS) {
      pairs.push(`${name}_${days}d`, significantText(minute.readouts[at]![name], 6));
    }
  });
  pairs.push(
    'index_30d',
    significantText(minute.index30d, 6),
    'arbitrage',
    minute.arbitrage,
    'delta',
    minute.delta,
    'grid',
    minute.grid,
  );
  return surfaceCommand(client)(
    1,
    coin.surfaceHistory(minute.quote),
    String(minuteMs),
    String(Math.max(0, Math.floor(now - limits.retentionMs))),
    String(Math.max(1, Math.floor(limits.maxEntries))),
    String(Math.max(1, Math.ceil(limits.retentionMs))),
    ...pairs,
  );
}

/** One chain's minutes from `fromMs` to `toMs` (both inclusive), oldest first. */
export async function readSurfaceHistory(
  client: RedisClient,
  coin: CoinKeys,
  quote: string,
  fromMs: number,
  toMs: number,
): Promise<SurfaceHistoryEntry[]> {
  const raw = await client.xrange(
    coin.surfaceHistory(quote),
    String(Math.max(0, Math.floor(fromMs))),
    String(Math.max(0, Math.floor(toMs))),
  );
  return raw.map(([id, flat]) => {
    const fields = new Map<string, string>();
    for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i]!, flat[i + 1]!);
    const number = (name: string): number | null => {
      const text = fields.get(name);
      if (text === undefined || text === '') return null;
      const value = Number(text);
      return Number.isFinite(value) ? value : null;
    };
    let grid: unknown = null;
    try {
      grid = JSON.parse(fields.get('grid') ?? 'null');
    } catch {
      grid = null; // an entry someone else wrote by hand: the read-outs still stand
    }
    return {
      ts: Number(id.split('-')[0]),
      values: Object.fromEntries(SURFACE_FIELDS.map((name) => [name, number(name)])),
      index30d: number('index_30d'),
      arbitrage: fields.get('arbitrage') ?? '',
      delta: fields.get('delta') ?? '',
      grid,
    };
  });
}

const DAY_MS = 86_400_000;

/**
 * One value a day of a chain's surface history, for IV rank: each UTC day's last minute of
 * `field` (e.g. `index_30d`) over the `days` days up to `toMs`, oldest first; a day with no
 * minute (serve was down) or no value gives no point. One XREVRANGE … COUNT 1 a day, pipelined:
 * a year is 365 small reads, not half a million minutes.
 */
export async function readSurfaceDaily(
  client: RedisClient,
  coin: CoinKeys,
  quote: string,
  field: string,
  days: number,
  toMs: number,
): Promise<{ ts: number; value: number }[]> {
  const key = coin.surfaceHistory(quote);
  const lastDay = Math.floor(toMs / DAY_MS) * DAY_MS;
  const pipeline = client.pipeline();
  for (let day = lastDay - (days - 1) * DAY_MS; day <= lastDay; day += DAY_MS) {
    const end = Math.min(day + DAY_MS - 1, toMs);
    pipeline.xrevrange(key, String(end), String(day), 'COUNT', 1);
  }
  const replies = (await pipeline.exec()) ?? [];
  const points: { ts: number; value: number }[] = [];
  replies.forEach(([error, reply]) => {
    if (error !== null) throw error;
    const entries = reply as [string, string[]][];
    const [id, flat] = entries[0] ?? [];
    if (id === undefined || flat === undefined) return;
    const at = flat.indexOf(field);
    const text = at >= 0 && at % 2 === 0 ? flat[at + 1] : undefined;
    const value = text === undefined || text === '' ? NaN : Number(text);
    if (Number.isFinite(value)) points.push({ ts: Number(id.split('-')[0]), value });
  });
  return points;
}
