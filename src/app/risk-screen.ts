/**
 * The scenario risk view of the coin on screen: its PnL matrix now and a week on, and the
 * same with what the line being typed would add. The full grid is built (21 spot moves × 9
 * vol shifts); the screen shows what fits.
 */
import type { AccountState } from '../book/account-state.js';
import type { MarketState } from '../book/market-state.js';
import {
  cellIndex,
  coinScenario,
  DEFAULT_SPOT_MOVES,
  DEFAULT_VOL_SHIFTS,
  type CoinScenario,
  type RiskPosition,
  type ScenarioGrid,
} from '../risk/scenario.js';
import type { RiskGreeksView, RiskMatrixView, RiskScreenView, RiskWhatIf } from '../view/types.js';
import { coinIndex, riskBook } from './risk-book.js';

const DAY_MS = 86_400_000;
/** The screen's later horizon. */
export const RISK_HORIZON_DAYS = 7;

export function buildRiskScreen(
  market: MarketState,
  account: AccountState,
  venue: string,
  coin: string,
  whatIf: RiskWhatIf | null,
  now: number,
  stale: string | null,
): RiskScreenView {
  const grid: ScenarioGrid = {
    spotMoves: DEFAULT_SPOT_MOVES,
    volShifts: DEFAULT_VOL_SHIFTS,
    horizonsMs: [0, RISK_HORIZON_DAYS * DAY_MS],
  };
  const book = riskBook(market, account, venue);
  const ofCoin = (positions: readonly RiskPosition[]): RiskPosition[] =>
    positions.filter((position) => position.base === coin);
  const held = ofCoin(book.positions);
  const spot = book.spots.get(coin) ?? coinIndex(market, venue, coin);
  const current = coinScenario(coin, held, spot, grid, now);
  const added = whatIf === null || whatIf.problem !== null ? [] : whatIf.positions;
  // Only what the line adds to this coin is a what-if here (the view shows one coin).
  const addedHere = added.filter(
    (position) => market.registry(venue).get(position.instrument)?.base === coin,
  );
  const lineScenario =
    addedHere.length === 0
      ? null
      : coinScenario(
          coin,
          ofCoin(riskBook(market, account, venue, addedHere).positions),
          spot,
          grid,
          now,
        );
  const otherCoin =
    whatIf !== null && whatIf.problem === null && added.length > 0 && lineScenario === null
      ? `${whatIf.line}: not ${coin} (the view shows the chain's coin)`
      : null;
  return {
    coin,
    spot: Number.isFinite(spot) ? spot : null,
    positions: current.positions,
    matrices: matricesOf(current),
    greeks: centre(current),
    whatIf:
      lineScenario === null || whatIf === null
        ? null
        : {
            line: whatIf.line,
            added: added
              .map(
                (position) =>
                  `${position.size > 0 ? '+' : ''}${trim(position.size)} ${position.instrument}`,
              )
              .join(', '),
            matrices: matricesOf(lineScenario),
            greeks: centre(lineScenario),
          },
    whatIfProblem: whatIf?.problem ?? otherCoin,
    missing: [...current.missing, ...(lineScenario?.missing ?? [])].filter(
      (name, at, all) => all.indexOf(name) === at,
    ),
    stale,
  };
}

function matricesOf(scenario: CoinScenario): RiskMatrixView[] {
  const { grid } = scenario;
  return grid.horizonsMs.map((horizon, h) => ({
    label: horizon === 0 ? 'now' : `in ${horizon / DAY_MS} d`,
    spotMoves: grid.spotMoves,
    volShifts: grid.volShifts,
    pnlUsd: grid.volShifts.map((_, v) =>
      grid.spotMoves.map((__, s) => scenario.pnlUsd[cellIndex(grid, h, v, s)]!),
    ),
  }));
}

function centre(scenario: CoinScenario): RiskGreeksView {
  const { grid } = scenario;
  const cell = cellIndex(grid, 0, grid.volShifts.indexOf(0), grid.spotMoves.indexOf(0));
  return {
    delta: scenario.delta[cell] ?? NaN,
    gamma: scenario.gamma[cell] ?? NaN,
    vega: scenario.vega[cell] ?? NaN,
  };
}

function trim(value: number): string {
  return String(Number(value.toPrecision(10)));
}
