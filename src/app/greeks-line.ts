import type { TickerEvent } from '../book/events.js';
import type { TickerAnalytics } from '../book/ticker-analytics.js';
import type { OptionContract } from '../instruments/types.js';

/**
 * One JSON line per option ticker. Written by hand rather than with JSON.stringify so the
 * key order is fixed by this text and no intermediate object is built per line. Numbers
 * are printed unrounded (String(n) is JSON's own number format for finite n).
 */
export function formatGreeksLine(
  ticker: TickerEvent,
  contract: OptionContract,
  ours: TickerAnalytics,
  compare: boolean,
): string {
  const line =
    `{"venue":${JSON.stringify(ticker.venue)},"instrument":${JSON.stringify(ticker.instrument)}` +
    `,"ts":${ticker.ts},"expiry":${contract.expiry},"strike":${contract.strike}` +
    `,"type":"${contract.type}","forward":${num(ticker.forward)}` +
    `,"bidIv":${num(ours.bidIv)},"askIv":${num(ours.askIv)},"markIv":${num(ours.markIv)}` +
    `,"delta":${num(ours.delta)},"gamma":${num(ours.gamma)}` +
    `,"vega":${num(ours.vega)},"theta":${num(ours.theta)}`;
  return compare ? `${line},"venueReported":${venueReported(ticker)}}` : `${line}}`;
}

// The venue's own numbers, for a human checking ours against theirs; `venue` itself is
// already taken by the venue's name.
function venueReported(ticker: TickerEvent): string {
  const iv = ticker.venueIv;
  const greeks = ticker.venueGreeks;
  return (
    `{"bidIv":${num(iv.bid)},"askIv":${num(iv.ask)},"markIv":${num(iv.mark)}` +
    `,"delta":${num(greeks?.delta ?? null)},"gamma":${num(greeks?.gamma ?? null)}` +
    `,"vega":${num(greeks?.vega ?? null)},"theta":${num(greeks?.theta ?? null)}}`
  );
}

function num(value: number | null): string {
  return value === null || !Number.isFinite(value) ? 'null' : String(value);
}
