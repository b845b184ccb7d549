// The market makers' ladders: a best bid and ask around a value, then the resting depth behind
// them (depth.ts), every price on the instrument's grid and every size a whole number of lots.

import type { ModelQuote } from '../contract.js';
import type { Random } from '../random.js';
import type { DepthLadder } from './depth.js';
import type { Grid } from './ticks.js';

export interface LadderRequest {
  /** Fair value in the instrument's price unit. */
  readonly value: number;
  /** Half the bid-ask spread the maker wants, in price units (before rounding out to ticks). */
  readonly halfSpread: number;
  /** Typical top-of-book size in the amount unit, before lot rounding. */
  readonly size: number;
  /** Since this ladder was last quoted: how long its deep levels have rested. */
  readonly elapsedMs: number;
}

export interface Ladder extends ModelQuote {
  /** NaN when the maker shows no bid (a worthless wing option). */
  readonly bestBid: number;
  readonly bestAsk: number;
}

export function buildLadder(
  grid: Grid,
  depth: DepthLadder,
  request: LadderRequest,
  random: Random,
): Ladder {
  const { value, halfSpread } = request;
  // Makers lean a little with their inventory; the lean stays inside the half spread so the
  // value is always between the best bid and ask.
  const centre = value + halfSpread * random.uniform(-0.3, 0.3);
  const bid = grid.floor(centre - halfSpread);
  let ask = grid.ceil(Math.max(centre + halfSpread, grid.minTick));
  if (ask <= bid) ask = grid.ceil(bid + grid.tickAt(bid) * 0.5);
  const bestBid = bid > 0 ? bid : NaN;
  const scale = { size: request.size, halfSpread, tick: grid.tickAt(value) };
  const { bids, asks } = depth.update(grid, bestBid, ask, scale, request.elapsedMs, random);
  return { bids, asks, bestBid, bestAsk: ask };
}
