// Order-entry checks that need nothing but the request and the instrument's rules.

import type { InstrumentSpec } from '../../instruments/types.js';
import {
  SIM_ORDER_TYPES,
  SIM_TIMES_IN_FORCE,
  SimError,
  type SimOrderType,
  type SimSide,
  type SimTimeInForce,
} from '../contract.js';
import { isLotMultiple, isOnTick, snapAmount, snapPrice } from './grid.js';

const SIDES: readonly SimSide[] = ['buy', 'sell'];
const TYPES: readonly SimOrderType[] = SIM_ORDER_TYPES;
const TIME_IN_FORCE: readonly SimTimeInForce[] = SIM_TIMES_IN_FORCE;

function show(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'nothing');
}

export function checkSide(side: unknown): SimSide {
  if (!SIDES.includes(side as SimSide))
    throw new SimError('invalid_params', `bad side ${show(side)}`);
  return side as SimSide;
}

export function checkType(type: unknown): SimOrderType {
  if (!TYPES.includes(type as SimOrderType)) {
    throw new SimError('invalid_params', `bad order type ${show(type)}`);
  }
  return type as SimOrderType;
}

export function checkTimeInForce(tif: unknown): SimTimeInForce {
  if (tif === undefined) return 'good_til_cancelled';
  if (!TIME_IN_FORCE.includes(tif as SimTimeInForce)) {
    throw new SimError('invalid_params', `bad time in force ${show(tif)}`);
  }
  return tif as SimTimeInForce;
}

/** The amount on the lot grid, or the venue's complaint about it. */
export function checkAmount(spec: InstrumentSpec, amount: unknown): number {
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0) {
    throw new SimError('invalid_params', `amount must be a positive number, got ${show(amount)}`);
  }
  // Checked before the lot: where the minimum is one lot, anything below it is also off-lot,
  // and "below minimum" is the more useful answer.
  if (amount < spec.minSize * (1 - 1e-9)) {
    throw new SimError('amount_below_minimum', `amount ${amount} is below ${spec.minSize}`, {
      minSize: spec.minSize,
    });
  }
  if (!isLotMultiple(spec, amount)) {
    throw new SimError('amount_off_lot', `amount ${amount} is not a multiple of ${spec.lotSize}`, {
      lotSize: spec.lotSize,
    });
  }
  return snapAmount(spec, amount);
}

/** A limit price on the tick grid. */
export function checkPrice(spec: InstrumentSpec, price: unknown): number {
  if (price === undefined) throw new SimError('invalid_params', 'a limit order needs a price');
  if (typeof price !== 'number' || !Number.isFinite(price) || price <= 0) {
    throw new SimError('invalid_params', `price must be a positive number, got ${show(price)}`);
  }
  if (!isOnTick(spec, price)) {
    throw new SimError('price_off_tick', `price ${price} is not on the tick grid`, {
      tickSize: spec.tickSize,
    });
  }
  return snapPrice(spec, price);
}

export function checkPositive(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new SimError('invalid_params', `${name} must be a positive number, got ${show(value)}`);
  }
  return value;
}
