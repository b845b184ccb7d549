import type { ExpiryRow } from '../book/expiry-row.js';
import type { OptionChain } from '../book/option-chain.js';
import { yearFraction } from '../pricing/index.js';
import { fmtExpiry } from './format.js';
import type {
  ChainRowView,
  ChainSideView,
  ChainView,
  ExpiryChoice,
  SmilePoint,
  SmileView,
  TermView,
  ViewRequest,
} from './types.js';

/** The chain key the UI selects by: base coin and premium currency. */
export function chainKey(chain: OptionChain): string {
  return `${chain.base}/${chain.quote}`;
}

/** The expiry shown: the requested one, else the first listed at or after it, else the front. */
export function selectRow(chain: OptionChain, expiry: number | null): number {
  if (chain.rows.length === 0) return -1;
  if (expiry === null) return 0;
  const at = chain.rows.findIndex((row) => row.expiry >= expiry);
  return at === -1 ? chain.rows.length - 1 : at;
}

/** Index of the listed strike nearest `strike`; the ATM strike (else the middle) for null. */
export function selectStrike(row: ExpiryRow, strike: number | null): number {
  const count = row.strikes.length;
  if (count === 0) return -1;
  if (strike === null) return row.atmIndex >= 0 ? row.atmIndex : count >> 1;
  let best = 0;
  for (let k = 1; k < count; k += 1) {
    if (Math.abs(row.strikes[k]! - strike) < Math.abs(row.strikes[best]! - strike)) best = k;
  }
  return best;
}

/**
 * The first visible row: unchanged while the cursor stays inside the window, otherwise moved
 * just enough to bring it back in (a cursor must never disappear below the fold).
 */
export function scrollTop(cursor: number, top: number, visible: number, total: number): number {
  if (visible <= 0 || total <= 0) return 0;
  let next = Math.min(Math.max(0, top), Math.max(0, total - visible));
  if (cursor < next) next = cursor;
  else if (cursor >= next + visible) next = cursor - visible + 1;
  return Math.max(0, next);
}

function side(row: ExpiryRow, slot: number): ChainSideView {
  const spec = row.specs[slot];
  const greeks = row.greeks;
  return {
    instrument: spec?.name ?? null,
    bid: row.bid[slot]!,
    bidSize: row.bidSize[slot]!,
    ask: row.ask[slot]!,
    askSize: row.askSize[slot]!,
    mark: row.mark[slot]!,
    bidIv: row.bidIv[slot]!,
    askIv: row.askIv[slot]!,
    markIv: row.markIv[slot]!,
    delta: greeks.delta[slot]!,
    gamma: greeks.gamma[slot]!,
    vega: greeks.vega[slot]!,
    theta: greeks.theta[slot]!,
    // An unlisted side or one without any quote reads as stale: nothing on it to trust.
    stale:
      spec === null || spec === undefined || row.stale[slot] === 1 || row.quoteSource[slot] === 0,
  };
}

export function expiryChoices(chain: OptionChain): ExpiryChoice[] {
  return chain.rows.map((row) => ({ expiry: row.expiry, label: fmtExpiry(row.expiry) }));
}

/** The visible window of one expiry of a chain, with the cursor kept in view. */
export function buildChainView(chain: OptionChain, request: ViewRequest): ChainView | null {
  const rowIndex = selectRow(chain, request.expiry);
  const row = chain.rows[rowIndex];
  if (row === undefined) return null;
  const total = row.strikes.length;
  const cursorIndex = selectStrike(row, request.strike);
  const visible = Math.max(0, Math.min(request.rows, total));
  const top = scrollTop(cursorIndex, request.top, visible, total);
  const rows: ChainRowView[] = [];
  for (let k = top; k < top + visible; k += 1) {
    rows.push({
      strike: row.strikes[k]!,
      atm: k === row.atmIndex,
      call: side(row, 2 * k),
      put: side(row, 2 * k + 1),
    });
  }
  return {
    key: chainKey(chain),
    base: chain.base,
    quote: chain.quote,
    settlement: row.settlement,
    expiries: expiryChoices(chain),
    expiryIndex: rowIndex,
    expiry: row.expiry,
    forward: row.forward,
    index: chain.index,
    strikes: Array.from(row.strikes),
    atmIndex: row.atmIndex,
    cursorIndex,
    top,
    rows,
  };
}

/**
 * The smile of one expiry, out-of-the-money side per strike (puts below the forward, calls
 * at and above): the liquid side, and the one traders read a smile from.
 */
export function buildSmileView(chain: OptionChain, expiry: number | null): SmileView | null {
  const row = chain.rows[selectRow(chain, expiry)];
  if (row === undefined) return null;
  const forward = row.forward;
  const points: SmilePoint[] = [];
  for (let k = 0; k < row.strikes.length; k += 1) {
    const strike = row.strikes[k]!;
    const otmPut = forward > 0 && strike < forward;
    let slot = otmPut ? 2 * k + 1 : 2 * k;
    // Where only one type is listed, it stands for the strike.
    if (row.specs[slot] === null) slot ^= 1;
    points.push({
      strike,
      logMoneyness: forward > 0 ? Math.log(strike / forward) : NaN,
      bidIv: row.bidIv[slot]!,
      askIv: row.askIv[slot]!,
      markIv: row.markIv[slot]!,
    });
  }
  return { expiry: row.expiry, label: fmtExpiry(row.expiry), forward, points };
}

/** ATM mark IV of a row: the mean of the ATM call's and put's where both exist. */
export function atmIv(row: ExpiryRow): number {
  const k = row.atmIndex;
  if (k < 0) return NaN;
  const call = row.markIv[2 * k]!;
  const put = row.markIv[2 * k + 1]!;
  if (Number.isNaN(call)) return put;
  if (Number.isNaN(put)) return call;
  return (call + put) / 2;
}

export function buildTermView(chain: OptionChain, now: number): TermView {
  return {
    points: chain.rows.map((row) => ({
      expiry: row.expiry,
      label: fmtExpiry(row.expiry),
      years: yearFraction(now, row.expiry),
      atmIv: atmIv(row),
    })),
  };
}
