// The fitted volatility surface of one coin's option chain: pure, float64, no I/O, no timers.
export * from './types.js';
export {
  sviTotalVariance,
  sviSlope,
  sviCurvature,
  sviG,
  sviMinVariance,
  isValidSvi,
  sviFromQuasi,
} from './svi.js';
export {
  expiryFromPrices,
  expiryFromChainRow,
  isOutOfTheMoney,
  type ChainRowLike,
  type PricedExpiry,
  type PriceQuote,
  type QuoteSide,
} from './chain-input.js';
export { SPREAD_FLOOR, MID_PULL } from './fit-data.js';
export {
  fitSmile,
  MIN_TWO_SIDED_FOR_SVI,
  MIN_TWO_SIDED_FOR_REDUCED,
  type SmileFit,
  type SmileFitOptions,
} from './svi-fit.js';
export {
  butterflyViolation,
  calendarViolation,
  butterflyRange,
  gridPoints,
  ARBITRAGE_TOLERANCE,
  type Violation,
} from './arbitrage.js';
export { fitSurface, type SurfaceFit, type SurfaceOptions, type SkippedExpiry } from './surface.js';
export { smileAt, smileOfFit, type Smile } from './term.js';
export {
  smileReadouts,
  strikeForDelta,
  deltaAt,
  ivAtDelta,
  DELTA_POINTS,
  type DeltaConvention,
  type DeltaPoint,
  type SmileReadouts,
} from './readouts.js';
export {
  surfaceGrid,
  expiryReadouts,
  GRID_MATURITY_DAYS,
  GRID_LOG_MONEYNESS,
  type GridRow,
  type SurfaceGrid,
} from './grid.js';
export {
  volIndex,
  expiryVariance,
  INDEX_DAYS,
  type VolIndex,
  type ExpiryVariance,
} from './vol-index.js';
export { surfaceReport, type SurfaceReport, type ExpiryReport } from './report.js';
