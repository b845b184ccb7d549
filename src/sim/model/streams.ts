// Each consumer of randomness draws from its own stream derived from the seed and a label
// only, so adding a currency or a venue never shifts the numbers another one sees.

import { Random } from '../random.js';

export function stream(seed: number, label: string): Random {
  return new Random(seed).fork(label);
}

/** Mean-reverting (Ornstein–Uhlenbeck) step, exact for any horizon: `stationarySd` is the
 * spread the process settles to, `kappa` the reversion rate per year, `years` the horizon. */
export function ouStep(
  value: number,
  mean: number,
  kappa: number,
  stationarySd: number,
  years: number,
  normal: number,
): number {
  const decay = Math.exp(-kappa * years);
  return mean + (value - mean) * decay + stationarySd * Math.sqrt(1 - decay * decay) * normal;
}

export function clamp(value: number, low: number, high: number): number {
  return value < low ? low : value > high ? high : value;
}
