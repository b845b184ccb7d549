// The simulator's market model: seeded, pure and deterministic; see market-model.ts.

export { MarketModel, type MarketModelOptions } from './market-model.js';
export { scheduledExpiries, nextExpiryAfter, OPTION_WINDOWS, FUTURE_WINDOWS } from './schedule.js';
export { IndexProcess, REGIMES } from './index-process.js';
export { totalVariance } from './surface.js';
