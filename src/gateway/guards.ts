/**
 * The fat-finger guards: how far a limit sits through the mark, and how large an order is in
 * USD. Each returns null when the order may go, else one line that names the numbers and the
 * fix. Floats are fine here: these are checks on analytics, not money sent anywhere.
 */
import type { OrderSide } from '../commands/types.js';
import type { InstrumentSpec } from '../instruments/types.js';
import type { MarkDistance } from './types.js';

const OVERRIDE = 'add ! to send anyway';
/** Float noise allowed at a limit, so exactly the limit passes (0.7 - 0.6 is 0.0999…98). */
const AT_LIMIT = 1e-9;

/** What the distance check reads about the instrument, gathered by the gateway. */
export interface DistanceInput {
  readonly spec: InstrumentSpec;
  readonly side: OrderSide;
  /** The rounded limit price, or null for an order priced by IV. */
  readonly price: number | null;
  /** The order's IV (decimal fraction) when priced by vol. */
  readonly iv: number | null;
  readonly mark: number | null;
  readonly markIv: number | null;
  /** The IV the limit price implies, null when it implies none (or is not an option). */
  readonly priceIv: number | null;
  readonly limit: MarkDistance;
  /** Options: the tick valid at the price measured. */
  readonly tick: number | null;
  /** Options: how many ticks through the mark always pass, whatever the IVs say. */
  readonly maxTicks: number;
}

/**
 * A buy "through the mark" is above it, a sell below it; only that side is limited. Without
 * the figures to measure the distance on the through side, the order waits for `!` rather
 * than going unchecked.
 */
export function distanceRefusal(input: DistanceInput): string | null {
  const { spec, price, iv, limit } = input;
  // A market order has no price to be far from: its cap is the venue's (or the command's).
  if (price === null && iv === null) return null;
  if (limit.unit === 'vol-points' && spec.kind === 'option') {
    return volDistanceRefusal(input, limit.value);
  }
  if (price === null) {
    return `${spec.name}: an order priced by IV cannot be checked against a percent limit: ${OVERRIDE}`;
  }
  return priceDistanceRefusal(input, price, limit.value);
}

function priceDistanceRefusal(
  input: DistanceInput,
  price: number,
  maxPercent: number,
): string | null {
  const { spec, side, mark } = input;
  if (mark === null || !(mark > 0)) {
    return `${spec.name} has no mark yet, so ${side} at ${show(price)} cannot be checked: ${OVERRIDE}`;
  }
  const percent = (throughSign(side) * (price - mark) * 100) / mark;
  if (percent <= maxPercent + AT_LIMIT) return null;
  return (
    `${side} ${spec.name} at ${show(price)} is ${percent.toFixed(2)} % ${throughWord(side)} ` +
    `the mark ${show(mark)} (limit ${show(maxPercent)} %): ${OVERRIDE}`
  );
}

/**
 * An option passes within `maxPoints` vol points of the mark IV or within `maxTicks` ticks of
 * the mark, whichever allows more. Vol points alone mean nothing where vega is tiny (hours to
 * expiry, deep in or out of the money): one tick there is many vol points, or no IV at all.
 */
function volDistanceRefusal(input: DistanceInput, maxPoints: number): string | null {
  const { spec, side, price, mark, markIv, tick, maxTicks } = input;
  const orderIv = input.iv ?? input.priceIv;
  const at = price === null ? `IV ${percent(orderIv)}` : show(price);
  let ticks: number | null = null;
  if (price !== null && mark !== null && mark > 0) {
    // A price on the near side of the mark is safe whatever its IV.
    if (throughSign(side) * (price - mark) <= 0) return null;
    if (tick !== null && tick > 0) {
      ticks = (throughSign(side) * (price - mark)) / tick;
      if (ticks <= maxTicks + AT_LIMIT) return null;
    }
  }
  const tickText = ticks === null ? '' : ` and ${ticks.toFixed(1)} ticks`;
  const limits = `(limit ${show(maxPoints)} vol points or ${show(maxTicks)} ticks)`;
  if (orderIv !== null && markIv !== null) {
    const points = throughSign(side) * (orderIv - markIv) * 100;
    if (points <= maxPoints + AT_LIMIT) return null;
    return (
      `${side} ${spec.name} at ${at} is ${points.toFixed(1)} vol points${tickText} ` +
      `${throughWord(side)} the mark IV ${percent(markIv)}${price === null ? '' : ` (implies ${percent(orderIv)})`} ` +
      `${limits}: ${OVERRIDE}`
    );
  }
  const missing = markIv === null ? 'no mark IV' : `no IV at ${at}`;
  if (ticks !== null) {
    return (
      `${side} ${spec.name} at ${at} is ${ticks.toFixed(1)} ticks ${throughWord(side)} the mark ` +
      `${show(mark ?? 0)} and there is ${missing} to measure it in vol ${limits}: ${OVERRIDE}`
    );
  }
  return `${spec.name} has ${missing}, so ${side} at ${at} cannot be checked: ${OVERRIDE}`;
}

/** What the notional check reads: the rounded amount, and the coin's USD price. */
export interface NotionalInput {
  readonly spec: InstrumentSpec;
  readonly amount: number;
  readonly usdPerCoin: number | null;
  readonly maxUsd: number;
}

/**
 * Underlying notional in USD: coins × the coin's USD price, or, where amounts count USD
 * (inverse futures take their amount in USD, in whole contracts), the amount itself. The cap
 * has no override.
 */
export function notionalUsd(
  spec: InstrumentSpec,
  amount: number,
  usdPerCoin: number | null,
): number | null {
  if (spec.sizeUnit === 'usd') return amount;
  return usdPerCoin !== null && usdPerCoin > 0 ? amount * usdPerCoin : null;
}

export function notionalRefusal(input: NotionalInput): string | null {
  const usd = notionalUsd(input.spec, input.amount, input.usdPerCoin);
  if (usd === null) {
    return `${input.spec.name} has no ${input.spec.base} price yet, so its notional cannot be checked against the cap`;
  }
  if (usd <= input.maxUsd) return null;
  return (
    `${show(input.amount)} ${input.spec.name} is ${usdText(usd)} notional, over the ` +
    `${usdText(input.maxUsd)} cap: send a smaller order`
  );
}

function throughSign(side: OrderSide): 1 | -1 {
  return side === 'buy' ? 1 : -1;
}

function throughWord(side: OrderSide): string {
  return side === 'buy' ? 'above' : 'below';
}

function show(value: number): string {
  return String(Number(value.toPrecision(10)));
}

function percent(iv: number | null): string {
  return iv === null ? 'unknown' : `${(iv * 100).toFixed(1)} %`;
}

function usdText(usd: number): string {
  return `${Math.round(usd).toLocaleString('en-US')} USD`;
}
