// Trading fees in the settle currency. Options pay a rate on the underlying they control,
// capped at a fraction of the premium (cheap wings pay little); futures pay on notional.

import type { InstrumentSpec, Settlement } from '../../instruments/types.js';

export interface FeeRate {
  /** Fraction charged to the resting side; negative is a rebate. */
  readonly maker: number;
  readonly taker: number;
}

export interface OptionFeeRate extends FeeRate {
  /** The fee never exceeds this fraction of the premium traded. */
  readonly premiumCap: number;
}

export interface FeeSchedule {
  /** Per coin of underlying: coin per contract for inverse options, × index for linear. */
  readonly option: OptionFeeRate;
  /** Fractions of notional. */
  readonly future: FeeRate;
  readonly perpetual: FeeRate;
}

/** The coin-margined venue's schedule: 0.03% of the underlying per option capped at 12.5% of
 * the premium; futures 0.05% taker, free for makers. */
export const INVERSE_FEES: FeeSchedule = {
  option: { maker: 0.0003, taker: 0.0003, premiumCap: 0.125 },
  future: { maker: 0, taker: 0.0005 },
  perpetual: { maker: 0, taker: 0.0005 },
};

/** The USDT venue's schedule: 0.02% of index × size per option capped at 7% of the premium;
 * perpetuals 0.055% taker, 0.02% maker. */
export const LINEAR_FEES: FeeSchedule = {
  option: { maker: 0.0002, taker: 0.0002, premiumCap: 0.07 },
  future: { maker: 0.0002, taker: 0.00055 },
  perpetual: { maker: 0.0002, taker: 0.00055 },
};

export function defaultFees(settlement: Settlement): FeeSchedule {
  return settlement === 'inverse' ? INVERSE_FEES : LINEAR_FEES;
}

/** Fee for one fill, in the settle currency. */
export function tradeFee(
  spec: InstrumentSpec,
  schedule: FeeSchedule,
  liquidity: 'maker' | 'taker',
  price: number,
  amount: number,
  indexPrice: number,
): number {
  if (spec.kind === 'option') {
    const rule = schedule.option;
    const underlying = spec.settlement === 'inverse' ? amount : amount * indexPrice;
    const fee = rule[liquidity] * underlying;
    const cap = rule.premiumCap * price * amount;
    return Math.sign(fee) * Math.min(Math.abs(fee), cap);
  }
  const rule = spec.kind === 'future' ? schedule.future : schedule.perpetual;
  return rule[liquidity] * notional(spec, amount, price);
}

/** Futures notional in the settle currency: inverse amounts are USD, so coin = USD / price. */
export function notional(spec: InstrumentSpec, amount: number, price: number): number {
  if (spec.settlement === 'inverse') return price > 0 ? Math.abs(amount) / price : 0;
  return Math.abs(amount) * price;
}
