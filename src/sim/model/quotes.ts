// The market makers' ladders: a best bid and ask around a value, then a few more levels
// stepping away, every price on the instrument's grid and every size a whole number of lots.

import type { ModelQuote } from '../contract.js';
import type { Random } from '../random.js';
import type { Grid } from './ticks.js';

export interface LadderRequest {
  /** Fair value in the instrument's price unit. */
  readonly value: number;
  /** Half the bid-ask spread the maker wants, in price units (before rounding out to ticks). */
  readonly halfSpread: number;
  /** Typical first-level size in the amount unit, before lot rounding. */
  readonly size: number;
  readonly minLevels: number;
  readonly maxLevels: number;
}

export interface Ladder extends ModelQuote {
  /** NaN when the maker shows no bid (a worthless wing option). */
  readonly bestBid: number;
  readonly bestAsk: number;
}

export function buildLadder(grid: Grid, request: LadderRequest, random: Random): Ladder {
  const { value, halfSpread } = request;
  // Makers lean a little with their inventory; the lean stays inside the half spread so the
  // value is always between the best bid and ask.
  const centre = value + halfSpread * random.uniform(-0.3, 0.3);
  let bid = grid.floor(centre - halfSpread);
  let ask = grid.ceil(Math.max(centre + halfSpread, grid.minTick));
  if (ask <= bid) ask = grid.ceil(bid + grid.tickAt(bid) * 0.5);
  const levels = random.int(request.minLevels, request.maxLevels);
  const gap = (): number => halfSpread * random.uniform(0.3, 0.9);
  const size = (level: number): number =>
    grid.amount(request.size * random.uniform(0.4, 1.6) * (1 + 0.5 * level));

  const bids: number[] = [];
  for (let level = 0; level < levels && bid > 0; level++) {
    bids.push(bid, size(level));
    let next = grid.floor(bid - gap());
    if (next >= bid) next = grid.floor(bid - grid.tickAt(bid));
    bid = next;
  }
  const asks: number[] = [];
  for (let level = 0; level < levels; level++) {
    asks.push(ask, size(level));
    let next = grid.ceil(ask + gap());
    if (next <= ask) next = grid.ceil(ask + grid.tickAt(ask) * 0.5);
    ask = next;
  }
  return { bids, asks, bestBid: bids.length > 0 ? bids[0]! : NaN, bestAsk: asks[0]! };
}
