// The tick and lot grids orders must sit on. Prices and sizes arrive as doubles (0.1 + 0.2),
// so every test against the grid tolerates a relative error far below one tick.

import type { TradingRules } from '../../instruments/types.js';

const NOISE = 1e-9;

/** Twelve significant digits: drops binary noise, keeps every digit a venue prints. */
export function clean(value: number): number {
  return Number(value.toPrecision(12));
}

function nearInteger(ratio: number): number | null {
  const rounded = Math.round(ratio);
  return Math.abs(ratio - rounded) <= NOISE * Math.max(1, Math.abs(ratio)) ? rounded : null;
}

const decimalsOf = new Map<number, number>();

/** `ticks` × `tick` as the decimal it names: an integer count of the tick's last digit,
 * divided by a power of ten, is the double nearest that decimal (0.0003, not 3 × 0.0001). */
function onGrid(ticks: number, tick: number): number {
  let decimals = decimalsOf.get(tick);
  if (decimals === undefined) {
    decimals = 0;
    while (decimals < 12 && clean(tick * 10 ** decimals) % 1 !== 0) decimals++;
    decimalsOf.set(tick, decimals);
  }
  const scale = 10 ** decimals;
  return (ticks * Math.round(tick * scale)) / scale;
}

/** The tick that applies at `price` (tick_size_steps coarsen it above thresholds). */
export function tickAt(rules: TradingRules, price: number): number {
  let tick = rules.tickSize;
  for (const step of rules.tickSteps) {
    if (price > step.abovePrice * (1 + NOISE)) tick = step.tickSize;
  }
  return tick;
}

export function isOnTick(rules: TradingRules, price: number): boolean {
  return nearInteger(price / tickAt(rules, price)) !== null;
}

/** The grid price nearest `price`, without the float noise. */
export function snapPrice(rules: TradingRules, price: number): number {
  const tick = tickAt(rules, price);
  return onGrid(Math.round(price / tick), tick);
}

export function floorToTick(rules: TradingRules, price: number): number {
  const tick = tickAt(rules, price);
  const ratio = price / tick;
  return onGrid(nearInteger(ratio) ?? Math.floor(ratio), tick);
}

export function ceilToTick(rules: TradingRules, price: number): number {
  const tick = tickAt(rules, price);
  const ratio = price / tick;
  return onGrid(nearInteger(ratio) ?? Math.ceil(ratio), tick);
}

/** The grid price one tick below `price`; the tick is the one that applies just below it. */
export function tickBelow(rules: TradingRules, price: number): number {
  return floorToTick(rules, price - 0.5 * tickAt(rules, price * (1 - 1e-6)));
}

export function tickAbove(rules: TradingRules, price: number): number {
  return ceilToTick(rules, price + 0.5 * tickAt(rules, price * (1 + 1e-6)));
}

export function isLotMultiple(rules: TradingRules, amount: number): boolean {
  return nearInteger(amount / rules.lotSize) !== null;
}

/** Sizes after adding and subtracting: back on the lot grid when they were meant to be. */
export function snapAmount(rules: TradingRules, amount: number): number {
  if (Math.abs(amount) < rules.lotSize * 1e-6) return 0;
  const lots = nearInteger(amount / rules.lotSize);
  return lots === null ? clean(amount) : clean(lots * rules.lotSize);
}
