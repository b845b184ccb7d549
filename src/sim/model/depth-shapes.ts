// The two book shapes the sim's makers show, fitted to recorded books where there are any.
//
// Options, from the Deribit recording of 2021-07-22 (test/fixtures/deribit, ten BTC and ETH
// options, books rebuilt from snapshot plus changes): a maker front of about five levels one
// or two ticks apart (median gap before levels 1-4: 1-1.5 ticks), the top the largest (size
// relative to the top, median by level: 1, 0.82, 0.47, 0.24, 0.10), then scattered resting
// orders far out (median gap beyond level 6: 17.5 ticks, a fifth of gaps over 50 ticks), small
// and often round (a third of sizes whole coins, many at the minimum). The recording's books
// are shallower than 25 levels (0-19 a side, median 4); the sim keeps the same front and tail
// shapes but runs the tail out to at least 25 levels, as Bybit's depth-25 option feed and
// today's Deribit books show for listed strikes near the money.
//
// Perpetuals and futures: the fixtures hold no recorded perp book, so the shape follows how
// the big venues' perp books look: every tick or nearly every tick filled at the touch, gaps
// widening slowly outward, sizes small at the top and larger and lumpier further out, with the
// odd wall at a round size.

import type { Random } from '../random.js';
import type { DepthScale, DepthShape } from './depth.js';

/** Draws from a log-normal with the given median and log spread. */
function logNormal(random: Random, median: number, sigma: number): number {
  return median * Math.exp(sigma * random.normal());
}

/** A round figure near `size`: 1, 2, 2.5 or 5 times a power of ten. */
export function roundSize(size: number): number {
  if (!(size > 0)) return size;
  const power = Math.pow(10, Math.floor(Math.log10(size)));
  const mantissa = size / power;
  const round =
    mantissa < 1.5 ? 1 : mantissa < 2.25 ? 2 : mantissa < 3.75 ? 2.5 : mantissa < 7.5 ? 5 : 10;
  return round * power;
}

/** Sizes relative to the top, per front level (the recording's medians). */
const OPTION_FRONT_DECAY = [1, 0.8, 0.5, 0.25, 0.12, 0.08, 0.06];

export const OPTION_SHAPE: DepthShape = {
  minLevels: 25,
  slack: 8,
  frontMin: 4,
  frontMax: 7,
  frontGapTicks(random: Random): number {
    // The recording's gaps inside the front: half one tick, then 2, 3 and a few wider.
    const u = random.next();
    return u < 0.55 ? 1 : u < 0.72 ? 2 : u < 0.85 ? 3 : random.int(4, 6);
  },
  tailGap(random: Random, level: number, scale: DepthScale): number {
    return logNormal(random, OPTION_SHAPE.typicalGap(level, scale), 1);
  },
  typicalGap(level: number, scale: DepthScale): number {
    const base = Math.max(2 * scale.tick, 1.5 * scale.halfSpread);
    return base * (1 + 0.6 * Math.max(0, level - 5));
  },
  frontSize(random: Random, level: number, scale: DepthScale): number {
    const decay = OPTION_FRONT_DECAY[Math.min(level, OPTION_FRONT_DECAY.length - 1)]!;
    const size = logNormal(random, scale.size * decay, 0.6);
    // A third of the recorded front sizes are round lots (8, 10, 25 BTC; 50, 100 ETH).
    return random.chance(0.3) ? roundSize(size) : size;
  },
  tailSize(random: Random, _level: number, scale: DepthScale): number {
    const u = random.next();
    // Stubs at the minimum, round lots, and the odd real-sized order far out.
    if (u < 0.4) return 0;
    if (u < 0.75) return roundSize(logNormal(random, scale.size * 0.15, 1));
    return logNormal(random, scale.size * 0.08, 1);
  },
  restSeconds(level: number): number {
    return 20 * (1 + level / 5);
  },
};

export const FUTURE_SHAPE: DepthShape = {
  minLevels: 200,
  slack: 40,
  frontMin: 3,
  frontMax: 6,
  frontGapTicks(random: Random): number {
    const u = random.next();
    return u < 0.85 ? 1 : u < 0.97 ? 2 : 3;
  },
  tailGap(random: Random, level: number, scale: DepthScale): number {
    // Mostly adjacent ticks near the touch, a tick or two of air every few levels further out.
    const extra = random.chance(Math.min(0.8, 0.1 + level / 150))
      ? 1 + random.int(0, level >> 6)
      : 0;
    return scale.tick * (1 + extra);
  },
  typicalGap(level: number, scale: DepthScale): number {
    return scale.tick * (1 + Math.min(0.8, 0.1 + level / 150) * (1 + (level >> 6) / 2));
  },
  frontSize(random: Random, _level: number, scale: DepthScale): number {
    return logNormal(random, scale.size * 0.35, 0.9);
  },
  tailSize(random: Random, level: number, scale: DepthScale): number {
    const size = logNormal(random, scale.size * (0.5 + level / 80), 1);
    // Walls: a few levels carry several times the usual, at a round size.
    return random.chance(0.04) ? roundSize(size * random.uniform(4, 12)) : size;
  },
  restSeconds(level: number): number {
    return 8 * (1 + level / 10);
  },
};
