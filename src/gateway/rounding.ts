/**
 * Tick and lot rounding on the order path, in decimal arithmetic: a price or size typed as
 * text reaches the venue as the exact multiple of the tick or lot it names, never as the
 * nearest double to one. Every rounding leans the trader's way: a buy never pays more than
 * asked, a sell never takes less, and no order is ever larger than asked.
 */
import { Decimal } from 'decimal.js';
import type { OrderSide } from '../commands/types.js';
import type { TradingRules } from '../instruments/types.js';

// Prices × 1e8 ticks and 15-digit sizes fit with room to spare; the global default (20
// significant digits) is left alone for anyone else using decimal.js.
const Exact = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP });
type Exact = Decimal;

// Plain or exponent notation; decimal.js alone would also take hex, binary, NaN and Infinity.
const DECIMAL_TEXT = /^\+?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** Thrown for text that is not a non-negative decimal number. */
export class DecimalTextError extends RangeError {
  constructor(
    readonly field: string,
    readonly text: string,
  ) {
    super(`${field} ${JSON.stringify(text)} is not a decimal number`);
    this.name = 'DecimalTextError';
  }
}

/** Parses decimal text exactly; throws DecimalTextError for anything else. */
export function exactDecimal(text: string, field = 'value'): Exact {
  if (typeof text !== 'string' || !DECIMAL_TEXT.test(text.trim())) {
    throw new DecimalTextError(field, String(text));
  }
  return new Exact(text.trim());
}

/** A rule figure (a double such as 0.0005) as the decimal it was written as. */
function ruleDecimal(value: number): Exact {
  // A double's shortest round-trip text is the decimal the venue sent (0.0005, not 0.000500…01).
  return new Exact(String(value));
}

/** The tick valid at `price`: the last step whose threshold the price is above. */
export function tickAt(price: Exact, rules: TradingRules): Exact {
  let tick = ruleDecimal(rules.tickSize);
  for (const step of rules.tickSteps) {
    if (price.gt(ruleDecimal(step.abovePrice))) tick = ruleDecimal(step.tickSize);
  }
  return tick;
}

/** Plain decimal text: no exponent, no trailing zeros. */
export function plain(value: Exact): string {
  const text = value.toFixed();
  return text === '-0' ? '0' : text;
}

function toMultiple(value: Exact, step: Exact, rounding: Decimal.Rounding): Exact {
  return value.div(step).toDecimalPlaces(0, rounding).mul(step);
}

/**
 * A price on the tick valid at that price: a buy rounds down, a sell up. Rounding down can
 * cross below a tick step's threshold, where the finer tick applies; the coarser multiple is
 * a multiple of the finer one on every venue grid, so the result is still on the grid.
 */
export function roundPrice(price: string, side: OrderSide, rules: TradingRules): string {
  const value = exactDecimal(price, 'price');
  const rounding = side === 'buy' ? Decimal.ROUND_FLOOR : Decimal.ROUND_CEIL;
  return plain(toMultiple(value, tickAt(value, rules), rounding));
}

/** A trigger price on the nearest tick: a trigger is a level, not a price paid. */
export function roundTrigger(price: string, rules: TradingRules): string {
  const value = exactDecimal(price, 'trigger price');
  return plain(toMultiple(value, tickAt(value, rules), Decimal.ROUND_HALF_UP));
}

/** An amount down to a whole number of lots: never more than asked. */
export function roundAmount(amount: string, rules: TradingRules): string {
  const value = exactDecimal(amount, 'amount');
  return plain(toMultiple(value, ruleDecimal(rules.lotSize), Decimal.ROUND_FLOOR));
}

/** IV steps of 0.0001 (a hundredth of a vol point), the finest any venue takes. */
const IV_STEP = new Exact('0.0001');

/** An order IV (decimal fraction) on 0.01 vol points: a buy rounds down, a sell up. */
export function roundIv(iv: string, side: OrderSide): string {
  const value = exactDecimal(iv, 'IV');
  return plain(
    toMultiple(value, IV_STEP, side === 'buy' ? Decimal.ROUND_FLOOR : Decimal.ROUND_CEIL),
  );
}
