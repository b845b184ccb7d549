/**
 * Rows for `scan` and `export`: an instrument's spec and its latest-state hash as published
 * (decimal text, '' for none) turned into numbers, plus what a scan ranks by: the spread in
 * vol points and in percent of the mid. Pure: the caller reads Redis.
 */
import type { InstrumentSpec } from '../instruments/types.js';

/** What the store holds for one instrument (structurally the store's StoredInstrument). */
export interface ScanSource {
  readonly venue: string;
  readonly coin: string;
  readonly spec: InstrumentSpec;
  /** The latest-state hash fields as text; null where nothing was published yet. */
  readonly quote: Readonly<Record<string, string>> | null;
}

export interface ScanRow {
  readonly venue: string;
  readonly coin: string;
  readonly instrument: string;
  readonly kind: InstrumentSpec['kind'];
  /** Null for futures and perpetuals. */
  readonly type: 'call' | 'put' | null;
  readonly strike: number | null;
  /** ms; null for a perpetual. */
  readonly expiry: number | null;
  readonly bid: number | null;
  readonly ask: number | null;
  readonly bidSize: number | null;
  readonly askSize: number | null;
  readonly mark: number | null;
  /** Decimals (0.63 = 63 %). */
  readonly bidIv: number | null;
  readonly askIv: number | null;
  readonly markIv: number | null;
  readonly delta: number | null;
  readonly gamma: number | null;
  readonly vega: number | null;
  readonly theta: number | null;
  readonly forward: number | null;
  readonly index: number | null;
  readonly volume: number | null;
  readonly openInterest: number | null;
  /** Ask IV minus bid IV, a decimal; null without both. */
  readonly spreadIv: number | null;
  /** (ask − bid) / mid × 100; null without both sides. */
  readonly spreadPct: number | null;
  /** The venue's time of the latest update (ms). */
  readonly ts: number | null;
}

export function scanRow(source: ScanSource): ScanRow {
  const { spec, quote } = source;
  const num = (field: string): number | null => {
    const text = quote?.[field];
    if (text === undefined || text === '') return null;
    const value = Number(text);
    return Number.isFinite(value) ? value : null;
  };
  const bid = num('bid');
  const ask = num('ask');
  const bidIv = num('bid_iv');
  const askIv = num('ask_iv');
  const mid = bid !== null && ask !== null ? (bid + ask) / 2 : null;
  return {
    venue: source.venue,
    coin: source.coin,
    instrument: spec.name,
    kind: spec.kind,
    type: spec.kind === 'option' ? spec.type : null,
    strike: spec.kind === 'option' ? spec.strike : null,
    expiry: spec.expiry,
    bid,
    ask,
    bidSize: num('bid_size'),
    askSize: num('ask_size'),
    mark: num('mark'),
    bidIv,
    askIv,
    markIv: num('mark_iv'),
    delta: num('delta'),
    gamma: num('gamma'),
    vega: num('vega'),
    theta: num('theta'),
    forward: num('forward'),
    index: num('index'),
    volume: num('volume'),
    openInterest: num('open_interest'),
    spreadIv: bidIv !== null && askIv !== null ? askIv - bidIv : null,
    spreadPct:
      mid !== null && mid > 0 && bid !== null && ask !== null ? ((ask - bid) / mid) * 100 : null,
    ts: num('ts'),
  };
}
