/**
 * Deribit lists and retires instruments at 08:00 UTC every day. The feed reloads its listing
 * then, on the venue's clock rather than ours: the timestamps in its messages say when 08:00
 * has passed, so a simulator running faster than the wall clock (or on a manual one) gets its
 * refresh at the right moment, and a local clock that is off does not matter.
 */
import type { InstrumentListResult, RejectedInstrument } from '../../instruments/list-result.js';
import type { InstrumentSpec } from '../../instruments/types.js';
import type { RpcCaller } from '../common/rpc-caller.js';
import { belongsToCoins, deribitCoinMarket, deribitCurrenciesOf } from './coin-markets.js';
import { deribitInstrumentsFromResult } from './instruments.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * 08:00 UTC, and again ten minutes later: the venue's new listings have been seen to appear
 * a few minutes after the hour, and a second look costs two requests per currency.
 */
export const DERIBIT_REFRESH_TIMES_MS: readonly number[] = [8 * HOUR_MS, 8 * HOUR_MS + 600_000];

/** The first of `timesOfDayMs` (ms after UTC midnight) strictly after `ts`. */
export function nextTimeOfDay(ts: number, timesOfDayMs: readonly number[]): number {
  const midnight = Math.floor(ts / DAY_MS) * DAY_MS;
  let next = Infinity;
  for (const offset of timesOfDayMs) {
    const today = midnight + offset;
    const candidate = today > ts ? today : today + DAY_MS;
    if (candidate < next) next = candidate;
  }
  return next;
}

/** When the next refresh is due, on venue time; pure, fed the latest venue timestamp. */
export class DailyRefresh {
  private dueAt = Infinity;

  constructor(private readonly timesOfDayMs: readonly number[] = DERIBIT_REFRESH_TIMES_MS) {}

  /** Called after a (re)load at venue time `ts`: the next refresh is the next listed time. */
  arm(ts: number): void {
    this.dueAt = nextTimeOfDay(ts, this.timesOfDayMs);
  }

  /** Venue time at which the next refresh falls due (Infinity before the first load). */
  get nextAt(): number {
    return this.dueAt;
  }

  /** True once venue time reaches the next refresh; disarms until arm() is called again. */
  due(venueTs: number): boolean {
    if (venueTs < this.dueAt) return false;
    this.dueAt = Infinity;
    return true;
  }
}

const KINDS = ['option', 'future'] as const;

/**
 * The options and futures (the perpetual is a future on Deribit) of each coin, from
 * `public/get_instruments` under the currency its market is listed in (USDC for the linear
 * coins, whose listing also carries other coins' contracts: those are left out). Records that
 * cannot be read are returned as rejected, not thrown: one odd row must not empty the chain.
 */
export async function loadDeribitInstruments(
  rpc: RpcCaller,
  coins: readonly string[],
): Promise<InstrumentListResult> {
  const followed = new Set(coins.map((coin) => coin.toUpperCase()));
  const requests = deribitCurrenciesOf(coins).flatMap((currency) =>
    KINDS.map(async (kind) => ({
      currency,
      result: await rpc.call('public/get_instruments', { currency, kind, expired: false }),
    })),
  );
  const results = await Promise.all(requests);
  const specs: InstrumentSpec[] = [];
  const rejected: RejectedInstrument[] = [];
  const seen = new Set<string>();
  for (const { currency, result } of results) {
    const mapped = deribitInstrumentsFromResult(result);
    for (const spec of mapped.specs) {
      if (seen.has(spec.name) || !belongsToCoins(spec, currency, followed)) continue;
      seen.add(spec.name);
      specs.push(spec);
    }
    // An unreadable row of another coin in the shared USDC listing is not this feed's problem.
    rejected.push(...mapped.rejected.filter((row) => rowOfCoins(row.name, currency, followed)));
  }
  return { specs, rejected };
}

function rowOfCoins(name: string | null, currency: string, coins: ReadonlySet<string>): boolean {
  if (name === null) return true;
  const coin = (/^[A-Z0-9]+/.exec(name)?.[0] ?? '').toUpperCase();
  return !coins.has(coin) ? false : deribitCoinMarket(coin).currency === currency;
}
