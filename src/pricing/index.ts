export { erf, erfc, erfcx, normCdf, normPdf, normInv } from './normal.js';
export { MS_PER_DAY, MS_PER_YEAR, yearFraction } from './time.js';
export { black76Price, black76Greeks, type Greeks, type OptionType } from './black76.js';
export { logMoneyness, normalisedOtmCall, normalisedVega } from './normalised-black.js';
export {
  impliedVol,
  impliedVolNear,
  solveImpliedVol,
  normalisedImpliedTotalVol,
  type IvFailure,
  type IvResult,
} from './iv.js';
export {
  usdFromPremium,
  premiumFromUsd,
  premiumAdjustedDelta,
  type PremiumStyle,
} from './premium.js';
export { black76GreeksInto, PRICE, DELTA, GAMMA, VEGA, THETA } from './black76.js';
export {
  black76GreeksBatch,
  impliedVolBatch,
  allocateChainGreeks,
  type ChainInputs,
  type ChainGreeks,
} from './batch.js';
