// One row of `ivtrade rank`: a coin's realised vol, ATM implied vol, their spread and where its
// implied vol sits in its year, and the ordering of rows by any of those.
//
// Rules chosen for the table:
// - RV is 30-day Yang–Zhang on 1-hour bars: efficient, and drift- and gap-robust; 1-minute bars
//   would add the microstructure noise of the price's last digit to a 30-day figure.
// - ATM IV is the 30-day constant-maturity ATM vol of the surface, so VRP compares like tenors.
// - IV rank is taken over the series it is given (the venue's 30-day index, or ivtrade's own
//   minute history of the surface); the row says which, and how many points it used.
// - A figure that cannot be had is null, with the reason in `notes`; ordering puts nulls last.

import { HOUR_MS, type Bar } from './bars.js';
import { ivRank, type SeriesPoint } from './iv-rank.js';
import { realizedVol, type Estimator } from './realized-vol.js';
import { volRiskPremium } from './vrp.js';

export interface RankInputs {
  readonly coin: string;
  /** 1-hour bars of the coin's index or perpetual, oldest first. */
  readonly hourBars: readonly Bar[];
  /** End of the RV window (exclusive), ms: normally now. */
  readonly asOf: number;
  /** 30-day constant-maturity ATM IV (decimal), or null when the surface has none. */
  readonly atmIv30: number | null;
  /** A 30-day implied vol series (decimal) for IV rank, and what it is. */
  readonly ivHistory: readonly SeriesPoint[];
  readonly ivHistorySource: string;
  readonly estimator?: Estimator;
}

export interface RankRow {
  readonly coin: string;
  readonly rv30: number | null;
  readonly atmIv30: number | null;
  readonly vrp: number | null;
  readonly ivRank: number | null;
  readonly ivPercentile: number | null;
  readonly ivRankPoints: number;
  readonly ivRankSource: string;
  readonly estimator: Estimator;
  /** Why a figure is null. */
  readonly notes: readonly string[];
}

export const RANK_RV_DAYS = 30;

export function rankRow(inputs: RankInputs): RankRow {
  const estimator = inputs.estimator ?? 'yang-zhang';
  const notes: string[] = [];
  const rv = realizedVol(inputs.hourBars, estimator, {
    periodMs: HOUR_MS,
    days: RANK_RV_DAYS,
    end: inputs.asOf,
  });
  if (rv.vol === null) notes.push(`RV: ${rv.reason}`);
  if (inputs.atmIv30 === null) notes.push('ATM IV: no 30-day ATM vol on the surface');
  const rank = ivRank(inputs.ivHistory);
  if (rank.rank === null) notes.push(`IV rank: ${rank.reason}`);
  return {
    coin: inputs.coin,
    rv30: rv.vol,
    atmIv30: inputs.atmIv30,
    vrp: volRiskPremium(inputs.atmIv30, rv.vol),
    ivRank: rank.rank,
    ivPercentile: rank.percentile,
    ivRankPoints: rank.count,
    ivRankSource: inputs.ivHistorySource,
    estimator,
    notes,
  };
}

export const RANK_KEYS = ['rv', 'iv', 'vrp', 'iv-rank'] as const;
export type RankKey = (typeof RANK_KEYS)[number];

const VALUE: Readonly<Record<RankKey, (row: RankRow) => number | null>> = {
  rv: (row) => row.rv30,
  iv: (row) => row.atmIv30,
  vrp: (row) => row.vrp,
  'iv-rank': (row) => row.ivRank,
};

/** Rows highest first by `key` (lowest first with ascending), nulls last, ties by coin. */
export function sortRankRows(rows: readonly RankRow[], key: RankKey, ascending = false): RankRow[] {
  const value = VALUE[key];
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === null || y === null) {
      if (x === y) return a.coin.localeCompare(b.coin);
      return x === null ? 1 : -1;
    }
    if (x !== y) return ascending ? x - y : y - x;
    return a.coin.localeCompare(b.coin);
  });
}
