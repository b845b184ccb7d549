// `ivtrade rank`: the venue's option coins side by side: 30-day realised vol, 30-day ATM
// implied vol of the fitted surface, their spread (VRP) and where implied vol sits in its year.

import {
  IV_RANK_DAYS,
  ivRank,
  sortRankRows,
  type RankKey,
  type RankRow,
} from '../analytics/index.js';
import { openRedis, parseRedisUrl } from '../store/connect.js';
import { keySchema } from '../store/keys.js';
import { readSurfaceDaily } from '../store/surface-history.js';
import { volRiskPremium } from '../analytics/index.js';
import { MarketEngine } from '../app/market-engine.js';
import { SurfaceModel } from '../app/surface-model.js';
import { VolHistory } from '../app/vol-history.js';
import { simOnlyMisuse } from './feed-flags.js';
import type { CliStreams } from './main.js';
import { openOrExplain, planFrom } from './stream-command.js';
import { chainsQuoted } from './surface-command.js';
import { SIM_RANK_COINS, type RankFlags } from './rank-flags.js';

/** How long the chains get to fill, and the histories to load, before the table is made. */
const QUOTE_WAIT_MS = 15_000;
const HISTORY_WAIT_MS = 60_000;
const RV_DAYS = 30;

/** A ranked chain: the analytics row and where it comes from. */
interface Ranked extends RankRow {
  readonly venue: string;
  readonly quote: string;
  readonly index30d: number | null;
  readonly venueIndex: number | null;
  readonly venueIndexName: string | null;
  readonly venueIndexKind: 'implied' | 'realized' | null;
}

export async function runRank(flags: RankFlags, streams: CliStreams): Promise<number> {
  const misuse = simOnlyMisuse(flags);
  if (misuse !== null || flags.books !== undefined) {
    const why = misuse ?? '--books has no use here: the ranking reads tickers and history';
    streams.err.write(`error: ${why} (see 'ivtrade rank --help')\n`);
    return 2;
  }
  const named = flags.currency;
  const opened = await openOrExplain(
    {
      ...planFrom({ ...flags, currency: named ?? SIM_RANK_COINS }),
      ...(named === undefined ? { listedCoins: true } : {}),
      books: [],
      private: false,
    },
    streams,
  );
  if (opened === null) return 2;
  const engine = new MarketEngine(opened.feeds);
  try {
    await engine.start();
    const venues = opened.feeds.map((feed) => feed.venue);
    const coinsOf = (venue: string): readonly string[] => opened.coins.get(venue) ?? [];
    const histories = venues.map((venue) => new VolHistory(engine, venue, coinsOf(venue)));
    const loading = Promise.all(histories.map((h) => h.start(engine.venueNow(h.venue))));
    const model = new SurfaceModel();
    const quotedBy = Date.now() + QUOTE_WAIT_MS;
    const allCoins = [...new Set(venues.flatMap(coinsOf))];
    while (Date.now() < quotedBy && !chainsQuoted(engine, venues, model, allCoins)) {
      await sleep(250);
    }
    await Promise.race([loading, sleep(HISTORY_WAIT_MS)]);
    const rows: Ranked[] = [];
    for (const history of histories) {
      const now = engine.venueNow(history.venue);
      for (const chain of engine.market.chains(history.venue)) {
        if (!coinsOf(history.venue).includes(chain.base)) continue;
        const surface = model.surface(chain, now);
        const view = history.view(chain.base, now, surface);
        const atmIv30 =
          surface.grid.rows.find((row) => row.days === RV_DAYS)?.readouts.atmIv ?? null;
        const rvRow = view?.hourRv.find((row) => row.days === RV_DAYS);
        const rv = rvRow?.results['yang-zhang'];
        const notes: string[] = [];
        if (view === null || view.status !== 'ready') {
          notes.push(`history ${view?.status ?? 'none'}${view?.error ? `: ${view.error}` : ''}`);
        } else if (rv !== undefined && rv.vol === null) notes.push(`RV: ${rv.reason}`);
        if (atmIv30 === null) notes.push('ATM IV: no 30-day ATM vol on the surface');
        const rank = view?.ivRank;
        if (rank !== undefined && rank.rank === null) notes.push(`IV rank: ${rank.reason}`);
        rows.push({
          venue: history.venue,
          coin: chain.base,
          quote: chain.quote,
          rv30: rv?.vol ?? null,
          atmIv30,
          vrp: volRiskPremium(atmIv30, rv?.vol ?? null),
          ivRank: rank?.rank ?? null,
          ivPercentile: rank?.percentile ?? null,
          ivRankPoints: rank?.count ?? 0,
          ivRankSource: view?.ivRankSource ?? '-',
          estimator: 'yang-zhang',
          notes,
          index30d: surface.index.value,
          venueIndex: view?.venueIndex?.value ?? null,
          venueIndexName: view?.venueIndex?.name ?? null,
          venueIndexKind: view?.venueIndex?.kind ?? null,
        });
      }
    }
    for (const history of histories) history.stop();
    if (flags.redis !== undefined) {
      const filled = await ownRanks(flags.redis, flags.redisPrefix, rows, engine, streams);
      if (filled === null) return 1;
      rows.splice(0, rows.length, ...filled);
    }
    const sorted = sortRankRows(rows, flags.sort, flags.asc) as Ranked[];
    if (flags.json) {
      for (const row of sorted) streams.out.write(`${JSON.stringify(jsonOf(row))}\n`);
    } else {
      streams.out.write(table(sorted, flags.sort));
    }
    return rows.length === 0 ? 1 : 0;
  } finally {
    await engine.stop();
    await opened.close();
  }
}

const sig = (value: number | null): number | null =>
  value === null || !Number.isFinite(value) ? null : Number(value.toPrecision(6));

function jsonOf(row: Ranked): Record<string, unknown> {
  return {
    kind: 'rank',
    venue: row.venue,
    coin: row.coin,
    quote: row.quote,
    rv30: sig(row.rv30),
    rvEstimator: `${row.estimator}, 1h bars, ${RV_DAYS} days`,
    atmIv30: sig(row.atmIv30),
    vrp: sig(row.vrp),
    ivRank: sig(row.ivRank),
    ivPercentile: sig(row.ivPercentile),
    ivRankPoints: row.ivRankPoints,
    ivRankSource: row.ivRankSource,
    index30d: sig(row.index30d),
    venueIndex: sig(row.venueIndex),
    venueIndexName: row.venueIndexName,
    venueIndexKind: row.venueIndexKind,
    notes: row.notes,
  };
}

const points = (value: number | null): string => (value === null ? '-' : (value * 100).toFixed(1));
const whole = (value: number | null): string => (value === null ? '-' : value.toFixed(0));

function table(rows: readonly Ranked[], sort: RankKey): string {
  const head = ['venue', 'chain', 'RV30', 'ATM30', 'VRP', 'IVrank', 'IVpct', 'idx30', 'venue idx'];
  const body = rows.map((row) => [
    row.venue,
    `${row.coin}/${row.quote}`,
    points(row.rv30),
    points(row.atmIv30),
    row.vrp === null ? '-' : `${row.vrp >= 0 ? '+' : ''}${(row.vrp * 100).toFixed(1)}`,
    whole(row.ivRank),
    whole(row.ivPercentile),
    points(row.index30d),
    // A venue's realised series (Bybit's) is no implied index: marked so it is not read as one.
    `${points(row.venueIndex)}${row.venueIndexKind === 'realized' ? ' (RV)' : ''}`,
  ]);
  const widths = head.map((title, at) =>
    Math.max(title.length, ...body.map((cells) => cells[at]!.length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, at) => (at < 2 ? cell.padEnd(widths[at]!) : cell.padStart(widths[at]!)))
      .join('  ');
  const notes = rows.flatMap((row) =>
    row.notes.map((note) => `  ${row.venue} ${row.coin}/${row.quote}: ${note}`),
  );
  return [
    line(head),
    ...body.map(line),
    '',
    `vols in points; RV30: Yang–Zhang on 1-hour bars over ${RV_DAYS} days; ATM30: the fitted ` +
      `surface at 30 days; VRP = ATM30 − RV30; IV rank/percentile over 365 days of the venue's ` +
      `implied index; idx30: ivtrade's 30-day index (VIX/DVOL method); venue idx: the venue's own ` +
      `(DVOL on Deribit; (RV) marks a realised series); sorted by ${sort}`,
    ...(notes.length === 0 ? [] : ['', 'missing figures:', ...notes]),
  ]
    .map((text) => `${text}\n`)
    .join('');
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * Rows whose venue has no implied index get IV rank from ivtrade's own 30-day index, one
 * value a day from serve's minute history of the chain's surface in Redis. Null (said on
 * stderr) when Redis cannot be reached.
 */
async function ownRanks(
  url: string,
  prefix: string,
  rows: readonly Ranked[],
  engine: MarketEngine,
  streams: CliStreams,
): Promise<Ranked[] | null> {
  let client;
  try {
    const target = parseRedisUrl(url);
    client = await openRedis(target).catch((error: unknown) => {
      streams.err.write(
        `ivtrade rank: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      return null;
    });
  } catch (error) {
    streams.err.write(
      `error: ${error instanceof Error ? error.message : String(error)} (see 'ivtrade rank --help')\n`,
    );
    return null;
  }
  if (client === null) return null;
  try {
    const keys = keySchema(prefix);
    const out: Ranked[] = [];
    for (const row of rows) {
      if (row.ivRank !== null) {
        out.push(row);
        continue;
      }
      const series = await readSurfaceDaily(
        client,
        keys.coin(row.venue, row.coin),
        row.quote,
        'index_30d',
        IV_RANK_DAYS,
        engine.venueNow(row.venue),
      );
      const rank = ivRank(series);
      const source = `ivtrade 30d index, Redis minute history (${series.length} days)`;
      out.push({
        ...row,
        ivRank: rank.rank,
        ivPercentile: rank.percentile,
        ivRankPoints: rank.count,
        ivRankSource: source,
        notes: [
          ...row.notes.filter((note) => !note.startsWith('IV rank:')),
          ...(rank.rank === null ? [`IV rank (own history): ${rank.reason}`] : []),
        ],
      });
    }
    return out;
  } finally {
    client.disconnect();
  }
}
