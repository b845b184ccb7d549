/**
 * The gateway's configurable caps and their defaults, checked once at construction so a
 * mistyped configuration fails loudly instead of quietly switching a guard off.
 */
import type { GatewayLimits } from './types.js';

export const DEFAULT_LIMITS: GatewayLimits = {
  optionDistance: { unit: 'vol-points', value: 10 },
  optionDistanceTicks: 10,
  futureDistance: { unit: 'percent', value: 1 },
  maxNotionalUsd: 250_000,
  maxOrdersPerSecond: 10,
};

/** The defaults with `overrides` applied; throws RangeError for a limit that cannot work. */
export function resolveLimits(overrides: Partial<GatewayLimits> = {}): GatewayLimits {
  const limits: GatewayLimits = { ...DEFAULT_LIMITS, ...overrides };
  const { optionDistance, futureDistance, maxNotionalUsd, maxOrdersPerSecond } = limits;
  if (futureDistance.unit !== 'percent') {
    throw new RangeError('futureDistance must be in percent: futures have no implied vol');
  }
  for (const distance of [optionDistance, futureDistance]) {
    if (!(distance.value >= 0)) {
      throw new RangeError(`a mark distance must be >= 0, got ${distance.value}`);
    }
  }
  if (!(Number.isInteger(limits.optionDistanceTicks) && limits.optionDistanceTicks >= 0)) {
    throw new RangeError(
      `optionDistanceTicks must be a whole number >= 0, got ${limits.optionDistanceTicks}`,
    );
  }
  if (!(maxNotionalUsd > 0)) {
    throw new RangeError(`maxNotionalUsd must be > 0, got ${maxNotionalUsd}`);
  }
  if (!(Number.isInteger(maxOrdersPerSecond) && maxOrdersPerSecond >= 1)) {
    throw new RangeError(
      `maxOrdersPerSecond must be a whole number >= 1, got ${maxOrdersPerSecond}`,
    );
  }
  return limits;
}
