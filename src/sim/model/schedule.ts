// Which expiries are listed at a given sim time, the way the big crypto venues run it: every
// expiry is 08:00 UTC; the next few days, the next few Fridays, the last Friday of the next
// few months and of the next few quarter months. The set only changes at 08:00 UTC, when the
// nearest expiry settles and the windows roll forward.

import { MS_PER_DAY } from '../../pricing/index.js';
import type { ExpiryKind } from '../contract.js';

export const EXPIRY_HOUR_MS = 8 * 3_600_000;
const FRIDAY = 5;
const QUARTER_MONTHS = [2, 5, 8, 11];

export interface ScheduleWindows {
  readonly daily: number;
  readonly weekly: number;
  readonly monthly: number;
  readonly quarterly: number;
}

export const OPTION_WINDOWS: ScheduleWindows = { daily: 3, weekly: 4, monthly: 3, quarterly: 4 };
export const FUTURE_WINDOWS: ScheduleWindows = { daily: 0, weekly: 2, monthly: 2, quarterly: 4 };

export interface ScheduledExpiry {
  readonly expiry: number;
  /** Every kind whose window includes this date (a last Friday of June is all four). */
  readonly kinds: readonly ExpiryKind[];
}

/** The first 08:00 UTC strictly after `ts`. */
export function nextExpiryAfter(ts: number): number {
  const today = Math.floor(ts / MS_PER_DAY) * MS_PER_DAY + EXPIRY_HOUR_MS;
  return today > ts ? today : today + MS_PER_DAY;
}

function lastFridayOfMonth(year: number, month: number): number {
  const lastDay = Date.UTC(year, month + 1, 0);
  const back = (new Date(lastDay).getUTCDay() - FRIDAY + 7) % 7;
  return lastDay - back * MS_PER_DAY + EXPIRY_HOUR_MS;
}

function nextFridays(ts: number, count: number): number[] {
  const out: number[] = [];
  let day = nextExpiryAfter(ts);
  while (new Date(day).getUTCDay() !== FRIDAY) day += MS_PER_DAY;
  for (let i = 0; i < count; i++) out.push(day + 7 * i * MS_PER_DAY);
  return out;
}

function nextMonthEnds(ts: number, count: number, months: readonly number[] | null): number[] {
  const out: number[] = [];
  const start = new Date(ts);
  let year = start.getUTCFullYear();
  let month = start.getUTCMonth();
  while (out.length < count) {
    if (months === null || months.includes(month)) {
      const expiry = lastFridayOfMonth(year, month);
      if (expiry > ts) out.push(expiry);
    }
    month++;
    if (month === 12) {
      month = 0;
      year++;
    }
  }
  return out;
}

/** Expiries strictly after `ts` under the given windows, ascending. */
export function scheduledExpiries(ts: number, windows: ScheduleWindows): ScheduledExpiry[] {
  const kinds = new Map<number, ExpiryKind[]>();
  const add = (expiry: number, kind: ExpiryKind): void => {
    const list = kinds.get(expiry);
    if (list === undefined) kinds.set(expiry, [kind]);
    else if (!list.includes(kind)) list.push(kind);
  };
  const first = nextExpiryAfter(ts);
  for (let i = 0; i < windows.daily; i++) add(first + i * MS_PER_DAY, 'daily');
  for (const expiry of nextFridays(ts, windows.weekly)) add(expiry, 'weekly');
  for (const expiry of nextMonthEnds(ts, windows.monthly, null)) add(expiry, 'monthly');
  for (const expiry of nextMonthEnds(ts, windows.quarterly, QUARTER_MONTHS)) {
    add(expiry, 'quarterly');
  }
  return [...kinds.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([expiry, list]) => ({ expiry, kinds: list }));
}
