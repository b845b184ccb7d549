// What a position is worth and what it must post, in the settle currency. The margin rules
// are simple but shaped like the venues': short options post a share of the underlying that
// shrinks as they go out of the money, plus their mark; futures post notional / leverage
// initial (the venue's leverage), 1% maintenance.

import type { InstrumentSpec, OptionSpec } from '../../instruments/types.js';
import type { ModelMark, SimSide } from '../contract.js';
import { notional } from './fees.js';
import { greeksAt } from './option-values.js';

const FUTURE_MM = 1 / 100;
const SHORT_OPTION_MAX = 0.15;
const SHORT_OPTION_MIN = 0.1;
const SHORT_OPTION_MM = 0.075;

export interface PositionValue {
  readonly unrealizedPnl: number;
  /** Options: mark × size (what closing at mark would pay or cost); futures 0. */
  readonly optionValue: number;
  readonly delta: number;
  readonly gamma: number;
  readonly vega: number;
  readonly theta: number;
  readonly initialMargin: number;
  readonly maintenanceMargin: number;
}

/** Per short contract: initial and maintenance margin. */
export function shortOptionMargin(spec: OptionSpec, mark: ModelMark): { im: number; mm: number } {
  const forward = mark.forward;
  const otm =
    spec.type === 'call' ? Math.max(spec.strike - forward, 0) : Math.max(forward - spec.strike, 0);
  const share = Math.max(SHORT_OPTION_MAX - otm / forward, SHORT_OPTION_MIN);
  // Inverse contracts control one coin, so the underlying's value in coin is 1.
  const underlying = spec.settlement === 'inverse' ? 1 : forward;
  return {
    im: share * underlying + mark.markPrice,
    mm: SHORT_OPTION_MM * underlying + mark.markPrice,
  };
}

export function futurePnl(spec: InstrumentSpec, size: number, from: number, to: number): number {
  if (size === 0) return 0;
  // No price yet (an instrument the model has not marked) values nothing rather than ±∞.
  if (!(from > 0 && to > 0)) return 0;
  if (spec.settlement === 'inverse') return size * (1 / from - 1 / to);
  return (to - from) * size;
}

export function valuePosition(
  spec: InstrumentSpec,
  size: number,
  averagePrice: number,
  mark: ModelMark,
  years: number,
  leverage: number,
): PositionValue {
  if (spec.kind === 'option') {
    const greeks = mark.markIv === null ? null : greeksAt(spec, mark.markIv, mark.forward, years);
    const bsDelta = greeks?.delta ?? 0;
    // Holding an inverse option also holds its premium in coin.
    const coinDelta = spec.settlement === 'inverse' ? bsDelta - mark.markPrice : bsDelta;
    const margin = size < 0 ? shortOptionMargin(spec, mark) : { im: 0, mm: 0 };
    return {
      unrealizedPnl: (mark.markPrice - averagePrice) * size,
      optionValue: mark.markPrice * size,
      delta: coinDelta * size,
      gamma: (greeks?.gamma ?? 0) * size,
      vega: (greeks?.vega ?? 0) * size,
      theta: (greeks?.theta ?? 0) * size,
      initialMargin: margin.im * Math.abs(size),
      maintenanceMargin: margin.mm * Math.abs(size),
    };
  }
  const exposure = notional(spec, size, mark.markPrice);
  return {
    unrealizedPnl: futurePnl(spec, size, averagePrice, mark.markPrice),
    optionValue: 0,
    delta: spec.settlement === 'inverse' ? Math.sign(size) * exposure : size,
    gamma: 0,
    vega: 0,
    theta: 0,
    initialMargin: exposure / leverage,
    maintenanceMargin: exposure * FUTURE_MM,
  };
}

/** The part of an order that would grow |position| rather than shrink it. */
export function openingAmount(positionSize: number, side: SimSide, amount: number): number {
  const reducing = side === 'buy' ? Math.max(-positionSize, 0) : Math.max(positionSize, 0);
  return Math.max(amount - reducing, 0);
}

/** Funds an order's opening part ties up at `price`, fee aside. */
export function orderMargin(
  spec: InstrumentSpec,
  side: SimSide,
  opening: number,
  price: number,
  mark: ModelMark,
  leverage: number,
): number {
  if (opening <= 0) return 0;
  if (spec.kind === 'option') {
    return side === 'buy' ? price * opening : shortOptionMargin(spec, mark).im * opening;
  }
  return notional(spec, opening, price) / leverage;
}
