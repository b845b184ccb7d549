/**
 * The columns `scan`, `export` and `history` print. Tables show vols in points and greeks as
 * on the screen; JSON lines and CSV use the store's field names and values (IVs as decimals).
 */
import {
  fmtExpiry,
  fmtFixed,
  fmtIv,
  fmtPrice,
  fmtSigned,
  fmtSize,
  fmtStrike,
  fmtUsd,
} from './format.js';
import type { Column } from './record-format.js';
import type { ScanRow } from './scan-rows.js';

type Num = number | null;

function isoTime(ms: Num): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function numeric<T>(
  key: string,
  title: string,
  get: (r: T) => Num,
  cell: (v: Num) => string,
): Column<T> {
  return { key, title, value: get, cell: (record) => cell(get(record)) };
}

function text<T>(key: string, title: string, get: (r: T) => string | null): Column<T> {
  return { key, title, value: get, cell: (record) => get(record) ?? '', text: true };
}

const points = (value: Num): string => (value === null ? '' : (value * 100).toFixed(1));

/** Every instrument's latest state, as `export` writes it and `scan` shows it. */
export const SCAN_COLUMNS: readonly Column<ScanRow>[] = [
  text('venue', 'venue', (r) => r.venue),
  text('instrument', 'instrument', (r) => r.instrument),
  {
    ...text<ScanRow>('expiry', 'expiry', (r) => isoTime(r.expiry)),
    cell: (r) => fmtExpiry(r.expiry),
  },
  numeric('strike', 'strike', (r) => r.strike, fmtStrike),
  text('type', 'type', (r) => r.type ?? (r.kind === 'option' ? null : r.kind)),
  numeric('bid', 'bid', (r) => r.bid, fmtPrice),
  numeric('ask', 'ask', (r) => r.ask, fmtPrice),
  numeric('mark', 'mark', (r) => r.mark, fmtPrice),
  numeric('bid_iv', 'bIV', (r) => r.bidIv, fmtIv),
  numeric('ask_iv', 'aIV', (r) => r.askIv, fmtIv),
  numeric('mark_iv', 'mIV', (r) => r.markIv, fmtIv),
  numeric('spread_iv', 'sprdIV', (r) => r.spreadIv, points),
  numeric(
    'spread_pct',
    'sprd%',
    (r) => r.spreadPct,
    (v) => fmtFixed(v, 1),
  ),
  numeric(
    'delta',
    'delta',
    (r) => r.delta,
    (v) => fmtSigned(v, 2),
  ),
  numeric(
    'gamma',
    'gamma',
    (r) => r.gamma,
    (v) => fmtFixed(v, 6),
  ),
  numeric(
    'vega',
    'vega',
    (r) => r.vega,
    (v) => fmtFixed(v, 2),
  ),
  numeric(
    'theta',
    'theta',
    (r) => r.theta,
    (v) => fmtSigned(v, 2),
  ),
  numeric('volume', 'volume', (r) => r.volume, fmtSize),
  numeric('open_interest', 'OI', (r) => r.openInterest, fmtSize),
  numeric('bid_size', 'bidSz', (r) => r.bidSize, fmtSize),
  numeric('ask_size', 'askSz', (r) => r.askSize, fmtSize),
  numeric('forward', 'forward', (r) => r.forward, fmtUsd),
  numeric('index', 'index', (r) => r.index, fmtUsd),
  {
    ...text<ScanRow>('ts', 'time', (r) => isoTime(r.ts)),
    cell: (r) => isoTime(r.ts)?.slice(11, 19) ?? '',
  },
];

/** The table keeps to what fits a terminal; JSON and CSV carry every column. */
const TABLE_KEYS = new Set([
  'venue',
  'instrument',
  'expiry',
  'strike',
  'type',
  'bid',
  'ask',
  'bid_iv',
  'ask_iv',
  'mark_iv',
  'spread_iv',
  'spread_pct',
  'delta',
  'volume',
  'open_interest',
]);

export const SCAN_TABLE_COLUMNS = SCAN_COLUMNS.filter((column) => TABLE_KEYS.has(column.key));

/** A minute of history as the history reader returns it. */
export interface HistoryRecord {
  readonly ts: number;
  readonly values: Readonly<Record<string, Num>>;
}

const value = (record: HistoryRecord, name: string): Num => record.values[name] ?? null;

export const HISTORY_COLUMNS: readonly Column<HistoryRecord>[] = [
  {
    ...text<HistoryRecord>('time', 'time (UTC)', (r) => isoTime(r.ts)),
    cell: (r) => isoTime(r.ts)!.slice(0, 16).replace('T', ' '),
  },
  numeric('bid', 'bid', (r) => value(r, 'bid'), fmtPrice),
  numeric('ask', 'ask', (r) => value(r, 'ask'), fmtPrice),
  numeric('mark', 'mark', (r) => value(r, 'mark'), fmtPrice),
  numeric('bid_iv', 'bIV', (r) => value(r, 'bid_iv'), fmtIv),
  numeric('ask_iv', 'aIV', (r) => value(r, 'ask_iv'), fmtIv),
  numeric('mark_iv', 'mIV', (r) => value(r, 'mark_iv'), fmtIv),
  numeric(
    'delta',
    'delta',
    (r) => value(r, 'delta'),
    (v) => fmtSigned(v, 2),
  ),
  numeric(
    'gamma',
    'gamma',
    (r) => value(r, 'gamma'),
    (v) => fmtFixed(v, 6),
  ),
  numeric(
    'vega',
    'vega',
    (r) => value(r, 'vega'),
    (v) => fmtFixed(v, 2),
  ),
  numeric(
    'theta',
    'theta',
    (r) => value(r, 'theta'),
    (v) => fmtSigned(v, 2),
  ),
  numeric('forward', 'forward', (r) => value(r, 'forward'), fmtUsd),
  numeric('index', 'index', (r) => value(r, 'index'), fmtUsd),
];

/** A chain's surface minute (`history --surface`): vols as points in tables, decimals else. */
export interface SurfaceHistoryRecord {
  readonly ts: number;
  readonly values: Readonly<Record<string, number | null>>;
  readonly index30d: number | null;
  readonly arbitrage: string;
  readonly delta: string;
  readonly grid: unknown;
}

const surfaceValue =
  (name: string) =>
  (r: SurfaceHistoryRecord): Num =>
    r.values[name] ?? null;

const surfaceTime: Column<SurfaceHistoryRecord> = {
  ...text<SurfaceHistoryRecord>('time', 'time (UTC)', (r) => isoTime(r.ts)),
  cell: (r) => isoTime(r.ts)!.slice(0, 16).replace('T', ' '),
};

/** The table: the 30-day read-outs, the ATM term structure and the index. */
export const SURFACE_HISTORY_TABLE: readonly Column<SurfaceHistoryRecord>[] = [
  surfaceTime,
  ...[7, 30, 90].map((days) =>
    numeric(`atm_${days}d`, `ATM${days}d`, surfaceValue(`atm_${days}d`), points),
  ),
  numeric('rr25_30d', 'RR25', surfaceValue('rr25_30d'), points),
  numeric('bf25_30d', 'BF25', surfaceValue('bf25_30d'), points),
  numeric('rr10_30d', 'RR10', surfaceValue('rr10_30d'), points),
  numeric('bf10_30d', 'BF10', surfaceValue('bf10_30d'), points),
  numeric('index_30d', 'idx30', (r) => r.index30d, points),
  text('arbitrage', 'arbitrage', (r) => r.arbitrage),
];

/** JSON lines and CSV: every stored read-out (decimal vols); JSON lines add the grid. */
export function surfaceHistoryColumns(
  fields: readonly string[],
  withGrid: boolean,
): Column<SurfaceHistoryRecord>[] {
  return [
    surfaceTime,
    ...fields.map((name) => numeric(name, name, surfaceValue(name), points)),
    numeric('index_30d', 'idx30', (r) => r.index30d, points),
    text('arbitrage', 'arbitrage', (r) => r.arbitrage),
    text('delta', 'delta', (r) => r.delta),
    ...(withGrid
      ? [
          {
            key: 'grid',
            title: 'grid',
            value: (r: SurfaceHistoryRecord): object | null =>
              typeof r.grid === 'object' ? r.grid : null,
            cell: (): string => '',
          },
        ]
      : []),
  ];
}
