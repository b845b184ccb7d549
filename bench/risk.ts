// The scenario matrix (issue 19): a 200-position book of one coin revalued at 21 spot moves
// × 9 vol shifts × 2 horizons, PnL with delta, gamma and vega in every cell, against the same
// revaluation done with the npm black-scholes package pricing each cell (price only: the
// least a script built on it would do). Goal: ≤ 5 ms for the whole matrix.

import bs from 'black-scholes';
import {
  coinScenario,
  DEFAULT_SPOT_MOVES,
  DEFAULT_VOL_SHIFTS,
  type RiskPosition,
  type ScenarioGrid,
} from '../src/risk/scenario.js';
import { mulberry32, PEER_PRICER, type Row } from './common.js';
import { median } from './timing.js';

export interface RiskBenchConfig {
  readonly reps: number;
  readonly positions: number;
}

const DAY = 86_400_000;
const YEAR = 365 * DAY;
const NOW = Date.UTC(2026, 11, 6, 12);
const SPOT = 90_000;

/** Options across 12 expiries and 30 strikes, both settlements, and a few futures. */
export function benchBook(count: number): RiskPosition[] {
  const random = mulberry32(19);
  const expiries = [1, 2, 3, 7, 14, 21, 28, 56, 91, 119, 182, 273].map((d) => NOW + d * DAY);
  const book: RiskPosition[] = [];
  for (let k = 0; k < count; k++) {
    if (k % 20 === 19) {
      book.push({
        instrument: `FUT-${k}`,
        base: 'BTC',
        kind: 'perpetual',
        settlement: k % 40 === 19 ? 'inverse' : 'linear',
        size: k % 40 === 19 ? 10_000 : 0.5,
        forward: SPOT,
        expiry: null,
        strike: NaN,
        type: null,
        iv: NaN,
      });
      continue;
    }
    const expiry = expiries[k % expiries.length]!;
    const strike = Math.round((SPOT * (0.6 + 0.8 * random())) / 1000) * 1000;
    book.push({
      instrument: `OPT-${k}`,
      base: 'BTC',
      kind: 'option',
      settlement: k % 3 === 0 ? 'linear' : 'inverse',
      size: Math.round((random() - 0.5) * 20) / 10 || 0.1,
      forward: SPOT * (1 + 0.0001 * ((expiry - NOW) / DAY)),
      expiry,
      strike,
      type: random() < 0.5 ? 'call' : 'put',
      iv: 0.4 + 0.4 * random(),
    });
  }
  return book;
}

/** The same revaluation with the peer's price per cell; returns a checksum of the PnL. */
function peerMatrix(book: readonly RiskPosition[], grid: ScenarioGrid): number {
  let sum = 0;
  for (const position of book) {
    const { size, forward } = position;
    if (position.kind !== 'option') {
      const layers = grid.horizonsMs.length * grid.volShifts.length;
      for (let layer = 0; layer < layers; layer++) {
        for (const move of grid.spotMoves) sum += size * forward * move;
      }
      continue;
    }
    const K = position.strike;
    const type = position.type!;
    const T0 = (position.expiry! - NOW) / YEAR;
    const base = bs.blackScholes(forward, K, T0, position.iv, 0, type);
    for (const horizon of grid.horizonsMs) {
      const T = Math.max((position.expiry! - NOW - horizon) / YEAR, 0);
      for (const shift of grid.volShifts) {
        const sigma = Math.max(position.iv + shift, 0.01);
        for (const move of grid.spotMoves) {
          sum += size * (bs.blackScholes(forward * (1 + move), K, T, sigma, 0, type) - base);
        }
      }
    }
  }
  return sum;
}

export function runRiskBench(
  config: RiskBenchConfig,
  log: (line: string) => void,
): { rows: Row[]; notes: string[]; sink: number } {
  const book = benchBook(config.positions);
  const grid: ScenarioGrid = {
    spotMoves: DEFAULT_SPOT_MOVES,
    volShifts: DEFAULT_VOL_SHIFTS,
    horizonsMs: [0, 7 * DAY],
  };
  let sink = 0;
  const ours = (): void => {
    const matrix = coinScenario('BTC', book, SPOT, grid, NOW);
    sink += matrix.pnlUsd[100]! + matrix.vega[50]!;
  };
  const theirs = (): void => {
    sink += peerMatrix(book, grid);
  };
  for (let w = 0; w < 3; w++) {
    ours();
    theirs();
  }
  const ourTimes: number[] = [];
  const peerTimes: number[] = [];
  for (let r = 0; r < config.reps; r++) {
    let t0 = process.hrtime.bigint();
    ours();
    ourTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
    t0 = process.hrtime.bigint();
    theirs();
    peerTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const ivtrade = median(ourTimes);
  const peerValue = median(peerTimes);
  const cells = grid.spotMoves.length * grid.volShifts.length * grid.horizonsMs.length;
  log(
    `risk: ${config.positions} positions × ${cells} cells: ${ivtrade.toFixed(2)} ms (peer ${peerValue.toFixed(2)} ms)`,
  );
  return {
    rows: [
      {
        bench: 'risk',
        metric: `scenario matrix, ${config.positions} positions × 21 spot × 9 vol × 2 horizons (ms)`,
        better: 'lower',
        unit: 'ms',
        ivtrade,
        peer: `${PEER_PRICER} (price only)`,
        peerValue,
        target: { on: 'ivtrade', op: '<=', value: 5 },
      },
    ],
    notes: [
      `risk: ivtrade fills PnL, delta, gamma and vega per cell by full Black-76 revaluation; the peer prices each cell only (no greeks), median of ${config.reps}`,
    ],
    sink,
  };
}
