// The exchange core: books, matching, paper accounts and settlement for one venue.

export { createSimExchange, type SimExchangeCore, type SimExchangeOptions } from './exchange.js';
export {
  defaultFees,
  INVERSE_FEES,
  LINEAR_FEES,
  type FeeRate,
  type FeeSchedule,
  type OptionFeeRate,
} from './fees.js';
