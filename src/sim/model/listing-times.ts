// When the instruments the sim finds listed at its start were listed: the venues' own
// `creation_timestamp` / `launchTime`. The schedule (schedule.ts) rolls its windows forward at
// each 08:00 UTC, so a dated expiry was listed at the first 08:00 whose windows reached it:
// dailies a few days ahead, Fridays four weeks ahead, monthlies about three months and
// quarterlies about a year ahead. That matches the venues' records: in Deribit's instrument
// lists of 2021-07-22 (test/fixtures/deribit) weekly futures were created 14 days before
// expiry, monthly ones 63, quarterly ones 273-364; monthly options 92 days, quarterly 365,
// weeklies 14-22, dailies 2, each at 08:00 UTC and a few seconds. Perpetuals carry the venue's
// real launch date.

import { MS_PER_DAY } from '../../pricing/index.js';
import type { ExpiryKind, SimVenueName } from '../contract.js';
import { EXPIRY_HOUR_MS, scheduledExpiries, type ScheduleWindows } from './schedule.js';

/** Perpetual launch dates as the venues list them. Deribit: its instrument records
 * (test/fixtures/deribit/instruments-*.json); Bybit: BTCUSDT's launchTime in the v5 docs'
 * instruments-info example, used for every coin (no other one is on record here). */
const PERPETUAL_LAUNCH: Readonly<Record<SimVenueName, Readonly<Record<string, number>>>> = {
  deribit: {
    BTC: Date.UTC(2018, 7, 14, 10, 24, 47),
    ETH: Date.UTC(2019, 2, 14, 13, 0, 54),
    SOL: Date.UTC(2022, 2, 15, 13, 0, 0),
    XRP: Date.UTC(2022, 2, 16, 12, 59, 59),
    AVAX: Date.UTC(2022, 2, 17, 13, 0, 0),
  },
  bybit: { BTC: Date.UTC(2020, 2, 30) },
};
/** Deribit's other USDC perpetuals came in one batch on 2022-04-28. */
const DEFAULT_LAUNCH: Readonly<Record<SimVenueName, number>> = {
  deribit: Date.UTC(2022, 3, 28, 12, 36, 33),
  bybit: Date.UTC(2020, 2, 30),
};
/** A sim started before a launch date still shows its perpetual as a year old. */
const FALLBACK_AGE_MS = 365 * MS_PER_DAY;
/** No window in schedule.ts reaches further than this. */
const MAX_LEAD_DAYS = 400;

export function perpetualListedAt(venue: SimVenueName, currency: string, start: number): number {
  const launch = PERPETUAL_LAUNCH[venue][currency] ?? DEFAULT_LAUNCH[venue];
  return launch < start ? launch : start - FALLBACK_AGE_MS;
}

/**
 * The first 08:00 UTC boundary at or before `start` from which `expiry` was continuously in
 * one of the windows a venue lists (`lists` says which kinds it does). Being in a window is
 * monotone in time (an expiry only moves up the ranks as its date nears), so the boundary is
 * found by bisection over the days before the start.
 */
export function datedListedAt(
  expiry: number,
  start: number,
  windows: ScheduleWindows,
  lists: (kinds: readonly ExpiryKind[]) => boolean,
): number {
  const lastBoundary =
    Math.floor((start - EXPIRY_HOUR_MS) / MS_PER_DAY) * MS_PER_DAY + EXPIRY_HOUR_MS;
  const listedAtBoundary = (daysBack: number): boolean => {
    const boundary = lastBoundary - daysBack * MS_PER_DAY;
    const found = scheduledExpiries(boundary, windows).find((s) => s.expiry === expiry);
    return found !== undefined && lists(found.kinds);
  };
  // Listed at the start itself (the first listing pass runs at the start, not at 08:00).
  if (!listedAtBoundary(0)) return start;
  let listed = 0;
  let unlisted = MAX_LEAD_DAYS;
  if (listedAtBoundary(unlisted)) return lastBoundary - unlisted * MS_PER_DAY;
  while (unlisted - listed > 1) {
    const mid = (listed + unlisted) >> 1;
    if (listedAtBoundary(mid)) listed = mid;
    else unlisted = mid;
  }
  return lastBoundary - listed * MS_PER_DAY;
}
