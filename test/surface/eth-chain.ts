// The recorded ETH chain (test/fixtures/deribit/book-summary-ETH-options-2024-01-08.csv, a
// public/get_book_summary_by_currency snapshot) as the surface's input.

import { readFileSync } from 'node:fs';
import { fixturePath } from '../support/paths.js';
import { expiryFromPrices, type PricedExpiry, type PriceQuote } from '../../src/surface/index.js';
import type { ExpiryChain } from '../../src/surface/index.js';
import { MS_PER_YEAR } from '../../src/pricing/index.js';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** Deribit expiries settle at 08:00 UTC on the named day. */
export function deribitExpiryMs(code: string): number {
  const m = /^(\d{1,2})([A-Z]{3})(\d{2})$/.exec(code);
  if (m === null) throw new Error(`not a Deribit expiry: ${code}`);
  return Date.UTC(2000 + Number(m[3]), MONTHS.indexOf(m[2]!), Number(m[1]), 8);
}

export interface EthChain {
  readonly nowMs: number;
  readonly expiries: PricedExpiry[];
  /** Per expiry code, whether its forward is Deribit's synthetic one (no future listed). */
  readonly synthetic: Map<number, boolean>;
  readonly codes: Map<number, string>;
}

export function loadEthChain(): EthChain {
  const text = readFileSync(
    fixturePath('deribit', 'book-summary-ETH-options-2024-01-08.csv'),
    'utf8',
  );
  const lines = text.trim().split('\n');
  const header = lines[0]!.split(',');
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`no column ${name}`);
    return i;
  };
  const cBid = col('bid_price');
  const cAsk = col('ask_price');
  const cStrike = col('strike_price');
  const cType = col('option_type');
  const cExpiry = col('expire_date');
  const cForward = col('underlying_price');
  const cIndex = col('underlying_index');
  const cTime = col('creation_timestamp');
  const num = (s: string | undefined): number | null =>
    s === undefined || s === '' ? null : Number(s);
  let nowMs = 0;
  const byExpiry = new Map<
    number,
    { forward: number[]; quotes: PriceQuote[]; code: string; syn: boolean }
  >();
  for (const line of lines.slice(1)) {
    const f = line.split(',');
    const expiryMs = deribitExpiryMs(f[cExpiry]!);
    nowMs = Math.max(nowMs, Number(f[cTime]));
    let e = byExpiry.get(expiryMs);
    if (e === undefined) {
      e = { forward: [], quotes: [], code: f[cExpiry]!, syn: f[cIndex]!.startsWith('SYN.') };
      byExpiry.set(expiryMs, e);
    }
    e.forward.push(Number(f[cForward]));
    e.quotes.push({
      strike: Number(f[cStrike]),
      type: f[cType] === 'C' ? 'call' : 'put',
      bid: num(f[cBid]),
      ask: num(f[cAsk]),
    });
  }
  const expiries: PricedExpiry[] = [];
  const synthetic = new Map<number, boolean>();
  const codes = new Map<number, string>();
  for (const [expiryMs, e] of [...byExpiry].sort((x, y) => x[0] - y[0])) {
    // Rows of one expiry were stamped a millisecond apart and differ by a cent at most.
    const forward = e.forward.reduce((s, v) => s + v, 0) / e.forward.length;
    expiries.push({
      expiryMs,
      years: (expiryMs - nowMs) / MS_PER_YEAR,
      forward,
      style: 'inverse',
      quotes: e.quotes,
    });
    synthetic.set(expiryMs, e.syn);
    codes.set(expiryMs, e.code);
  }
  return { nowMs, expiries, synthetic, codes };
}

export function ethSmiles(): { chain: EthChain; smiles: ExpiryChain[] } {
  const chain = loadEthChain();
  return { chain, smiles: chain.expiries.map((e) => expiryFromPrices(e)) };
}
