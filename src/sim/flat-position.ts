// A position row for an instrument the account holds nothing in: both venues answer a
// position query by instrument with such a row (flat, at the current mark), not an error.

import type { SimInstrument, SimPosition, SimTicker } from './contract.js';

export function flatPosition(
  accountId: string,
  instrument: SimInstrument,
  ticker: SimTicker | undefined,
  indexPrice: number,
): SimPosition {
  return {
    accountId,
    instrument: instrument.spec.name,
    kind: instrument.spec.kind,
    currency: instrument.currency,
    settleCurrency: instrument.spec.settleCurrency,
    size: 0,
    averagePrice: 0,
    markPrice: ticker?.markPrice ?? 0,
    indexPrice: ticker?.indexPrice ?? indexPrice,
    realizedPnl: 0,
    unrealizedPnl: 0,
    delta: 0,
    gamma: 0,
    vega: 0,
    theta: 0,
    initialMargin: 0,
    maintenanceMargin: 0,
  };
}
