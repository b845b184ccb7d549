/**
 * Deribit history into normalized bars and series:
 * - candles from `public/get_tradingview_chart_data` (instrument_name, start_timestamp,
 *   end_timestamp, resolution in minutes or "1D"; parallel arrays ticks/open/high/low/close/
 *   volume/cost and status "ok" | "no_data"), fetched in time windows of `pageCandles`;
 * - the volatility index (DVOL) from `public/get_volatility_index_data` (currency, start/end,
 *   resolution in seconds "60" | "3600" | "43200" | "1D"; `data` rows [ts, open, high, low,
 *   close] in percent, `continuation` the end_timestamp of the next, older page or null);
 * - the live `deribit_volatility_index.<index_name>` notification {volatility, timestamp,
 *   index_name}, volatility in percent.
 * Vol levels come out as decimals (55.2 → 0.552), as everywhere in ivtrade.
 *
 * A candle the venue made up for a period with no trade (its documented "filling sample": volume
 * 0, open = high = low = close = the previous close) is dropped: a flat bar claims a range that
 * never happened.
 */
import { barProblem, type Bar } from '../../analytics/bars.js';
import type { VolatilityIndexEvent } from '../../book/events.js';
import { withoutFillers } from '../common/candles.js';
import type { RpcCaller } from '../common/rpc-caller.js';
import {
  isArray,
  isRecord,
  requireArray,
  requireNumber,
  requireRecord,
  requireString,
  WireFormatError,
} from '../wire-fields.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Candles per request. The venue documents no cap; this stays well inside any it keeps. */
export const DEFAULT_CHART_PAGE = 5_000;
/** A runaway continuation chain stops here rather than looping forever. */
const MAX_VOL_INDEX_PAGES = 1_000;
const CHART_MINUTES = new Set([1, 3, 5, 10, 15, 30, 60, 120, 180, 360, 720]);
const VOL_INDEX_SECONDS = new Set([60, 3600, 43_200]);
const VOL_CHANNEL = 'deribit_volatility_index.';

export function chartResolution(periodMs: number): string {
  if (periodMs === DAY_MS) return '1D';
  const minutes = periodMs / MINUTE_MS;
  if (!CHART_MINUTES.has(minutes)) throw new RangeError(`Deribit has no ${periodMs} ms candles`);
  return String(minutes);
}

export function volatilityIndexResolution(periodMs: number): string {
  if (periodMs === DAY_MS) return '1D';
  const seconds = periodMs / 1000;
  if (!VOL_INDEX_SECONDS.has(seconds)) {
    throw new RangeError(`Deribit has no ${periodMs} ms volatility index candles`);
  }
  return String(seconds);
}

/** Bars of one `get_tradingview_chart_data` result, oldest first; filler candles dropped. */
export function parseChartData(result: unknown, periodMs: number): Bar[] {
  const where = 'Deribit get_tradingview_chart_data';
  if (!isRecord(result)) throw new WireFormatError(`${where}: the result is not an object`);
  const status = requireString(result, 'status', where);
  if (status === 'no_data') return [];
  if (status !== 'ok') throw new WireFormatError(`${where}: status ${JSON.stringify(status)}`);
  const columns = ['ticks', 'open', 'high', 'low', 'close', 'volume'] as const;
  const [ticks, open, high, low, close, volume] = columns.map((name) => {
    const column = requireArray(result, name, where);
    column.forEach((value, i) => {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new WireFormatError(`${where}: ${name}[${i}] is not a number`);
      }
    });
    return column as readonly number[];
  }) as [number[], number[], number[], number[], number[], number[]];
  if (columns.some((_, c) => [ticks, open, high, low, close, volume][c]!.length !== ticks.length)) {
    throw new WireFormatError(`${where}: the columns differ in length`);
  }
  const rows: { bar: Bar; volume: number }[] = [];
  for (let i = 0; i < ticks.length; i++) {
    const bar = { ts: ticks[i]!, open: open[i]!, high: high[i]!, low: low[i]!, close: close[i]! };
    const problem = barProblem(bar, periodMs);
    if (problem !== null) throw new WireFormatError(`${where}: candle at ${bar.ts}: ${problem}`);
    rows.push({ bar, volume: volume[i]! });
  }
  return withoutFillers(rows);
}

export interface CandleRequest {
  /** e.g. BTC-PERPETUAL. */
  readonly instrument: string;
  readonly periodMs: number;
  /** Candle starts in [from, to], ms. */
  readonly from: number;
  readonly to: number;
  readonly pageCandles?: number;
}

/** Every candle of the range, oldest first, one request per `pageCandles` periods. */
export async function loadDeribitCandles(rpc: RpcCaller, request: CandleRequest): Promise<Bar[]> {
  const resolution = chartResolution(request.periodMs);
  const page = request.pageCandles ?? DEFAULT_CHART_PAGE;
  if (!(request.from <= request.to)) throw new RangeError('candle range: from is after to');
  const byTs = new Map<number, Bar>();
  for (let start = request.from; start <= request.to; start += page * request.periodMs) {
    const end = Math.min(request.to, start + page * request.periodMs - 1);
    const result = await rpc.call('public/get_tradingview_chart_data', {
      instrument_name: request.instrument,
      start_timestamp: start,
      end_timestamp: end,
      resolution,
    });
    for (const bar of parseChartData(result, request.periodMs)) {
      if (bar.ts >= request.from && bar.ts <= request.to) byTs.set(bar.ts, bar);
    }
  }
  return [...byTs.values()].sort((a, b) => a.ts - b.ts);
}

/** One page of `get_volatility_index_data`: candles in decimal, oldest first. */
export function parseVolatilityIndexData(
  result: unknown,
  periodMs: number,
): { candles: Bar[]; continuation: number | null } {
  const where = 'Deribit get_volatility_index_data';
  if (!isRecord(result)) throw new WireFormatError(`${where}: the result is not an object`);
  const rows = requireArray(result, 'data', where);
  const continuation = result['continuation'];
  if (continuation !== null && continuation !== undefined && typeof continuation !== 'number') {
    throw new WireFormatError(`${where}: "continuation" must be a number or null`);
  }
  const candles = rows.map((row, i) => {
    if (!isArray(row) || row.length < 5 || row.some((x) => typeof x !== 'number')) {
      throw new WireFormatError(`${where}: data[${i}] is not [ts, open, high, low, close]`);
    }
    const [ts, open, high, low, close] = row as number[];
    const bar = {
      ts: ts!,
      open: open! / 100,
      high: high! / 100,
      low: low! / 100,
      close: close! / 100,
    };
    const problem = barProblem(bar, periodMs);
    if (problem !== null) throw new WireFormatError(`${where}: data[${i}]: ${problem}`);
    return bar;
  });
  return {
    candles: candles.sort((a, b) => a.ts - b.ts),
    continuation: typeof continuation === 'number' ? continuation : null,
  };
}

export interface VolatilityIndexRequest {
  /** e.g. BTC. */
  readonly currency: string;
  readonly periodMs: number;
  readonly from: number;
  readonly to: number;
}

/** The volatility index over the range, oldest first (decimal), following `continuation`. */
export async function loadDeribitVolatilityIndex(
  rpc: RpcCaller,
  request: VolatilityIndexRequest,
): Promise<Bar[]> {
  const resolution = volatilityIndexResolution(request.periodMs);
  if (!(request.from <= request.to)) throw new RangeError('vol index range: from is after to');
  const byTs = new Map<number, Bar>();
  let end = request.to;
  for (let pages = 0; ; pages++) {
    if (pages >= MAX_VOL_INDEX_PAGES) {
      throw new WireFormatError('Deribit get_volatility_index_data: continuation never ends');
    }
    const result = await rpc.call('public/get_volatility_index_data', {
      currency: request.currency,
      start_timestamp: request.from,
      end_timestamp: end,
      resolution,
    });
    const { candles, continuation } = parseVolatilityIndexData(result, request.periodMs);
    for (const candle of candles) {
      if (candle.ts >= request.from && candle.ts <= request.to) byTs.set(candle.ts, candle);
    }
    if (continuation === null || continuation < request.from || candles.length === 0) break;
    if (continuation >= end) {
      throw new WireFormatError(
        'Deribit get_volatility_index_data: continuation did not move back',
      );
    }
    end = continuation;
  }
  return [...byTs.values()].sort((a, b) => a.ts - b.ts);
}

/** The index names of Deribit's volatility index channel: `<coin>_usd` in lower case. */
export function volatilityIndexChannel(currency: string): string {
  return `${VOL_CHANNEL}${currency.toLowerCase()}_usd`;
}

/** A `deribit_volatility_index.<index_name>` notification as an event; null for any other
 * message; throws on a malformed one. */
export function deribitVolatilityIndexFromMessage(message: unknown): VolatilityIndexEvent | null {
  if (!isRecord(message) || message['method'] !== 'subscription') return null;
  const params = message['params'];
  if (!isRecord(params)) return null;
  const channel = params['channel'];
  if (typeof channel !== 'string' || !channel.startsWith(VOL_CHANNEL)) return null;
  const where = `Deribit ${channel}`;
  const data = requireRecord(params, 'data', where);
  const index = requireString(data, 'index_name', where);
  if (index !== channel.slice(VOL_CHANNEL.length)) {
    throw new WireFormatError(
      `${where}: "index_name" is ${JSON.stringify(index)}, not the channel's`,
    );
  }
  const volatility = requireNumber(data, 'volatility', where);
  if (!(volatility > 0))
    throw new WireFormatError(`${where}: volatility ${volatility} is not a level`);
  const base = index.split('_')[0] ?? '';
  return {
    kind: 'volatility-index',
    venue: 'deribit',
    base: base.toUpperCase(),
    index,
    ts: requireNumber(data, 'timestamp', where),
    value: volatility / 100,
  };
}
