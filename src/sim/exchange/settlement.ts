// Cash flows that do not come from trades: expiry settlement and perpetual funding.

import type { InstrumentSpec } from '../../instruments/types.js';
import type { ModelMark } from '../contract.js';
import { notional } from './fees.js';
import { optionPayoff } from './option-values.js';
import { futurePnl } from './valuation.js';

export const FUNDING_INTERVAL_MS = 8 * 3_600_000;

export interface Settlement {
  /** What the position's holder receives (negative: pays), in the settle currency. */
  readonly cash: number;
  readonly realized: number;
  /** Per contract: an option's payoff, a future's settlement price. */
  readonly value: number;
}

/** Cash settlement of a position at expiry. Option premiums changed hands at the fills, so an
 * option pays its payoff; a future pays the PnL from its entry to the settlement price. */
export function settlementOf(
  spec: InstrumentSpec,
  size: number,
  averagePrice: number,
  price: number,
): Settlement {
  if (spec.kind === 'option') {
    const value = optionPayoff(spec, price);
    return { cash: value * size, realized: (value - averagePrice) * size, value };
  }
  const pnl = futurePnl(spec, size, averagePrice, price);
  return { cash: pnl, realized: pnl, value: price };
}

/** Funding is due at 00:00, 08:00 and 16:00 UTC: true when (last, now] contains one. */
export function fundingDue(last: number | null, now: number): boolean {
  return (
    last !== null && Math.floor(last / FUNDING_INTERVAL_MS) < Math.floor(now / FUNDING_INTERVAL_MS)
  );
}

/** What a perpetual position pays at a funding time: longs pay shorts a positive rate. */
export function fundingPayment(spec: InstrumentSpec, size: number, mark: ModelMark): number {
  return (mark.fundingRate ?? 0) * notional(spec, size, mark.markPrice) * Math.sign(size);
}
