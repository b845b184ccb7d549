// `ivtrade risk`: the account's scenario matrix, headless: portfolio PnL (and delta, gamma,
// vega) over spot moves × vol shifts, now and at a horizon, by full Black-76 revaluation, per
// coin; and the greeks by expiry. `--add` puts hypothetical positions into the book (what an
// order would do to it).

import { MarketEngine } from '../app/market-engine.js';
import { riskBook, surfaceSmiles, type AddedPosition } from '../app/risk-book.js';
import { fitCoinSurface } from '../app/surface-model.js';
import {
  cellIndex,
  greeksByExpiry,
  scenarioMatrices,
  type CoinScenario,
  type ScenarioGrid,
} from '../risk/scenario.js';
import { simOnlyMisuse } from './feed-flags.js';
import type { CliStreams } from './main.js';
import { openOrExplain, planFrom } from './stream-command.js';
import type { RiskFlags } from './risk-flags.js';

const DAY_MS = 86_400_000;
/** How long the book gets to load (account, forwards, marks) before the matrix is made. */
const BOOK_WAIT_MS = 15_000;
const MAX_STEPS = 101;

export async function runRisk(flags: RiskFlags, streams: CliStreams): Promise<number> {
  const usage = (why: string): number => {
    streams.err.write(`error: ${why} (see 'ivtrade risk --help')\n`);
    return 2;
  };
  const misuse = simOnlyMisuse(flags);
  if (misuse !== null) return usage(misuse);
  if (flags.books !== undefined) return usage('--books has no use here: risk reads marks');
  const added = parseAdded(flags.add);
  if (typeof added === 'string') return usage(added);
  const grid = gridOf(flags);
  if (typeof grid === 'string') return usage(grid);
  const opened = await openOrExplain({ ...planFrom(flags), books: [], private: true }, streams);
  if (opened === null) return 2;
  const engine = new MarketEngine(opened.feeds);
  // Heard from the start: the snapshot is the first thing a logged-in feed loads.
  const loaded = new Set<string>();
  engine.onEvent((event) => {
    if (event.kind === 'account-snapshot') loaded.add(event.venue);
  });
  try {
    await engine.start();
    const venues = opened.feeds.map((feed) => feed.venue);
    const readyBy = Date.now() + BOOK_WAIT_MS;
    while (Date.now() < readyBy && !ready(engine, venues, loaded, added)) await sleep(250);
    let printed = 0;
    for (const venue of venues) {
      const now = engine.venueNow(venue);
      engine.market.settle(now);
      const ours = added.filter((add) => engine.market.registry(venue).get(add.instrument));
      const smiles =
        grid.smile === 'sticky-moneyness'
          ? surfaceSmiles(engine.market.chains(venue).map((chain) => fitCoinSurface(chain, now)))
          : null;
      const book = riskBook(engine.market, engine.account, venue, ours, smiles);
      const matrices = scenarioMatrices(book.positions, book.spots, grid, now);
      if (!loaded.has(venue) && opened.feeds.find((feed) => feed.venue === venue)?.orders) {
        streams.err.write(`ivtrade risk: ${venue}: the account did not load in time\n`);
      }
      for (const name of book.unlisted) {
        streams.err.write(`ivtrade risk: ${venue}: ${name} is not listed: left out\n`);
      }
      for (const matrix of matrices) {
        const expiries = greeksByExpiry(
          book.positions.filter((position) => position.base === matrix.base),
          matrix.spot,
          now,
        );
        if (flags.json) {
          for (const line of jsonLines(venue, matrix, expiries)) streams.out.write(`${line}\n`);
        } else {
          streams.out.write(tableText(venue, matrix, expiries));
        }
        printed += 1;
      }
      if (matrices.length === 0 && !flags.json) streams.out.write(`${venue}: no positions\n`);
    }
    const missedAdds = added.filter(
      (add) => !venues.some((venue) => engine.market.registry(venue).get(add.instrument)),
    );
    for (const add of missedAdds) {
      streams.err.write(
        `ivtrade risk: --add ${add.instrument}: not listed on ${venues.join(' or ')}\n`,
      );
    }
    return missedAdds.length > 0 ? 1 : printed >= 0 ? 0 : 1;
  } finally {
    await engine.stop();
    await opened.close();
  }
}

/** The account loaded, and every held or added option has a forward and a mark IV. */
function ready(
  engine: MarketEngine,
  venues: readonly string[],
  loaded: ReadonlySet<string>,
  added: readonly AddedPosition[],
): boolean {
  for (const venue of venues) {
    if (engine.feed(venue)?.orders !== null && !loaded.has(venue)) return false;
    engine.market.settle(engine.venueNow(venue));
    const ours = added.filter((add) => engine.market.registry(venue).get(add.instrument));
    const book = riskBook(engine.market, engine.account, venue, ours);
    for (const position of book.positions) {
      if (!(position.forward > 0)) return false;
      if (position.kind === 'option' && !(position.iv > 0)) return false;
    }
    for (const spot of book.spots.values()) if (!(spot > 0)) return false;
  }
  return true;
}

function parseAdded(values: readonly string[]): AddedPosition[] | string {
  const out: AddedPosition[] = [];
  for (const value of values) {
    const match = /^([^=\s]+)=([+-]?\d+(\.\d+)?)$/.exec(value);
    if (match === null) {
      return `--add wants <instrument>=<signed size>, e.g. BTC-PERPETUAL=-10000, got "${value}"`;
    }
    const size = Number(match[2]);
    if (size === 0) return `--add ${match[1]}: a size of 0 adds nothing`;
    out.push({ instrument: match[1]!, size });
  }
  return out;
}

function gridOf(flags: RiskFlags): ScenarioGrid | string {
  const spotMoves = steps(flags.spotRange, flags.spotStep).map((pct) => pct / 100);
  const volShifts = steps(flags.volRange, flags.volStep).map((points) => points / 100);
  if (spotMoves.length > MAX_STEPS || volShifts.length > MAX_STEPS) {
    return `at most ${MAX_STEPS} spot moves and ${MAX_STEPS} vol shifts`;
  }
  if (flags.spotRange >= 100) return '--spot-range must be under 100 (a price stays above 0)';
  const horizonsMs = flags.horizon === 0 ? [0] : [0, flags.horizon * DAY_MS];
  if (flags.smile !== 'sticky-strike' && flags.smile !== 'sticky-moneyness') {
    return `--smile must be sticky-strike or sticky-moneyness, got "${flags.smile}"`;
  }
  if (flags.volShape !== 'parallel' && flags.volShape !== 'term') {
    return `--vol-shape must be parallel or term, got "${flags.volShape}"`;
  }
  return { spotMoves, volShifts, horizonsMs, smile: flags.smile, volShape: flags.volShape };
}

/** −range … +range by step, always through 0, as exact as the step allows. */
function steps(range: number, step: number): number[] {
  const count = Math.floor(range / step + 1e-9);
  return Array.from({ length: 2 * count + 1 }, (_, k) => Number(((k - count) * step).toFixed(10)));
}

function jsonLines(
  venue: string,
  matrix: CoinScenario,
  expiries: ReturnType<typeof greeksByExpiry>,
): string[] {
  const { grid } = matrix;
  const rounded = (value: number): number | null =>
    Number.isFinite(value) ? Number(value.toPrecision(8)) : null;
  const rows = (cells: Float64Array, horizon: number): (number | null)[][] =>
    grid.volShifts.map((_, vol) =>
      grid.spotMoves.map((__, spot) => rounded(cells[cellIndex(grid, horizon, vol, spot)]!)),
    );
  const lines = grid.horizonsMs.map((horizonMs, horizon) =>
    JSON.stringify({
      kind: 'risk',
      venue,
      coin: matrix.base,
      spot: rounded(matrix.spot),
      at: new Date(matrix.now + horizonMs).toISOString(),
      horizonDays: horizonMs / DAY_MS,
      spotMoves: grid.spotMoves,
      volShifts: grid.volShifts,
      smile: grid.smile ?? 'sticky-strike',
      volShape: grid.volShape ?? 'parallel',
      units: {
        pnlUsd: 'USD',
        delta: 'coin',
        gamma: 'coin per +1 % spot',
        vega: 'USD per vol point',
      },
      pnlUsd: rows(matrix.pnlUsd, horizon),
      delta: rows(matrix.delta, horizon),
      gamma: rows(matrix.gamma, horizon),
      vega: rows(matrix.vega, horizon),
      positions: matrix.positions,
      missing: matrix.missing,
    }),
  );
  lines.push(
    JSON.stringify({
      kind: 'risk-expiry',
      venue,
      coin: matrix.base,
      expiries: expiries.map((row) => ({
        expiry: row.expiry === null ? null : new Date(row.expiry).toISOString(),
        delta: rounded(row.delta),
        gamma: rounded(row.gamma),
        vega: rounded(row.vega),
        theta: rounded(row.theta),
        positions: row.positions,
      })),
    }),
  );
  return lines;
}

function tableText(
  venue: string,
  matrix: CoinScenario,
  expiries: ReturnType<typeof greeksByExpiry>,
): string {
  const { grid } = matrix;
  const out: string[] = [];
  const pct = (value: number): string => `${value > 0 ? '+' : ''}${(value * 100).toFixed(0)}%`;
  const usd = (value: number): string =>
    Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '-';
  for (const [horizon, horizonMs] of grid.horizonsMs.entries()) {
    const when = horizonMs === 0 ? 'now' : `in ${horizonMs / DAY_MS} d`;
    const dynamics =
      grid.smile === 'sticky-moneyness' ? ', IVs along the fitted smile (sticky moneyness)' : '';
    const shape = grid.volShape === 'term' ? ', shifts at 30 d weighted √(30 d / T)' : '';
    out.push(
      `${venue} ${matrix.base} spot ${matrix.spot.toFixed(2)}: PnL in USD ${when} (rows: vol shift in points; columns: spot move${dynamics}${shape})`,
    );
    const cells = grid.volShifts.map((shift, vol) => [
      `${shift > 0 ? '+' : ''}${Math.round(shift * 100)}`,
      ...grid.spotMoves.map((_, spot) => usd(matrix.pnlUsd[cellIndex(grid, horizon, vol, spot)]!)),
    ]);
    const head = ['vol', ...grid.spotMoves.map(pct)];
    const widths = head.map((title, at) =>
      Math.max(title.length, ...cells.map((row) => row[at]!.length)),
    );
    const line = (row: readonly string[]): string =>
      row.map((cell, at) => cell.padStart(widths[at]!)).join(' ');
    out.push(line(head), ...cells.map(line), '');
  }
  out.push(
    `${venue} ${matrix.base} greeks now by expiry (delta coin, gamma coin per +1 %, vega USD/pt, theta USD/day)`,
  );
  for (const row of expiries) {
    const when =
      row.expiry === null ? 'perpetual' : new Date(row.expiry).toISOString().slice(0, 10);
    out.push(
      `  ${when.padEnd(10)} Δ ${row.delta.toFixed(4).padStart(10)}  Γ ${row.gamma.toFixed(4).padStart(9)}  ν ${row.vega.toFixed(2).padStart(10)}  θ ${row.theta.toFixed(2).padStart(10)}`,
    );
  }
  if (matrix.missing.length > 0) {
    out.push(`  not valued (no forward or mark IV): ${matrix.missing.join(', ')}`);
  }
  out.push('');
  return `${out.join('\n')}\n`;
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms).unref());
