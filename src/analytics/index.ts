// Realised volatility, volatility risk premium and IV rank: pure, float64, no I/O.
export { aggregateBars, checkBars, DAY_MS, HOUR_MS, MINUTE_MS, type Bar } from './bars.js';
export { BarBuilder, type BarBuilderOptions } from './bar-builder.js';
export {
  barsPerYear,
  ESTIMATORS,
  MIN_BARS,
  MIN_COVERAGE,
  realizedVol,
  realizedVolTable,
  RV_WINDOW_DAYS,
  windowBars,
  type Estimator,
  type RvResult,
  type RvRow,
  type RvWindow,
} from './realized-vol.js';
export {
  closeSeries,
  IV_RANK_DAYS,
  ivRank,
  MIN_RANK_POINTS,
  type IvRank,
  type SeriesPoint,
} from './iv-rank.js';
export { volRiskPremium } from './vrp.js';
export {
  RANK_KEYS,
  RANK_RV_DAYS,
  rankRow,
  sortRankRows,
  type RankInputs,
  type RankKey,
  type RankRow,
} from './rank.js';
