// Time to expiry as the venues measure it: ACT/365 at millisecond precision.

export const MS_PER_DAY = 86_400_000;
export const MS_PER_YEAR = 365 * MS_PER_DAY;

/** Year fraction from `fromMs` to `toMs` (ms since the epoch, UTC); negative once expired. */
export function yearFraction(fromMs: number, toMs: number): number {
  return (toMs - fromMs) / MS_PER_YEAR;
}
